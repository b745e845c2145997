"""Write-back and output (SPEC §5): 评分表 in the indicator layout, 评分汇总, -o, --dry-run, guards."""

import csv
import io
import os
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from tests.builders import STANDARD_DATA, STANDARD_TOTAL, indicator_book, kv_book, standard_system, wide_book


def snapshot(path, skip=("评分表", "评分汇总")):
    """Every cell's value and style, merges and widths of every sheet not written by us."""
    wb = openpyxl.load_workbook(path)
    shot = {}
    for ws in wb.worksheets:
        if ws.title in skip or ws.title.startswith("评分表-"):
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    # style proxies do not compare equal to themselves: compare their full repr
                    cells[c.coordinate] = (c.value, repr(c.font), repr(c.border), repr(c.fill), c.number_format,
                                           repr(c.alignment), repr(c.protection))
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        shot[ws.title] = (cells, sorted(map(str, ws.merged_cells.ranges)), widths)
    return wb.sheetnames, shot


@pytest.fixture
def standard(tmp_path):
    return standard_system(tmp_path / "ind.xlsx"), kv_book(tmp_path / "data.xlsx", STANDARD_DATA)


def test_write_back_fills_the_indicator_layout(standard, cli):
    ind, data = standard
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    assert "评分结果已写回" in r.err
    wb = openpyxl.load_workbook(data)
    assert wb.sheetnames == ["基础数据", "附表", "评分汇总", "评分表"]
    ws = wb["评分表"]
    src = openpyxl.load_workbook(ind)["指标体系"]
    # layout: merges, widths, fonts, borders as in the indicator workbook
    # (plus the signature block two rows under the table, merged across the printed width)
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted([*map(str, src.merged_cells.ranges), "A12:I12"])
    assert ws.column_dimensions["C"].width == src.column_dimensions["C"].width == 24
    assert ws.column_dimensions["E"].width == 36
    assert ws["A1"].value.endswith("绩效评价评分表") and ws["A1"].font.bold and ws["A1"].font.size == 16  # its own title
    assert ws["A2"].fill.fgColor.rgb == src["A2"].fill.fgColor.rgb
    assert ws["C3"].border.left.style == "thin"
    # scores and notes in 得分 / 扣分说明
    assert ws["H3"].value == 5 and ws["H5"].value == 9.2 and ws["H8"].value == 20
    assert ws["I5"].value == "预算执行率为 92%，低于 100%，按比例计分，扣 0.8 分"
    assert ws["I8"].value == "实际完成率为 76%（目标值 ≥95%），未达到目标值 ≥95%，按完成程度计分，扣 5 分"
    # subtotals in the merged level cells, total in the 合计 row
    assert ws["A3"].value == "投入\n（得分 19.2）"
    assert ws["B3"].value == "预算配置\n（得分\n10）"  # in its narrow column “10）” goes down whole, never “）” alone
    assert ws["A10"].value == "合计" and ws["H10"].value == STANDARD_TOTAL
    assert "等级：优" in ws["I10"].value
    # formulas are copied as text, not as Excel formulas
    assert ws["F3"].data_type == "s"
    summary = wb["评分汇总"]  # a title, the header, the 分值 of each column, then the units
    assert summary["B1"].value.endswith("评分汇总（1 个单位）")  # over page 1, right of the 单位 column repeated
    header = [c.value for c in summary[2]]
    assert header[:7] == ["单位", "总分", "等级", "排名", "投入", "过程", "产出"]
    assert "投入/预算配置" in header
    assert [c.value for c in summary[3]][:2] == ["分值", 100]
    assert [c.value for c in summary[4]][:7] == ["零陵区政务服务中心", STANDARD_TOTAL, "优", 1, 19.2, 26, 45]


def test_other_sheets_are_left_exactly_as_they_were(standard, cli):
    ind, data = standard
    names_before, before = snapshot(data)
    assert cli("run", ind, data).code == 0
    names_after, after = snapshot(data)
    assert before == after
    assert names_after[: len(names_before)] == names_before
    wb = openpyxl.load_workbook(data)
    assert wb["附表"]["C3"].value == "=B2*2"  # a formula stays a formula
    # a second run replaces the result sheets instead of adding more
    assert cli("run", ind, data).code == 0
    assert openpyxl.load_workbook(data).sheetnames == names_after


