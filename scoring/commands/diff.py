"""`score diff 旧指标体系.xlsx 新指标体系.xlsx [基础数据.xlsx] [-o 对比.xlsx]`: what changed between two versions of an
indicator system, and — given data — whose total, grade and rank move, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compare import Change, UnitImpact, grade_transitions, pair_indicators, system_changes, unit_impacts
from ..engine import score
from ..read import Book, read_data, read_indicator_system
from ..write.diff import write_diff
from ..write.package import is_previous_result
from ..write.safety import guard_output


@dataclass
class DiffOutcome:
    changes: list[Change]
    impacts: list[UnitImpact] = field(default_factory=list)
    transitions: dict = field(default_factory=dict)
    written: Path | None = None
    old_name: str = ""
    new_name: str = ""


def diff(old, new, data=None, output=None, sheet: str | None = None, force: bool = False) -> DiffOutcome:
    """Compare the systems in `old` and `new` (paths or Books); with `data`, score its units with both."""
    old_book = old if isinstance(old, Book) else Book(old, "旧指标体系")
    new_book = new if isinstance(new, Book) else Book(new, "新指标体系")
    inputs = [old_book.path, new_book.path]
    data_book = None
    if data is not None:
        data_book = data if isinstance(data, Book) else Book(data, "基础数据")
        inputs.append(data_book.path)
    if output is not None:
        output = guard_output(output, inputs, force, what="比较的指标体系或基础数据工作簿",
                              advice="请换一个输出文件名（如 对比.xlsx），或不指定输出文件（对比结果只显示在屏幕上）",
                              replaceable=is_previous_result)
    old_system, new_system = read_indicator_system(old_book), read_indicator_system(new_book)
    pairing = pair_indicators(old_system, new_system)
    outcome = DiffOutcome(system_changes(old_system, new_system, pairing), old_name=old_book.name,
                          new_name=new_book.name)
    if data_book is not None:
        units = read_data(data_book, sheet)
        outcome.impacts = unit_impacts(score(old_system, units), score(new_system, units), pairing)
        outcome.transitions = grade_transitions(outcome.impacts)
    if output is not None:
        outcome.written = write_diff(outcome, output, force=force)
    return outcome
