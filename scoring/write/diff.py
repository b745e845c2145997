"""The workbook of `score diff`: 变更 (every change, old → new) and 影响 (per unit: old and new total, grade, rank and
the indicators that move it most, then the grade transitions), print-ready like the other result sheets."""

from __future__ import annotations

from pathlib import Path

from ..values import format_number
from .excel import display_width, explained_below, titled_header
from .package import write_new_workbook
from .sheet import Sheet
from .styles import GRID_STYLE, HEADER_STYLE

CHANGE_HEADER = (("类别", 10), ("指标或项目", 40), ("原来", 50), ("现在", 50))
IMPACT_HEADER = ["单位", "原总分", "新总分", "变化", "原等级", "新等级", "原排名", "新排名", "影响最大的指标（分数变化）"]
CHANGE_NOTES = ["类别：分值、评分公式、评分标准改了的，原来和现在各写一格；改名的写原名和新名；新增、删除的写它的分值。"]
IMPACT_NOTES = [
    "原总分、新总分：同一份基础数据分别按原来和现在的指标体系计分；变化 = 新总分 − 原总分，变化大的单位排在前面。",
    "影响最大的指标：这个单位总分变化的主要来源，每项后面的数是该指标给总分带来的加减分；（新增）（删除）指新版本加入或去掉的指标。",
    "等级变化：原等级 → 新等级，以及这样变化的单位数。",
]


def _table(sheet: Sheet, title: str, header: list[str], rows: list[list], widths: list[float]) -> int:
    """A titled, bordered table from row 1; returns the last row used."""
    titled_header(sheet, title, header, widths)
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            sheet.set(r, col, value, GRID_STYLE.wrapped())
    return 2 + len(rows)


def build_changes_sheet(outcome) -> Sheet:
    sheet = Sheet("变更")
    rows = [[c.kind, c.what, c.old, c.new] for c in outcome.changes] or [["", "两个版本的指标体系没有差别", "", ""]]
    last = _table(sheet, f"指标体系变更：{outcome.old_name} → {outcome.new_name}（{len(outcome.changes)} 处）",
                  [h for h, _ in CHANGE_HEADER], rows, [w for _, w in CHANGE_HEADER])
    last = explained_below(sheet, last + 2, CHANGE_NOTES, len(CHANGE_HEADER))
    sheet.grow_rows(first_row=2)
    sheet.print_setup.print_area = (1, 1, last, len(CHANGE_HEADER))
    return sheet


def _number(value):
    return "错误" if value is None else value


def build_impact_sheet(outcome) -> Sheet:
    sheet = Sheet("影响")
    rows = []
    for i in outcome.impacts:
        moves = "；".join(f"{name} {'+' if value > 0 else ''}{format_number(value)}" for name, value in i.contributions)
        rows.append([i.unit, _number(i.old_total), _number(i.new_total), "" if i.delta is None else i.delta,
                     i.old_grade or "", i.new_grade or "", i.old_rank or "", i.new_rank or "", moves])
    widths = [max([10.0] + [display_width(r[0]) + 2 for r in rows[:2000]])] + [9.0] * 7 + [70.0]
    last = _table(sheet, f"对各单位的影响（{len(rows)} 个单位，按变化大小排列）", IMPACT_HEADER, rows, widths)
    # the grade transitions under the units: 原等级 → 新等级 and how many units
    row = last + 2
    sheet.set(row, 1, "等级变化", HEADER_STYLE)
    sheet.set(row, 2, "单位数", HEADER_STYLE)
    for (before, after), count in sorted(outcome.transitions.items(), key=lambda item: -item[1]):
        row += 1
        sheet.set(row, 1, f"{before} → {after}", GRID_STYLE)
        sheet.set(row, 2, count, GRID_STYLE)
    row = explained_below(sheet, row + 2, IMPACT_NOTES, len(IMPACT_HEADER))
    sheet.grow_rows(first_row=2)
    sheet.print_setup.print_area = (1, 1, row, len(IMPACT_HEADER))
    return sheet


def write_diff(outcome, out_path, force: bool = False) -> Path:
    sheets = [build_changes_sheet(outcome)] + ([build_impact_sheet(outcome)] if outcome.impacts else [])
    return write_new_workbook(sheets, out_path, force)
