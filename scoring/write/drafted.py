"""The drafted copy of an indicator workbook (`score draft`): proposed formulas in the 评分公式 column (added after the
last column when missing), each drafted cell filled and commented with the phrase it was read from; rules left
manual get a comment saying why (未能起草: quoting the clause draft could not read); rates the text defines go to the 计算项 sheet. A new file: the input is never written.

The copy is made with openpyxl from the workbook as read (values, formulas, styles, merges, sizes, comments); parts
openpyxl does not keep (charts, images, macros) are not in the copy — the review copy is for formulas."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from ..draft import DRAFT_MARK, MANUAL_MARK
from ..read.indicators import DERIVED_SHEET, SETTINGS_SHEET
from .safety import atomic_save
from .sheet import LINE_HEIGHT, text_lines

FORMULA_WIDTH = 48  # characters: the 评分公式 column added by a draft
DRAFT_FILL = PatternFill("solid", fgColor="FFF2CC")
AUTHOR = "score draft"


def draft_comment(drafted) -> str:
    d = drafted.draft
    lines = [DRAFT_MARK, f"依据{drafted.source}：“{d.phrase}”", f"识别为：{d.pattern}"]
    if len(d.clauses) > 1:
        lines.append("读到的分句：" + " | ".join(f"“{c}”" for c in d.clauses))
    if d.names:
        lines.append("需要的数据：" + "、".join(d.names))
    if d.note:
        lines.append(f"说明：{d.note}")
    lines.append("核对无误后删除本批注（检查指标体系时会列出还没确认的起草公式）")
    return "\n".join(lines)


def manual_comment(drafted) -> str:
    d = drafted.draft
    text = f"{MANUAL_MARK}{d.note}；得分在基础数据中按指标名称填写"
    if d.declined and d.unread:
        text += f"\n未能起草的分句：“{d.unread}”（写明算式或填写评分公式后，此格按公式评分）"
    return text


def _comment(text: str) -> Comment:
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 320, 40 + 18 * (text.count("\n") + len(text) // 24)
    return comment


def write_drafted(book, system, outcome, output: Path) -> Path:
    """Write the drafted copy of `book` (the workbook `system` was read from) to `output`."""
    import openpyxl

    wb = book.workbook if book.is_xls else openpyxl.load_workbook(book.stream(), keep_links=True)
    ws = wb[system.sheet_name]
    col = outcome.formula_col
    if outcome.added_column:
        top, header = system.header_top or system.header_row, system.header_row
        neighbour = ws.cell(header, col - 1)
        cell = ws.cell(top, col, "评分公式")
        if neighbour.has_style:
            cell._style = copy(neighbour._style)
        if top < header:
            ws.merge_cells(start_row=top, start_column=col, end_row=header, end_column=col)
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = FORMULA_WIDTH
    for drafted in outcome.leaves:
        cell = ws.cell(*drafted.cell)
        if drafted.draft.manual:
            cell.comment = _comment(manual_comment(drafted))
            continue
        cell.value = drafted.draft.formula
        cell.fill = DRAFT_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = _comment(draft_comment(drafted))
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width or FORMULA_WIDTH
        needed = text_lines(drafted.draft.formula, width) * LINE_HEIGHT  # a row written by a program does not grow
        row = ws.row_dimensions[drafted.cell[0]]
        if needed > (row.height or LINE_HEIGHT):
            row.height = needed
    if outcome.derived:
        _add_derived(wb, outcome.derived)
    _add_column_map(wb, system.column_map)
    atomic_save(wb.save, output)
    return output


def _add_derived(wb, derived) -> None:
    if DERIVED_SHEET in wb.sheetnames:
        ws = wb[DERIVED_SHEET]
    else:
        ws = wb.create_sheet(DERIVED_SHEET)
        ws.append(["名称", "公式", "说明"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 24, 40, 50
    for name, expr, phrase in derived:
        ws.append([name, expr, f"据“{phrase}”起草"])
        formula_cell = ws.cell(ws.max_row, 2)
        formula_cell.fill = DRAFT_FILL
        formula_cell.comment = _comment(f"{DRAFT_MARK}\n依据：“{phrase}”\n核对无误后删除本批注")


def _add_column_map(wb, rows) -> None:
    """The reading written into 设置 (列:分值 | D by column letter), where 设置 does not say it yet: the clerk corrects a
    misread column here, and the drafted copy is read the same way every time."""
    if not rows:
        return
    if SETTINGS_SHEET in wb.sheetnames:
        ws = wb[SETTINGS_SHEET]
        said = {str(ws.cell(r, 1).value or "").replace("：", ":").split("=")[0].strip() for r in range(1, ws.max_row + 1)}
    else:
        ws = wb.create_sheet(SETTINGS_SHEET)
        ws.append(["项目", "值", "说明"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width, ws.column_dimensions["C"].width = 16, 50
        said = set()
    for key, letter in rows:
        if key not in said:
            ws.append([key, letter, "读表结果（按列号）：读错时改这里的列号"])
