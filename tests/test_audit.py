"""审核 of a 自评表's own scores (scoring.audit) on systems and units built in memory: every finding with its cell and
message, the boundaries of 自评偏高 and 执行率偏低, the tolerance of equal scores, the own total, and the 自评 summary
row."""

from scoring import audit
from scoring.engine import score
from scoring.read.selfeval import NO_ACTUAL, QUALITATIVE

from .memory import by_name, group, leaf, system, unit


def form_system():
    return system(group("产出", leaf("数量", 40, "分值*完成率"), leaf("时效", 20, "TARGET(完成值, 目标值)", target="≥95%")),
                  group("效益", leaf("满意度", 40, "分值*满意率")))


def form_unit(s, own: dict, total=None, budget=100.0, spent=90.0, problems=(), **values):
    """A 自评表's unit: its figures, the project's 全年预算数/全年执行数, and its own scores by indicator name."""
    figures = {"完成率": 1.0, "时效": 0.95, "满意率": 1.0} | values
    u = unit("项目甲", **figures, 全年预算数=budget, 全年执行数=spent)
    u.own_scores = {by_name(s, name).id: (points, f"自评表!H{by_name(s, name).row}") for name, points in own.items()}
    if total is not None:
        u.own_scores["total"] = (total, "自评表!H10")
    u.own_score_problems = tuple(problems)
    return u


def audited(s, *units):
    results = score(s, list(units))
    audit.audit(results)
    return results


def findings(unit_result):
    return [(f.kind, f.cell, f.message) for f in unit_result.findings]


def test_every_finding_of_a_form_with_its_cell_and_message():
    s = form_system()
    u = form_unit(s, {"数量": 30.0, "时效": 20.0, "满意度": 40.0}, total=95.0, spent=79.0, 完成率=0.5, 时效=0.9,
                  problems=[("自评表!H7", "得分“满分”不是分数：请填写 0 到 20 之间的数")])
    r = audited(s, u).units[0]
    assert r.total == 78.95  # 20 + 20 × 0.9 / 0.95 (18.95) + 40
    assert findings(r) == [
        (audit.UNREADABLE, "自评表!H7", "得分“满分”不是分数：请填写 0 到 20 之间的数"),
        (audit.DIFFERENCE, "自评表!H4", "“数量”自评得分 30，按规则 20（完成率为 50%，扣 20 分）"),
        (audit.DIFFERENCE, "自评表!H5", "“时效”自评得分 20，按规则 18.95（实际完成值 90%，年度指标值 ≥95%）"),
        (audit.TOTAL, "自评表!H10", "总分：自评 95，复核 78.95，复核比自评低 16.05 分"),
        (audit.HIGH, "自评表!H10", "自评偏高：自评得分率 95% 比预算执行率 79% 高 16 个百分点（超过 5 个）"),
        (audit.LOW, "基础数据!B6", "预算执行率 79%，低于 80%"),
    ]


def test_a_form_that_agrees_with_the_rules_has_no_findings():
    s = form_system()
    r = audited(s, form_unit(s, {"数量": 40.0, "时效": 20.004, "满意度": 40.0}, total=100.0, spent=95.0)).units[0]
    assert r.total == 100.0
    assert r.findings == []  # 20.004 and 20 are the same score (both are rounded to 小数位数)


def test_self_score_high_above_the_execution_rate_only_beyond_five_points():
    s = form_system()
    exact = audited(s, form_unit(s, {}, total=95.0, spent=90.0)).units[0]  # 95 % vs 90 %: exactly 5, not above
    assert [f.kind for f in exact.findings] == [audit.TOTAL]
    beyond = audited(s, form_unit(s, {}, total=95.0, spent=89.9)).units[0]
    assert findings(beyond)[1] == (audit.HIGH, "自评表!H10",
                                   "自评偏高：自评得分率 95% 比预算执行率 89.9% 高 5.1 个百分点（超过 5 个）")


def test_low_execution_below_eighty_percent_only():
    s = form_system()
    own = {"数量": 24.0, "时效": 20.0, "满意度": 40.0}  # 84, as the rules score it, within 5 points of the rate
    at_80 = audited(s, form_unit(s, own, spent=80.0, 完成率=0.6)).units[0]
    assert at_80.findings == []
    below = audited(s, form_unit(s, own, spent=79.99, 完成率=0.6)).units[0]
    assert findings(below) == [(audit.LOW, "基础数据!B6", "预算执行率 79.99%，低于 80%")]
    no_budget = audited(s, form_unit(s, own, budget=0.0, spent=0.0, 完成率=0.6)).units[0]
    assert no_budget.findings == [] and audit.execution_rate(no_budget) is None


def test_a_leaf_kept_at_its_own_score_is_said_unless_it_is_qualitative():
    s = system(leaf("数量", 60, "分值*完成率"), leaf("质量", 20), leaf("口碑", 20))
    by_name(s, "质量").scored_by_unit = NO_ACTUAL
    by_name(s, "口碑").scored_by_unit = QUALITATIVE
    u = unit("项目乙", 完成率=1.0, 质量=18.0, 口碑=15.0)
    u.own_scores = {by_name(s, "数量").id: (60.0, "自评表!H3"), by_name(s, "质量").id: (18.0, "自评表!H4"),
                    by_name(s, "口碑").id: (15.0, "自评表!H5")}
    r = audited(s, u).units[0]
    assert r.total == 93.0
    assert findings(r) == [(audit.KEPT, "自评表!H4", "“质量”实际完成值未填写（采用自评分）")]


def test_units_without_own_scores_are_not_audited():
    s = form_system()
    r = audited(s, unit("单位", 完成率=0.5, 时效=1.0, 满意率=1.0, 全年预算数=100.0, 全年执行数=10.0)).units[0]
    assert r.findings == []


def test_the_own_total_is_the_total_cell_else_the_sum_of_own_scores():
    s = form_system()
    given = audited(s, form_unit(s, {"数量": 30.0, "时效": 20.0}, total=88.0)).units[0]
    assert audit.own_total_of(given) == 88.0
    summed = audited(s, form_unit(s, {"数量": 30.0, "时效": 20.0, "满意度": 35.5})).units[0]
    assert audit.own_total_of(summed) == 85.5
    assert findings(summed)[-1] == (audit.TOTAL, "", "总分：自评 85.5，复核 100，复核比自评高 14.5 分")
    u = form_unit(s, {"数量": 30.0})
    u.own_scores[by_name(s, "时效").id] = (None, "自评表!H5")  # one own score missing: no own total
    assert audit.own_total_of(audited(s, u).units[0]) is None


def test_the_self_evaluation_row():
    s = form_system()
    results = audited(s, form_unit(s, {"数量": 30.0}, total=95.0, spent=79.0, 完成率=0.5, 时效=0.9))
    row = audit.self_evaluation_row(results, results.units[0])
    assert (row.project, row.own_total, row.total, row.difference, row.grade, row.rank) == (
        "项目甲", 95.0, 78.95, -16.05, "中", 1)
    assert (row.execution_rate, row.rate_text, row.findings, row.note) == (0.79, "79%", 4, "")
    assert row.cells() == [95.0, 78.95, -16.05, "中", 1, "79%", 4]
    failed = audited(s, form_unit(s, {}, 完成率=None))  # text where a figure is read: an error, no total
    row = audit.self_evaluation_row(failed, failed.units[0])
    assert row.cells()[:4] == ["", "错误", "", ""]
    assert row.note == failed.units[0].errors[0] and row.note.startswith("“产出/数量”：")
