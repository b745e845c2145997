"""The objects that flow through the pipeline: indicator system, units, results.

One ``IndicatorSystem`` carries the framework (tree, settings, 计算项, compiled formulas and the
layout it was read from); ``Unit`` carries one unit's values and where each came from;
``Results`` carries the scores of every unit and converts to dicts (JSON) and pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .formula import Formula
from .targets import Target

NORMAL, BONUS, PENALTY = "normal", "bonus", "penalty"


@dataclass
class Settings:
    max_total: float = 100.0  # 满分
    decimals: int = 2  # 小数位数
    grades: list[tuple[str, float]] = field(
        default_factory=lambda: [("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0)]
    )  # (grade, % of 满分), descending
    na_rule: str = "满分"  # 不适用处理: 满分 | 剔除
    default_formula: Formula | None = None  # 默认公式
    total_cap: float | None = None  # 总分上限 (default 满分)

    @property
    def cap(self) -> float:
        return self.max_total if self.total_cap is None else self.total_cap


@dataclass
class Indicator:
    id: int
    name: str
    level: int  # 1..4, the level column it came from
    parent: "Indicator | None"
    row: int  # first worksheet row of the indicator
    name_cell: tuple[int, int]  # (row, col) of its name cell (top-left of a merge)
    code: str = ""
    weight: float | None = None  # 分值 as given; parents without one get the sum of children
    weight_given: bool = False
    weight_cell: tuple[int, int] | None = None
    kind: str = NORMAL
    formula_text: str = ""
    formula: Formula | None = None
    formula_cell: tuple[int, int] | None = None
    target_raw: object = None
    target: Target | None = None
    target_cell: tuple[int, int] | None = None
    criteria: str = ""
    description: str = ""
    children: list["Indicator"] = field(default_factory=list)
    score_cell: tuple[int, int] | None = None
    note_cell: tuple[int, int] | None = None
    raw_name: str = ""  # the name cell's text as written, points included

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def path(self) -> list[str]:
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Derived:
    """A 计算项: a named value computed per unit from data and other 计算项."""

    name: str
    formula: Formula
    description: str
    cell: str  # e.g. 计算项!B3


@dataclass
class IndicatorSystem:
    path: Path
    sheet_name: str
    roots: list[Indicator]
    settings: Settings
    derived: list[Derived]  # in dependency order
    header_row: int
    first_row: int
    last_row: int  # last row of the indicator table
    total_row: int | None  # the 合计 row, if any
    columns: dict[str, list[int]]  # role → columns
    warnings: list[str] = field(default_factory=list)
    heading: str = ""  # the title row above the header, e.g. 部门整体支出绩效评价指标表

    def indicators(self):
        for root in self.roots:
            yield from root.walk()

    def leaves(self):
        return [i for i in self.indicators() if i.is_leaf]

    @property
    def title(self) -> str:
        """What the system is called: its title row, else the file name."""
        return self.heading or self.path.stem


@dataclass
class Unit:
    name: str
    values: dict  # normalized name → value (float, bool, str, NA, MISSING)
    origins: dict  # normalized name → "sheet!cell" or "名称 X (sheet!cell)"
    display_names: dict = field(default_factory=dict)  # normalized → as written


class NodeResult:
    """One indicator's result for one unit. The note may be computed on first use (batch scoring)."""

    __slots__ = ("indicator", "score", "status", "_note", "raw", "reads", "weight")

    def __init__(self, indicator, score, status, note="", raw=None, reads=None, weight=0.0):
        self.indicator = indicator
        self.score = score  # None: not applicable and dropped, or error
        self.status = status  # ok, clamped, na, manual, error
        self._note = note  # text, or a function returning it
        self.raw = raw  # the formula's value before clamping and rounding
        self.reads = reads if reads is not None else []  # (name, value) read by the formula
        self.weight = weight  # effective 分值 (after 剔除)

    @property
    def note(self) -> str:
        if callable(self._note):
            self._note = self._note()
        return self._note

    def __repr__(self) -> str:
        return f"NodeResult({self.indicator.name!r}, {self.score!r}, {self.status!r})"


@dataclass
class UnitResult:
    unit: Unit
    nodes: dict[int, NodeResult]
    total: float | None
    grade: str | None
    rank: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_note: str = ""


@dataclass
class Results:
    system: IndicatorSystem
    units: list[UnitResult]

    @property
    def has_errors(self) -> bool:
        return any(u.errors for u in self.units)

    def to_dict(self) -> dict:
        from .render import results_to_dict

        return results_to_dict(self)

    def to_frame(self):
        """One row per unit × indicator, as a pandas DataFrame."""
        import pandas as pd

        rows = []
        for u in self.to_dict()["units"]:
            for item in u["indicators"]:
                rows.append({"unit": u["unit"], "total": u["total"], "grade": u["grade"], "rank": u["rank"],
                             **{k: v for k, v in item.items() if k != "path"}, "path": "/".join(item["path"])})
        return pd.DataFrame(rows)
