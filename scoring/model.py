"""The objects that flow through the pipeline: indicator system, units, results.

``IndicatorSystem`` carries the framework (tree, settings, 计算项, compiled formulas, where it was
read from); ``Unit`` one unit's values and where each came from; ``Results`` the scores of every
unit, convertible to dicts (the JSON form) and pandas.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .formula import TARGET_NAME, Formula
from .formula.targets import Target
from .values import normalize_name, without_explanation, without_numbering


class Status(enum.StrEnum):
    """A node's result for one unit (SPEC §5.2)."""

    OK = "ok"
    CLAMPED = "clamped"
    NA = "na"
    MANUAL = "manual"
    ERROR = "error"


STATUS_LABELS = {Status.OK: "正常", Status.CLAMPED: "截断", Status.NA: "不适用", Status.MANUAL: "人工评分",
                 Status.ERROR: "错误"}


class Kind(enum.StrEnum):
    """Normal indicators count within 满分; 加分/扣分 rows are added to / subtracted from the total."""

    NORMAL = "normal"
    BONUS = "bonus"
    PENALTY = "penalty"


class NARule(enum.StrEnum):
    """设置 不适用处理: an N/A indicator gets full points, or is dropped and the total rescaled."""

    FULL = "满分"
    DROP = "剔除"


DEFAULT_GRADES = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))


@dataclass
class Settings:
    max_total: float = 100.0  # 满分
    decimals: int = 2  # 小数位数
    grades: list[tuple[str, float]] = field(default_factory=lambda: list(DEFAULT_GRADES))  # (grade, % of 满分), descending
    na_rule: NARule = NARule.FULL  # 不适用处理
    default_formula: Formula | None = None  # 默认公式
    total_cap: float | None = None  # 总分上限 (default 满分)
    execution_formula: Formula | None = None  # 预算执行率公式: a 自评表's 预算执行率 rule instead of the default
    year: str = ""  # 年度 (评价年度): in the 评分表's title when the data gives none
    evaluation_date: str = ""  # 评价日期 printed on the 评分表 (default: the day of the run)

    @property
    def cap(self) -> float:
        return self.max_total if self.total_cap is None else self.total_cap


@dataclass
class Band:
    """One grade of a leaf whose criteria are printed side by side as grade columns (优 | 良 | 中 | 差)."""

    grade: str  # as printed in the header: 优, 较好 …
    criteria: str  # the criterion text under that grade on the leaf's row
    points: float  # the points that grade gives
    cell: tuple[int, int]  # (row, col) of the points


IMPLIED_BY_TARGET = "目标值"
IMPLIED_BY_CRITERIA = "评分标准"
SCORE_SUFFIX = "得分"  # `<指标>得分` in the data: a leaf's score entered by a person
# What messages call drafting formulas from 评分标准: the web page's button and `score draft`'s help say the same words
DRAFT_FUNCTION = "由评分标准起草公式"


