"""Functions with Excel semantics (SPEC §4.2)."""

import pytest

from scoring.formula import FormulaError, compile_formula
from scoring.values import MISSING, NA


def ev(text, **names):
    return compile_formula(text).evaluate({k: float(v) if isinstance(v, int) else v for k, v in names.items()})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ROUND(2.5, 0)", 3.0),
        ("ROUND(-2.5, 0)", -3.0),
        ("ROUND(1.005, 2)", 1.01),
        ("ROUND(2.675, 2)", 2.68),
        ("ROUND(-0.125, 2)", -0.13),
        ("ROUND(1234.5, -2)", 1200.0),
        ("ROUND(1250, -2)", 1300.0),
        ("ROUND(2.5, 0.9)", 3.0),  # digits truncated
        ("ROUNDUP(1.21, 1)", 1.3),
        ("ROUNDUP(-1.21, 1)", -1.3),  # away from zero
        ("ROUNDUP(0.1*3, 1)", 0.3),  # binary error does not round up
        ("ROUNDDOWN(1.29, 1)", 1.2),
        ("ROUNDDOWN(-1.29, 1)", -1.2),  # toward zero
        ("INT(1.9)", 1.0),
        ("INT(-1.5)", -2.0),  # rounds down
        ("INT(0.1*3*10)", 3.0),
        ("ABS(-3)", 3.0),
        ("MIN(3, 1, 2)", 1.0),
        ("MAX(3, 1, 2)", 3.0),
        ("SUM(1, 2, 3.5)", 6.5),
        ("AVERAGE(1, 2)", 1.5),
        ("SUM(TRUE, 1)", 2.0),
        ("AND(1, TRUE, 2>1)", True),
        ("AND(1, 0)", False),
        ("OR(0, FALSE, 1)", True),
        ("NOT(0)", True),
        ("IF(1>0, 5)", 5.0),
        ("IF(1<0, 5)", False),  # missing else → FALSE
        ("IF(0, 1/0, 7)", 7.0),  # lazy: the 1/0 branch is never evaluated
        ("IFS(1>2, 1, 2>1, 2, TRUE, 3)", 2.0),
        ("IFS(FALSE, 1/0, TRUE, 9)", 9.0),
        ("TRUE()", True),
    ],
)
def test_excel_functions(text, expected):
    result = ev(text)
    if isinstance(expected, bool):
        assert result is expected
    else:
        assert result == pytest.approx(expected, abs=1e-12)


def test_if_is_lazy_about_division_by_zero_and_missing_values():
    assert ev("IF(编制数=0, 0, 在职人员数/编制数)", 编制数=0, 在职人员数=7) == 0.0
    # the missing value sits in the branch not taken
    assert ev("IF(有无=1, 5, 空项)", 有无=True, 空项=MISSING) == 5.0


def test_isna_and_isblank_test_without_failing():
    assert ev("ISNA(x)", x=NA) is True
    assert ev("ISNA(x)", x=3) is False
    assert ev("ISBLANK(x)", x=MISSING) is True
    assert ev("ISBLANK(x)", x=0) is False
    assert ev("IF(ISNA(x), 分值, x*2)", x=NA, 分值=5) == 5.0


def test_reading_na_makes_the_formula_na():
    assert ev("x*2", x=NA) is NA
    assert ev("IF(1, x, 0)", x=NA) is NA
    assert ev("IF(0, x, 4)", x=NA) == 4.0


def test_yes_no_values_are_one_and_zero():
    assert ev("IF(是否公开=1, 分值, 0)", 是否公开=True, 分值=2) == 2.0
    assert ev("是否公开*分值", 是否公开=False, 分值=2) == 0.0
    assert ev("IF(是否公开, 分值, 0)", 是否公开=True, 分值=2) == 2.0


def test_numeric_text_is_a_number_other_text_is_an_error():
    assert ev('"3"+1') == 4.0
    with pytest.raises(FormulaError, match="#VALUE!"):
        ev('"优"+1')
    with pytest.raises(FormulaError, match="IF 的条件是文本"):
        ev('IF("优", 1, 0)')


def test_ratio_reads_points():
    assert ev("RATIO(在职人员数, 编制数)", 在职人员数=7, 编制数=12, 分值=5) == pytest.approx(5 * 7 / 12)
    assert ev("RATIO(120, 100)", 分值=5) == 5.0  # 满分为止
    assert ev("RATIO(3, 0)", 分值=5) == 5.0  # target 0 → full points
    assert ev('RATIO(0.9, "≥95%")', 分值=10) == pytest.approx(10 * 0.9 / 0.95)


def test_ratio_inv_lower_is_better():
    assert ev("RATIO_INV(30, 30)", 分值=4) == 4.0
    assert ev("RATIO_INV(36, 30)", 分值=4) == pytest.approx(4 * 30 / 36)
    assert ev("RATIO_INV(10, 30)", 分值=4) == 4.0


def test_deduct_until_nothing_left():
    assert ev("DEDUCT(2, 0.5)", 分值=5) == 4.0
    assert ev("DEDUCT(20, 0.5)", 分值=5) == 0.0
    assert ev("DEDUCT(-3, 0.5)", 分值=5) == 5.0  # a negative amount deducts nothing


def test_target_rule():
    assert ev("TARGET(0.97, 目标值)", 目标值="≥95%", 分值=10) == 10.0
    assert ev("TARGET(0.76, 目标值)", 目标值="≥95%", 分值=10) == pytest.approx(8.0)
    assert ev("TARGET(36, 目标值)", 目标值="≤30天", 分值=10) == pytest.approx(10 * 30 / 36)
    assert ev("TARGET(25, 目标值)", 目标值="≤30天", 分值=10) == 10.0
    assert ev("TARGET(8, 目标值)", 目标值="=10个", 分值=10) == pytest.approx(8.0)
    assert ev("TARGET(12, 目标值)", 目标值="=10个", 分值=10) == pytest.approx(10 * 10 / 12)
    assert ev("TARGET(1, 目标值)", 目标值="100%", 分值=10) == 10.0
    assert ev("TARGET(95, 100)", 分值=10) == pytest.approx(9.5)


def test_target_name_also_works_as_a_number():
    from scoring.formula.targets import parse_target

    assert ev("完成值/目标值", 完成值=0.9, 目标值=parse_target("≥90%")) == pytest.approx(1.0)


@pytest.mark.parametrize("text, expected", [
    ("ROUND(1E300, 5)", 1e300), ("ROUND(1E27, 2)", 1e27), ("ROUND(1E14, 15)", 1e14),
    ("ROUNDDOWN(-1E30, -2)", -1e30), ("ROUNDUP(7, 2)", 7.0), ("ROUND(123456789012345678, -3)", 1.23456789012346e17),
])
def test_rounding_any_finite_double_as_excel(text, expected):
    assert compile_formula(text).evaluate({}) == expected


def test_domain_rules_fail_as_their_excel_formulas_would():
    with pytest.raises(FormulaError, match="#DIV/0!"):  # IF(a<=t, p, p*t/a) with a = 0 above t = -5
        compile_formula("RATIO_INV(a, -5)").evaluate({"a": 0.0, "分值": 5.0})
    with pytest.raises(FormulaError, match="#NUM!"):
        compile_formula("DEDUCT(a, 1E300)").evaluate({"a": 1e300, "分值": 5.0})
