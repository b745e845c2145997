"""The rule patterns of real indicator tables, each written as a formula."""

import pytest

from scoring.formula import compile_formula
from scoring.formula.targets import parse_target


def score(text, **names):
    value = compile_formula(text).evaluate({k: float(v) if isinstance(v, int) else v for k, v in names.items()})
    return value


# "≤100%计5分，每超过一个百分点扣0.5分，扣完为止"
OVER_100 = "IF(预算执行率<=100%, 分值, DEDUCT((预算执行率-100%)*100, 0.5))"


@pytest.mark.parametrize("rate, expected", [(0.98, 5), (1.0, 5), (1.02, 4), (1.05, 2.5), (1.2, 0), (1.5, 0)])
def test_deduct_per_percentage_point(rate, expected):
    assert score(OVER_100, 预算执行率=rate, 分值=5) == pytest.approx(expected)


# "=0计5分；0-10%(含)计4分；10%-20%(含)计3分；20%-30%(含)计2分；大于30%不得分"
BANDS = "IFS(预算调整率=0, 5, 预算调整率<=10%, 4, 预算调整率<=20%, 3, 预算调整率<=30%, 2, TRUE, 0)"


@pytest.mark.parametrize(
    "rate, expected", [(0, 5), (0.05, 4), (0.10, 4), (0.1000001, 3), (0.2, 3), (0.3, 2), (0.31, 0), (3.2, 0)]
)
def test_bands(rate, expected):
    assert score(BANDS, 预算调整率=rate) == expected


# "按完成比例计分，满分为止"
@pytest.mark.parametrize("done, plan, expected", [(80, 100, 4), (100, 100, 5), (130, 100, 5), (0, 100, 0)])
def test_proportional_until_full(done, plan, expected):
    assert score("RATIO(实际完成数, 计划完成数)", 实际完成数=done, 计划完成数=plan, 分值=5) == pytest.approx(expected)


# "①制度健全得2分；②执行有效得2分；③档案完整得1分"
ITEMS = "IF(制度健全, 2, 0) + IF(执行有效, 2, 0) + IF(档案完整, 1, 0)"


@pytest.mark.parametrize(
    "a, b, c, expected", [(True, True, True, 5), (True, False, True, 3), (False, False, False, 0), (False, True, False, 2)]
)
def test_points_per_item(a, b, c, expected):
    assert score(ITEMS, 制度健全=a, 执行有效=b, 档案完整=c) == expected


def test_at_most_30_days_with_36_actual():
    assert score("TARGET(完成值, 目标值)", 完成值=36, 目标值=parse_target("≤30天"), 分值=6) == pytest.approx(6 * 30 / 36)


# "在职人员控制率≤100%得满分，每超出1个百分点扣0.5分"
def test_staff_control_rate():
    f = "IF(在职人员数/编制数<=1, 分值, DEDUCT((在职人员数/编制数-1)*100, 0.5))"
    assert score(f, 在职人员数=7, 编制数=12, 分值=5) == 5
    assert score(f, 在职人员数=36, 编制数=35, 分值=5) == pytest.approx(5 - 0.5 * 100 / 35)


# "“三公经费”变动率≤0得满分，>0按比例扣分"
def test_three_public_expenses_change_rate():
    f = "IF([“三公经费”变动率]<=0, 分值, MAX(0, 分值*(1-[“三公经费”变动率])))"
    assert score(f, 三公经费变动率=-0.88, 分值=3) == 3
    assert score(f, 三公经费变动率=0.25, 分值=3) == pytest.approx(2.25)
