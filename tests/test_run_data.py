"""Data workbooks (SPEC §3): layouts, defined names, typed values, formula cells, file formats."""

import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from scoring.read import read_data
from tests.builders import STANDARD_DATA, STANDARD_TOTAL, indicator_book, kv_book, standard_system, wide_book
from tests.oracle import make_profile, soffice_path

SIMPLE_HEADER = ["一级指标", "二级指标", "分值", "评分公式"]


def simple_system(tmp_path, formula="RATIO(完成率, 1)", name="simple.xlsx"):
    return indicator_book(tmp_path / name, SIMPLE_HEADER, [["产出", "完成率", 100, formula]])


def test_kv_layout_below_a_title_and_unit_name_from_file_name(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "南县行政审批服务局.xlsx", [("完成率", 0.9)], title="基础数据表（2020年度）")
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    assert unit["unit"] == "南县行政审批服务局" and unit["total"] == 90


@pytest.mark.parametrize(
    "typed, expected",
    [(0.95, 95), ("95%", 95), ("95％", 95), ("９５%", 95), ("1,234.5", 100), ("是", 100), ("√", 100), ("×", 0),
     ("否", 0), ("是☑ 否□", 100), ("是□ 否☑", 0), ("Y", 100), ("false", 0)],
)
def test_typed_values(tmp_path, cli, typed, expected):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", typed)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == expected


def test_percent_formatted_cell(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.875)], percent_cells={"完成率"})
    assert cli("run", ind, data, "--format", "json", "--dry-run").json()["units"][0]["total"] == 87.5


def test_blank_value_is_an_error_naming_sheet_and_cell(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", None)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1
    unit = r.json()["units"][0]
    assert unit["total"] is None and unit["grade"] is None
    assert "“完成率”未填写（空白单元格）" in unit["errors"][0]
    assert "指标体系!D3 评分公式第 7 个字符" in unit["errors"][0]


def test_not_applicable_typed_forms(tmp_path, cli):
    ind = simple_system(tmp_path)
    for typed in ("不适用", "N/A", "—", "/"):
        data = kv_book(tmp_path / "d.xlsx", [("完成率", typed)])
        unit = cli("run", ind, data, "--format", "json", "--dry-run").json()["units"][0]
        assert unit["indicators"][1]["status"] == "na", typed


def test_wide_layout_scores_every_unit_and_one_error_does_not_stop_the_others(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    columns = [name for name, _ in STANDARD_DATA if name != "单位名称"]
    row = [value for name, value in STANDARD_DATA if name != "单位名称"]
    broken = list(row)
    broken[columns.index("预算执行率")] = None
    better = list(row)
    better[columns.index("实际完成率")] = 0.95
    data = wide_book(tmp_path / "wide.xlsx", columns, [("甲单位", row), ("乙单位", broken), ("丙单位", better)],
                     title="2023年度各单位基础数据")
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1
    units = {u["unit"]: u for u in r.json()["units"]}
    assert units["甲单位"]["total"] == STANDARD_TOTAL and units["甲单位"]["rank"] == 2
    assert units["丙单位"]["total"] == STANDARD_TOTAL + 5 and units["丙单位"]["rank"] == 1
    assert units["乙单位"]["total"] is None and units["乙单位"]["rank"] is None
    assert "预算执行率" in units["乙单位"]["errors"][0]
    assert "1 个单位有错误" in r.err


def test_defined_names_on_a_printed_form(tmp_path, cli):
    ind = simple_system(tmp_path, "IF(是否公开=1, 分值*完成率, 0)")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据表"
    ws["A1"] = "隆回县行政审批服务局基础数据表"
    ws["A3"], ws["B3"] = "预决算是否公开", "是☑ 否□"
    ws["A4"], ws["B4"] = "年度任务完成情况", "80%"
    ws["D1"] = "隆回县行政审批服务局"
    wb.defined_names["是否公开"] = DefinedName("是否公开", attr_text="基础数据表!$B$3")
    wb.defined_names["完成率"] = DefinedName("完成率", attr_text="基础数据表!$B$4")
    wb.defined_names["单位名称"] = DefinedName("单位名称", attr_text="基础数据表!$D$1")
    path = tmp_path / "form.xlsx"
    wb.save(path)
    r = cli("run", ind, path, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    assert unit["unit"] == "隆回县行政审批服务局" and unit["total"] == 80
    dataset = read_data(path)
    assert dataset.units[0].origins["完成率"] == "名称 完成率（基础数据表!B4）"


def test_formula_cell_without_cached_value_says_to_open_in_excel(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成", 9), ("计划", 10), ("完成率", "=B2/B3")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1
    error = r.json()["units"][0]["errors"][0]
    assert "基础数据!B4 是公式" in error and "请用 Excel/WPS 打开并保存后再评分" in error


def _libreoffice_convert(src, fmt, outdir, tmp_path):
    profile = make_profile(tmp_path / "lo-profile")
    subprocess.run([soffice_path(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                    str(src), "--outdir", str(outdir)], check=True, capture_output=True, timeout=180)


needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed (CI installs it)")


@needs_soffice
def test_formula_cell_read_by_its_cached_value(tmp_path, cli):
    ind = simple_system(tmp_path)
    (tmp_path / "src").mkdir()
    src = kv_book(tmp_path / "src" / "d.xlsx", [("完成", 9), ("计划", 10), ("完成率", "=B2/B3")])
    out = tmp_path / "out"
    out.mkdir()
    _libreoffice_convert(src, "xlsx", out, tmp_path)  # LibreOffice computes and stores the values
    r = cli("run", ind, out / "d.xlsx", "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 90


@needs_soffice
def test_legacy_xls_data_goes_to_a_new_xlsx_beside_it(tmp_path, cli):
    ind = simple_system(tmp_path)
    (tmp_path / "src").mkdir()
    src = kv_book(tmp_path / "src" / "unit.xlsx", [("单位名称", "大英县行政审批局"), ("完成率", "88%")])
    _libreoffice_convert(src, "xls", tmp_path, tmp_path)
    xls = tmp_path / "unit.xls"
    before = xls.read_bytes()
    r = cli("run", ind, xls)
    assert r.code == 0, r.err
    result = tmp_path / "unit_评分结果.xlsx"
    assert result.exists() and str(result) in r.err
    assert xls.read_bytes() == before
    wb = openpyxl.load_workbook(result)
    assert wb["评分汇总"]["B4"].value == 88


def test_xlsm_keeps_its_macros_part(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    xlsm = tmp_path / "d.xlsm"
    shutil.copy(data, xlsm)
    r = cli("run", ind, xlsm, "--format", "json")
    assert r.code == 0, r.err
    assert "评分表" in openpyxl.load_workbook(xlsm, keep_vba=True).sheetnames


def test_no_recognisable_data_is_exit_2_with_what_to_provide(tmp_path, cli):
    ind = simple_system(tmp_path)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便写的"
    wb.save(tmp_path / "x.xlsx")
    r = cli("run", ind, tmp_path / "x.xlsx")
    assert r.code == 2
    assert "找不到数据" in r.err and "名称 | 数值" in r.err and "Traceback" not in r.err


@needs_soffice
def test_legacy_xls_indicator_workbook_with_merges(tmp_path, cli):
    (tmp_path / "src").mkdir()
    src = standard_system(tmp_path / "src" / "ind.xlsx")
    _libreoffice_convert(src, "xls", tmp_path, tmp_path)
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    r = cli("run", tmp_path / "ind.xls", data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == STANDARD_TOTAL
