"""Values as people type them (issue 11): dates, times and durations as Excel serial numbers, look-alike
minus signs and invisible characters, `1.234,5`, numbers Excel cannot hold; plausibility of rates in `run`."""

import datetime as dt

import openpyxl
import pytest

from scoring.values import MISSING, Invalid, excel_serial, parse_cell_value
from tests.builders import STANDARD_DATA, indicator_book, kv_book, standard_system, wide_book


@pytest.mark.parametrize("typed, expected", [
    ("−5", -5.0),                # U+2212 MINUS SIGN
    ("–0.5", -0.5),              # en dash
    ("9\u200b5%", 0.95),         # zero-width space inside
    ("\ufeff100", 100.0),        # BOM pasted in front
    ("1,234.5", 1234.5),
    ("1.234,5", 1234.5),         # decimal comma, dot for thousands
    ("1.234.567,25", 1234567.25),
    ("10:30", 0.4375),           # time typed as text: what Excel makes of it
    ("0:30", 30 / 1440),
    ("36:00", 1.5),              # a duration over a day
    ("2020-01-01", 43831.0),
    ("2020/1/1", 43831.0),
    ("2020年1月1日", 43831.0),
])
def test_text_read_as_excel_reads_it(typed, expected):
    assert parse_cell_value(typed) == pytest.approx(expected)


@pytest.mark.parametrize("typed", ["12,5", "1e999", "1e309", "-1E400", "3-5", "2020-02-30", "1,23,4"])
def test_numbers_that_are_none_are_invalid_not_text(typed):
    value = parse_cell_value(typed)
    assert isinstance(value, Invalid), value
    assert "看起来是数字" in value.message


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2020, 1, 1), 43831.0),
    (dt.date(1900, 1, 1), 1.0),
    (dt.date(1900, 2, 28), 59.0),
    (dt.date(1900, 3, 1), 61.0),  # Excel counts 1900-02-29
    (dt.datetime(2020, 1, 1, 12), 43831.5),
    (dt.time(10, 30), 0.4375),
    (dt.timedelta(minutes=30), 30 / 1440),
    (dt.timedelta(hours=36), 1.5),
])
def test_dates_times_durations_are_serial_numbers(value, expected):
    assert excel_serial(value) == pytest.approx(expected)
    assert parse_cell_value(value) == pytest.approx(expected)


def test_words_and_blank_unchanged():
    assert parse_cell_value("") is MISSING
    assert parse_cell_value("资金管理办法") == "资金管理办法"
    assert parse_cell_value("x") is False
    assert parse_cell_value(float("inf")).__class__ is Invalid


def _time_system(path):
    rows = [["时效", "响应时间", 10, "10:00 前响应得满分", "IF(响应时间<=TIME_LIMIT, 分值, 0)", None],
            ["合计", None, 10, None, None, None]]
    header = ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"]
    return indicator_book(path, header, rows, derived=[("TIME_LIMIT", "10/24")])


def test_time_cell_compares_as_a_fraction_of_a_day(tmp_path, cli):
    """A time cell (10:30) is 0.4375, later than 10:00 (0.41667): no full marks. It used to be text,
    greater than any number."""
    ind = _time_system(tmp_path / "ind.xlsx")
    late = tmp_path / "late.xlsx"
    kv_book(late, [("响应时间", dt.time(10, 30))])
    early = tmp_path / "early.xlsx"
    kv_book(early, [("响应时间", dt.time(9, 45))])
    assert cli("run", ind, late, "--format", "json", "--dry-run").json()["units"][0]["total"] == 0
    assert cli("run", ind, early, "--format", "json", "--dry-run").json()["units"][0]["total"] == 10


