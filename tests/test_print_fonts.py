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
