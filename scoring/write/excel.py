"""The result sheets (SPEC §5.1): 评分表 in the indicator table's own layout, and 评分汇总.

``write_results`` adds them to the data workbook at the package level (every other part kept byte
for byte, see ``package``) or writes them as a new workbook (-o); every refusal rule is in
``safety`` and applies to library callers as much as to the CLI.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_from_string

from ..audit import SELF_EVALUATION_COLUMNS, self_evaluation_row, summary_note
from ..errors import Refusal, WriteRefused
from ..model import Kind, Results, Status, UnitResult
from ..read.workbook import DAMAGED_PACKAGE, Book, cell_value, stored_cells
from ..values import format_number
from .package import Package, is_previous_result
from .safety import atomic_save, check_writable, guard_output
from openpyxl.styles import Alignment, Font

from ..read.indicators import year_text
from .charts import add_score_chart, add_summary_charts
from .sheet import DEFAULT_COLUMN_WIDTH, PrintSetup, Sheet, keep_last_line, text_lines
from .styles import BOLD_STYLE, GRID_BORDER, GRID_STYLE, HEADER_STYLE, CellStyle

SCORE_SHEET = "评分表"
SUMMARY_SHEET = "评分汇总"
AUDIT_SHEET = "审核意见"
PER_UNIT_SHEETS_DEFAULT = 20
SCORE_SHEET_ROWS_BELOW = 100  # rows under the indicator table copied into 评分表 (notes, signature lines)
MAX_SHEET_TITLE_UTF16 = 31  # Excel counts a sheet name's length in UTF-16 code units


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut_utf16(text: str, units: int) -> str:
    out = ""
    for ch in text:
        if _utf16_len(out + ch) > units:
            break
        out += ch
    return out


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet title for `name` (taken: titles in use, compared as Excel does, ignoring case);
    control characters (a line break typed in a unit's name) are removed."""
    clean = re.sub(r"[\[\]:*?/\\]", "_", re.sub(r"[\x00-\x1f\x7f-\x9f]", "", name)).strip("'") or "单位"
    folded = {t.casefold() for t in taken}
    title = _cut_utf16(clean, MAX_SHEET_TITLE_UTF16)
    k = 2
    while title.casefold() in folded:
        suffix = f"({k})"
        title = _cut_utf16(clean, MAX_SHEET_TITLE_UTF16 - len(suffix)) + suffix
        k += 1
    taken.add(title)
    return title


class SourceStyles:
    """The indicator sheet's cell styles as ``CellStyle`` values, each distinct one converted once."""

    def __init__(self):
        self.known: dict[tuple, CellStyle | None] = {}

    def __call__(self, cell) -> CellStyle | None:
        key = tuple(cell._style) if cell.has_style else None
        if key is None:
            return None
        if key not in self.known:
            self.known[key] = CellStyle.of_cell(cell)
        return self.known[key]


def _copy_dimensions(source, sheet: Sheet) -> None:
    """Column widths (and hidden columns), row heights and frozen panes of the indicator sheet."""
    for key, dim in source.column_dimensions.items():
        first = dim.min or column_index_from_string(key)
        last = dim.max or first
        for col in range(first, min(last, first + 256) + 1):
            if dim.width:
                sheet.col_widths[col] = dim.width
            if dim.hidden:
                sheet.hidden_cols.add(col)
    for row, dim in source.row_dimensions.items():
        if dim.height is not None:
            sheet.row_heights[row] = dim.height
    if source.freeze_panes:
        letters, row = coordinate_from_string(source.freeze_panes)
        sheet.freeze = (row, column_index_from_string(letters))


# ---------------------------------------------------------------- 评分表


class ScoreSheetLayout:
    """Where the results go in a copy of the indicator sheet."""

    def __init__(self, system, source):
        self.system = system
        cols = system.columns
        top = system.header_top or system.header_row
        header_cells = [c.column for r in range(top, system.header_row + 1) for c in source[r] if c.value is not None]
        # new columns go right of everything in the header row, recognised or not (e.g. 备注)
        self.source_max_col = max([c for v in cols.values() for c in v] + header_cells)
        self.added = []
        self.difference_col = None
        self.own_cells = system.form is not None  # a 自评表's 得分 and 偏差原因 are the unit's own: kept, results beside
        if self.own_cells:
            base = self.source_max_col
            self.score_col, self.difference_col, self.note_col = base + 1, base + 2, base + 3
            self.added = [(base + 1, "复核得分"), (base + 2, "差异"), (base + 3, "复核说明")]
            return
        self.score_col = max(cols["score"]) if cols.get("score") else None
        self.note_col = cols["note"][0] if cols.get("note") else None
        extra = self.source_max_col
        if self.score_col is None:
            extra += 1
            self.score_col = extra
            self.added.append((extra, "得分"))
        if self.note_col is None:
            extra += 1
            self.note_col = extra
            self.added.append((extra, "扣分说明"))