def test_output_option_leaves_the_data_workbook_untouched(standard, cli, tmp_path):
    ind, data = standard
    before = data.read_bytes()
    out = tmp_path / "结果.xlsx"
    r = cli("run", ind, data, "-o", out)
    assert r.code == 0, r.err
    assert data.read_bytes() == before
    assert openpyxl.load_workbook(out).sheetnames == ["评分汇总", "评分表"]


def test_dry_run_writes_nothing(standard, cli):
    ind, data = standard
    before = (data.read_bytes(), os.stat(data).st_mtime_ns)
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 0 and "未写任何文件" in r.err
    assert (data.read_bytes(), os.stat(data).st_mtime_ns) == before
    assert sorted(p.name for p in data.parent.iterdir()) == ["data.xlsx", "ind.xlsx"]


def test_output_onto_an_input_is_refused(standard, cli, tmp_path):
    ind, data = standard
    for target in (data, ind):
        r = cli("run", ind, data, "-o", target)
        assert r.code == 2 and "输出文件不能是基础数据或指标体系工作簿本身" in r.err
    for name in ("out.xlsm", "out.csv"):
        r = cli("run", ind, data, "-o", tmp_path / name)
        assert r.code == 2 and "输出文件应为 .xlsx" in r.err and "（-o）" in r.err


def test_workbook_open_in_excel_is_refused(standard, cli, excel_running):
    ind, data = standard
    (data.parent / "~$data.xlsx").write_bytes(b"lock")
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2
    assert "正在 Excel/WPS/LibreOffice 中打开" in r.err and "~$data.xlsx" in r.err and "请先关闭该文件" in r.err
    assert data.read_bytes() == before


def test_workbook_open_in_libreoffice_is_refused(standard, cli, excel_running):
    ind, data = standard
    (data.parent / ".~lock.data.xlsx#").write_text(",user,host,01.01.2026 10:00,file:///x;")
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2 and ".~lock.data.xlsx#" in r.err and "请先关闭该文件" in r.err
    assert data.read_bytes() == before


def test_no_temporary_files_are_left(standard, cli):
    ind, data = standard
    assert cli("run", ind, data).code == 0
    assert sorted(p.name for p in data.parent.iterdir()) == ["data.xlsx", "ind.xlsx"]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "x"), ("完成率", 1)])
    wb = openpyxl.load_workbook(data)
    wb["基础数据"]["B2"].value = '=HYPERLINK("http://x","点我")'
    wb["基础数据"]["B2"].data_type = "s"  # typed as text by the user
    wb.save(data)
    assert cli("run", ind, data).code == 0
    wb = openpyxl.load_workbook(data)
    cell = wb["评分汇总"]["A4"]
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"
    with zipfile.ZipFile(data) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>HYPERLINK" in xml for xml in sheets)


