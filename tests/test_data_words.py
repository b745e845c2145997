"""Data values that were silently wrong or reported without their cell (issue 25): yes/no words (未建立, 不符合 …),
无 where a figure is read, text where a number is read, units (480万元 against ≥500万元), negative amounts."""

import pytest

from tests.builders import indicator_book, kv_book, wide_book

HEADER = ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"]


def one_leaf(path, formula, target=None, weight=20, name="指标", derived=None):
    """An indicator system of one leaf: its formula in 指标体系!E3, its 目标值 in 指标体系!F3."""
    rows = [["过程", name, weight, "", formula, target], ["合计", None, weight, None, None, None]]
    return indicator_book(path, HEADER, rows, settings={"满分": weight}, derived=derived)


def scored(cli, ind, data, *extra):
    r = cli("run", ind, data, "--format", "json", "--dry-run", *extra)
    return r, r.json()["units"][0]


# ---------------------------------------------------------------- yes/no words


@pytest.mark.parametrize("formula", ["IF(制度健全=0, 0, 20)", "IF(制度健全>0, 20, 0)", "IF(制度健全<>0, 20, 0)",
                                     "IF(制度健全, 20, 0)"])
@pytest.mark.parametrize("word", ["未建立", "不符合", "未完成", "没有", "不具备", "✕", "未制定", "不健全", "尚未落实", "无"])
def test_no_words_are_no(tmp_path, cli, formula, word):
    """They were text, greater than any number: 未建立 scored 20/20."""
    ind = one_leaf(tmp_path / "ind.xlsx", formula)
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("制度健全", word)]))
    assert r.code == 0, r.err
    assert unit["total"] == 0
    assert unit["indicators"][-1]["note"] == "制度不健全，该项不得分"


@pytest.mark.parametrize("word", ["已建立", "符合", "完成", "有", "已完成", "健全", "是", "√"])
def test_yes_words_are_yes(tmp_path, cli, word):
    ind = one_leaf(tmp_path / "ind.xlsx", "IF(制度健全=0, 0, 20)")
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("制度健全", word)]))
    assert r.code == 0 and unit["total"] == 20


@pytest.mark.parametrize("text", ["基本健全", "部分完成", "不涉及", "正在制定"])
def test_other_words_are_errors_naming_the_cell_in_run_and_check(tmp_path, cli, text):
    """Not a yes/no answer: no score at all rather than a wrong one, and the same message in run and check."""
    ind = one_leaf(tmp_path / "ind.xlsx", "IF(制度健全=0, 0, 20)")
    data = kv_book(tmp_path / "d.xlsx", [("其他", 1), ("制度健全", text)])
    r, unit = scored(cli, ind, data)
    assert r.code == 1 and unit["total"] is None
    expected = f"基础数据!B3 “制度健全”是文本“{text}”，公式需要数值或是/否"
    assert expected in " ".join(unit["errors"]) and "指标体系!E3" in " ".join(unit["errors"])
    assert "如果该项不适用，请填“不适用”" in " ".join(unit["errors"])
    checked = cli("check", ind, data)
    assert checked.code == 1 and expected in checked.out.split("警告")[0]


# ---------------------------------------------------------------- text where a number is read


@pytest.mark.parametrize("text, hint", [("约90%", "请只填数字（如 90%）"), ("不涉及", "请改成数字或 是/否"),
                                        ("九成", "请改成数字或 是/否")])
def test_text_in_a_rate_names_the_data_cell_in_run(tmp_path, cli, text, hint):
    """run named only the formula cell (指标体系!E3 … TARGET 的完成值是文本); check named the data cell."""
    ind = one_leaf(tmp_path / "ind.xlsx", "RATIO(预算执行率, 1)", name="预算执行率", weight=10)
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "甲"), ("预算执行率", text)])
    r, unit = scored(cli, ind, data)
    assert r.code == 1 and unit["total"] is None
    message = f"基础数据!B3 “预算执行率”是文本“{text}”，公式需要数值或是/否：{hint}；如果该项不适用，请填“不适用”"
    assert message in " ".join(unit["errors"])
    assert message in r.err
    checked = cli("check", ind, data)
    assert checked.code == 1 and message in checked.out