@dataclass(eq=False)
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
    kind: Kind = Kind.NORMAL
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
    qualitative_target: str = ""  # a 目标值 without a number (效果明显): the leaf is scored by hand
    bands: list[Band] = field(default_factory=list)  # grade columns: a grade word in the data gives its points
    alternatives: list["Indicator"] = field(default_factory=list)  # 择其一: rows of which the unit is scored on one
    choice_of: "Indicator | None" = None  # for an alternative: the 择其一 indicator it belongs to
    scored_by_unit: str = ""  # 自评表: why the unit's own 得分 is kept (定性（采用自评分）); "" when a rule scores it
    # SPEC §2.3, a leaf with no formula and no 默认公式: the rule its own row implies — TARGET(完成值, 目标值) for a
    # 目标值, or the formula `score draft` reads from its 评分标准 (every clause understood; not confirmed by a person)
    implied_formula: Formula | None = None
    implied_by: str = ""  # IMPLIED_BY_TARGET / IMPLIED_BY_CRITERIA, "" when none
    criteria_doubt: str = ""  # its 评分标准 holds a rule that could not be read completely: why (no figure is a score)

    @property
    def options(self) -> list["Indicator"]:
        """The indicators that carry this leaf's scoring rule: its 择其一 alternatives, else itself."""
        return self.alternatives or [self]

    def band_of(self, grade) -> "Band | None":
        """The band a grade word names (`良`, ` 良 `), if any."""
        if not isinstance(grade, str):
            return None
        key = normalize_name(grade)
        return next((b for b in self.bands if normalize_name(b.grade) == key), None)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def data_keys(self) -> list[str]:
        """The data names that hold this indicator's own figure (完成值 or manual score), in order: its name,
        its name without printed numbering (`8.预算执行率` → 预算执行率) and without a trailing bracketed explanation
        (`培训覆盖率(计算方法:…)` → 培训覆盖率), its code."""
        plain = without_numbering(self.name)
        keys = [normalize_name(self.name), normalize_name(plain), normalize_name(without_explanation(plain))]
        if self.code:
            keys.append(normalize_name(self.code))
        return list(dict.fromkeys(k for k in keys if k))

    @property
    def score_keys(self) -> list[str]:
        """The data names that hold a score entered by a person (SPEC §2.3): `<指标>得分` (or `<编号>得分`)."""
        return [key + SCORE_SUFFIX for key in self.data_keys]

    @property
    def path(self) -> list[str]:
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]

    @property
    def depth(self) -> int:
        """0 for a level-1 indicator, 1 for its children …"""
        return len(self.path) - 1

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
class SelfEvaluationForm:
    """A 项目支出绩效自评表: one workbook holding the system, the project's figures (实际完成值, the 项目资金 block)
    and the unit's own scores."""

    project: str  # 项目名称, the unit
    actual_col: int | None  # the 实际完成值 column
    funding: dict[str, tuple[int, int]] = field(default_factory=dict)  # 全年预算数/全年执行数/分值/得分… → (row, col)
    execution_id: int | None = None  # the 预算执行率 indicator added for the 项目资金 block


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
    header_top: int = 0  # first row of a header printed on several rows (0: header_row)
    warnings: list[str] = field(default_factory=list)
    heading: str = ""  # the title row above the header, e.g. 部门整体支出绩效评价指标表
    source: object = None  # the opened workbook it was read from (read.Book): the 评分表 copies its layout
    compile_seconds: float = 0.0  # time spent compiling its formulas while reading
    form: SelfEvaluationForm | None = None  # set when the workbook is a 自评表 (system and data at once)
    reading: list[str] = field(default_factory=list)  # 读表结果: how the table was read, in Chinese, line by line
    column_map: list[tuple[str, str]] = field(default_factory=list)  # the reading as 设置 rows: (列:分值, D)

    def indicators(self):
        for root in self.roots:
            yield from root.walk()

    def formula_of(self, leaf) -> Formula | None:
        """The formula that scores a leaf: its own, else 默认公式 — unless that reads 目标值 and the leaf's target is
        qualitative (效果明显); None: a manual indicator, scored by the unit's own figure."""
        if leaf.formula is not None:
            return leaf.formula
        if leaf.scored_by_unit:
            return None
        default = self.settings.default_formula
        if default is None or (leaf.qualitative_target and TARGET_NAME in default.names):
            return leaf.implied_formula
        return default

    def leaves(self):
        return [i for i in self.indicators() if i.is_leaf]

    @property
    def title(self) -> str:
        """What the system is called: its title row, else the file name."""
        return self.heading or self.path.stem

    def outline_codes(self) -> dict[int, str]:
        """Each indicator's code: its own, else 1, 1.1, 1.1.1 … by position."""
        codes = {}

        def visit(node, prefix):
            codes[node.id] = node.code or prefix
            for i, child in enumerate(node.children, start=1):
                visit(child, f"{prefix}.{i}")

        for i, root in enumerate(self.roots, start=1):
            visit(root, str(i))
        return codes


@dataclass
class Unit:
    name: str
    values: Mapping  # normalized name → value (float, bool, str, NA, MISSING, Invalid)
    origins: Mapping  # normalized name → "sheet!cell" or "名称 X (sheet!cell)"
    display_names: Mapping = field(default_factory=dict)  # normalized → as written
    own_scores: dict = field(default_factory=dict)  # 自评表: indicator id → (the unit's own 得分 or None, its cell)
    own_score_problems: tuple = ()  # 自评表: (cell, what is wrong and what to type) per 得分 cell that holds no score
    percent_names: frozenset = frozenset()  # data names whose value was typed (85%) or formatted as a percentage


class RowValues(Mapping):
    """One unit's values in a wide table, read from the table's columns (one list per data name)."""

    __slots__ = ("table", "index")

    def __init__(self, table: dict, index: int):
        self.table, self.index = table, index

    def __getitem__(self, name):
        return self.table[name][self.index]

    def get(self, name, default=None):
        column = self.table.get(name)
        return default if column is None else column[self.index]

    def __contains__(self, name):
        return name in self.table

    def __iter__(self):
        return iter(self.table)

    def __len__(self):
        return len(self.table)


def shared_table(units: list[Unit]) -> dict | None:
    """The wide table these units are the rows of, in order (name → list of values), or None when they are
    not exactly that (key-value data, a selection of units)."""
    first = units[0].values if units else None
    if not isinstance(first, RowValues):
        return None
    table = first.table
    for i, unit in enumerate(units):
        values = unit.values
        if not isinstance(values, RowValues) or values.table is not table or values.index != i:
            return None
    if any(len(column) != len(units) for column in table.values()):
        return None
    return table