def build_score_sheet(source, results: Results, unit_result: UnitResult, title: str,
                      styles: SourceStyles, year: str = "") -> Sheet:
    """A copy of the indicator sheet (values, styles, merges, sizes) with the unit's scores filled in; `year`: the
    year the data file names, for the title when neither the data nor 设置 gives one."""
    system = results.system
    layout = ScoreSheetLayout(system, source)
    sheet = Sheet(title)
    formula_cols = set(system.columns.get("formula", []))
    # the table and what is printed under it (notes, signatures); nothing right of its header, where the
    # result columns go; a stray cell far away (XFD1048576) is not copied
    for src in stored_cells(source, max_row=system.last_row + SCORE_SHEET_ROWS_BELOW, max_col=layout.source_max_col):
        style = styles(src)
        if style is not None:
            sheet.styles[(src.row, src.column)] = style
        if src.__class__.__name__ == "MergedCell":
            continue
        value = cell_value(source, src.row, src.column, formula_as_text=src.column in formula_cols)
        if value is not None:
            sheet.cells[(src.row, src.column)] = value
    last_row = system.last_row + SCORE_SHEET_ROWS_BELOW
    clipped = [(r.min_row, r.min_col, min(r.max_row, last_row), min(r.max_col, layout.source_max_col))
               for r in source.merged_cells.ranges]
    sheet.merges = [m for m in clipped if (m[0], m[1]) < (m[2], m[3]) and m[0] <= m[2] and m[1] <= m[3]]
    _copy_dimensions(source, sheet)
    header, top = system.header_row, system.header_top or system.header_row
    # the added titles in the style of the header's right-edge cell; a 自评表's in its 得分 header's (centred)
    like = max(system.columns["score"]) if layout.own_cells and system.columns.get("score") else layout.source_max_col
    template = styles(source.cell(header, like))
    for col, title_text in layout.added:
        style = template if template is not None else HEADER_STYLE
        for row in range(top, header + 1):  # a header printed on several rows: the added title spans them
            sheet.styles[(row, col)] = style
        sheet.set(top, col, title_text, style)
        if top < header:
            sheet.merges.append((top, col, header, col))
        sheet.col_widths[col] = 40 if title_text in ("扣分说明", "复核说明") else 12
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(top, header), header_footer=PAGE_FOOTER)
    _fill_scores(sheet, source, system, unit_result, layout, styles)
    if layout.own_cells:
        _inside_form_frame(sheet, source, system, layout, styles)
    _print_ready(sheet, system, unit_result, layout, year)
    return sheet


def _inside_form_frame(sheet: Sheet, source, system, layout, styles: SourceStyles) -> None:
    """A 自评表's added columns (复核得分, 差异, 复核说明) inside the form's frame: each added cell styled like the
    form's own cell in its row (the 得分 cell for the two scores, the 偏差原因 cell for the note; the form's right-edge
    cell where the 得分 cell is inside a merge); a value above the indicator table (the 项目资金 block's) under a header
    cell in the style of the block's own 得分 header; merges and text at the form's right edge (title, 单位：万元,
    项目名称, 年度总体目标 …) carried to the new edge."""
    edge, added = layout.source_max_col, [c for c, _ in layout.added]
    titles = dict(layout.added)
    width = len(added)
    header, top = system.header_row, system.header_top or system.header_row
    end = system.total_row or system.last_row
    cols = system.columns
    fund_col = system.form.funding["得分"][1] if "得分" in system.form.funding else edge
    merged = sheet.merged_top_left()

    def like(row: int, col: int) -> int:
        if row > header:
            own = max(cols["score"]) if cols.get("score") else edge
            note = cols["note"][0] if cols.get("note") else edge
            return note if titles[col] == "复核说明" else own
        return fund_col if (row, fund_col) not in merged else edge

    def style_of(row: int, col: int) -> CellStyle:
        style = styles(source.cell(row, like(row, col))) or CellStyle()
        return style.wrapped() if titles[col] == "复核说明" else style

    def has_values(r1: int, r2: int) -> bool:
        return any(sheet.cells.get((r, c)) not in (None, "") for r in range(r1, r2 + 1) for c in added)

    # a value above the table: the added titles over it, in the row holding the block's own 得分 header
    for row in range(1, top):
        if not has_values(row, row):
            continue
        head = next((r for r in range(row - 1, 0, -1) if isinstance(sheet.cells.get((r, fund_col)), str)
                     and sheet.cells[(r, fund_col)].strip() and not has_values(r, r)), None)
        if head is not None:
            header_style = styles(source.cell(head, fund_col)) or HEADER_STYLE
            for c in added:
                sheet.set(head, c, titles[c], header_style)
    framed = [r for r in range(1, end + 1) if r < top or r > header]
    for row in framed:
        for c in added:
            sheet.styles[(row, c)] = style_of(row, c)
    # the form's frame and its title widened by the added columns
    first_framed = next((r for r in range(1, top) if any(
        (s := styles(source.cell(r, c))) is not None and s.border is not None and s.border.top is not None
        and s.border.top.style for c in range(1, edge + 1))), top)
    widened = []
    for r1, c1, r2, c2 in sheet.merges:
        if r2 <= end and not top <= r1 <= header and not has_values(r1, r2) and (
                c2 == edge or (r2 < first_framed and c1 == 1 and c2 == edge - 1)):
            c2 += width
        widened.append((r1, c1, r2, c2))
    sheet.merges = widened
    for row in range(1, first_framed):
        value = sheet.cells.get((row, edge))
        if value not in (None, "") and (row, edge) not in merged and not has_values(row, row):
            sheet.set(row, added[-1], value, sheet.styles.get((row, edge)))
            sheet.set(row, edge, None, None)


