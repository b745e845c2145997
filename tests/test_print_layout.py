"""A 评分表 a bureau prints and signs (issue 15): A4 landscape one page wide, header rows on every page, its own title,
who and when, the 评分公式 column kept but not printed, rows tall enough for their text, a signature block; and the
rendering check — every shipped example's 评分表 prints on at most two pages with the total and grade on one of them."""

import shutil
import subprocess

import openpyxl
import pytest

from tests.builders import indicator_book, kv_book
from tests.oracle import make_profile, soffice_path
from tests.test_examples import BOOKS, EXAMPLES, SETS


def _print_names(path):
    wb = openpyxl.load_workbook(path)
    return wb, {ws.title: (ws.print_area, ws.print_title_rows) for ws in wb.worksheets}


def test_the_score_sheet_is_set_up_for_printing(tmp_path, cli):
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", out).code == 0
    wb, names = _print_names(out)
    ws = wb["评分表"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    # the 评分公式 column (I) stays in the sheet, hidden, so it is never printed
    assert ws["I2"].value == "评分公式" and ws.column_dimensions["I"].hidden
    assert names["评分表"] == ("'评分表'!$A$1:$L$31", "$2:$2")
    assert ws["A1"].value == "零陵区政务服务中心2019年度绩效评价评分表" and ws["A1"].font.size == 16
    assert ws.oddHeader.left.text == "单位名称：零陵区政务服务中心" and ws.oddHeader.right.text.startswith("评价日期：")
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws["A31"].value.startswith("评价人：") and "复核人：" in ws["A31"].value and "日期：" in ws["A31"].value
    assert "A31:L31" in map(str, ws.merged_cells.ranges)
    assert ws["K29"].value == 89 and ws["L29"].value.startswith("等级：良")  # 合计, total and grade on one line
    # long 评分标准 wraps and its row grows (row 4: four clauses of ① ② ③ ④ in a 40-wide column)
    assert ws["H4"].alignment.wrap_text and ws.row_dimensions[4].height >= 4 * 15


def test_year_and_date_from_settings_and_a_blank_line_under_the_title(tmp_path, cli):
    header = ["一级指标", "分值", "评分公式", "得分", "扣分说明"]
    ind = indicator_book(tmp_path / "ind.xlsx", header, [["预算执行", 100, "RATIO(预算执行率, 1)"]],
                         settings={"年度": 2023, "评价日期": "2024年3月15日"})
    wb = openpyxl.load_workbook(ind)
    wb["指标体系"].insert_rows(2)  # a blank line between the title and the header, as many printed tables have
    wb.save(ind)
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某县财政局"), ("预算执行率", "95%")])
    out = tmp_path / "o.xlsx"
    assert cli("run", ind, data, "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["评分表"]
    assert ws["A1"].value == "某县财政局2023年度绩效评价评分表"
    assert ws["A2"].value == "单位名称：某县财政局" and ws["E2"].value == "评价日期：2024年3月15日"
    assert ws.column_dimensions["C"].hidden and ws["D4"].value == 95


def test_a_table_without_a_title_row_gets_one(tmp_path, cli):
    header = ["一级指标", "分值", "评分公式"]
    ind = indicator_book(tmp_path / "ind.xlsx", header, [["预算执行", 100, "RATIO(预算执行率, 1)"]], title=None)
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某县财政局"), ("评价年度", 2024), ("预算执行率", "90%")])
    out = tmp_path / "o.xlsx"
    assert cli("run", ind, data, "-o", out).code == 0
    wb, names = _print_names(out)
    ws = wb["评分表"]
    assert ws["A1"].value == "某县财政局2024年度绩效评价评分表" and "A1:E1" in map(str, ws.merged_cells.ranges)
    assert ws["A2"].value == "一级指标" and ws["D3"].value == 90  # the table one row down, 得分 added
    assert names["评分表"][1] == "$2:$2"


needs_soffice = pytest.mark.skipif(soffice_path() is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice and poppler-utils not installed (CI installs them)")


def _score_sheet_pdf_pages(result, sheet, tmp_path) -> list[str]:
    """The text of each printed page of one sheet, as LibreOffice prints it."""
    wb = openpyxl.load_workbook(result)
    for ws in list(wb.worksheets):
        if ws.title != sheet:
            wb.remove(ws)
    alone = tmp_path / f"{sheet}.xlsx"
    wb.save(alone)
    subprocess.run([soffice_path(), f"-env:UserInstallation={make_profile(tmp_path / 'lo')}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(alone)], check=True, capture_output=True,
                   timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(alone.with_suffix(".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@needs_soffice
@pytest.mark.parametrize("system, book, expected", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_every_shipped_score_sheet_prints_on_at_most_three_pages(system, book, expected, tmp_path, cli):
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "-o", out).code == 0
    first_sheet = next(t for t in openpyxl.load_workbook(out).sheetnames if t.startswith("评分表"))
    pages = _score_sheet_pdf_pages(out, first_sheet, tmp_path)
    assert 1 <= len(pages) <= 3, len(pages)  # text columns narrowed so that nothing prints under 9 pt (issue 29)
    assert "等级：" in pages[0] + pages[-1] and "评价人：" in pages[-1]
    assert "第 1 页，共" in pages[0]


@needs_soffice
def test_a_shipped_self_evaluation_form_prints_on_one_or_two_pages(tmp_path, cli):
    form = BOOKS / "self_evaluation" / "南县_政务服务专项经费_2020.xlsx"
    out = tmp_path / "复核.xlsx"
    assert cli("run", form, "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["评分表"]
    assert ws["A1"].value == "项目支出绩效自评表"  # a 自评表 keeps the unit's own title
    pages = _score_sheet_pdf_pages(out, "评分表", tmp_path)
    assert 1 <= len(pages) <= 2 and "等级：优" in pages[-1] and "评价人：" in pages[-1]


def test_the_summary_is_titled_bordered_and_adds_up_under_drop(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [["投入", "预算执行", 40, "RATIO(预算执行率, 1)"], [None, "政府采购", 20, "RATIO(采购执行率, 1)"],
            ["产出", "完成率", 40, "RATIO(完成率, 1)"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"], settings={"不适用处理": "剔除"})
    from tests.builders import wide_book

    long_name = "某某县乡村振兴和农业农村事务服务中心（县农业技术推广站）"
    data = wide_book(tmp_path / "w.xlsx", ["预算执行率", "采购执行率", "完成率"],
                     [("甲", ["90%", "不适用", "80%"]), (long_name, ["100%", "50%", "100%"])])
    out = tmp_path / "o.xlsx"
    assert cli("run", ind, data, "-o", out).code == 0
    wb, names = _print_names(out)
    ws = wb["评分汇总"]
    # 12 columns do not fit one A4 width at full size: 单位 … 适用分值 on page 1 (the title over them), 单位 repeated;
    # pages planned with the wider of Excel's and LibreOffice's column widths (the 58-character 单位 column takes
    # 552 px of LibreOffice's 1007), so that LibreOffice adds no breaks of its own
    # (the title right of 单位, so that no piece of it is printed again with 单位 on the following pages)
    assert ws["B1"].value == "部门整体支出绩效评价评分汇总（2 个单位）" and "B1:F1" in map(str, ws.merged_cells.ranges)
    assert [b.id for b in ws.col_breaks.brk] == [6, 11] and ws.print_title_cols == "$A:$A"
    assert ws.page_setup.scale == 100
    # the signature block right of 单位 as well: nothing of it printed again with 单位
    assert ws["B7"].value.startswith("评价人：") and "B7:F7" in map(str, ws.merged_cells.ranges) and ws["A7"].value is None
    assert [c.value for c in ws[2]][:12] == ["单位", "总分", "等级", "排名", "折算前得分", "适用分值", "投入", "产出",
                                             "投入/预算执行", "投入/政府采购", "产出/完成率", "说明"]
    assert [c.value for c in ws[3]][:8] == ["分值", 100, None, None, 100, None, 60, 40]
    # 甲: 采购 not applicable and dropped: 36 + 32 = 68 of the 80 points that applied → 68 × 100 / 80 = 85
    first = [c.value for c in ws[4]]
    assert first[:8] == ["甲", 85, "良", 2, 68, 80, 36, 32]
    assert first[4] == first[6] + first[7] and round(first[4] * 100 / first[5], 2) == first[1]  # the row adds up
    second = [c.value for c in ws[5]]
    assert second[:8] == [long_name, 90, "优", 1, 90, 100, 50, 40]
    assert ws.column_dimensions["A"].width >= len(long_name) * 2 - 2  # the longest name fits (CJK counts two)
    assert ws["B4"].border.left.style == "thin" and ws.freeze_panes == "B4"
    assert names["评分汇总"][1] == "$2:$3" and ws.page_setup.orientation == "landscape"


def test_native_charts_on_the_score_and_summary_sheets(tmp_path, cli):
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", out).code == 0
    wb = openpyxl.load_workbook(out)
    summary = wb["评分汇总"]
    grade_chart, totals_chart = summary._charts
    grades = grade_chart.series[0]
    assert grades.cat.strRef.f == "'评分汇总'!$W$2:$Z$2" and grades.val.numRef.f == "'评分汇总'!$W$3:$Z$3"
    assert [summary.cell(2, c).value for c in range(22, 27)] == ["等级", "优", "良", "中", "差"]
    assert [summary.cell(3, c).value for c in range(22, 27)] == ["单位数", 5, 0, 0, 0]  # five projects, all 优
    totals = totals_chart.series[0]  # every unit's total, straight from the 单位 and 总分 columns
    assert totals.cat.strRef.f == "'评分汇总'!$A$4:$A$8" and totals.val.numRef.f == "'评分汇总'!$B$4:$B$8"
    sheet = wb["评分表-大数据运行经费"]
    (rates,) = sheet._charts
    assert rates.series[0].val.numRef.f == "'评分表-大数据运行经费'!$O$3:$O$6"
    assert [sheet.cell(r, 14).value for r in range(2, 7)] == ["一级指标", "预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert sheet.cell(4, 15).value == 1 and sheet.cell(4, 15).number_format == "0%"
    # charts sit right of what is printed
    assert sheet.print_area == "'评分表-大数据运行经费'!$A$1:$L$15" and summary.print_area == "'评分汇总'!$A$1:$T$10"


@needs_soffice
@pytest.mark.parametrize("system, book", [("project_self", "daying_2023"), ("dept_overall", "lingling_2019")])
def test_libreoffice_prints_the_summary_on_the_pages_planned(system, book, tmp_path, cli):
    """Pages of a wide 评分汇总 planned for Excel's column widths alone were wider in LibreOffice, which broke each
    again: half-empty pages. Planned with the wider of the two, LibreOffice prints exactly the pages planned."""
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["评分汇总"]
    planned = len(ws.col_breaks.brk) + 1
    pages = _score_sheet_pdf_pages(out, "评分汇总", tmp_path)
    assert len(pages) == planned, (len(pages), planned)
    assert "评价人：" in pages[0] and "第 1 页" in pages[0]
    assert not any("评价人" in page or "复核人" in page for page in pages[1:])  # no cut piece of the signatures


@needs_soffice
def test_libreoffice_prints_a_batch_summary_on_the_pages_planned(tmp_path, cli):
    out = tmp_path / "汇总.xlsx"
    assert cli("run", BOOKS / "self_evaluation", "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["评分汇总"]
    pages = _score_sheet_pdf_pages(out, "评分汇总", tmp_path)
    assert len(pages) == len(ws.col_breaks.brk) + 1
    assert "项目支出绩效自评表评分汇总（6 个文件）" in pages[0] and "评价人：" in pages[0]
    assert all("自评表评分汇总" not in page for page in pages[1:])  # the title printed once, not cut on later pages
    assert not any("评价人" in page or "复核人" in page for page in pages[1:])  # and the signatures


def _lone_punctuation(text: str) -> bool:
    from scoring.write.sheet import CLOSING_PUNCTUATION

    return bool(text.strip()) and not text.strip().strip(CLOSING_PUNCTUATION)


def test_no_wrapped_text_leaves_its_closing_punctuation_alone_on_the_last_line(tmp_path, cli):
    """The 零陵 评分表 printed “…预算数的变动比率” and then “。” alone on a line (issue 29): the last character goes
    down with its punctuation, in Excel's layout and in LibreOffice's."""
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", out).code == 0
    ws = openpyxl.load_workbook(out)["评分表"]
    assert ws["G6"].value == "部门本年度“三公经费”预算数与上年度“三公经费”预算数的变动比\n率。"
    assert ws["H20"].value == "按比例计分：实际完成率×5分，满分为\n止。"
    assert ws["A20"].value == "产出\n（得分\n20）"  # a number goes down whole
    from scoring.write.sheet import LINE_UNITS, wrapped_lines

    checked = 0
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width
                for units in LINE_UNITS.values():
                    last = wrapped_lines(cell.value.split("\n")[-1], width, cell.font.sz or 11, units)[-1]
                    assert not _lone_punctuation(last), (cell.coordinate, cell.value)
                checked += 1
    assert checked > 50


@needs_soffice
def test_libreoffice_prints_no_line_of_lone_punctuation(tmp_path, cli):
    out = tmp_path / "结果.xlsx"
    assert cli("run", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", out).code == 0
    _score_sheet_pdf_pages(out, "评分表", tmp_path)
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "评分表.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "预算数的变动比率" not in text.replace("\n", "|")  # 比 | 率。: the break we put there
    assert not [line for line in text.splitlines() if _lone_punctuation(line)]
