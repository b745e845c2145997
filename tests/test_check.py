"""`score check`: each class of problem, triggered by a workbook built for it, with its message. Each test asserts
the complete lists of errors, warnings and notes (--format json), so that nothing else is said."""


from tests.builders import STANDARD_DATA, indicator_book, kv_book, standard_system

HEADER = ["一级指标", "分值", "二级指标", "分值", "评分公式", "目标值", "指标编号"]


def book(tmp_path, rows, merges=(), **kwargs):
    return indicator_book(tmp_path / "ind.xlsx", HEADER, rows, merges=merges, **kwargs)


def checked(cli, *args):
    """(exit code, errors, warnings, notes) of `score check … --format json`."""
    r = cli("check", *args, "--format", "json")
    doc = r.json()
    assert doc["ok"] is (r.code == 0)
    return r.code, doc["errors"], doc["warnings"], doc["info"]


def test_shipped_style_system_is_clean(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    r = cli("check", ind, "--strict")
    assert r.code == 0, r.out
    assert "检查完成：没有发现问题" in r.out
    assert checked(cli, ind, "--strict") == (0, [], [], [
        "人工评分指标（1 个，得分在基础数据中填写）：管理制度健全性",
        "需要基础数据提供（9 项）：在职人员数、编制数、三公经费变动率、预算执行率、违规金额、违规次数、实际完成率、完成及时率、"
        "管理制度健全性",
    ])


def test_weights_at_every_level(tmp_path, cli):
    rows = [["投入", 30, "预算执行率", 20, "RATIO(a, 1)", None, None],
            [None, None, "预算调整率", 5, "RATIO(a, 1)", None, None],
            ["产出", 60, "完成率", 60, "RATIO(a, 1)", None, None]]
    ind = book(tmp_path, rows, merges=["A3:A4", "B3:B4"])
    assert checked(cli, ind) == (0, [], [  # warnings only
        "指标体系!B3 “投入”的分值 30 与下级指标分值之和 25 不一致",
        "指标体系 一级指标分值之和 90 与满分 100 不一致",
    ], ["需要基础数据提供（1 项）：a"])
    assert cli("check", ind, "--strict").code == 1


def test_all_compile_errors_at_once_with_cells(tmp_path, cli):
    rows = [["投入", 50, "甲", 50, "RATIO(a, 1", None, None], ["产出", 50, "乙", 50, "VLOOKUP(b)", None, None]]
    ind = book(tmp_path, rows)
    assert "错误（2）" in cli("check", ind).out
    assert checked(cli, ind) == (1, [
        "指标体系!E3 评分公式第 11 个字符：缺少“)”，与第 6 个字符的“(”配对",
        "指标体系!E4 评分公式第 1 个字符：未知函数“VLOOKUP”；可用函数：IF、IFS、ISNA、ISBLANK、AND、OR、NOT、TRUE、FALSE、MIN、"
        "MAX、SUM、AVERAGE、ABS、INT、ROUND、ROUNDUP、ROUNDDOWN、RATIO、RATIO_INV、DEDUCT、TARGET",
    ], [], [])


def test_unknown_names_against_data_with_suggestions(tmp_path, cli):
    rows = [["投入", 100, "在职人员控制率", 100, "RATIO(在职人数, 编制数)", None, None]]
    data = kv_book(tmp_path / "d.xlsx", [("在职人员数", 7), ("编制数", 12)])
    assert checked(cli, book(tmp_path, rows), data) == (1, [
        "指标体系!E3 评分公式：基础数据中没有“在职人数”（是否指 “在职人员数”？）",  # said once (not again by the trial run)
    ], [], [])


def test_near_miss_of_a_derived_name_without_data(tmp_path, cli):
    rows = [["投入", 100, "在职人员控制率", 100, "RATIO(在职人员控制律, 1)", None, None]]
    ind = book(tmp_path, rows, derived=[("在职人员控制率", "在职人员数/编制数")])
    assert checked(cli, ind) == (0, [], [
        "计算项!B2 计算项“在职人员控制率”没有被任何公式使用",
        "指标体系!E3 评分公式：“在职人员控制律”不是计算项，与计算项“在职人员控制率”只差一点，是否写错？",
    ], ["需要基础数据提供（1 项）：在职人员控制律"])


def test_derived_cycle_names_the_cells(tmp_path, cli):
    rows = [["投入", 100, "甲", 100, "RATIO(x, 1)", None, None]]
    ind = book(tmp_path, rows, derived=[("x", "y+1"), ("y", "z*2"), ("z", "x")])
    assert checked(cli, ind) == (1, ["计算项循环引用：x（计算项!B2） → y（计算项!B3） → z（计算项!B4） → x（计算项!B2）"], [], [])


def test_unparseable_target_duplicates_and_points_overflow(tmp_path, cli):
    rows = [["投入", 50, "甲", 20, "TARGET(a, 目标值)", "良好", "1.1"],
            [None, None, "乙", 20, "IF(b, 3, 0) + IF(c, 2, 0) + 20", None, "1.1"],
            [None, None, "甲", 10, "RATIO(a, 1)", None, "1.3"],
            ["产出", 50, "丙", 50, "TARGET(a, 目标值)", None, None]]
    assert checked(cli, book(tmp_path, rows, merges=["A3:A5", "B3:B5"])) == (1, [
        "指标体系!C4 指标编号“1.1”重复（已用于 指标体系!C3）",
        "指标体系!E6 评分公式 用了“目标值”，但“丙”的目标值为空",
    ], [
        "指标体系!C5 末级指标“甲”与 指标体系!C3 同名：人工评分和“完成值”按名称取数时会取同一个数据，请改名或填写指标编号",
        "指标体系!E4 评分公式 最高可得 25 分，超过分值 20（超出部分将按分值计）",
        "指标体系!F3 “甲”的目标值“良好”是定性的，但评分公式用到目标值：评分时这个指标会报错；请删去公式按人工评分，"
        "或把目标值写成数值（如 ≥95%）",  # a warning, not blocking
    ], ["需要基础数据提供（3 项）：a、b、c"])


def test_points_that_are_no_number_say_what_to_type(tmp_path, cli):
    rows = [["投入", 100, "甲", "很多", "RATIO(a, 1)", None, None]]
    assert checked(cli, book(tmp_path, rows)) == (1, ["指标体系!D3 分值“很多”不是数字：请填写数字，如 5"], [],
                                                ["需要基础数据提供（1 项）：a"])


def test_settings_out_of_range(tmp_path, cli):
    rows = [["投入", 100, "甲", 100, "RATIO(a, 1)", None, None]]
    settings = {"小数位数": 9, "等级": "优:190,差:0", "不适用处理": "跳过", "满分": -5}
    assert checked(cli, book(tmp_path, rows, settings=settings)) == (1, [
        "设置!B2 小数位数应为 0 到 6 的整数，现为“9”",
        "设置!B4 不适用处理应为“满分”或“剔除”，现为“跳过”",
        "设置!B5 满分应为正数，现为“-5”",
        "设置 等级“优”的分数线 190 应在 0 到 100 之间（为满分的百分比）",
    ], [], ["需要基础数据提供（1 项）：a"])


def test_data_problems_per_unit(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    items = dict(STANDARD_DATA)
    items.update({"编制数": None, "预算执行率": 92, "实际完成率": "较好", "完成及时率": "不适用"})
    data = kv_book(tmp_path / "d.xlsx", list(items.items()))
    text = "基础数据!B10 “实际完成率”是文本“较好”，公式需要数值或是/否：请改成数字或 是/否；如果该项不适用，请填“不适用”"
    assert checked(cli, ind, data) == (1, [
        text,
        "基础数据!B4 “编制数”未填写",  # each said once: the trial run adds its warnings, not the errors found already
    ], [
        "“投入/预算执行/预算执行率”：基础数据!B6 “预算执行率”为 92，大于 1.5：比率应写成 92% 或 0.92，是否漏了 %？请核对",
    ], ["人工评分指标（1 个，得分在基础数据中填写）：管理制度健全性", "基础数据!B11 “完成及时率”为不适用"])


def test_json_output(tmp_path, cli):
    rows = [["投入", 100, "甲", 100, "RATIO(a, 1", None, None]]
    r = cli("check", book(tmp_path, rows), "--format", "json")
    doc = r.json()
    assert doc["ok"] is False and r.code == 1
    assert (doc["errors"], doc["warnings"], doc["info"]) == (["指标体系!E3 评分公式第 11 个字符：缺少“)”，与第 6 个字符的“(”配对"], [], [])


def test_shipped_systems_pass_strict(cli):
    from pathlib import Path

    sets = sorted(Path(__file__).resolve().parent.parent.joinpath("indicator_sets").glob("*.xlsx"))
    assert sets
    for path in sets:
        code, errors, warnings, _ = checked(cli, path, "--strict")
        assert (code, errors, warnings) == (0, [], []), path.name
