"""Reading the indicator workbook (指标体系, SPEC §2) into an ``IndicatorSystem``: `header` finds what each column
holds, `table` walks the rows into the tree, `settings` reads 设置 and 计算项, `rules` gives leaves without a formula
the rule their row implies. Real tables are messy: titles above the header, merged or blank-below level cells, points
in names, points only on leaves, branches of different depth, a 合计 row, notes below."""

from __future__ import annotations

from ...errors import InputError
from ...model import IndicatorSystem
from ..selfeval import apply_form_rules, find_form
from ..headers import pick_sheet
from ..workbook import Book, cell_value
from .header import SETTINGS_SHEET, cell_text, column_mapping, find_header, no_header_message
from .infer import infer_header, mapping_rows, reading_lines, refine
from .rules import implied_rules
from .settings import DERIVED_SHEET, Clock, read_derived, read_settings, year_text, date_text
from .table import (LeafProblem, TableReader, band_points, compile_indicator, drop_empty_categories, fill_parent_weights,
                    pass_points_down, scale_relative_points, split_points, weight_warnings)

__all__ = ["DERIVED_SHEET", "SETTINGS_SHEET", "LeafProblem", "date_text", "load_indicator_system",
           "read_indicator_system", "split_points", "year_text"]


def read_indicator_system(source, sheet: str | None = None, columns: dict | None = None) -> IndicatorSystem:
    """The indicator system, ready to score; any problem is an InputError listing all of them.
    `source` is a path or an opened ``Book``."""
    system, problems = load_indicator_system(source, sheet, columns)
    problems = [p for p in problems if not isinstance(p, LeafProblem)]
    if problems:
        raise InputError(f"指标体系“{system.path.name}”有 {len(problems)} 处错误，未评分：", problems)
    return system



def load_indicator_system(source, sheet: str | None = None,
                          columns: dict | None = None) -> tuple[IndicatorSystem, list[str]]:
    """Read as much as can be read: the system (formulas that do not compile left out) and every problem.

    Raises InputError only when there is no indicator table at all (no file, no header).
    """
    book = source if isinstance(source, Book) else Book(source, "指标体系")
    wb = book.workbook
    mapping, mapping_problems = column_mapping(wb)
    # what a person chose for some columns (the web page's 读表结果), as 设置's `列:分值 | D` rows would say it:
    # column number → ("level", n) or ("role", "points" / "criteria" / …), or None: that column is not read
    for col, what in (columns or {}).items():
        mapping[("col", col)] = what if what is not None else ("role", "ignored")
    ws, header = _pick_sheet(wb, sheet, book, mapping)
    header_row, roles, levels = header.row, header.roles, header.levels
    reader = TableReader(ws, header)
    reader.read()
    problems = mapping_problems + list(reader.problems)

    compile_clock = Clock()
    settings, settings_problems = read_settings(wb, compile_clock)
    problems += settings_problems
    derived, derived_problems = read_derived(wb, compile_clock)
    problems += derived_problems

    roots = reader.roots
    if not roots:
        problems.append(f"{ws.title} 表头（第 {header_row} 行）下面没有指标行：请从第 {header_row + 1} 行起逐行填写指标名称和分值，"
                        f"中间不要留空行")

    warnings = list(reader.warnings)
    pass_points_down(roots)
    warnings += drop_empty_categories(roots, max(levels), ws.title)
    warnings += scale_relative_points(roots, settings.max_total, ws.title)
    warnings += band_points(roots, ws.title)
    for node in [n for r in roots for n in r.walk()]:
        problems += compile_indicator(node, ws.title, compile_clock)
        for option in node.alternatives:
            problems += compile_indicator(option, ws.title, compile_clock)
    title = next((cell_text(cell_value(ws, c.row, c.column)) for row in ws.iter_rows(max_row=header.top - 1)
                  for c in row if cell_text(c.value)), "")
    system = IndicatorSystem(
        path=book.path, sheet_name=ws.title, roots=roots, settings=settings, derived=derived, heading=title,
        header_row=header_row, header_top=header.top, first_row=header_row + 1, last_row=reader.last_row,
        total_row=reader.total_row, columns={**{f"level{k}": [v] for k, v in levels.items()}, **roles},
        warnings=warnings, source=book, form=find_form(ws, header.top, roles),
    )
    if system.form is not None:  # a 项目支出绩效自评表: its default rules and the 预算执行率 of its 项目资金 block
        problems += apply_form_rules(system, ws, compile_clock.compile)
    fill_parent_weights(roots)
    warnings += weight_warnings(roots, settings, ws.title)
    warnings += implied_rules(system, compile_clock)
    system.reading = reading_lines(ws, header, system, reader.skipped)
    system.column_map = mapping_rows(header)
    system.compile_seconds = compile_clock.seconds
    return system, problems


def _pick_sheet(wb, sheet, book: Book, mapping):
    """The sheet and its reading: header words first (every sheet), then the columns' content (every sheet)."""
    candidates = [t for t in wb.sheetnames if t not in (SETTINGS_SHEET, DERIVED_SHEET)]

    def by_words(ws):
        header = find_header(ws, mapping)
        return refine(ws, header, mapping) if header is not None else None

    def either(ws):
        return by_words(ws) or infer_header(ws, mapping)

    no_header = lambda name: no_header_message(wb, book, [name], mapping)  # noqa: E731
    if sheet is not None:
        return pick_sheet(wb, sheet, candidates, either, book.role, book.name, no_header)
    picked = (pick_sheet(wb, None, candidates, by_words, book.role, book.name, no_header)
              or pick_sheet(wb, None, candidates, lambda ws: infer_header(ws, mapping), book.role, book.name, no_header))
    if picked is None:
        raise InputError(no_header_message(wb, book, candidates, mapping))
    return picked
