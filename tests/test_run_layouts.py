"""`score run` end to end on indicator tables in the messy layouts of real bureaus (SPEC §2.1)."""


from tests.builders import STANDARD_DATA, STANDARD_TOTAL, indicator_book, kv_book, standard_system


def scores(result):
    unit = result.json()["units"][0]
    return {"/".join(i["path"]): i["score"] for i in unit["indicators"]}, unit


def test_standard_merged_layout_with_title_and_bracketed_headers(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    by_path, unit = scores(r)
    assert unit["unit"] == "零陵区政务服务中心"
    assert unit["total"] == STANDARD_TOTAL
    assert unit["grade"] == "优"
    assert by_path["投入"] == 19.2 and by_path["投入/预算执行/预算执行率"] == 9.2
    assert by_path["产出/产出数量/实际完成率"] == 20.0
    assert by_path["过程/资金管理"] == 26.0
    leaf = next(i for i in unit["indicators"] if i["path"][-1] == "预算执行率")
    assert leaf == {"code": "1.2.1", "path": ["投入", "预算执行", "预算执行率"], "level": 3, "weight": 10,
                    "score": 9.2, "status": "ok", "note": "预算执行率为 92%，低于 100%，按比例计分，扣 0.8 分", "kind": "normal"}
    manual = next(i for i in unit["indicators"] if i["path"][-1] == "管理制度健全性")
    assert manual["status"] == "manual" and manual["note"] == "人工评分，扣 4 分"


def test_blank_level_cells_fill_down_within_their_group_only(tmp_path, cli):
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分公式"]
    rows = [
        ["决策", "项目立项", "立项依据充分性", 4, "a"],
        [None, None, "立项程序规范性", 4, "a"],
        [None, "绩效目标", "绩效目标合理性", 2, "a"],
        ["过程", None, "资金到位率", 10, "a"],  # new 一级: 二级 does not carry over from 决策
        [None, "组织实施", "管理制度健全性", 80, "a"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, title=None)
    data = kv_book(tmp_path / "d.xlsx", [("a", 100)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    paths = [i["path"] for i in r.json()["units"][0]["indicators"]]
    assert ["决策", "项目立项", "立项程序规范性"] in paths
    assert ["决策", "绩效目标", "绩效目标合理性"] in paths
    assert ["过程", "资金到位率"] in paths  # not 过程/绩效目标/资金到位率
    assert r.json()["units"][0]["total"] == 100


def test_points_embedded_in_names_and_parents_summing_children(tmp_path, cli):
    header = ["一级指标", "二级指标", "三级指标", "评分公式"]
    rows = [
        ["产出(60分)", "数量指标(20)", "完成数量（10分）", "RATIO(完成数量, 10)"],
        [None, None, "完成面积 10分", "RATIO(完成面积, 1600)"],
        [None, "质量指标（40分）", "验收合格率(40)", "RATIO(验收合格率, 1)"],
        ["效益（40分）", "社会效益", "满意度（40）", "RATIO(满意度, 0.9)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A5", "B3:B4"])
    data = kv_book(tmp_path / "d.xlsx", [("完成数量", 8), ("完成面积", 1600), ("验收合格率", 1), ("满意度", 0.95)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    by = {"/".join(i["path"]): (i["weight"], i["score"]) for i in unit["indicators"]}
    assert by["产出"] == (60, 58.0)
    assert by["产出/数量指标"] == (20, 18.0)
    assert by["产出/数量指标/完成数量"] == (10, 8.0)
    assert by["产出/数量指标/完成面积"] == (10, 10.0)
    assert by["效益/社会效益"] == (40, 40.0)  # 社会效益 has no points: sum of its children
    assert unit["total"] == 98.0


def test_only_leaves_have_points_and_branches_of_different_depth(tmp_path, cli):
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分公式"]
    rows = [
        ["投入", "预算执行率", None, 30, "RATIO(预算执行率, 1)"],  # level-2 leaf
        [None, "预算配置", "重点支出安排率", 20, "RATIO(重点支出安排率, 1)"],
        ["产出", "完成率", None, 50, "RATIO(完成率, 1)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"])
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.9), ("重点支出安排率", 1), ("完成率", 0.5)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    by = {"/".join(i["path"]): (i["level"], i["weight"], i["score"]) for i in unit["indicators"]}
    assert by["投入"] == (1, 50, 47.0)
    assert by["投入/预算执行率"] == (2, 30, 27.0)
    assert by["产出/完成率"] == (2, 50, 25.0)
    assert unit["total"] == 72.0 and unit["grade"] == "中"


def test_total_row_blank_row_and_notes_below_end_the_table(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [
        ["投入", "预算执行率", 100, "RATIO(预算执行率, 1)"],
        ["总分", None, 100, None],
        [None, None, None, None],
        ["填报人：张三", None, None, None],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, notes_below=["审核人：李四", "备注：本表一式两份"])
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.8)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    assert [i["path"] for i in unit["indicators"]] == [["投入"], ["投入", "预算执行率"]]
    assert unit["total"] == 80.0


def test_bonus_and_penalty_rows_are_outside_the_hundred(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式", "指标类型"]
    rows = [
        ["投入", "预算执行率", 100, "RATIO(预算执行率, 1)", None],
        ["加分项", "获省级表彰", 5, "IF(获省级表彰, 分值, 0)", None],
        ["扣分项", "审计问题", 10, "DEDUCT(-审计问题数, 2)*0 + MIN(审计问题数*2, 分值)", None],
        [None, "信息公开", 3, "IF(公开延迟, 分值, 0)", "扣分"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A5:A6"])
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.96), ("获省级表彰", "是"), ("审计问题数", 1), ("公开延迟", "否")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    assert unit["total"] == 96 + 5 - 2
    kinds = {i["path"][-1]: i["kind"] for i in unit["indicators"]}
    assert kinds["获省级表彰"] == "bonus" and kinds["审计问题"] == "penalty" and kinds["信息公开"] == "penalty"
    assert "一级指标分值之和" not in r.err  # bonus/penalty points are not in the weight check


def test_total_capped_by_settings(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [["投入", "预算执行率", 100, "RATIO(预算执行率, 1)"], ["加分项", "表彰", 10, "分值"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows)
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.97)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.json()["units"][0]["total"] == 100  # 97 + 10, clamped to 总分上限 = 满分
    ind2 = indicator_book(tmp_path / "ind2.xlsx", header, rows, settings={"总分上限": 105})
    r = cli("run", ind2, data, "--format", "json", "--dry-run")
    assert r.json()["units"][0]["total"] == 105


def test_settings_sheet(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [
        ["投入", "预算执行率", 40, "RATIO(预算执行率, 1)"],
        [None, "结转结余率", 30, None],
        ["产出", "完成率", 30, "RATIO(完成率, 1)"],
    ]
    settings = {"满分": 100, "小数位数": 1, "等级": "优秀:85，良好:70，合格:60，不合格:0", "默认公式": "RATIO(完成值, 1)"}
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A2:A3"], settings=settings, title=None)
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.8333), ("结转结余率", 0.5), ("完成率", 0.7)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    by = {i["path"][-1]: i["score"] for i in unit["indicators"]}
    assert by["预算执行率"] == 33.3  # 33.332 → one decimal
    assert by["结转结余率"] == 15.0  # 默认公式 with 完成值 = the unit's value named like the leaf
    assert unit["total"] == 69.3 and unit["grade"] == "合格"


def test_na_full_points_and_drop(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [
        ["投入", "预算执行率", 50, "RATIO(预算执行率, 1)"],
        ["产出", "政府采购执行率", 20, "RATIO(政府采购执行率, 1)"],
        [None, "完成率", 30, "RATIO(完成率, 1)"],
    ]
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.9), ("政府采购执行率", "不适用"), ("完成率", 0.5)])
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    na = next(i for i in unit["indicators"] if i["path"][-1] == "政府采购执行率")
    assert na["status"] == "na" and na["score"] == 20 and "按满分计" in na["note"]
    assert unit["total"] == 45 + 20 + 15
    ind2 = indicator_book(tmp_path / "ind2.xlsx", header, rows, merges=["A3:A4"], settings={"不适用处理": "剔除"})
    r = cli("run", ind2, data, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    na = next(i for i in unit["indicators"] if i["path"][-1] == "政府采购执行率")
    assert na["status"] == "na" and na["score"] is None and "剔除" in na["note"]
    assert unit["total"] == round((45 + 15) * 100 / 80, 2)  # 75.0, rescaled to 满分


def test_clamp_is_reported_in_the_note(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [["投入", "超额", 5, "实际/计划*分值"], ["产出", "倒扣", 95, "分值 - 扣分*200"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows)
    data = kv_book(tmp_path / "d.xlsx", [("实际", 124), ("计划", 100), ("扣分", 1)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    items = {i["path"][-1]: i for i in r.json()["units"][0]["indicators"]}
    assert items["超额"]["status"] == "clamped" and items["超额"]["score"] == 5
    assert "公式结果 6.2 超过分值 5，按 5 计" in items["超额"]["note"]
    assert items["倒扣"]["score"] == 0 and "低于 0，按 0 计" in items["倒扣"]["note"]


def test_rounding_half_away_from_zero_and_parents_sum_rounded_children(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [["投入", "甲", 50, "x"], [None, "乙", 50, "y"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A2:A3"], title=None)
    data = kv_book(tmp_path / "d.xlsx", [("x", 1.005), ("y", 2.675)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    by = {i["path"][-1]: i["score"] for i in unit["indicators"]}
    assert by["甲"] == 1.01 and by["乙"] == 2.68 and by["投入"] == 3.69 and unit["total"] == 3.69


def test_weight_mismatch_is_a_warning(tmp_path, cli):
    header = ["一级指标", "分值", "二级指标", "分值"]
    rows = [["投入", 30, "预算执行率", 20], [None, None, "预算调整率", 5], ["产出", 60, "完成率", 60]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "B3:B4"])
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 20), ("预算调整率", 5), ("完成率", 60)])
    r = cli("run", ind, data, "--dry-run")
    assert r.code == 0
    assert "警告：指标体系!B3 “投入”的分值 30 与下级指标分值之和 25 不一致" in r.err
    assert "一级指标分值之和 90 与满分 100 不一致" in r.err


def test_total_row_merged_over_the_score_column_keeps_its_label(tmp_path, cli):
    import openpyxl

    header = ["一级指标", "二级指标", "分值", "评分公式", "得分", "备注"]
    rows = [["投入", "预算执行率", 100, "RATIO(预算执行率, 1)", None, "单位自填"], ["合计", None, None, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A4:E4"])
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", 0.9)])
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(data)["评分表"]
    assert ws["A4"].value == "合计：90"
    assert ws["F3"].value == "单位自填"  # an unrecognised column is never overwritten
    assert ws["G2"].value == "扣分说明" and ws["G3"].value == "预算执行率为 90%，低于 100%，按比例计分，扣 10 分"


def test_data_names_with_a_unit_suffix(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    rows = [["投入", "预算执行率", 100, "RATIO(支出决算数/年初预算数, 1)"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows)
    data = kv_book(tmp_path / "d.xlsx", [("年初预算数（万元）", 242), ("支出决算数(万元)", 217.8)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 90


def test_several_name_value_pairs_side_by_side(tmp_path, cli):
    import openpyxl

    header = ["一级指标", "二级指标", "分值", "评分公式"]
    ind = indicator_book(tmp_path / "ind.xlsx", header, [["投入", "在职人员控制率", 100, "RATIO(编制数, 在职人员数)"]])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "数值", "项目", "数值"])
    ws.append(["编制数", 35, "在职人员数", 34])
    wb.save(tmp_path / "d.xlsx")
    r = cli("run", ind, tmp_path / "d.xlsx", "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 100


def test_parent_names_repeated_on_every_row(tmp_path, cli):
    """A table filled down (no merges) repeats 一级/二级 names on every row: they are one indicator each."""
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分公式"]
    rows = [
        ["投入(20分)", "预算配置", "在职人员控制率", 10, "a"],
        ["投入(20分)", "预算配置", "三公经费变动率", 5, "a"],
        ["投入(20分)", "预算执行", "预算执行率", 5, "a"],
        ["产出(80分)", "预算执行", "完成率", 80, "a"],  # same 二级 text under a new 一级: a new indicator
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, title=None)
    data = kv_book(tmp_path / "d.xlsx", [("a", 100)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    paths = [i["path"] for i in r.json()["units"][0]["indicators"]]
    assert paths == [["投入"], ["投入", "预算配置"], ["投入", "预算配置", "在职人员控制率"],
                     ["投入", "预算配置", "三公经费变动率"], ["投入", "预算执行"], ["投入", "预算执行", "预算执行率"],
                     ["产出"], ["产出", "预算执行"], ["产出", "预算执行", "完成率"]]
    assert "不一致" not in r.err