PAGE_FOOTER = "&C第 &P 页，共 &N 页"
SIGNATURE = "评价人：______________　　　　复核人：______________　　　　日期：________年____月____日"
# under a summary, right of its repeated 单位 column: as much as the first page's other columns hold
SUMMARY_SIGNATURE = "评价人：__________　复核人：__________　日期：______年___月___日"
TITLE_STYLE = CellStyle(font=Font(name="黑体", bold=True, size=16), alignment=Alignment(horizontal="center",
                                                                                     vertical="center"))
YEAR_NAMES = ("评价年度", "年度")


def unit_year(system, unit_result, fallback: str = "") -> str:
    """The year a unit's results are for (2019年度): its 评价年度/年度 in the data, else 设置's 年度, else `fallback` (the
    year the data file's title or name gives, ``data_year``); "" when none does."""
    values = getattr(unit_result.unit, "values", {}) or {}
    return next((year_text(values[k]) for k in YEAR_NAMES if isinstance(values.get(k), (int, float, str))
                 and str(values.get(k)).strip()), "") or system.settings.year or fallback


YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
YEAR_IN_NAME = re.compile(r"(?<![\d])((?:19|20)\d{2})(?![\d])")


def data_year(book) -> str:
    """2019年度 from the data workbook: a title over its first sheet ("2019年度…基础数据", first three rows), else its
    file name (lingling_2019.xlsx); "" when neither names a year."""
    try:
        if book is not None and book.loaded and not book.is_xls:
            sheet = book.workbook.worksheets[0]
            for row in sheet.iter_rows(min_row=1, max_row=3, max_col=3, values_only=True):
                for value in row:
                    match = YEAR_IN_TITLE.search(value) if isinstance(value, str) else None
                    if match:
                        return f"{match[1]}年度"
    except Exception:  # a title is a convenience: the file name is still there
        pass
    match = YEAR_IN_NAME.search(Path(getattr(book, "path", "") or "").stem) if book is not None else None
    return f"{match[1]}年度" if match else ""


def report_kind(system) -> str:
    """项目支出 or 部门整体支出, as the system's title (or a 自评表) says; "" when it says neither."""
    heading = system.heading or ""
    if "整体" in heading or "部门" in heading and "项目" not in heading:
        return "部门整体支出"
    if "项目" in heading or system.form is not None:
        return "项目支出"
    return ""


def score_sheet_title(system, unit_result, year: str = "") -> str:
    """<单位名称><年度>绩效评价评分表 (年度 by ``unit_year``)."""
    return f"{unit_result.unit.name}{unit_year(system, unit_result, year)}绩效评价评分表"


def _print_ready(sheet: Sheet, system, unit_result, layout, year: str = "") -> None:
    """A 评分表 that prints on A4 landscape, one page wide: its own title, who and when, the 评分公式 column kept but
    hidden from print, rows as tall as their text, a signature block; header rows repeated on every page."""
    formula_cols = set(system.columns.get("formula", []))
    sheet.hidden_cols |= formula_cols
    last_col = max([c for (_, c) in sheet.cells if c not in formula_cols] + [layout.note_col, layout.score_col])
    header, top = system.header_row, system.header_top or system.header_row
    table_end = system.last_row
    date = system.settings.evaluation_date or today_text()
    who = f"单位名称：{unit_result.unit.name}"
    if system.form is None:  # a 自评表 keeps the unit's own title; an indicator table gets the 评分表's
        heading = next(((r, c) for r in range(1, top) for c in range(1, last_col + 1)
                        if isinstance(sheet.cells.get((r, c)), str) and sheet.cells[(r, c)].strip()), None)
        if heading is None:
            sheet.insert_row(1)
            header, top, table_end = header + 1, top + 1, table_end + 1
            heading = (1, 1)
            sheet.merges.append((1, 1, 1, last_col))
            sheet.row_heights[1] = 30
        sheet.set(*heading, score_sheet_title(system, unit_result, year), TITLE_STYLE)
        line = next((r for r in range(heading[0] + 1, top)
                     if not any(sheet.cells.get((r, c)) not in (None, "") for c in range(1, last_col + 1))), None)
        if line is not None:
            sheet.set(line, 1, who)
            sheet.set(line, last_col, f"评价日期：{date}", CellStyle(alignment=Alignment(horizontal="right")))
        else:
            sheet.print_setup.page_header = f"&L{who}&R评价日期：{date}"
    narrow_to_print(sheet, [c for c in range(1, last_col + 1) if c not in sheet.hidden_cols])
    spans = {(r1, c1): c2 for r1, c1, r2, c2 in sheet.merges}
    for r in range(header + 1, table_end + 1):  # long text wraps in the table; rows grow to show it
        for c in range(1, last_col + 1):
            value = sheet.cells.get((r, c))
            if isinstance(value, str) and c not in formula_cols \
                    and text_lines(value, sheet.col_widths.get(c, DEFAULT_COLUMN_WIDTH)) > 1:
                style = (sheet.styles.get((r, c)) or CellStyle()).wrapped()
                width = sum(sheet.col_widths.get(k, DEFAULT_COLUMN_WIDTH) for k in range(c, spans.get((r, c), c) + 1)
                            if k not in sheet.hidden_cols)
                size = style.font.sz if style.font is not None and style.font.sz else 11.0
                sheet.set(r, c, keep_last_line(value, width, size), style)  # never a lone “。” on the last line
    sheet.grow_rows(first_row=1 if layout.own_cells else header + 1)  # a form's 项目资金 block and header too
    last_row = max(r for (r, _) in sheet.cells)
    signature = last_row + 2
    sheet.set(signature, 1, SIGNATURE, CellStyle(alignment=Alignment(vertical="center")))
    sheet.merges.append((signature, 1, signature, last_col))
    sheet.row_heights[signature] = 24
    sheet.print_setup.title_rows = (top, header)
    sheet.print_setup.print_area = (1, 1, signature, last_col)
    add_score_chart(sheet, system, unit_result, last_col + 2, top)  # right of the printed area


