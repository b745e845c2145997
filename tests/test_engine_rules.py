"""The engine's rules (SPEC §2.3) on indicator systems built in memory, without a workbook or the CLI: parents are the
sums of their rounded children, 剔除 rescales to 满分, 加分/扣分 stay outside the 100 and the total is clamped to
[0, 总分上限], a leaf is clamped to [0, 分值] with a note, ROUND is half away from zero at 小数位数, grades start at their
inclusive lower bounds, N/A under 满分 and under 剔除; a blank data cell is named in the message. Every rule both ways:
the vector evaluator and the scalar one (`vectorised=False`)."""

import pytest

from scoring.engine import score
from scoring.model import Kind, NARule, Status
from scoring.values import MISSING, NA

from .memory import by_name, group, leaf, system, unit

WAYS = pytest.mark.parametrize("vectorised", [True, False], ids=["vector", "scalar"])


def scores(results, name):
    """`name`'s score for every unit."""
    node = by_name(results.system, name)
    return [u.nodes[node.id].score for u in results.units]


@WAYS
def test_a_parent_is_the_sum_of_its_rounded_children(vectorised):
    s = system(group("产出", leaf("数量", 10, "分值*完成率"), leaf("质量", 10, "分值*完成率")),
               group("效益", leaf("效果", 80, "完成率*3")), decimals=1)
    r = score(s, [unit("甲", 完成率=0.333)], vectorised)
    assert scores(r, "数量") == scores(r, "质量") == [3.3]  # 3.33 at one decimal
    assert scores(r, "产出") == [6.6]  # 3.3 + 3.3, not ROUND(3.33 + 3.33) = 6.7
    assert scores(r, "效果") == [1.0]  # 0.999
    assert r.units[0].total == 7.6
    assert r.units[0].nodes[by_name(s, "产出").id].note == "失分：数量 −6.7，质量 −6.7"


@WAYS
@pytest.mark.parametrize("decimals, value, expected", [
    (2, 2.675, 2.68), (2, 1.005, 1.01), (2, 0.125, 0.13), (2, 2.674999, 2.67),
    (0, 2.5, 3.0), (0, 0.5, 1.0), (0, 1.49, 1.0), (1, 0.05, 0.1), (3, 33.3335, 33.334),
])
def test_round_half_away_from_zero_at_the_decimals(vectorised, decimals, value, expected):
    s = system(leaf("得分项", 100, "x"), decimals=decimals)
    r = score(s, [unit("甲", x=value)], vectorised)
    assert scores(r, "得分项") == [expected]
    assert r.units[0].total == expected


@WAYS
def test_a_leaf_is_clamped_to_zero_and_its_points_with_the_note(vectorised):
    s = system(group("产出", leaf("数量", 10, "分值*完成率"), leaf("质量", 90, "分值")))
    r = score(s, [unit("甲", 完成率=1.2), unit("乙", 完成率=-0.5), unit("丙", 完成率=1)], vectorised)
    over, under, exact = (u.nodes[by_name(s, "数量").id] for u in r.units)
    assert (over.score, over.status, over.raw) == (10.0, Status.CLAMPED, 12.0)
    assert over.note == "完成率为 120%，公式结果 12 超过分值 10，按 10 计，达到标准"
    assert (under.score, under.status, under.raw) == (0.0, Status.CLAMPED, -5.0)
    assert under.note == "完成率为 -50%，公式结果 -5 低于 0，按 0 计，该项不得分"
    assert (exact.score, exact.status) == (10.0, Status.OK)  # exactly 分值 is no clamp
    assert [u.total for u in r.units] == [100.0, 90.0, 100.0]


def na_system(rule):
    return system(group("A", leaf("a1", 30, "分值*r1"), leaf("a2", 30, "分值*r2")), group("B", leaf("b", 40, "分值*r3")),
                  na_rule=rule)


NA_UNITS = [unit("甲", r1=0.8, r2=NA, r3=0.8), unit("乙", r1=NA, r2=NA, r3=0.5), unit("丙", r1=1, r2=1, r3=1)]


@WAYS
def test_drop_takes_out_na_indicators_and_rescales_to_full_marks(vectorised):
    r = score(na_system(NARule.DROP), NA_UNITS, vectorised)
    first, second, full = r.units
    a2 = first.nodes[by_name(r.system, "a2").id]
    assert (a2.score, a2.status, a2.weight) == (None, Status.NA, 0.0)
    assert a2.note == "不适用（r2=不适用），已剔除，总分按满分折算"
    assert scores(r, "A") == [24.0, None, 60.0]
    assert first.total == 80.0  # (24 + 32) × 100 / 70
    assert first.applicable == 70.0
    assert first.total_note == "剔除不适用指标 30 分，得分按 100/70 折算为 80"
    group_a = second.nodes[by_name(r.system, "A").id]  # every child N/A: the parent is dropped too
    assert (group_a.score, group_a.status, group_a.weight, group_a.note) == (None, Status.NA, 0.0, "下级指标均不适用，已剔除")
    assert second.total == 50.0 and second.applicable == 40.0  # 20 × 100 / 40
    assert second.total_note == "剔除不适用指标 60 分，得分按 100/40 折算为 50"
    assert (full.total, full.applicable, full.total_note) == (100.0, None, "")
    assert [u.grade for u in r.units] == ["良", "差", "优"]


