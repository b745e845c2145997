"""Two versions of an indicator system (scoring.compare) built in memory: how indicators are paired (编号, name, path,
the same place with a like name), every kind of change, and the impact on the same units scored by both."""

from scoring import compare
from scoring.engine import score
from scoring.model import NARule
from scoring.values import MISSING

from .memory import group, leaf, system, unit


def pairs(pairing):
    return ([(a.name, b.name) for a, b in pairing.pairs], [a.name for a in pairing.removed],
            [b.name for b in pairing.added])


def test_indicators_are_paired_by_code_then_name_then_path_then_place():
    old = system(group("产出", leaf("数量", 30, "分值", code="1.1"), leaf("满意度", 10, "分值"), leaf("预算调整率", 10, "分值")),
                 group("效益", leaf("满意度", 50, "分值")))
    new = system(group("产出", leaf("产出数量", 30, "分值", code="1.1"), leaf("满意度", 10, "分值"),
                       leaf("预算调整比率", 10, "分值")),
                 group("效益", leaf("满意度", 50, "分值")))
    assert pairs(compare.pair_indicators(old, new)) == (
        [("数量", "产出数量"),  # 1. the printed 编号
         ("产出", "产出"), ("效益", "效益"),  # 2. a name found once on each side
         ("满意度", "满意度"), ("满意度", "满意度"),  # 3. a name found twice: by its path
         ("预算调整率", "预算调整比率")],  # 4. the only unpaired child at the same place, with a like name
        [], [])
    assert [(c.kind, c.what, c.old, c.new) for c in compare.system_changes(old, new)] == [
        (compare.RENAMED, "产出/产出数量", "产出/数量", "产出/产出数量"),
        (compare.RENAMED, "产出/预算调整比率", "产出/预算调整率", "产出/预算调整比率"),
    ]


def test_an_unlike_name_or_two_candidates_at_one_place_are_removed_and_added():
    old = system(group("产出", leaf("预算调整率", 10, "分值"), leaf("满意度", 10, "分值"), leaf("时效", 10, "分值")))
    unlike = system(group("产出", leaf("资金到位率", 10, "分值"), leaf("满意度", 10, "分值"), leaf("时效", 10, "分值")))
    assert pairs(compare.pair_indicators(old, unlike)) == (
        [("产出", "产出"), ("满意度", "满意度"), ("时效", "时效")], ["预算调整率"], ["资金到位率"])
    two = system(group("产出", leaf("预算调整比率", 10, "分值"), leaf("服务对象满意度", 10, "分值"), leaf("时效", 10, "分值")))
    assert pairs(compare.pair_indicators(old, two)) == (
        [("产出", "产出"), ("时效", "时效")], ["预算调整率", "满意度"], ["预算调整比率", "服务对象满意度"])


