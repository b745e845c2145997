"""The workbook of a batch of 自评表 (``commands.forms``): 评分汇总 (one row per file), 审核意见 (every finding with
file and cell), and a 评分表 per project in its own form's layout. Always a new workbook: forms are never written."""

from __future__ import annotations

from pathlib import Path

from ..audit import SELF_EVALUATION_COLUMNS, self_evaluation_row
from ..model import Results, Status
from .excel import (AUDIT_SHEET, PAGE_FOOTER, PER_UNIT_SHEETS_DEFAULT, SCORE_SHEET, SUMMARY_SIGNATURE,
                    SUMMARY_SHEET, SUMMARY_TITLE_STYLE, SUMMARY_WIDTHS, SourceStyles, build_score_sheet, display_width,
                    paginate, sheet_title)
from .package import write_new_workbook
from .sheet import PrintSetup, Sheet
from .styles import GRID_STYLE, HEADER_STYLE

UNREADABLE = "无法评分"
SCORING_ERROR = "评分错误"
FORM_SUMMARY_FIRST = ("文件", "项目", *SELF_EVALUATION_COLUMNS)
FORM_AUDIT_HEADER = (("文件", 30), ("项目", 28), ("单元格", 16), ("类别", 12), ("审核意见", 80))


class FormSummary:
    """What the batch workbook needs of each form, gathered as the forms are scored one after another: the results
    (ranks are set later, across the batch) and the project's 评分表, built while its workbook is still open."""

    def __init__(self, all_sheets: bool = False):
        self.all_sheets = all_sheets
        self.rows: list[tuple[str, Results | None, str | None]] = []  # (file, results, why it could not be scored)
        self.score_sheets: list[Sheet] = []
        self.taken = {SUMMARY_SHEET, AUDIT_SHEET}

    def add(self, label: str, results: Results | None, problem: str | None) -> None:
        self.rows.append((label, results, problem))
        if results is None or not results.units:
            return
        if not self.all_sheets and len(self.score_sheets) >= PER_UNIT_SHEETS_DEFAULT:
            return
        unit_result = results.units[0]
        source = results.system.source.workbook[results.system.sheet_name]
        title = sheet_title(f"{SCORE_SHEET}-{unit_result.unit.name}", self.taken)
        self.score_sheets.append(build_score_sheet(source, results, unit_result, title, SourceStyles()))

    def level1_names(self) -> list[str]:
        """Every 一级指标 name of the forms, in the order first met (预算执行率, 产出指标, 效益指标, 满意度指标 …)."""
        names: list[str] = []
        for _, results, _ in self.rows:
            for root in results.system.roots if results is not None else []:
                if root.name not in names:
                    names.append(root.name)
        return names


FORM_HEADING = "项目支出绩效自评表"
FORM_NAME_WIDTH = 20.0  # 文件 and 项目: longer names wrap
FORM_NOTE_WIDTH = 36.0  # 说明
FORM_FIGURE_WIDTH = 10.0  # a figure's column at most; a longer header wraps (审核意见 / （条）)


def forms_summary_title(summary: FormSummary) -> str:
    """<the forms' own title>评分汇总（N 个文件）, as a 评分汇总's title names its system and its units."""
    heading = next((r.system.heading for _, r, _ in summary.rows if r is not None and r.system.heading), FORM_HEADING)
    return f"{heading}评分汇总（{len(summary.rows)} 个文件）"