def test_text_compared_with_text_is_still_text(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", 'IF(评价等级="优", 20, 10)')
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("评价等级", "优")]))
    assert r.code == 0 and unit["total"] == 20


# ---------------------------------------------------------------- 无 where a figure is read


def test_none_in_a_rate_asks_whether_not_applicable(tmp_path, cli):
    """无 in a rate was 否 = 0: 0 points, where the unit most likely meant 不适用."""
    ind = one_leaf(tmp_path / "ind.xlsx", "RATIO(预算执行率, 1)", name="预算执行率", weight=10)
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "甲"), ("预算执行率", "无")])
    r, unit = scored(cli, ind, data)
    assert r.code == 1 and unit["total"] is None
    message = "基础数据!B3 “预算执行率”填的是“无”：如果该项不适用，请填“不适用”；否则请填数字"
    assert message in " ".join(unit["errors"])
    checked = cli("check", ind, data)
    assert checked.code == 1 and message in checked.out


def test_none_compared_with_a_figure_is_asked_about_too(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "IF(违规金额<=1000, 20, 0)")
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("违规金额", "无")]))
    assert r.code == 1 and "“违规金额”填的是“无”" in " ".join(unit["errors"])


def test_none_in_a_wide_table_is_that_unit_s_error(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "RATIO(预算执行率, 1)", name="预算执行率", weight=10)
    data = wide_book(tmp_path / "d.xlsx", ["预算执行率"], [("甲", ["90%"]), ("乙", ["无"]), ("丙", ["不适用"])])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    units = {u["unit"]: u for u in r.json()["units"]}
    assert r.code == 1
    assert units["甲"]["total"] == 9 and units["丙"]["total"] == 10
    assert units["乙"]["total"] is None and "基础数据!B3 “预算执行率”填的是“无”" in " ".join(units["乙"]["errors"])


# ---------------------------------------------------------------- units


def test_figure_typed_with_a_unit_is_converted_to_the_target_s_unit(tmp_path, cli):
    """480万元 was text (an error); against ≥5000000元 it is 4,800,000 元: 9.6 of 10."""
    for target in ("≥5000000元", "≥500万元", "≥0.05亿元"):
        ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(资金规模, 目标值)", target, weight=10)
        r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("资金规模", "480万元")]))
        assert r.code == 0, r.err
        assert unit["total"] == pytest.approx(9.6), target
        assert unit["warnings"] == []


def test_unit_in_the_data_name_is_the_figure_s_unit(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(完成值, 目标值)", "≥5000000元", weight=10, name="资金规模")
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("资金规模（万元）", 480)]))
    assert r.code == 0 and unit["total"] == pytest.approx(9.6)


def test_plain_figure_far_from_a_target_with_a_unit_is_a_warning_naming_both_cells(tmp_path, cli):
    """4,800,000 against ≥500万元 had full marks without a word."""
    ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(资金规模, 目标值)", "≥500万元", weight=10)
    data = kv_book(tmp_path / "d.xlsx", [("资金规模", 4800000)])
    r, unit = scored(cli, ind, data)
    assert r.code == 0
    warning = " ".join(unit["warnings"])
    for part in ("基础数据!B2", "指标体系!F3", "没有写单位，按目标值", "“万元”计", "4800000元（即 480万元）"):
        assert part in warning, part
    assert "注意" in unit["indicators"][-1]["note"]
    checked = cli("check", ind, data)
    assert "基础数据!B2 “资金规模”为 4800000，没有写单位" in checked.out and "指标体系!F3" in checked.out
    strict, unit = scored(cli, ind, data, "--strict")
    assert strict.code == 1 and unit["total"] is None


def test_plain_figure_near_the_target_is_taken_in_its_unit_without_a_word(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(资金规模, 目标值)", "≥500万元", weight=10)
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("资金规模", 480)]))
    assert r.code == 0 and unit["total"] == pytest.approx(9.6) and unit["warnings"] == []


