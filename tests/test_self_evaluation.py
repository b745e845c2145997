"""项目支出绩效自评表 (issue 13, first part): one workbook is the system and the project; the form's default rules
recompute its scores, and the unit's own scores are audited."""

import openpyxl
import pytest

from scoring.read import read_indicator_system
from tests.builders import self_evaluation_form

# 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
INFLATED = [
    ["产出指标", "数量指标", "培训人次", "≥500人次", 430, 30, 30, None],
    [None, "质量指标", "任务完成率", "≥100%", "86%", 10, 10, None],
    [None, "成本指标", "人均培训成本", "≤800元", 850, 20, 20, None],
    ["效益指标", "经济效益指标", None, None, None, None, None, None],
    [None, "社会效益指标", "群众满意程度", "效果明显", "效果明显", 10, 10, None],
    ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "92%", 20, 20, None],
]
HONEST = [
    ["产出指标", "数量指标", "便民服务中心建设数量", "7个", 7, 20, 20, None],
    [None, "质量指标", "验收合格率", "≥95%", "100%", 15, 15, None],
    [None, "时效指标", "完成时限", "按时完成", "按时完成", 10, 10, None],
    [None, "成本指标", "项目成本", "≤80万元", 80, 15, 15, None],
    ["效益指标", "社会效益指标", "便民服务水平", "有效提升", "有效提升", 10, 9, "个别镇中心标识尚未统一"],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 20, 20, None],
]


@pytest.fixture
def inflated(tmp_path):
    return self_evaluation_form(tmp_path / "培训项目自评表.xlsx", "农村实用技术培训项目", (100, 100, 75, 10, 10), INFLATED,
                                merges=["B13:B15", "B16:B17"], own_total=100)


@pytest.fixture
def honest(tmp_path):
    return self_evaluation_form(tmp_path / "便民中心自评表.xlsx", "7个镇(街道)便民服务中心建设奖补经费",
                                (80, 80, 80, 10, 10), HONEST, merges=["B13:B16"], own_total=99)


def test_the_form_is_read_as_system_and_project(inflated):
    system = read_indicator_system(inflated)
    assert system.form.project == "农村实用技术培训项目"
    assert [(r.name, r.weight) for r in system.roots] == [("预算执行率", 10), ("产出指标", 60), ("效益指标", 10),
                                                          ("满意度指标", 20)]
    assert system.columns["level1"] == [2]  # 绩效指标 merged down column A is a label, not a level
    leaves = {leaf.name: leaf for leaf in system.leaves()}
    assert leaves["群众满意程度"].scored_by_unit == "定性（采用自评分）"
    assert not leaves["培训人次"].scored_by_unit and system.formula_of(leaves["培训人次"]).text == "TARGET(完成值, 目标值)"


def test_one_workbook_run_recomputes_and_audits(inflated, cli):
    r = cli("run", inflated, "--format", "json", "--dry-run")
    assert r.code == 0, r.err  # audit findings are warnings
    unit = r.json()["units"][0]
    items = {i["path"][-1]: i for i in unit["indicators"]}
    # by hand: 75/100×10 = 7.5; 430/500×30 = 25.8; 86%/100%×10 = 8.6; 800/850×20 = 18.82; 定性 10 kept; 92% ≥ 90% → 20
    assert [items[n]["score"] for n in ("预算执行率", "培训人次", "任务完成率", "人均培训成本", "群众满意程度", "学员满意度")] == \
        [7.5, 25.8, 8.6, 18.82, 10, 20]
    assert unit["total"] == pytest.approx(90.72) and unit["own_total"] == 100
    assert items["群众满意程度"]["note"] == "定性（采用自评分），达到标准"
    assert items["任务完成率"]["own_score"] == 10
    audit = {(f["kind"], f["cell"]): f["message"] for f in unit["audit"]}
    assert audit[("得分差异", "自评表!H14")] == "“任务完成率”自评得分 10，按规则 8.6（实际完成值 86%，年度指标值 ≥100%）"
    assert audit[("得分差异", "自评表!H6")] == "“预算执行率”自评得分 10，按规则 7.5（预算执行率 75%）"
    assert audit[("总分差异", "自评表!H19")] == "总分：自评 100，复核 90.72，复核比自评低 9.28 分"
    assert audit[("自评偏高", "自评表!H19")].startswith("自评偏高：自评得分率 100% 比预算执行率 75% 高 25 个百分点")
    assert audit[("执行率偏低", "自评表!E6")] == "预算执行率 75%，低于 80%"
    assert len(unit["audit"]) == 7
    assert "审核：自评表!H14 “任务完成率”自评得分 10，按规则 8.6" in r.err