def today_text() -> str:
    import datetime

    today = datetime.date.today()
    return f"{today.year}年{today.month}月{today.day}日"


def _fill_scores(sheet: Sheet, source, system, unit_result, layout, styles: SourceStyles):
    merged = sheet.merged_top_left()
    added_cols = {c for c, _ in layout.added}

    def put(row, col, value, like=None):
        top = merged.get((row, col), (row, col))
        if top != (row, col) and top[1] != col:
            return None  # inside a merge that starts in another column: not ours to overwrite
        if col in added_cols:
            style = styles(source.cell(row, like or layout.source_max_col)) or CellStyle()
            sheet.set(*top, value, style.wrapped())
        else:
            sheet.set(*top, value)
        return top

    def wrap(cell):
        sheet.styles[cell] = (sheet.styles.get(cell) or CellStyle()).wrapped()

    own = unit_result.unit.own_scores

    def score_col(node):
        return layout.score_col if node.score_cell is None or layout.own_cells else node.score_cell[1]

    def note_col(node):
        return layout.note_col if node.note_cell is None or layout.own_cells else node.note_cell[1]

    for node in system.indicators():
        r = unit_result.nodes[node.id]
        shown = "错误" if r.status is Status.ERROR else ("不适用" if r.score is None else r.score)
        if node.is_leaf:
            # 择其一: the rows not used say so first, then the used one (it wins a 得分 cell merged over them)
            used = r.chosen or node.options[0]
            for option in node.alternatives:
                if option is not used and r.chosen is not None:
                    put(option.row, score_col(option), "未选用")
                    put(option.row, note_col(option), f"择其一，本单位按“{used.name}”评分")
            put(used.row, score_col(used), shown)
            put(used.row, note_col(used), r.note)
            mine = own.get(used.id, (None, ""))[0]
            if layout.difference_col and mine is not None and r.score is not None:
                put(used.row, layout.difference_col, round(r.score - mine, system.settings.decimals))
        elif node.score_cell is not None:
            put(*node.score_cell, shown)
        else:  # subtotal in the merged level cell
            original = sheet.cells.get(node.name_cell)
            label = "错误" if r.status is Status.ERROR else ("不适用" if r.score is None else format_number(r.score))
            sheet.set(*node.name_cell, f"{original}\n（得分 {label}）")
            wrap(node.name_cell)

    total_text = "错误" if unit_result.total is None else unit_result.total
    grade_text = f"等级：{unit_result.grade}" if unit_result.grade else "有错误，未评定等级"
    if unit_result.total_note:
        grade_text += "；" + unit_result.total_note
    own_total = own.get("total", (None, ""))[0]
    if layout.difference_col and own_total is not None and unit_result.total is not None:
        grade_text = f"自评 {format_number(own_total)}；" + grade_text
    if system.total_row is not None:
        if layout.difference_col and own_total is not None and unit_result.total is not None:
            put(system.total_row, layout.difference_col, round(unit_result.total - own_total, system.settings.decimals))
        if put(system.total_row, layout.score_col, total_text) is None:  # 合计 merged over the 得分 column
            label = merged[(system.total_row, layout.score_col)]
            shown = total_text if isinstance(total_text, str) else format_number(total_text)
            sheet.set(*label, f"{sheet.cells.get(label)}：{shown}")
        put(system.total_row, layout.note_col, grade_text)
    else:
        row = system.last_row + 1
        if any(sheet.cells.get((row, c)) is not None for c in range(1, layout.note_col + 1)):
            sheet.insert_row(row)
        first_level_col = min(system.columns.get("level1", [1]))
        for c in range(1, layout.note_col + 1):
            sheet.styles[(row, c)] = GRID_STYLE
        sheet.set(row, first_level_col, "合计", CellStyle(font=BOLD_STYLE.font, border=GRID_BORDER))
        sheet.set(row, layout.score_col, total_text)
        sheet.set(row, layout.note_col, grade_text)


