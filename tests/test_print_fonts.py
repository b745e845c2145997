"""Every written sheet prints at 9 pt or more on A4 (issue 29): the smallest printed font size computed from the sheet's
print scale (fitToWidth: the printable width over the printed columns' width; or its fixed scale), its column widths and
its cells' font sizes; with manual column breaks each page is measured on its own, print-title columns included."""

import openpyxl
import pytest

from tests.test_examples import BOOKS, EXAMPLES, SETS

A4_MM = (210.0, 297.0)
MIN_POINTS = 9.0


def _column_mm(width: float) -> float:
    """Excel's column width (characters of the default font) in millimetres: 7 px a character plus 5 px padding at 96 dpi."""
    return (width * 7 + 5) * 25.4 / 96


def smallest_printed_font(ws) -> float:
    setup = ws.page_setup
    landscape = setup.orientation == "landscape"
    page_mm = A4_MM[1] if landscape else A4_MM[0]
    margins = ws.page_margins
    printable = page_mm - (margins.left + margins.right) * 25.4
    area = ws.print_area
    from openpyxl.utils.cell import range_boundaries

    if area:
        text = area[0] if isinstance(area, (list, tuple)) else area
        c1, r1, c2, r2 = range_boundaries(text.split("!")[-1].replace("$", ""))
    else:
        c1, r1, c2, r2 = 1, 1, ws.max_column, ws.max_row
    letters = openpyxl.utils.get_column_letter

    def width(c):
        dim = ws.column_dimensions.get(letters(c))
        if dim is not None and dim.hidden:
            return 0.0
        return _column_mm(dim.width if dim is not None and dim.width else 8.43)

    breaks = sorted(b.id for b in ws.col_breaks.brk) if ws.col_breaks else []
    title_cols = []
    if ws.print_title_cols:
        a, b = ws.print_title_cols.replace("$", "").split(":")
        title_cols = list(range(openpyxl.utils.column_index_from_string(a), openpyxl.utils.column_index_from_string(b) + 1))
    pages, start = [], c1
    for b in breaks + [c2]:
        if b >= start:
            pages.append(range(start, min(b, c2) + 1))
            start = b + 1
    widest = max(sum(width(c) for c in set(page) | set(title_cols)) for page in pages)
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth:
        scale = min(1.0, printable * int(setup.fitToWidth) / sum(width(c) for c in range(c1, c2 + 1)))
    else:
        scale = (setup.scale or 100) / 100
        assert widest * scale <= printable + 1, f"{ws.title}: a page is {widest * scale:.0f} mm wide, {printable:.0f} mm print"
    sizes = [cell.font.sz or 11 for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2) for cell in row
             if cell.value not in (None, "") and not (ws.column_dimensions.get(cell.column_letter) is not None
                                                     and ws.column_dimensions[cell.column_letter].hidden)]
    return min(sizes) * scale


def _written(cli, tmp_path, system, book):
    out = tmp_path / f"{book}.xlsx"
    r = cli("run", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "-o", out)
    assert r.code == 0, r.err
    return openpyxl.load_workbook(out)


@pytest.mark.parametrize("system, book, expected", EXAMPLES)
def test_every_written_sheet_prints_at_9_points_or_more(tmp_path, cli, system, book, expected):
    wb = _written(cli, tmp_path, system, book)
    sizes = {ws.title: round(smallest_printed_font(ws), 1) for ws in wb.worksheets if ws.title.startswith(("评分", "审核"))}
    assert sizes and all(s >= MIN_POINTS for s in sizes.values()), sizes


def title_fits(ws) -> bool:
    """Row 1's title, in its own font, is no wider than the columns it is merged across (else it is cut at the sides)."""
    from scoring.write.excel import display_width

    title = ws.cell(1, 1)
    span = next(m for m in ws.merged_cells.ranges if m.min_row == 1 and m.min_col == 1)
    letters = openpyxl.utils.get_column_letter
    width = sum(ws.column_dimensions[letters(c)].width or 8.43 for c in range(span.min_col, span.max_col + 1))
    return display_width(title.value) * (title.font.sz or 11) / 11 <= width


