"""Writes an indicator system as a bureau lays it out: title, merged level and points cells, borders.

Used by build_sets.py (the shipped systems) and workbooks/build_workbooks.py. Run from the repo:
    python indicator_sets/build_sets.py
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
FONT = "宋体"

HEADER = ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标解释", "评分标准", "评分公式", "目标值",
          "得分", "扣分说明"]
WIDTHS = [10, 6, 12, 6, 18, 6, 34, 40, 46, 10, 8, 36]


@dataclass
class Leaf:
    name: str
    points: float
    criteria: str
    formula: str | None = None  # None: scored by hand (or by 默认公式)
    target: str | None = None
    description: str = ""
    kind: str | None = None


@dataclass
class Group:
    name: str
    points: float | None
    children: list = field(default_factory=list)


def write_system(path: Path, title: str, roots: list, derived=(), settings=None, info=None, total=True,
                 extra_type_column=False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    header = list(HEADER)
    if extra_type_column:
        header.insert(10, "指标类型")
    ncol = len(header)
    ws.cell(1, 1, title).font = Font(name=FONT, bold=True, size=16)
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 32
    for c, text in enumerate(header, start=1):
        cell = ws.cell(2, c, text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BOX
    col = {name: i + 1 for i, name in enumerate(header) if name not in ("分值",)}
    level_cols = {1: (1, 2), 2: (3, 4), 3: (5, 6)}
    spans = []  # (level, first row, last row) of every group

    def place(node, level, row):
        name_col, points_col = level_cols[level]
        ws.cell(row, name_col, node.name)
        if node.points is not None:
            ws.cell(row, points_col, node.points)
        if isinstance(node, Group):
            first = row
            for child in node.children:
                row = place(child, level + 1, row)
            spans.append((level, first, row - 1))
            return row
        ws.cell(row, col["指标解释"], node.description or None)
        ws.cell(row, col["评分标准"], node.criteria)
        if node.formula:
            ws.cell(row, col["评分公式"], node.formula).data_type = "s"
        if node.target:
            ws.cell(row, col["目标值"], node.target).data_type = "s"  # "=100%" is text, not a formula
        if extra_type_column and node.kind:
            ws.cell(row, col["指标类型"], node.kind)
        return row + 1

    row = 3
    for root in roots:
        row = place(root, 1, row)
    last = row - 1
    if total:
        ws.cell(row, 1, "合计")
        ws.cell(row, 2, sum(r.points or 0 for r in roots if r.name not in ("加分项", "扣分项")))
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=ncol - 2)
        last = row
    for level, first, end in spans:
        if end > first:
            name_col, points_col = level_cols[level]
            ws.merge_cells(start_row=first, start_column=name_col, end_row=end, end_column=name_col)
            ws.merge_cells(start_row=first, start_column=points_col, end_row=end, end_column=points_col)
    for r in range(3, last + 1):
        ws.row_dimensions[r].height = 45
        for c in range(1, ncol + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.font = Font(name=FONT, size=10)
            cell.alignment = CENTER if c in (1, 2, 3, 4, 6, 10, 11) else WRAP
    widths = list(WIDTHS)
    if extra_type_column:
        widths.insert(10, 8)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    if derived:
        d = wb.create_sheet("计算项")
        _table(d, ["名称", "公式", "说明"], derived, [22, 50, 50])
    if settings:
        s = wb.create_sheet("设置")
        _table(s, ["项目", "值"], list(settings.items()), [14, 40])
    if info:
        i = wb.create_sheet("说明")
        _table(i, ["项目", "内容"], list(info.items()), [12, 100])
    wb.save(path)
    return path


def _table(ws, header, rows, widths):
    for c, text in enumerate(header, start=1):
        cell = ws.cell(1, c, text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            cell.border = BOX
            cell.alignment = WRAP
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