def test_figure_in_a_unit_of_another_kind_is_an_error(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(资金规模, 目标值)", "≥500万元", weight=10)
    data = kv_book(tmp_path / "d.xlsx", [("资金规模", "30人")])
    r, unit = scored(cli, ind, data)
    assert r.code == 1 and "基础数据!B2 “资金规模”为 30人，与目标值（指标体系!F3）≥500万元 的单位不是同一类" in " ".join(unit["errors"])


def test_units_in_a_wide_table_scalar_and_vector_agree(tmp_path):
    from scoring import read_data, read_indicator_system
    from scoring.engine import score

    ind = one_leaf(tmp_path / "ind.xlsx", "TARGET(资金规模, 目标值)+0", "≥500万元", weight=10)
    data = wide_book(tmp_path / "d.xlsx", ["资金规模"], [("甲", ["480万元"]), ("乙", ["4,800,000元"]), ("丙", [480]),
                                                          ("丁", ["3亿元"]), ("戊", ["12人"])])
    system, dataset = read_indicator_system(ind), read_data(data)
    fast, slow = score(system, dataset), score(system, dataset, vectorised=False)
    totals = [u.total for u in fast.units]
    assert totals == [pytest.approx(9.6), pytest.approx(9.6), pytest.approx(9.6), 10, None]
    assert totals == [u.total for u in slow.units]
    assert [u.errors for u in fast.units] == [u.errors for u in slow.units]


# ---------------------------------------------------------------- negative amounts


def test_negative_budget_is_an_error_naming_the_cell(tmp_path, cli):
    """-50 spent of a budget of -100 scored as 50 % execution."""
    ind = one_leaf(tmp_path / "ind.xlsx", "RATIO(全年执行数, 全年预算数)", name="预算执行率", weight=10)
    data = kv_book(tmp_path / "d.xlsx", [("全年预算数", -100), ("全年执行数", -50)])
    r, unit = scored(cli, ind, data)
    assert r.code == 1 and unit["total"] is None
    message = "基础数据!B2 “全年预算数”为 -100：预算、资金、支出等金额不能为负数，请改正"
    assert message in " ".join(unit["errors"])
    checked = cli("check", ind, data)
    assert checked.code == 1 and message in checked.out and "基础数据!B3 “全年执行数”为 -50" in checked.out


def test_negative_amount_read_through_a_derived_item(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "RATIO(预算执行率, 1)", name="预算执行率", weight=10,
                   derived=[("预算执行率", "执行数/年初预算数", "")])
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("年初预算数", -200), ("执行数", -100)]))
    assert r.code == 1 and "基础数据!B2 “年初预算数”为 -200" in " ".join(unit["errors"])


def test_changes_may_be_negative(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", "IF(调整预算数/年初预算数<=0, 10, 0)", name="预算调整率", weight=10)
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("年初预算数", 200), ("调整预算数", -20)]))
    assert r.code == 0 and unit["total"] == 10


def test_negative_budget_on_a_self_evaluation_form(tmp_path, cli):
    """A 自评表 whose 全年预算数 and 全年执行数 are negative scored 预算执行率 as 50 %."""
    from tests.builders import self_evaluation_form
    from tests.test_self_evaluation import HONEST

    form = self_evaluation_form(tmp_path / "自评表.xlsx", "便民中心", (-100, -100, -50, 10, 10), HONEST, merges=["B13:B16"])
    r = cli("run", form, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    assert r.code == 1 and unit["total"] is None
    assert "自评表!D6 “全年预算数”为 -100：预算、资金、支出等金额不能为负数" in " ".join(unit["errors"])


def test_manual_score_typed_as_text_names_its_cell(tmp_path, cli):
    ind = one_leaf(tmp_path / "ind.xlsx", None, weight=10, name="绩效目标合理性")
    r, unit = scored(cli, ind, kv_book(tmp_path / "d.xlsx", [("单位名称", "甲"), ("绩效目标合理性", "较好")]))
    assert r.code == 1 and "基础数据中是“较好”（基础数据!B3）" in " ".join(unit["errors"])
