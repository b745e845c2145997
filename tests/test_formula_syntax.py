"""Syntax: Excel operators, precedence, full-width forms, names, literals (SPEC §4.1)."""

import pytest

from scoring.formula import compile_formula


def ev(text, **names):
    return compile_formula(text).evaluate({k: float(v) if isinstance(v, int) else v for k, v in names.items()})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-2^2", 4.0),  # unary minus binds tighter than ^
        ("2^3^2", 64.0),  # ^ is left-associative
        ("2^-2", 0.25),
        ("-2%", -0.02),
        ("2^3%", 2 ** 0.03),  # % before ^
        ("1+2*3", 7.0),
        ("(1+2)*3", 9.0),
        ("10-4-3", 3.0),
        ("12/3/2", 2.0),
        ("=1+1", 2.0),  # leading = allowed
        ("  = 1 + 1 ", 2.0),
        ("95%", 0.95),
        ("1.5e2", 150.0),
        (".5", 0.5),
        ("3×2÷4", 1.5),
        ("（1＋2）×３", 9.0),
        ("５－１", 4.0),
        ("50％", 0.5),
        ("2＾3", 8.0),
        ("1+1=2", True),  # comparison binds loosest
        ("1<2", True),
        ("1<=1", True),
        ("1≤1", True),
        ("1≦1", True),  # the forms seen in Chinese documents
        ("2≧3", False),
        ("ＩＦ（１＞０，５，０）", 5.0),  # full-width letters too
        ("ｒｏｕｎｄ(2.5, 0)", 3.0),
        ("ＴＲＵＥ", True),
        ("2≥3", False),
        ("1≠2", True),
        ("1<>1", False),
        ("1!=2", True),
        ("1==1", True),
        ("1＝1", True),
        ("2＞1", True),
        ("1＜2", True),
        ("TRUE", True),
        ("false", False),
        ("TRUE+1", 2.0),
        ('"abc"="ABC"', True),  # text comparison is case-insensitive
        ("“优”=“优”", True),
        ('"a""b"="a""b"', True),
        ("1<2<3", True),  # (1<2)<3: TRUE counts as 1
    ],
)
def test_operators_and_literals(text, expected):
    result = ev(text)
    if isinstance(expected, bool):
        assert result is expected
    else:
        assert result == pytest.approx(expected)


def test_chinese_and_bracketed_names():
    assert ev("在职人员数/编制数", 在职人员数=7, 编制数=14) == 0.5
    assert ev("[“三公经费”变动率]*100", 三公经费变动率=-0.12) == pytest.approx(-12)
    assert ev("[预算执行率(%)]+1", **{"预算执行率(%)": 1}) == 2.0
    assert ev("[2023年预算数]/2", **{"2023年预算数": 10}) == 5.0
    # full-width brackets and quotes are folded like the data's names
    assert ev("［预算执行率（%）］", **{"预算执行率(%)": 3}) == 3.0
    assert ev("第1季度完成率*2", 第1季度完成率=0.5) == 1.0


def test_names_read_are_reported_without_functions():
    f = compile_formula("IF(编制数=0, 分值, RATIO(在职人员数, 编制数)) + [“三公经费”变动率]")
    assert f.names == {"编制数", "分值", "在职人员数", "三公经费变动率"}
    assert f.uses_points
    assert not compile_formula("a+b").uses_points
    assert compile_formula("满分*0.5").names == {"分值"}  # 满分 is an alias of 分值


def test_function_names_are_case_insensitive():
    assert ev("if(1>0, round(2.5, 0), 0)") == 3.0
    assert ev("Max(1, 2) + min(3, 4)") == 5.0