# ---------------------------------------------------------------- 评分汇总


SUMMARY_WIDTHS = (28, 12, 50)  # unit column, score columns, 说明


def self_evaluated(results: Results) -> bool:
    """Units that carry their own scores (自评表): 评分汇总 shows them beside the rules' and a 审核意见 sheet is written."""
    return any(u.unit.own_scores for u in results.units)


SUMMARY_HEADER_ROW = 2  # row 1: the title; row 3: 分值 of each column; units from row 4
SUMMARY_FIRST_UNIT_ROW = 4
SUMMARY_NAME_MAX_WIDTH = 60.0  # the 单位 column fits names this wide; longer ones are cut on screen
SUMMARY_BORDER_LIMIT = 2000  # units: up to this many rows get cell borders (a summary that size is printed)
RESCALE_COLUMNS = ["折算前得分", "适用分值"]


def rescaled(results: Results) -> bool:
    """Whether 剔除 rescaled some unit's total: 评分汇总 then shows each row's sum before rescaling and its points."""
    return any(u.applicable is not None for u in results.units)


def summary_header(results: Results) -> tuple[list[str], list]:
    system = results.system
    level1 = system.roots
    level2 = [c for r in system.roots for c in r.children]
    first = ["单位", *SELF_EVALUATION_COLUMNS] if self_evaluated(results) else ["单位", "总分", "等级", "排名"]
    if rescaled(results):
        first += RESCALE_COLUMNS
    headers = first + [n.name for n in level1] + [f"{n.parent.name}/{n.name}" for n in level2]
    return headers + ["说明"], level1 + level2


def summary_points_row(results: Results, headers: list[str], nodes) -> list:
    """分值 under each column: 满分 under the totals, each indicator's points under its score."""
    max_total = results.system.settings.max_total
    row = ["分值"]
    for text in headers[1:len(headers) - len(nodes) - 1]:
        row.append(max_total if text in ("总分", "自评分", "复核分", "折算前得分") else "")
    row += [float(n.weight or 0.0) for n in nodes] + [""]
    return row


def summary_rows(results: Results, nodes):
    """One row per unit: 单位, 总分, 等级, 排名 (for 自评表: 自评分, 复核分, 差异, 等级, 排名, 执行率, 审核意见条数),
    (under 剔除: 折算前得分 and 适用分值, so that each row adds up), level-1 and level-2 scores, 说明."""
    own = self_evaluated(results)
    scaled = rescaled(results)
    decimals = results.system.settings.decimals
    bordered = len(results.units) <= SUMMARY_BORDER_LIMIT
    for u in results.units:
        if own:
            values = [u.unit.name, *self_evaluation_row(results, u).cells()]
        else:
            values = [u.unit.name, "错误" if u.total is None else u.total, u.grade or "", u.rank or ""]
        if scaled:
            raw = sum(u.nodes.score_and_status(r.id)[0] or 0.0 for r in results.system.roots
                      if r.kind is Kind.NORMAL)
            values += [round(raw, decimals) if u.total is not None else "",
                       u.applicable if u.applicable is not None else results.system.settings.max_total]
        for node in nodes:
            score, status = u.nodes.score_and_status(node.id)
            values.append(score if score is not None else ("错误" if status is Status.ERROR else "不适用"))
        values.append(summary_note(results, u))
        yield [(v, GRID_STYLE) for v in values] if bordered else values


def summary_title(results: Results) -> str:
    """<the system's title without 指标表/指标体系>评分汇总（N 个单位）."""
    heading = re.sub(r"(指标体系|指标表|评分表|评分标准|指标|表)$", "", results.system.heading or "").strip()
    if heading and not heading.endswith(("评价", "考核")):
        heading += "绩效评价" if "绩效" not in heading else ""
    return f"{heading or '绩效评价'}评分汇总（{len(results.units)} 个单位）"


