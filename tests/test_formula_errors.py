"""Errors: Chinese, with sheet!cell and the character position (SPEC §4.4)."""

import pytest

from scoring.formula import FormulaError, MissingValueError, compile_formula
from scoring.values import MISSING

WHERE = "指标体系!K7 评分公式"


def error_of(text, context=None, known=None):
    with pytest.raises(FormulaError) as info:
        compile_formula(text, where=WHERE, known_names=known).evaluate(context or {})
    return str(info.value)


def test_unknown_name_suggests_the_closest_at_compile_time():
    msg = error_of("在职人数/编制数", known={"在职人员数", "编制数"})
    assert msg == "指标体系!K7 评分公式第 1 个字符：未知名称 “在职人数”（是否指 “在职人员数”？）"


def test_unknown_name_at_evaluation_points_at_it():
    msg = error_of("IF(编制数=0, 0, 在职人数/编制数)", {"在职人员数": 7.0, "编制数": 12.0})
    assert msg.startswith("指标体系!K7 评分公式第 14 个字符：未知名称 “在职人数”")
    assert "在职人员数" in msg


def test_blank_value_names_the_variable():
    with pytest.raises(MissingValueError) as info:
        compile_formula("a+1", where=WHERE).evaluate({"a": MISSING})
    assert info.value.name == "a"
    assert "“a”未填写" in str(info.value)


@pytest.mark.parametrize(
    "text, position, fragment",
    [
        ("1+", 3, "结尾缺少数值或名称"),
        ("(1+2", 5, "缺少“)”"),
        ("1+2)", 4, "多余的“)”"),
        ("1 2", 3, "是否缺少运算符"),
        ("IF(1)", 1, "IF 需要 2 到 3 个参数，这里有 1 个"),
        ("ROUND(1)", 1, "ROUND 需要 2 个参数"),
        ("MAX()", 1, "MAX 需要 至少 1 个参数"),
        ("IF(1,,2)", 6, "第 2 个参数为空"),
        ("VLOOKUP(a, b)", 1, "未知函数“VLOOKUP”"),
        ("ROUDN(1, 2)", 1, "是否指 ROUND"),
        ('"abc', 1, "缺少结束引号"),
        ("[abc", 1, "缺少结束的“]”"),
        ("[]", 1, "方括号中没有名称"),
        ("2023年预算数*2", 5, "[2023年"),
        ("A1+1", None, None),  # a plain name, not a cell: unknown at evaluation
        ("1 & 2", 3, "不支持“&”"),
        ("SUM(A1:A3)", 7, "不能使用单元格引用"),
        ("1/0", 2, "#DIV/0!"),
        ("=1/0", 3, "#DIV/0!"),  # the position counts the leading =
        ("(-2)^0.5", 5, "#NUM!"),
        ("0^0", 2, "#NUM!"),
        ("IFS(1>2, 1)", 1, "IFS 的所有条件都不成立"),
        ("IFS(1>2, 1, 3)", 1, "应成对出现"),
        ("ISNA(1+1)", 1, "参数应为一个名称"),
        ("@x", 1, "无法识别的字符“@”"),
        ("", None, "公式为空"),
    ],
)
def test_error_messages_point_at_the_character(text, position, fragment):
    msg = error_of(text)
    assert msg.startswith(WHERE)
    if position is not None:
        assert f"第 {position} 个字符：" in msg
    if fragment is not None:
        assert fragment in msg


def test_points_outside_an_indicator_formula():
    msg = error_of("RATIO(a, b)", {"a": 1.0, "b": 2.0})
    assert "只能用在指标的评分公式中" in msg


def test_error_carries_its_parts():
    with pytest.raises(FormulaError) as info:
        compile_formula("1+*2", where=WHERE)
    err = info.value
    assert err.position == 3 and err.where == WHERE and err.formula == "1+*2"