def test_every_kind_of_change_in_the_new_tables_order():
    old = system(group("产出", leaf("数量", 30, "分值*完成率", criteria="按比例"), leaf("时效", 30, "分值*及时率")),
                 group("效益", leaf("效果", 40, "分值*效果率", target="≥90%"), leaf("旧项", 0, "分值")),
                 derived=[("效果率", "效果数/总数"), ("旧计算项", "1")], grades=[("优", 90), ("良", 0)])
    new = system(group("产出", leaf("数量", 40, "分值*完成率*1", criteria="按比例计分")),
                 group("效益", leaf("效果", 30, "分值*效果率", target="≥95%"), leaf("时效", 30, "分值*及时率")),
                 derived=[("效果率", "效果数 / 总数"), ("到位率", "到位/预算")], na_rule=NARule.DROP, decimals=1,
                 max_total=120, total_cap=130)
    assert [c.to_dict() for c in compare.system_changes(old, new)] == [
        {"kind": "分值", "what": "产出", "old": "60", "new": "40"},
        {"kind": "分值", "what": "产出/数量", "old": "30", "new": "40"},
        {"kind": "评分公式", "what": "产出/数量", "old": "分值*完成率", "new": "分值*完成率*1"},
        {"kind": "评分标准", "what": "产出/数量", "old": "按比例", "new": "按比例计分"},
        {"kind": "移动", "what": "效益/时效", "old": "产出/时效", "new": "效益/时效"},
        {"kind": "分值", "what": "效益", "old": "40", "new": "60"},
        {"kind": "分值", "what": "效益/效果", "old": "40", "new": "30"},
        {"kind": "目标值", "what": "效益/效果", "old": "≥90%", "new": "≥95%"},
        {"kind": "删除", "what": "效益/旧项", "old": "0 分", "new": ""},
        {"kind": "计算项", "what": "旧计算项", "old": "1", "new": "（删除）"},
        {"kind": "计算项", "what": "到位率", "old": "（新增）", "new": "到位/预算"},
        {"kind": "设置", "what": "满分", "old": "100", "new": "120"},
        {"kind": "设置", "what": "小数位数", "old": "2", "new": "1"},
        {"kind": "设置", "what": "等级", "old": "优:90，良:0", "new": "优:90，良:80，中:60，差:0"},
        {"kind": "设置", "what": "不适用处理", "old": "满分", "new": "剔除"},
        {"kind": "设置", "what": "总分上限", "old": "", "new": "130"},
    ]  # 效果数/总数 → 效果数 / 总数 differs in spaces only: no change
    assert compare.system_changes(old, old) == []


def test_the_impact_on_units_scored_by_both_versions():
    old = system(group("产出", leaf("数量", 50, "分值*完成率"), leaf("时效", 30, "分值*及时率"), leaf("调整", 20, "分值*(1-调整率)")))
    new = system(group("产出", leaf("数量", 60, "分值*完成率"), leaf("时效", 40, "分值*及时率")))
    units = [unit("甲", 完成率=0.5, 及时率=1, 调整率=0.5), unit("乙", 完成率=1, 及时率=0.5, 调整率=0),
             unit("丙", 完成率=MISSING, 及时率=1, 调整率=0), unit("丁", 完成率=0.9, 及时率=1, 调整率=0.1)]
    impacts = compare.unit_impacts(score(old, units), score(new, units))
    assert [i.to_dict() for i in impacts] == [  # the largest change first (ties as given), errors last
        {"unit": "甲", "old_total": 65.0, "new_total": 70.0, "delta": 5.0, "old_grade": "中", "new_grade": "中",
         "old_rank": 3, "new_rank": 3, "contributions": [
             {"indicator": "产出/时效", "delta": 10.0}, {"indicator": "产出/调整（删除）", "delta": -10.0},
             {"indicator": "产出/数量", "delta": 5.0}]},
        {"unit": "乙", "old_total": 85.0, "new_total": 80.0, "delta": -5.0, "old_grade": "良", "new_grade": "良",
         "old_rank": 2, "new_rank": 2, "contributions": [
             {"indicator": "产出/调整（删除）", "delta": -20.0}, {"indicator": "产出/数量", "delta": 10.0},
             {"indicator": "产出/时效", "delta": 5.0}]},
        {"unit": "丁", "old_total": 93.0, "new_total": 94.0, "delta": 1.0, "old_grade": "优", "new_grade": "优",
         "old_rank": 1, "new_rank": 1, "contributions": [
             {"indicator": "产出/调整（删除）", "delta": -18.0}, {"indicator": "产出/时效", "delta": 10.0},
             {"indicator": "产出/数量", "delta": 9.0}]},
        {"unit": "丙", "old_total": None, "new_total": None, "delta": None, "old_grade": None, "new_grade": None,
         "old_rank": None, "new_rank": None, "contributions": [
             {"indicator": "产出/调整（删除）", "delta": -20.0}, {"indicator": "产出/时效", "delta": 10.0}]},
    ]
    assert compare.grade_transitions(impacts) == {("良", "良"): 1, ("优", "优"): 1, ("中", "中"): 1, ("错误", "错误"): 1}
