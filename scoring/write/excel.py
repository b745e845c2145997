"""The result sheets (SPEC §5.1): 评分表 in the indicator table's own layout, and 评分汇总.

``write_results`` writes them into the data workbook (in place) or a new workbook (-o); every
refusal rule is in ``safety`` and applies to library callers as much as to the CLI.
"""

from __future__ import annotations

import re
from copy import copy
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

from ..model import Results, Status, UnitResult
from ..read.workbook import Book, cell_value, merged_lookup
from ..values import format_number
from .safety import atomic_save, check_writable, refuse_onto_inputs

SCORE_SHEET = "评分表"
SUMMARY_SHEET = "评分汇总"
PER_UNIT_SHEETS_DEFAULT = 20

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="center")


# ---------------------------------------------------------------- cells


def set_text_safe(cell, value):
    """Write a value; text that starts with = + - @ stays text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


class StyleCopier:
    """Copies cell styles from one workbook into another, registering each distinct style once."""

    def __init__(self):
        self.known: dict[tuple, object] = {}  # (source style ids) → the same style's ids in the target

    def __call__(self, src, dst):
        if not src.has_style:
            return
        key = tuple(src._style)
        if key in self.known:
            dst._style = copy(self.known[key])
            return
        dst.font = copy(src.font)
        dst.border = copy(src.border)
        dst.fill = copy(src.fill)
        dst.number_format = src.number_format
        dst.protection = copy(src.protection)
        dst.alignment = copy(src.alignment)
        self.known[key] = copy(dst._style)


def _copy_dimensions(src, dst):
    """Column widths (and hidden columns), row heights and frozen panes."""
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key].width = dim.width
        dst.column_dimensions[key].hidden = dim.hidden
    for key, dim in src.row_dimensions.items():
        if dim.height is not None:
            dst.row_dimensions[key].height = dim.height
    dst.freeze_panes = src.freeze_panes


def sheet_title(name: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "单位"
    title = clean[:31]
    k = 2
    while title in taken:
        suffix = f"({k})"
        title = clean[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(title)
    return title


# ---------------------------------------------------------------- 评分表


class ScoreSheetLayout:
    """Where the results go in a copy of the indicator sheet."""

    def __init__(self, system, source):
        self.system = system
        cols = system.columns
        header_cells = [c.column for c in source[system.header_row] if c.value is not None]
        # new columns go right of everything in the header row, recognised or not (e.g. 备注)
        self.source_max_col = max([c for v in cols.values() for c in v] + header_cells)
        self.score_col = max(cols["score"]) if cols.get("score") else None
        self.note_col = cols["note"][0] if cols.get("note") else None
        extra = self.source_max_col
        self.added = []
        if self.score_col is None:
            extra += 1
            self.score_col = extra
            self.added.append((extra, "得分"))
        if self.note_col is None:
            extra += 1
            self.note_col = extra
            self.added.append((extra, "扣分说明"))


def build_score_sheet(ws, source, results: Results, unit_result: UnitResult, copy_style: StyleCopier):
    """Copy the indicator sheet (values, styles, merges, widths) into `ws`, then fill the scores."""
    system = results.system
    layout = ScoreSheetLayout(system, source)
    formula_cols = set(system.columns.get("formula", []))
    for row in source.iter_rows():
        for src in row:
            if src.__class__.__name__ == "MergedCell":
                continue
            dst = ws.cell(src.row, src.column)
            value = cell_value(source, src.row, src.column, formula_as_text=src.column in formula_cols)
            if value is not None:
                set_text_safe(dst, value)
            copy_style(src, dst)
    for rng in source.merged_cells.ranges:  # not ws.merge_cells: it re-derives every edge border, slowly
        ws.merged_cells.add(MergedCellRange(ws, rng.coord))
        for r, c in rng.cells:
            if (r, c) != (rng.min_row, rng.min_col):
                copy_style(source.cell(r, c), ws.cell(r, c))
    _copy_dimensions(source, ws)
    header = system.header_row
    template = source.cell(header, layout.source_max_col)
    for col, title in layout.added:
        cell = ws.cell(header, col)
        set_text_safe(cell, title)
        copy_style(template, cell)
        if not template.has_style:
            cell.font, cell.border, cell.fill = _HEADER_FONT, _BORDER, _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = 12 if title == "得分" else 40
    _fill_scores(ws, source, system, unit_result, layout, copy_style)


def _fill_scores(ws, source, system, unit_result, layout, copy_style: StyleCopier):
    merged = merged_lookup(ws)
    added_cols = {c for c, _ in layout.added}

    def put(row, col, value, like=None):
        top = merged.get((row, col), (row, col))
        if top != (row, col) and top[1] != col:
            return None  # inside a merge that starts in another column: not ours to overwrite
        cell = ws.cell(*top)
        set_text_safe(cell, value)
        if col in added_cols:
            copy_style(source.cell(row, like or layout.source_max_col), cell)
            cell.alignment = _WRAP
        return cell

    for node in system.indicators():
        r = unit_result.nodes[node.id]
        shown = "错误" if r.status is Status.ERROR else ("不适用" if r.score is None else r.score)
        if node.is_leaf:
            put(node.row, layout.score_col if node.score_cell is None else node.score_cell[1], shown)
            put(node.row, layout.note_col if node.note_cell is None else node.note_cell[1], r.note)
        elif node.score_cell is not None:
            put(*node.score_cell, shown)
        else:  # subtotal in the merged level cell
            name_cell = ws.cell(*node.name_cell)
            original = name_cell.value
            label = "错误" if r.status is Status.ERROR else ("不适用" if r.score is None else format_number(r.score))
            set_text_safe(name_cell, f"{original}\n（得分 {label}）")
            alignment = copy(name_cell.alignment)
            alignment.wrap_text = True
            name_cell.alignment = alignment

    total_text = "错误" if unit_result.total is None else unit_result.total
    grade_text = f"等级：{unit_result.grade}" if unit_result.grade else "有错误，未评定等级"
    if unit_result.total_note:
        grade_text += "；" + unit_result.total_note
    if system.total_row is not None:
        if put(system.total_row, layout.score_col, total_text) is None:  # 合计 merged over the 得分 column
            label = ws.cell(*merged[(system.total_row, layout.score_col)])
            shown = total_text if isinstance(total_text, str) else format_number(total_text)
            set_text_safe(label, f"{label.value}：{shown}")
        put(system.total_row, layout.note_col, grade_text)
    else:
        row = system.last_row + 1
        if any(ws.cell(row, c).value is not None for c in range(1, layout.note_col + 1)):
            ws.insert_rows(row)
        first_level_col = min(system.columns.get("level1", [1]))
        set_text_safe(ws.cell(row, first_level_col), "合计")
        ws.cell(row, first_level_col).font = _HEADER_FONT
        set_text_safe(ws.cell(row, layout.score_col), total_text)
        set_text_safe(ws.cell(row, layout.note_col), grade_text)
        for c in range(1, layout.note_col + 1):
            ws.cell(row, c).border = _BORDER


# ---------------------------------------------------------------- 评分汇总


SUMMARY_WIDTHS = (28, 12, 50)  # unit column, score columns, 说明


def summary_header(results: Results) -> tuple[list[str], list]:
    system = results.system
    level1 = system.roots
    level2 = [c for r in system.roots for c in r.children]
    headers = ["单位", "总分", "等级", "排名"] + [n.name for n in level1] + [f"{n.parent.name}/{n.name}" for n in level2]
    return headers + ["说明"], level1 + level2


def summary_rows(results: Results, nodes):
    """One row per unit: 单位, 总分, 等级, 排名, level-1 and level-2 scores, 说明."""
    for u in results.units:
        values = [u.unit.name, "错误" if u.total is None else u.total, u.grade or "", u.rank or ""]
        for node in nodes:
            score, status = u.nodes.score_and_status(node.id)
            values.append(score if score is not None else ("错误" if status is Status.ERROR else "不适用"))
        values.append("；".join(u.errors) if u.errors else u.total_note)
        yield values


def _style_summary(ws, headers):
    ws.column_dimensions["A"].width = SUMMARY_WIDTHS[0]
    for col in range(2, len(headers)):
        ws.column_dimensions[get_column_letter(col)].width = SUMMARY_WIDTHS[1]
    ws.column_dimensions[get_column_letter(len(headers))].width = SUMMARY_WIDTHS[2]
    ws.freeze_panes = "B2"


def _header_cell(cell, title):
    set_text_safe(cell, title)
    cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _WRAP


def build_summary_sheet(ws, results: Results):
    headers, nodes = summary_header(results)
    for col, title in enumerate(headers, start=1):
        _header_cell(ws.cell(1, col), title)
    for i, values in enumerate(summary_rows(results, nodes), start=2):
        for col, value in enumerate(values, start=1):
            set_text_safe(ws.cell(i, col), value)  # no per-cell style: fast for thousands of units
    _style_summary(ws, headers)


def stream_summary_sheet(ws, results: Results):
    """The same sheet on a write-only worksheet (new workbooks): rows streamed, constant memory."""
    headers, nodes = summary_header(results)
    _style_summary(ws, headers)
    row = []
    for title in headers:
        cell = WriteOnlyCell(ws)
        _header_cell(cell, title)
        row.append(cell)
    ws.append(row)
    for values in summary_rows(results, nodes):
        ws.append([_safe_write_only(ws, v) for v in values])


def _safe_write_only(ws, value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def stream_sheet(src, dst):
    """Copy a finished worksheet (values, styles, merges, sizes) onto a write-only worksheet."""
    _copy_dimensions(src, dst)
    for rng in src.merged_cells.ranges:
        dst.merged_cells.add(str(rng))
    copy_style = StyleCopier()
    for row in src.iter_rows():
        out = []
        for cell in row:
            if cell.value is None and not cell.has_style:
                out.append(None)
                continue
            new = WriteOnlyCell(dst, value=cell.value)
            if cell.data_type == "s" and isinstance(cell.value, str):
                new.data_type = "s"
            copy_style(cell, new)
            out.append(new)
        dst.append(out)


# ---------------------------------------------------------------- putting it together


def write_results(results: Results, data, out_path=None, all_sheets: bool = False) -> Path:
    """Write 评分表 / 评分表-单位 and 评分汇总 into the data workbook (`data`: a path or the ``Book`` it was
    read from), or into a new workbook `out_path`; return the workbook written.

    Refused (WriteRefused): `out_path` naming an input however spelled, a workbook open in Excel/WPS,
    read-only files or folders, and in-place writes that would lose parts of the workbook.
    """
    data_book = data if isinstance(data, Book) else None
    data_path = Path(data_book.path if data_book else data)
    if out_path is not None:
        refuse_onto_inputs(out_path, [data_path, results.system.path])
    in_place = out_path is None and data_path.suffix.lower() != ".xls"
    if out_path is None and not in_place:
        out_path = data_path.with_name(data_path.stem + "_评分结果.xlsx")
    target = data_path if in_place else Path(out_path)
    check_writable(target, in_place)

    system_book = results.system.source if isinstance(results.system.source, Book) else Book(results.system.path, "指标体系")
    source = system_book.workbook[results.system.sheet_name]

    if in_place:
        wb = (data_book if data_book is not None else Book(data_path, "基础数据")).workbook
    else:
        wb = openpyxl.Workbook(write_only=True)  # a new workbook is streamed: fast for many units

    units = results.units
    if len(units) == 1:
        titles = [SCORE_SHEET]
        chosen = units
    else:
        chosen = units if all_sheets else units[:PER_UNIT_SHEETS_DEFAULT]
        taken = {SCORE_SHEET, SUMMARY_SHEET} | {t for t in wb.sheetnames if not t.startswith(SCORE_SHEET + "-")}
        titles = [sheet_title(f"{SCORE_SHEET}-{u.unit.name}", taken) for u in chosen]
    if in_place:
        for title in titles + [SUMMARY_SHEET]:
            if title in wb.sheetnames:
                del wb[title]
        build_summary_sheet(wb.create_sheet(SUMMARY_SHEET), results)
        copy_style = StyleCopier()
        for title, unit_result in zip(titles, chosen):
            build_score_sheet(wb.create_sheet(title), source, results, unit_result, copy_style)
    else:
        stream_summary_sheet(wb.create_sheet(SUMMARY_SHEET), results)
        scratch = openpyxl.Workbook()
        copy_style = StyleCopier()
        for title, unit_result in zip(titles, chosen):
            ws = scratch.create_sheet(title)
            build_score_sheet(ws, source, results, unit_result, copy_style)
            stream_sheet(ws, wb.create_sheet(title))
    atomic_save(wb.save, target)
    return target