class NodeResult:
    """One indicator's result for one unit. The note may be written on first use."""

    __slots__ = ("indicator", "score", "status", "_note", "raw", "weight", "chosen")

    def __init__(self, indicator, score, status: Status, note="", raw=None, weight=0.0, chosen=None):
        self.indicator = indicator
        self.chosen = chosen  # 择其一: the alternative the unit was scored on (None: none supplied, or not 择其一)
        self.score = score  # None: not applicable and dropped, or error
        self.status = status
        self._note = note  # text, or a function returning it
        self.raw = raw  # the formula's value before clamping and rounding
        self.weight = weight  # effective 分值 (0 when dropped by 剔除)

    @property
    def note(self) -> str:
        if callable(self._note):
            self._note = self._note()
        return self._note

    def __repr__(self) -> str:
        return f"NodeResult({self.indicator.name!r}, {self.score!r}, {self.status!r})"


class NodeResults(Mapping):
    """indicator id → NodeResult for one unit; `score_and_status` without building a NodeResult."""

    def score_and_status(self, node_id: int) -> tuple[float | None, Status]:
        r = self[node_id]
        return r.score, r.status


@dataclass
class UnitResult:
    unit: Unit
    nodes: NodeResults
    total: float | None
    grade: str | None
    rank: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_note: str = ""
    findings: list = field(default_factory=list)  # 自评表 审核意见 (audit.Finding)
    applicable: float | None = None  # 剔除: the points of the indicators that applied, when the total was rescaled


def plain_number(x):
    """5.0 → 5 for JSON; other floats as they are."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 10)


@dataclass
class Results:
    system: IndicatorSystem
    units: list[UnitResult]

    @property
    def has_errors(self) -> bool:
        return any(u.errors for u in self.units)

    def unit_dict(self, unit_result: UnitResult, codes: dict | None = None) -> dict:
        codes = codes or self.system.outline_codes()
        indicators = []
        for node in self.system.indicators():
            r = unit_result.nodes[node.id]
            item = {
                "code": codes[node.id], "path": node.path, "level": node.level,
                "weight": plain_number(node.weight or 0.0), "score": r.score, "status": str(r.status),
                "note": r.note, "kind": str(node.kind),
            }
            if node.alternatives:
                item["alternatives"] = [o.name for o in node.alternatives]
                item["chosen"] = r.chosen.name if r.chosen is not None else None
            indicators.append(item)
        out = {
            "unit": unit_result.unit.name, "total": unit_result.total, "grade": unit_result.grade,
            "rank": unit_result.rank, "indicators": indicators,
            "errors": list(unit_result.errors), "warnings": list(unit_result.warnings),
        }
        own = unit_result.unit.own_scores
        if own:  # a 自评表: the unit's own scores beside the rules'
            for item, node in zip(indicators, self.system.indicators()):
                item["own_score"] = own.get(node.id, (None, ""))[0]
            out["own_total"] = own.get("total", (None, ""))[0]
            out["audit"] = [f.to_dict() for f in unit_result.findings]
        return out

    def to_dict(self) -> dict:
        """The JSON form (SPEC §5.2)."""
        codes = self.system.outline_codes()
        return {
            "max_total": plain_number(self.system.settings.max_total),
            "units": [self.unit_dict(u, codes) for u in self.units],
            "warnings": list(self.system.warnings),
        }

    def to_frame(self):
        """One row per unit × indicator, as a pandas DataFrame."""
        import pandas as pd  # heavy: only when asked for

        rows = []
        for u in self.to_dict()["units"]:
            for item in u["indicators"]:
                rows.append({"unit": u["unit"], "total": u["total"], "grade": u["grade"], "rank": u["rank"],
                             **{k: v for k, v in item.items() if k != "path"}, "path": "/".join(item["path"])})
        return pd.DataFrame(rows)


class Severity(enum.StrEnum):
    """How a `check` finding counts: errors fail, warnings fail with --strict, notes never."""

    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


@dataclass
class Problem:
    level: Severity
    message: str


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    system: IndicatorSystem | None = None
    dataset: object = None  # read.DataSet, when data was given

    def add(self, level: Severity, message: str):
        if all(p.message != message for p in self.problems):
            self.problems.append(Problem(level, message))

    def of(self, level: Severity) -> list[Problem]:
        return [p for p in self.problems if p.level == level]

    def failed(self, strict: bool) -> bool:
        return bool(self.of(Severity.ERROR) or (strict and self.of(Severity.WARNING)))

    def to_dict(self) -> dict:
        return {
            "errors": [p.message for p in self.of(Severity.ERROR)],
            "warnings": [p.message for p in self.of(Severity.WARNING)],
            "info": [p.message for p in self.of(Severity.INFO)],
            "reading": list(self.system.reading) if self.system is not None else [],
        }