def _explained(ws) -> list[str]:
    return [c.value for c in ws["A"] if isinstance(c.value, str) and c.row > 2 and c.value.lstrip("说明：　")
            and (c.value.startswith("说明：") or c.value.startswith("　"))]


def test_diff_and_sensitivity_sheets_print_at_9_points_with_titles_that_fit_and_each_measure_explained(tmp_path, cli):
    """score diff's 变更/影响 and score sensitivity's 排名稳健性/敏感度 (issue 29: the 敏感度 title was cut off on both
    sides and said 一阶敏感度指数 with no word a clerk understands)."""
    sens, diff = tmp_path / "敏感度.xlsx", tmp_path / "对比.xlsx"
    assert cli("sensitivity", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "--seed", "1", "--samples", "200",
               "-o", sens).code == 0
    assert cli("diff", SETS / "dept_overall.xlsx", SETS / "dept_overall_next.xlsx", BOOKS / "lingling_2019.xlsx",
               "-o", diff).code == 0
    sheets = [*openpyxl.load_workbook(sens).worksheets, *openpyxl.load_workbook(diff).worksheets]
    assert [ws.title for ws in sheets] == ["排名稳健性", "敏感度", "变更", "影响"]
    for ws in sheets:
        assert smallest_printed_font(ws) >= MIN_POINTS, ws.title
        assert title_fits(ws), ws.title
    robust, indicators, changes, impact = sheets
    assert indicators["A1"].value == "各指标分值对排名的影响"
    assert indicators["B2"].value == "对排名的影响（0～1）" and "一阶" not in indicators["B2"].value
    assert [n.lstrip("说明：　").split("：")[0] for n in _explained(indicators)] == ["对排名的影响"]
    assert "0 表示不影响排名，越接近 1 影响越大" in _explained(indicators)[0]
    headers = [c.value for c in robust[2]][:9]
    assert headers[3:8] == ["现有排名", "中位排名", "最好排名（5%）", "最差排名（95%）", "排名浮动"]
    # one line for each measure, each under the table and inside what is printed
    explained = [n.lstrip("说明：　").split("：")[0] for n in _explained(robust)]
    assert explained == ["现有排名", "中位排名", "最好排名（5%）、最差排名（95%）", "排名浮动", "保持等级的概率"]
    assert [n.lstrip("说明：　").split("：")[0] for n in _explained(impact)] == ["原总分、新总分", "影响最大的指标", "等级变化"]
    assert [n.lstrip("说明：　").split("：")[0] for n in _explained(changes)] == ["类别"]
    for ws in sheets:
        last = max(c.row for c in ws["A"] if c.value is not None)
        assert ws.print_area.endswith(f"${last}"), (ws.title, ws.print_area)


def test_a_batch_of_forms_prints_with_a_title_and_signatures_at_9_points_or_more(tmp_path, cli):
    """score run <folder of 自评表> (issue 29: its 评分汇总 had no title and printed at 5 pt)."""
    out = tmp_path / "汇总.xlsx"
    r = cli("run", BOOKS / "self_evaluation", "-o", out)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    sizes = {ws.title: round(smallest_printed_font(ws), 1) for ws in wb.worksheets}
    assert all(s >= MIN_POINTS for s in sizes.values()), sizes
    ws = wb["评分汇总"]
    (title,) = [m for m in ws.merged_cells.ranges if m.min_row == 1]
    top = ws.cell(1, title.min_col)
    assert top.value == "项目支出绩效自评表评分汇总（6 个文件）" and top.font.b and top.font.sz >= 14
    assert [c.value for c in ws[2]][:3] == ["文件", "项目", "自评分"] and ws.print_title_rows == "$2:$2"
    assert ws.cell(3, 1).value == "南县_政务服务专项经费_2020.xlsx"
    (signature,) = [c for row in ws.iter_rows(min_row=9) for c in row if str(c.value or "").startswith("评价人：")]
    assert signature.row == 10 and ws.print_area.endswith("$10")
    # printed at 100 %: the figures on page 1, 文件 and 项目 again on every page; the title not cut by them
    assert ws.print_title_cols == "$A:$B" and ws.col_breaks.brk[0].id == 9
    assert title.min_col == 3 and title.max_col == 9