def build_summary_sheet(results: Results, title: str = SUMMARY_SHEET) -> Sheet:
    """评分汇总: a title, a styled header row, the 分值 of each column, then one row per unit (streamed when written:
    constant memory); columns as wide as their longest name, landscape one page wide, header rows on every page."""
    headers, nodes = summary_header(results)
    sheet = Sheet(title)
    sheet.set(1, 1, summary_title(results), SUMMARY_TITLE_STYLE)
    sheet.merges.append((1, 1, 1, len(headers)))
    sheet.row_heights[1] = 28
    for col, text in enumerate(headers, start=1):
        sheet.set(SUMMARY_HEADER_ROW, col, text, HEADER_STYLE)
    for col, value in enumerate(summary_points_row(results, headers, nodes), start=1):
        sheet.set(SUMMARY_HEADER_ROW + 1, col, value, POINTS_STYLE)
    names = [u.unit.name for u in results.units[:SUMMARY_BORDER_LIMIT]]
    sheet.col_widths[1] = min(SUMMARY_NAME_MAX_WIDTH, max([10.0] + [display_width(n) + 2 for n in names]))
    for col in range(2, len(headers)):  # a 二级指标's 一级/二级 header wraps at the “/”: as wide as its longer part
        words = max(display_width(part) for part in headers[col - 1].split("/")) + ("/" in headers[col - 1])
        sheet.col_widths[col] = min(18.0, max(SUMMARY_WIDTHS[1] - 4, words + 2))
    sheet.col_widths[len(headers)] = SUMMARY_WIDTHS[2]
    sheet.grow_rows(first_row=SUMMARY_HEADER_ROW)
    sheet.freeze = (SUMMARY_FIRST_UNIT_ROW, 2)
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(SUMMARY_HEADER_ROW, SUMMARY_HEADER_ROW + 1),
                                   header_footer=PAGE_FOOTER)
    last_unit_row = SUMMARY_FIRST_UNIT_ROW - 1 + len(results.units)
    signature = last_unit_row + 2
    sheet.streamed_styles = [GRID_STYLE]
    first_page = len(headers) - 1 - len(nodes) + len(results.system.roots)  # 单位 … 排名 and the 一级指标
    paginate(sheet, len(headers), first_page)
    # the title and the signatures over the first page, where they are read; both right of the 单位 column when that is
    # printed again on every page, so that no piece of them is repeated there
    first = 2 if sheet.print_setup.col_breaks else 1
    page_end = sheet.print_setup.col_breaks[0] if sheet.print_setup.col_breaks else len(headers)
    if first > 1:
        sheet.set(1, first, sheet.cells.pop((1, 1)), sheet.styles.pop((1, 1)))
    sheet.merges[0] = (1, first, 1, page_end)
    sheet.streamed_rows = itertools.chain(summary_rows(results, nodes), [[], [""] * (first - 1) + [SUMMARY_SIGNATURE]])
    sheet.merges.append((signature, first, signature, page_end))
    sheet.print_setup.print_area = (1, 1, signature, len(headers))
    add_summary_charts(sheet, results, len(headers) + 2, SUMMARY_HEADER_ROW, SUMMARY_FIRST_UNIT_ROW)
    return sheet


PAGE_PIXELS = 1007  # A4 landscape between 0.6-inch margins, at 96 dpi: what one printed page holds at 100 %


def column_pixels(width: float) -> float:
    """A column `width` characters wide, in pixels at 96 dpi (7 a character and 5 of padding, as Excel sizes them)."""
    return width * 7 + 5


LIBREOFFICE_PIXELS_PER_CHARACTER = 9.5  # LibreOffice prints a column of width w about 9.2–9.5 w + 1 px wide (measured)


def printed_pixels(width: float) -> float:
    """A column's printed width in pixels at 96 dpi in whichever of Excel and LibreOffice prints it wider: a page
    planned with it holds its columns in both (planned for Excel alone, LibreOffice added breaks of its own and left
    pages half empty)."""
    return max(column_pixels(width), width * LIBREOFFICE_PIXELS_PER_CHARACTER + 1)


def paginate(sheet: Sheet, last_col: int, first_page: int, repeated: int = 1) -> None:
    """Print a wide sheet at 100 % on A4 landscape instead of shrinking it to one page width: when its columns do not
    fit, columns 1…`first_page` go on the first page and the rest on following pages, as many as fit, with columns
    1…`repeated` (the unit's name; a batch's file and project) repeated on every page."""
    widths = [printed_pixels(sheet.col_widths.get(c, DEFAULT_COLUMN_WIDTH)) for c in range(1, last_col + 1)]
    if sum(widths) <= PAGE_PIXELS:
        return  # one page wide at full size: fitted as before
    setup = sheet.print_setup
    setup.fit_width, setup.scale, setup.title_cols = False, 100, (1, repeated)
    names = sum(widths[:repeated])
    breaks, used = [], names
    for col in range(repeated + 1, last_col + 1):
        width = widths[col - 1]
        if used + width > PAGE_PIXELS or (col == first_page + 1 and not breaks):
            breaks.append(col - 1)
            used = names
        used += width
    setup.col_breaks = [b for b in breaks if b > repeated]


MIN_PRINTED_POINTS = 9.0
NARROWEST_TEXT_COLUMN = 14.0  # characters: a text column is never narrowed below this


def narrow_to_print(sheet: Sheet, columns: list[int]) -> None:
    """Columns of a sheet fitted to one page width made narrow enough that its smallest font prints at 9 pt or more:
    the wide (text) columns give up their width beyond NARROWEST_TEXT_COLUMN in proportion; their text wraps and the
    rows grow (``Sheet.grow_rows``)."""
    sizes = [style.font.sz for (r, c), style in sheet.styles.items() if c in columns and style.font is not None
             and style.font.sz and sheet.cells.get((r, c)) not in (None, "")]
    smallest = min(sizes + [11.0])
    allowed = PAGE_PIXELS * smallest / MIN_PRINTED_POINTS
    widths = {c: sheet.col_widths.get(c, DEFAULT_COLUMN_WIDTH) for c in columns}
    total = sum(column_pixels(w) for w in widths.values())
    excess = sum(max(0.0, w - NARROWEST_TEXT_COLUMN) * 7 for w in widths.values())
    if total <= allowed or not excess:
        return
    keep = max(0.0, 1 - (total - allowed) / excess)
    for c, w in widths.items():
        if w > NARROWEST_TEXT_COLUMN:
            sheet.col_widths[c] = round(NARROWEST_TEXT_COLUMN + (w - NARROWEST_TEXT_COLUMN) * keep, 2)


