"""The reviewed 自评表 (issue 29): the added 复核得分/差异/复核说明 columns inside the form's frame and in its style —
borders, fonts and alignment copied from the form's own cells, the titles in the form's header style, the 项目资金
block's values under titles of their own, the title and the frame's merged rows carried to the new right edge."""

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

FORMS = sorted((Path(__file__).resolve().parent.parent / "workbooks" / "self_evaluation").glob("*.xlsx"))
ADDED = ["复核得分", "差异", "复核说明"]


def _reviewed(cli, tmp_path, form):
    out = tmp_path / "reviewed.xlsx"
    r = cli("run", form, "-o", out)
    assert r.code == 0, r.err
    return openpyxl.load_workbook(out)["评分表"], openpyxl.load_workbook(form).worksheets[0]


def _sides(cell):
    b = cell.border
    return tuple(s.style for s in (b.left, b.right, b.top, b.bottom))


def _find(ws, text):
    return next((c.row, c.column) for row in ws.iter_rows() for c in row if c.value == text)


@pytest.mark.parametrize("form", FORMS, ids=[f.stem for f in FORMS])
def test_the_added_cells_wear_the_forms_borders_and_fonts(cli, tmp_path, form):
    ws, src = _reviewed(cli, tmp_path, form)
    header, score_col = _find(src, "偏差原因分析及改进措施")[0], _find(src, "偏差原因分析及改进措施")[1] - 1
    first = score_col + 2  # 复核得分, right of 偏差原因分析
    assert [ws.cell(header, c).value for c in range(first, first + 3)] == ADDED
    total = _find(src, "总分")[0]
    fund_header = next(r for r in range(1, header) if src.cell(r, score_col).value == "得分")
    for row in [*range(fund_header, header), *range(header, total + 1)]:
        own = src.cell(row, score_col)
        if type(own).__name__ == "MergedCell":  # 年度总体目标: the frame's merged rows are carried over instead
            continue
        for col in range(first, first + 3):
            cell = ws.cell(row, col)
            assert _sides(cell) == ("thin",) * 4, f"{cell.coordinate} {_sides(cell)}"
            assert cell.font.sz == own.font.sz, cell.coordinate
        # the scores sit centred like the form's own 得分
        assert ws.cell(row, first).alignment.horizontal == own.alignment.horizontal, row
    for col in range(first, first + 3):  # titles in the form's header style: bold, centred, like its 得分 header
        title = ws.cell(header, col)
        assert title.font.b and title.alignment.horizontal == src.cell(header, score_col).alignment.horizontal


@pytest.mark.parametrize("form", FORMS, ids=[f.stem for f in FORMS])
def test_the_fund_blocks_values_each_stand_under_a_title(cli, tmp_path, form):
    ws, src = _reviewed(cli, tmp_path, form)
    header, note_col = _find(src, "偏差原因分析及改进措施")
    first = note_col + 1
    fund_header = next(r for r in range(1, header) if src.cell(r, note_col - 1).value == "得分")
    values = [ws.cell(fund_header + 1, c).value for c in range(first, first + 3)]
    assert values[0] == src.cell(fund_header + 1, note_col - 1).value  # 预算执行率 reviewed: 10 as the form says
    assert values[2].startswith("全年执行数为")
    titles = [ws.cell(fund_header, c) for c in range(first, first + 3)]
    assert [t.value for t in titles] == ADDED
    own_title = src.cell(fund_header, note_col - 1)
    assert all(t.font.b == own_title.font.b and _sides(t) == _sides(own_title) for t in titles)
    # nothing else between the block's titles and the indicator table's header row
    assert all(ws.cell(row, col).value in (None, "") for row in range(fund_header + 2, header)
               for col in range(first, first + 3))


def test_the_title_and_frame_reach_the_new_right_edge(cli, tmp_path):
    form = next(f for f in FORMS if "大数据" in f.stem)
    ws, src = _reviewed(cli, tmp_path, form)
    last = get_column_letter(_find(ws, "复核说明")[1])
    merges = {str(m) for m in ws.merged_cells.ranges}
    # the form's title over the whole width, its year under it one column short as printed, 单位：万元 at the edge
    assert {f"A1:{last}1", f"B3:{last}3", f"F4:{last}4", f"F10:{last}10", f"F11:{last}11"} <= merges, merges
    assert ws[f"{last}2"].value == "单位：万元" and ws["I2"].value is None
    assert f"A2:{get_column_letter(_find(ws, '复核说明')[1] - 1)}2" in merges
    # the frame's merged rows keep their borders to the new edge
    assert _sides(ws[f"{last}3"])[1] == "thin" and _sides(ws[f"{last}11"])[1] == "thin"