def test_date_cells_subtract_like_excel(tmp_path, cli):
    rows = [["时效", "完成时限", 10, "按期完成得满分", "IF(完成日期-计划日期<=0, 分值, 0)", None],
            ["合计", None, 10, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"], rows)
    data = wide_book(tmp_path / "d.xlsx", ["计划日期", "完成日期"], [
        ("按期", [dt.datetime(2024, 6, 30), dt.datetime(2024, 6, 28)]),
        ("逾期", [dt.datetime(2024, 6, 30), "2024-07-05"]),
    ])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    totals = {u["unit"]: u["total"] for u in r.json()["units"]}
    assert totals == {"按期": 10, "逾期": 0}


def test_number_that_is_none_is_an_error_naming_the_cell_and_others_still_score(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    names = [n for n, _ in STANDARD_DATA[1:]]
    good = [v for _, v in STANDARD_DATA[1:]]
    bad = list(good)
    bad[names.index("预算执行率")] = "9,2%"   # not a thousands separator
    data = wide_book(tmp_path / "d.xlsx", names, [("甲", good), ("乙", bad)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1
    units = {u["unit"]: u for u in r.json()["units"]}
    assert units["甲"]["total"] == pytest.approx(90.2)
    assert units["乙"]["total"] is None
    column = "ABCDEFGHIJ"[names.index("预算执行率") + 1]
    assert f"基础数据!{column}3" in " ".join(units["乙"]["errors"]) and "9,2%" in " ".join(units["乙"]["errors"])


def test_lookalike_minus_read_as_minus(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    items = [(n, "−88%" if n == "“三公经费”变动率" else v) for n, v in STANDARD_DATA]
    data = kv_book(tmp_path / "d.xlsx", items)
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.json()["units"][0]["total"] == pytest.approx(90.2)


def test_inf_in_the_xml_is_an_error_not_full_marks(tmp_path, cli):
    """`<v>1e309</v>` (no spreadsheet writes it, a script can) reads as infinity: an error for that unit."""
    from tests.builders import rewrite_package

    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA, extra_sheets=False)
    raw = data.read_bytes()
    import zipfile, io
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<v>0.76</v>" in sheet
    data.write_bytes(rewrite_package(raw, {"xl/worksheets/sheet1.xml": sheet.replace(b"<v>0.76</v>", b"<v>1e309</v>")}))
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1
    unit = r.json()["units"][0]
    assert unit["total"] is None and "超出 Excel 的范围" in " ".join(unit["errors"])


# ---------------------------------------------------------------- plausibility in run


def _satisfaction_system(path):
    rows = [["效益", "满意度", "服务对象满意度", 10, "≥90%得满分", "TARGET(服务对象满意度, 目标值)", "≥90%"],
            [None, "执行", "预算执行率", 10, "按比例", "RATIO(预算执行率, 1)", None],
            ["合计", None, None, 20, None, None, None]]
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"]
    return indicator_book(path, header, rows, merges=["A3:A4"], settings={"满分": 20})


def test_rate_typed_without_percent_is_a_warning_in_run_and_in_the_note(tmp_path, cli):
    ind = _satisfaction_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", [("服务对象满意度", 85), ("预算执行率", "95%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0
    assert "基础数据!B2" in r.err and "服务对象满意度" in r.err and "85%" in r.err and "--strict" in r.err
    unit = r.json()["units"][0]
    assert any("服务对象满意度" in w for w in unit["warnings"])
    note = next(i["note"] for i in unit["indicators"] if i["path"][-1] == "服务对象满意度")
    assert "注意" in note and "漏了 %" in note


def test_strict_makes_it_an_error(tmp_path, cli):
    ind = _satisfaction_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", [("服务对象满意度", 85), ("预算执行率", "95%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run", "--strict")
    assert r.code == 1
    unit = r.json()["units"][0]
    assert unit["total"] is None and "漏了 %" in " ".join(unit["errors"])


def test_plausible_values_give_no_warning(tmp_path, cli):
    ind = _satisfaction_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", [("服务对象满意度", "85%"), ("预算执行率", 0.95)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0 and "警告" not in r.err
    assert r.json()["units"][0]["warnings"] == []


def test_amount_words_ending_in_du_are_not_rates(tmp_path, cli):
    rows = [["投入", "资金额度", 10, "", "IF(资金额度>=100, 分值, 0)", None], ["合计", None, 10, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"], rows,
                         settings={"满分": 10})
    data = kv_book(tmp_path / "d.xlsx", [("资金额度", 500)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0 and "警告" not in r.err


def test_check_uses_the_same_rule(tmp_path, cli):
    ind = _satisfaction_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", [("服务对象满意度", 85), ("预算执行率", "95%")])
    r = cli("check", ind, data)
    assert "服务对象满意度" in r.out and "漏了 %" in r.out and "≥90%" in r.out


def test_wide_data_beyond_column_200_is_read(tmp_path, cli):
    rows = [["投入", "远列指标", 10, "", "IF(远列指标>=1, 分值, 0)", None], ["合计", None, 10, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"], rows)
    columns = [f"填充{i}" for i in range(1, 260)] + ["远列指标"]
    data = wide_book(tmp_path / "d.xlsx", columns, [("甲", [0] * 259 + [1]), ("乙", [0] * 260)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert {u["unit"]: u["total"] for u in r.json()["units"]} == {"甲": 10, "乙": 0}


def test_formula_number_beyond_excel_is_refused_with_the_cell(tmp_path, cli):
    rows = [["产出", "指标", 10, "IF(x>=1E999, 分值, 0)"], ["合计", None, 10, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "三级指标", "分值", "评分公式"], rows, settings={"满分": 10})
    data = wide_book(tmp_path / "d.xlsx", ["x"], [("甲", [5.0])])
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 2 and "指标体系!D3" in r.err and "1E999" in r.err and "超出 Excel 的范围" in r.err


@pytest.mark.parametrize("units", [1, 49, 50])
def test_round_of_huge_values_never_stops_the_batch(tmp_path, cli, units):
    """ROUND of 1E27 once raised decimal.InvalidOperation: with 50 units the whole run failed."""
    rows = [["产出", "指标", 10, "MIN(分值, ROUND(x, 2) + ROUNDDOWN(-x, -2) + ROUND(x, 15))"], ["合计", None, 10, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "三级指标", "分值", "评分公式"], rows, settings={"满分": 10})
    data = wide_book(tmp_path / "d.xlsx", ["x"], [(f"u{i}", [1.0]) for i in range(units - 1)] + [("大", [1e27])])
    r = cli("run", ind, data, "--dry-run", "--format", "json")
    assert r.code == 0, r.err
    assert {u["unit"]: u["total"] for u in r.json()["units"]}["大"] == 10