def test_an_honest_form_has_only_its_real_differences(honest, cli):
    r = cli("run", honest, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    # by hand: 100% execution → 10; 7 = 7 → 20; 100% ≥ 95% → 15; 按时完成 kept 10; 80 ≤ 80 → 15; 有效提升 kept 9; 20
    assert unit["total"] == 99 and unit["own_total"] == 99
    assert unit["audit"] == []


def test_the_form_written_back_keeps_the_units_scores_beside_the_rules(inflated, cli, tmp_path):
    out = tmp_path / "复核.xlsx"
    r = cli("run", inflated, "-o", out)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["评分汇总", "审核意见", "评分表"]
    sheet = wb["评分表"]
    assert [sheet.cell(12, c).value for c in range(8, 13)] == ["得分", "偏差原因分析及改进措施", "复核得分", "差异", "复核说明"]
    assert [sheet.cell(14, c).value for c in (8, 10, 11)] == [10, 8.6, -1.4]  # the unit's 10 kept, 8.6 beside it
    assert [sheet.cell(6, c).value for c in (8, 10, 11)] == [10, 7.5, -2.5]  # 预算执行率 on the 年度资金总额 row
    assert [sheet.cell(19, c).value for c in (8, 10, 11)] == [100, 90.72, -9.28]
    summary = [list(row) for row in wb["评分汇总"].iter_rows(values_only=True)]
    assert summary[1][:8] == ["单位", "自评分", "复核分", "差异", "等级", "排名", "执行率", "审核意见（条）"]
    assert summary[2][:3] == ["分值", 100, 100]
    assert summary[3][:8] == ["农村实用技术培训项目", 100, 90.72, -9.28, "优", 1, "75%", 7]
    findings = list(wb["审核意见"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == 7 and findings[0][:3] == ("农村实用技术培训项目", "自评表!H6", "得分差异")


def test_a_single_workbook_that_is_no_form_is_explained(tmp_path, cli):
    from tests.builders import indicator_book

    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "分值", "评分公式"], [["投入", 100, "RATIO(预算执行率, 1)"]])
    r = cli("run", ind)
    assert r.code == 2
    assert "不是项目支出绩效自评表" in r.err and "请把它作为指标体系，再给出基础数据工作簿" in r.err


def test_a_blank_actual_keeps_the_self_score_and_says_so(tmp_path, cli):
    rows = [row[:] for row in HONEST]
    rows[1][4] = None  # 验收合格率: 实际完成值 left blank
    form = self_evaluation_form(tmp_path / "f.xlsx", "便民中心", (80, 80, 80, 10, 10), rows, merges=["B13:B16"],
                                own_total=99)
    unit = cli("run", form, "--format", "json", "--dry-run").json()["units"][0]
    assert unit["total"] == 99
    assert {"kind": "采用自评分", "cell": "自评表!H14", "message": "“验收合格率”实际完成值未填写（采用自评分）"} in unit["audit"]


def test_the_project_name_written_in_one_cell(tmp_path, cli):
    form = self_evaluation_form(tmp_path / "f.xlsx", "占位", (80, 80, 80, 10, 10), HONEST, merges=["B13:B16"],
                                own_total=99)
    wb = openpyxl.load_workbook(form)
    ws = wb.active
    ws.unmerge_cells("B3:I3")
    ws["A3"], ws["B3"] = "项目名称：便民服务中心建设奖补经费", None
    ws.merge_cells("A3:I3")
    wb.save(form)
    assert read_indicator_system(form).form.project == "便民服务中心建设奖补经费"


def test_scores_typed_with_fen_are_read_as_numbers(tmp_path, cli):
    rows = [row[:] for row in HONEST]
    rows[0][6], rows[1][6], rows[2][6], rows[4][6] = "20分", "15 分", "１０分", "8.5分"  # 定性 rows 完成时限, 便民服务水平
    form = self_evaluation_form(tmp_path / "f.xlsx", "便民中心", (80, 80, 80, 10, "10分"), rows, merges=["B13:B16"],
                                own_total="98.5分")
    r = cli("run", form, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    items = {i["path"][-1]: i for i in unit["indicators"]}
    assert [items[n]["own_score"] for n in ("预算执行率", "便民服务中心建设数量", "验收合格率", "完成时限", "便民服务水平")] == \
        [10, 20, 15, 10, 8.5]
    assert items["便民服务水平"]["score"] == 8.5 and items["完成时限"]["note"] == "定性（采用自评分），达到标准"
    # 10 + 20 + 15 + 10 + 15 + 8.5 + 20: the review agrees with the unit's 98.5
    assert unit["total"] == 98.5 and unit["own_total"] == 98.5
    assert unit["audit"] == [] and "得分未填写" not in r.err and not unit["errors"]


def test_a_quantitative_score_typed_with_fen_is_audited(tmp_path, cli):
    rows = [row[:] for row in INFLATED]
    rows[1][6] = "10分"  # 任务完成率: 86% of ≥100% is 8.6 by the rule
    form = self_evaluation_form(tmp_path / "f.xlsx", "培训项目", (100, 100, 75, 10, 10), rows,
                                merges=["B13:B15", "B16:B17"], own_total=100)
    unit = cli("run", form, "--format", "json", "--dry-run").json()["units"][0]
    assert {"kind": "得分差异", "cell": "自评表!H14",
            "message": "“任务完成率”自评得分 10，按规则 8.6（实际完成值 86%，年度指标值 ≥100%）"} in unit["audit"]
    assert unit["total"] == pytest.approx(90.72) and unit["own_total"] == 100


def test_a_score_cell_holding_no_score_says_which_cell_and_what_to_type(tmp_path, cli):
    rows = [row[:] for row in HONEST]
    rows[5][6] = "满分"  # 服务对象满意度: scored by the rule (95% ≥ 90% → 20) all the same
    rows[4][6] = "良好"  # 便民服务水平: 定性, the unit's own score is all there is
    form = self_evaluation_form(tmp_path / "f.xlsx", "便民中心", (80, 80, 80, 10, 10), rows, merges=["B13:B16"],
                                own_total=99)
    r = cli("run", form, "--format", "json", "--dry-run")
    assert r.code == 1  # 便民服务水平 cannot be scored
    unit = r.json()["units"][0]
    items = {i["path"][-1]: i for i in unit["indicators"]}
    assert items["服务对象满意度"]["score"] == 20 and items["服务对象满意度"]["own_score"] is None
    wanted_h18 = "“服务对象满意度”的自评得分填的是“满分”，不是分数：请填写 0 到 20 分之间的数字，如 20 或 20分"
    wanted_h17 = "“便民服务水平”的自评得分填的是“良好”，不是分数：请填写 0 到 10 分之间的数字，如 10 或 10分"
    assert [f for f in unit["audit"] if f["kind"] == "得分无法识别"] == [
        {"kind": "得分无法识别", "cell": "自评表!H17", "message": wanted_h17},
        {"kind": "得分无法识别", "cell": "自评表!H18", "message": wanted_h18}]
    assert unit["errors"] == [f"“效益指标/社会效益指标/便民服务水平”：自评表!H17 {wanted_h17}"]
    assert f"审核：自评表!H18 {wanted_h18}" in r.err
    assert "得分未填写" not in r.err and "程序内部错误" not in r.err and "Traceback" not in r.err