@WAYS
def test_full_marks_gives_na_indicators_their_points(vectorised):
    r = score(na_system(NARule.FULL), NA_UNITS, vectorised)
    first, second, _ = r.units
    a2 = first.nodes[by_name(r.system, "a2").id]
    assert (a2.score, a2.status, a2.weight) == (30.0, Status.NA, 30.0)
    assert a2.note == "不适用（r2=不适用），按满分计"
    assert scores(r, "A") == [54.0, 60.0, 60.0]
    assert [u.total for u in r.units] == [86.0, 80.0, 100.0]
    assert (first.applicable, first.total_note) == (None, "")


def bonus_system(**settings):
    return system(group("业绩", leaf("完成", 100, "分值*r")),
                  group("加分项", leaf("创新", 5, "b", kind=Kind.BONUS), kind=Kind.BONUS),
                  group("扣分项", leaf("违规", 20, "p", kind=Kind.PENALTY), kind=Kind.PENALTY), **settings)


@WAYS
def test_bonus_adds_and_penalty_subtracts_outside_the_hundred_and_the_total_is_clamped(vectorised):
    units = [unit("超", r=0.97, b=5, p=0), unit("负", r=0.1, b=0, p=15), unit("中", r=0.9, b=2, p=3),
             unit("封顶", r=0.5, b=8, p=0)]
    r = score(bonus_system(), units, vectorised)
    assert [u.total for u in r.units] == [100.0, 0.0, 89.0, 55.0]
    assert [u.total_note for u in r.units] == [
        "加分 5；合计 102 超过总分上限 100，按 100 计", "扣分 15；合计 -5 低于 0，按 0 计", "加分 2；扣分 3", "加分 5"]
    assert scores(r, "创新") == [5.0, 0.0, 2.0, 5.0]  # a 加分 leaf is clamped to its own 分值 too
    assert scores(r, "加分项") == [5.0, 0.0, 2.0, 5.0]
    assert scores(r, "业绩") == [97.0, 10.0, 90.0, 50.0]
    raised = score(bonus_system(total_cap=105), units[:1], vectorised).units[0]
    assert (raised.total, raised.total_note, raised.grade) == (102.0, "加分 5", "优")


@WAYS
def test_a_bonus_row_inside_a_normal_branch_stays_outside_its_sum(vectorised):
    s = system(group("管理", leaf("制度", 100, "分值*r"), leaf("创新", 3, "b", kind=Kind.BONUS)))
    r = score(s, [unit("甲", r=0.9, b=3)], vectorised)
    assert scores(r, "管理") == [90.0]
    assert (r.units[0].total, r.units[0].total_note) == (93.0, "加分 3")


@WAYS
def test_grades_start_at_their_inclusive_lower_bounds_and_ranks_are_competition_ranks(vectorised):
    values = [90, 89.99, 80, 79.99, 60, 59.99, 0, 80]
    r = score(system(leaf("得分项", 100, "x")), [unit(f"单位{k}", x=v) for k, v in enumerate(values)], vectorised)
    assert [u.grade for u in r.units] == ["优", "良", "良", "中", "中", "差", "差", "良"]
    assert [u.rank for u in r.units] == [1, 2, 3, 5, 6, 7, 8, 3]
    half = score(system(leaf("得分项", 50, "x"), max_total=50, grades=[("A", 85), ("B", 0)]),
                 [unit("甲", x=42.5), unit("乙", x=42.49)], vectorised)
    assert [u.grade for u in half.units] == ["A", "B"]  # 85 % of 满分 50 is 42.5


@WAYS
def test_a_blank_data_cell_is_named_and_one_units_error_does_not_stop_the_others(vectorised):
    s = system(group("产出", leaf("数量", 10, "分值*完成率"), leaf("质量", 10, "分值*合格率")),
               derived=[("合格率", "合格数/总数")])
    r = score(s, [unit("甲", 完成率=MISSING, 合格数=MISSING, 总数=10), unit("乙", 完成率=1, 合格数=9, 总数=10)], vectorised)
    blank, fine = r.units
    assert blank.total is None and blank.grade is None and blank.rank is None
    assert blank.errors == [
        "“产出/数量”：指标体系!F4 评分公式第 4 个字符：“完成率”未填写（空白单元格），请在 基础数据!B2 填写",
        "“产出/质量”：指标体系!F5 评分公式第 4 个字符：计算项“合格率”无法计算：计算项!B2 公式第 1 个字符："
        "“合格数”未填写（空白单元格），请在 基础数据!B3 填写",
    ]
    assert blank.nodes[by_name(s, "产出").id].note == "下级指标有错误"
    assert (fine.total, fine.rank) == (19.0, 1)


def test_a_blank_message_without_the_units_cell_says_where_to_fill_it_in():
    """Outside a scoring run (no unit's cell known) the message is the same sentence with the general remedy."""
    from scoring.formula import MissingValueError, compile_formula

    with pytest.raises(MissingValueError) as info:
        compile_formula("分值*完成率", where="指标体系!F4 评分公式").evaluate({"分值": 10.0, "完成率": MISSING})
    assert str(info.value) == "指标体系!F4 评分公式第 4 个字符：“完成率”未填写（空白单元格），请在基础数据中填写"