def test_many_units_get_per_unit_sheets_up_to_twenty(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    units = [(f"单位{i:02d}", [i / 25]) for i in range(1, 26)]
    data = wide_book(tmp_path / "w.xlsx", ["完成率"], units)
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(data)
    assert len([s for s in wb.sheetnames if s.startswith("评分表-")]) == 20
    assert wb["评分汇总"].max_row == 30  # title, header, 分值, 25 units, a blank row, the signature block
    assert "排名" in r.out and "等级分布" in r.out
    r = cli("run", ind, data, "--sheets", "all")
    assert len([s for s in openpyxl.load_workbook(data).sheetnames if s.startswith("评分表-")]) == 25


def test_json_is_the_only_thing_on_stdout(standard, cli):
    ind, data = standard
    r = cli("run", ind, data, "--format", "json")
    doc = r.json()
    assert doc["max_total"] == 100
    unit = doc["units"][0]
    assert set(unit) == {"unit", "total", "grade", "rank", "indicators", "errors", "warnings"}
    assert len(unit["indicators"]) == 3 + 5 + 7
    assert {i["status"] for i in unit["indicators"]} <= {"ok", "clamped", "na", "manual", "error"}


def test_csv_has_one_row_per_unit_and_indicator(standard, cli):
    ind, data = standard
    r = cli("run", ind, data, "--format", "csv", "--dry-run")
    assert r.out.startswith("\ufeff")  # UTF-8 BOM: Excel then reads the Chinese correctly
    rows = list(csv.reader(io.StringIO(r.out.removeprefix("\ufeff"))))
    assert rows[0] == ["单位", "编号", "指标", "层级", "分值", "得分", "状态", "说明", "总分", "等级", "排名"]
    assert len(rows) == 1 + 15
    leaf = next(row for row in rows if row[2] == "投入/预算执行/预算执行率")
    assert leaf[5] == "9.2" and leaf[6] == "正常" and leaf[8] == "90.2"


def test_terminal_table_for_one_unit(standard, cli):
    ind, data = standard
    r = cli("run", ind, data, "--dry-run")
    assert "　　预算执行率" in r.out  # indented by level
    assert "总分：90.2 / 100　等级：优" in r.out


def test_bad_formula_in_the_system_is_exit_2_and_nothing_written(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 50, "RATIO(完成率, 1"], [None, "及时率", 50, "VLOOKUP(及时率)"]],
                         merges=["A3:A4"])
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 1), ("及时率", 1)])
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2
    assert "有 2 处错误" in r.err
    assert "指标体系!D3 评分公式第 13 个字符：缺少“)”，与第 6 个字符的“(”配对" in r.err
    assert "指标体系!D4 评分公式第 1 个字符：未知函数“VLOOKUP”" in r.err
    assert data.read_bytes() == before


def test_usage_errors_are_chinese(cli, tmp_path):
    r = cli("run")
    assert r.code == 2 and "用法错误" in r.err
    r = cli("run", tmp_path / "无.xlsx", tmp_path / "无2.xlsx")
    assert r.code == 2 and "找不到指标体系工作簿" in r.err


def test_output_to_a_gbk_console_never_fails(standard, tmp_path):
    """`score run … > 结果.txt` on a Chinese Windows console: the code page is GBK, which lacks U+2212."""
    ind, data = standard
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    for fmt in ("table", "csv", "json"):
        done = subprocess.run([sys.executable, "-m", "scoring.cli", "run", str(ind), str(data), "--dry-run",
                               "--format", fmt], capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr.decode("gbk", "replace")
        out = done.stdout.decode("gbk")
        assert "零陵区政务服务中心" in out and "内部错误" not in done.stderr.decode("gbk")
    table = subprocess.run([sys.executable, "-m", "scoring.cli", "run", str(ind), str(data), "--dry-run"],
                           capture_output=True, env=env, timeout=120).stdout.decode("gbk")
    assert "失分" in table and "-" in table and "\u2212" not in table


def test_single_unit_error_does_not_mention_other_units(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "x"), ("完成率", "很多")])
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 1 and "其余单位" not in r.err and "该单位有错误" in r.err


@pytest.mark.parametrize("layout", ["kv", "wide"])
def test_a_blank_data_cell_is_named_in_run(tmp_path, cli, layout):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 100, "RATIO(完成数/计划数, 1)"]])
    if layout == "kv":
        data = kv_book(tmp_path / "d.xlsx", [("单位名称", "x"), ("完成数", None), ("计划数", 5)])
        cell = "基础数据!B3"
    else:
        data = wide_book(tmp_path / "d.xlsx", ["完成数", "计划数"], [("甲", [1, 5]), ("乙", [None, 5])])
        cell = "基础数据!B3"  # 乙's row
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 1
    assert f"“完成数”未填写（空白单元格），请在 {cell} 填写" in r.err


def test_terminal_ranking_of_many_units_lists_the_first_hundred(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = wide_book(tmp_path / "w.xlsx", ["完成率"], [(f"单位{i:03d}", [i / 150]) for i in range(150)])
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 0
    assert "单位149" in r.out and "单位049" not in r.out  # best first: 149 … 50 shown
    assert "共 150 个单位，这里只列前 100 名" in r.out and "等级分布" in r.out