def build_forms_summary(summary: FormSummary) -> Sheet:
    """评分汇总 of a batch: a title; 文件, 项目, 自评分, 复核分, 差异, 等级, 排名, 执行率, 审核意见（条）, each 一级指标's
    score, 说明 (errors, or why the file could not be scored); a signature block. Printed as the 评分汇总 of a run:
    A4 landscape at 100 %, 文件 … 审核意见（条） on the first page, the 一级指标 and 说明 on following pages with 文件 and
    项目 repeated."""
    level1 = summary.level1_names()
    headers = [*FORM_SUMMARY_FIRST, *level1, "说明"]
    sheet = Sheet(SUMMARY_SHEET)
    sheet.row_heights[1] = 28
    for col, text in enumerate(headers, start=1):
        sheet.set(2, col, text, HEADER_STYLE)
        sheet.col_widths[col] = min(FORM_FIGURE_WIDTH, max(SUMMARY_WIDTHS[1] - 4, display_width(text) + 2))
    names = [label for label, _, _ in summary.rows] + [v for _, r, _ in summary.rows if r is not None
                                                        for v in [r.units[0].unit.name] if r.units]
    sheet.col_widths[1] = sheet.col_widths[2] = min(FORM_NAME_WIDTH, max([10.0] + [display_width(n) + 2 for n in names]))
    sheet.col_widths[len(headers)] = FORM_NOTE_WIDTH
    for row, (label, results, problem) in enumerate(summary.rows, start=3):
        values = [label] + project_values(results, level1, problem)
        for col, value in enumerate(values, start=1):
            sheet.set(row, col, value, GRID_STYLE.wrapped())
    signature = 3 + len(summary.rows) + 1
    sheet.row_heights[signature] = 24
    sheet.grow_rows(first_row=2)
    sheet.freeze = (3, 3)
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(2, 2), header_footer=PAGE_FOOTER)
    paginate(sheet, len(headers), len(FORM_SUMMARY_FIRST), repeated=2)  # 文件 … 审核意见 first, then the 一级指标
    breaks = sheet.print_setup.col_breaks
    # the title and the signatures over the first page; both right of 文件 and 项目 when those are printed again on every
    # page, so that no piece of them is repeated there
    first, page_end = (3, breaks[0]) if breaks else (1, len(headers))
    sheet.set(1, first, forms_summary_title(summary), SUMMARY_TITLE_STYLE)
    sheet.set(signature, first, SUMMARY_SIGNATURE)
    sheet.merges += [(1, first, 1, page_end), (signature, first, signature, page_end)]
    sheet.print_setup.print_area = (1, 1, signature, len(headers))
    return sheet


def project_values(results: Results | None, level1: list[str], problem: str | None) -> list:
    """A project's row of 评分汇总 after 文件: FORM_SUMMARY_FIRST[1:], each 一级指标 in `level1`, 说明."""
    if results is None or not results.units:
        return [""] * len(FORM_SUMMARY_FIRST[1:]) + [""] * len(level1) + [f"{UNREADABLE}：{problem}"]
    u = results.units[0]
    row = self_evaluation_row(results, u)
    values = [row.project, *row.cells()]
    roots = {root.name: root for root in results.system.roots}
    for name in level1:
        if name not in roots:
            values.append("")
            continue
        score, status = u.nodes.score_and_status(roots[name].id)
        values.append(score if score is not None else ("错误" if status is Status.ERROR else "不适用"))
    values.append(row.note)
    return values


def build_forms_audit(summary: FormSummary) -> Sheet:
    """审核意见 of a batch: every finding with the file and cell it is about; files that could not be scored and
    scoring errors are listed too, so that one sheet is the reviewer's whole to-do list."""
    sheet = Sheet(AUDIT_SHEET)
    for col, (text, width) in enumerate(FORM_AUDIT_HEADER, start=1):
        sheet.set(1, col, text, HEADER_STYLE)
        sheet.col_widths[col] = width
    lines = []
    for label, results, problem in summary.rows:
        if results is None or not results.units:
            lines.append((label, "", "", UNREADABLE, problem))
            continue
        u = results.units[0]
        lines += [(label, u.unit.name, f.cell, f.kind, f.message) for f in u.findings]
        lines += [(label, u.unit.name, "", SCORING_ERROR, error) for error in u.errors]
    for row, line in enumerate(lines, start=2):
        for col, value in enumerate(line, start=1):
            sheet.set(row, col, value, GRID_STYLE.wrapped())
    if not lines:
        sheet.set(2, 1, "没有审核意见：各自评表的自评得分与按规则复核的得分一致", GRID_STYLE)
    sheet.grow_rows(first_row=2)
    sheet.freeze = (2, 1)
    sheet.print_setup = PrintSetup(landscape=True, title_rows=(1, 1))
    return sheet


def write_forms(summary: FormSummary, out_path, force: bool = False) -> Path:
    """A new workbook `out_path`: 评分汇总, 审核意见, then the projects' 评分表."""
    return write_new_workbook([build_forms_summary(summary), build_forms_audit(summary), *summary.score_sheets],
                              out_path, force)