def display_width(text) -> float:
    """Characters of width `text` takes in a column (a CJK character counts two)."""
    from wcwidth import wcswidth

    text = str(text)
    return float(max(wcswidth(text), len(text)))


SUMMARY_TITLE_STYLE = CellStyle(font=Font(name="黑体", bold=True, size=14), alignment=Alignment(horizontal="center",
                                                                                              vertical="center"))
POINTS_STYLE = CellStyle(font=Font(italic=True, color="595959"), border=GRID_BORDER,
                         alignment=Alignment(horizontal="center"))


HEADER_WORD_WIDTH = 16.0  # characters: a column is widened for its header's words up to this; longer ones wrap


def titled_header(sheet: Sheet, title: str, header: list[str], widths: list[float], frozen_cols: int = 1) -> None:
    """A result sheet's title (row 1, merged across the header) and header (row 2): frozen under the header, landscape,
    the header repeated and the page footer on every printed page. Rows follow from row 3. Each column is as wide as
    its header's words (up to HEADER_WORD_WIDTH), and the columns together as wide as the title in its larger font:
    a title is never cut off at the sides."""
    widths = [max(w, min(HEADER_WORD_WIDTH, display_width(text) + 2)) for text, w in zip(header, widths)]
    needed = display_width(title) * SUMMARY_TITLE_STYLE.font.sz / 11 + 2
    if needed > sum(widths):
        widths = [round(w * needed / sum(widths), 2) for w in widths]
    sheet.set(1, 1, title, SUMMARY_TITLE_STYLE)
    sheet.merges.append((1, 1, 1, len(header)))
    sheet.row_heights[1] = 26
    for col, (text, width) in enumerate(zip(header, widths), start=1):
        sheet.set(2, col, text, HEADER_STYLE)
        sheet.col_widths[col] = width
    sheet.freeze = (3, frozen_cols)
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(2, 2), header_footer=PAGE_FOOTER)


NOTE_STYLE = CellStyle(alignment=Alignment(wrap_text=True, vertical="top"))


def explained_below(sheet: Sheet, row: int, notes: list[str], last_col: int) -> int:
    """What each measure of a result sheet means, one line each from `row` (说明：… first), merged across the table and
    as tall as its text; returns the last row used."""
    for k, note in enumerate(notes):
        sheet.set(row + k, 1, ("说明：" if k == 0 else "　　　") + note, NOTE_STYLE)
        sheet.merges.append((row + k, 1, row + k, last_col))
    return row + len(notes) - 1


AUDIT_WIDTHS = (28, 16, 12, 80)  # 单位, 单元格, 类别, 审核意见


def build_audit_sheet(results: Results, title: str = "审核意见") -> Sheet:
    """审核意见: every finding of every 自评表, with the unit and the cell it is about."""
    sheet = Sheet(title)
    for col, (text, width) in enumerate(zip(("单位", "单元格", "类别", "审核意见"), AUDIT_WIDTHS), start=1):
        sheet.set(1, col, text, HEADER_STYLE)
        sheet.col_widths[col] = width
    row = 1
    for u in results.units:
        for finding in u.findings:
            row += 1
            for col, value in enumerate((u.unit.name, finding.cell, finding.kind, finding.message), start=1):
                sheet.set(row, col, value, GRID_STYLE.wrapped())
    if row == 1:
        sheet.set(2, 1, "没有审核意见：各项自评得分与按规则复核的得分一致", GRID_STYLE)
    sheet.grow_rows(first_row=2)
    sheet.freeze = (2, 1)
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(1, 1))
    return sheet


# ---------------------------------------------------------------- putting it together


DEPENDENTS_SHOWN = 5  # the user's cells named when their formulas refer to the result sheets


@dataclass
class SheetChanges:
    """What a write did to the workbook's sheets, for the user to be told."""

    added: list[str] = field(default_factory=list)  # result sheets written for the first time
    replaced: list[str] = field(default_factory=list)  # the product's earlier result sheets written anew
    removed: list[str] = field(default_factory=list)  # the product's earlier result sheets no longer needed
    kept: list[str] = field(default_factory=list)  # result sheets the user copied or renamed: theirs, left as they are
    displaced: list[tuple[str, str]] = field(default_factory=list)  # (name, used instead): a user's sheet holds it
    dependents: list[str] = field(default_factory=list)  # the user's cells (表!A1) with formulas on the result sheets

    def lines(self) -> list[str]:
        """The changes in Chinese, one line each (nothing when sheets were only added)."""
        def names(titles):
            return "、".join(f"“{t}”" for t in titles)

        out = []
        if self.replaced:
            out.append(f"已更新评分引擎上次写出的工作表：{names(self.replaced)}")
        if self.removed:
            out.append(f"已删除评分引擎上次写出、这次不再需要的工作表：{names(self.removed)}")
        if self.kept:
            out.append(f"保留未动：{names(self.kept)}（由评分结果复制或改名而来，已是您自己的工作表）")
        for wanted, used in self.displaced:
            out.append(f"工作簿中已有您自己的工作表“{wanted}”，没有改动它；这次的结果写在“{used}”")
        if self.dependents:
            out.append(f"{'、'.join(self.dependents)}{' 等' if len(self.dependents) >= DEPENDENTS_SHOWN else ' '}的公式引用了"
                       f"评分结果：Excel、WPS 打开时会重新计算；LibreOffice 请按 Ctrl+Shift+F9 重新计算")
        return out


def write_results(results: Results, data, out_path=None, all_sheets: bool = False, force: bool = False) -> Path:
    """Write the result sheets (see ``write_result_sheets``) and return the workbook written."""
    return write_result_sheets(results, data, out_path, all_sheets, force)[0]


def write_result_sheets(results: Results, data, out_path=None, all_sheets: bool = False,
                        force: bool = False) -> tuple[Path, SheetChanges]:
    """Write 评分表 / 评分表-单位 and 评分汇总 into the data workbook (`data`: a path or the ``Book`` it was
    read from), or into a new workbook `out_path`; return the workbook written and what happened to its sheets.

    In place, only the product's own result sheets (their marker names them) are replaced; stale ones are removed;
    copied or renamed result sheets are the user's and stay; every
    other part of the workbook is kept byte for byte. Refused (WriteRefused): `out_path` naming an input
    however spelled, an existing `out_path` that is not an earlier result (unless `force`), a workbook
    open in Excel/WPS/LibreOffice, read-only files or folders, a data workbook changed since it was read.
    """
    data_book = data if isinstance(data, Book) else Book(data, "基础数据")
    data_path = data_book.path
    in_place = out_path is None and not data_book.is_xls
    if out_path is None and not in_place:
        out_path = data_path.with_name(data_path.stem + "_评分结果.xlsx")
    target = data_book.real_path if in_place else Path(out_path)
    if in_place:
        check_writable(target, in_place)
    else:
        guard_output(target, [data_path, results.system.path], force, replaceable=is_previous_result)

    if in_place:
        raw = data_book.current_bytes()
        if raw is None:
            raise WriteRefused(f"“{data_path.name}”在评分期间被修改或替换过，为免写错，没有写回：请重新运行评分")
        try:
            package = Package(raw, data_path.name)
        except DAMAGED_PACKAGE:
            raise WriteRefused(f"“{data_path.name}”已损坏（压缩包中有部件无法读取），没有写回：请用 Excel/WPS 打开后重新保存",
                               Refusal.ELSEWHERE, data_path) from None
    else:
        package = Package(None)

    system_book = results.system.source if isinstance(results.system.source, Book) else Book(results.system.path, "指标体系")
    source = system_book.workbook[results.system.sheet_name]

    ours = package.marked_sheets()
    taken = {t for t in package.sheet_names if t not in ours}
    users = {t.casefold() for t in taken}
    units = results.units
    chosen = units if len(units) == 1 or all_sheets else units[:PER_UNIT_SHEETS_DEFAULT]
    summary_title = sheet_title(SUMMARY_SHEET, taken)
    if len(units) == 1:
        titles = [sheet_title(SCORE_SHEET, taken)]
    else:
        titles = [sheet_title(f"{SCORE_SHEET}-{u.unit.name}", taken) for u in chosen]
    audit_title = sheet_title(AUDIT_SHEET, set(taken)) if self_evaluated(results) else None
    wanted = [SUMMARY_SHEET, AUDIT_SHEET if audit_title else None]
    wanted += [SCORE_SHEET] if len(units) == 1 else [f"{SCORE_SHEET}-{u.unit.name}" for u in chosen]
    written = [summary_title, audit_title, *titles]
    changes = SheetChanges(kept=package.kept_copies())
    changes.displaced = [(w, t) for w, t in zip(wanted, written) if w and t and t != w and w.casefold() in users]
    for stale in sorted(ours - set(titles) - {summary_title, audit_title}):
        package.remove_result_sheet(stale)
    package.put_sheet(build_summary_sheet(results, summary_title))
    if self_evaluated(results):
        package.put_sheet(build_audit_sheet(results, audit_title))
    styles = SourceStyles()
    year = data_year(data_book)
    for title, unit_result in zip(titles, chosen):
        package.put_sheet(build_score_sheet(source, results, unit_result, title, styles, year))
    changes.replaced, changes.removed = list(package.replaced), list(package.removed_sheets)
    changes.dependents = package.formulas_referring_to(written, DEPENDENTS_SHOWN)
    changes.added = [t for t in written if t and t not in package.replaced]
    try:
        atomic_save(package.save, target)
    except DAMAGED_PACKAGE:  # a part of the user's workbook that cannot be read back cannot be kept as it is
        raise WriteRefused(f"“{data_path.name}”中有部件已损坏、无法原样保留，没有写回：请用 Excel/WPS 打开后重新保存",
                           Refusal.ELSEWHERE, data_path) from None
    return (data_path if in_place else target), changes  # as the user named it (a symlink stays a symlink)
