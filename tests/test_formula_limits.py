"""Limits as named constants; oversized input fails fast with a message (SPEC §4.4)."""

import time

import pytest

from scoring import formula as fm
from scoring.formula import FormulaError, compile_formula


def test_formula_length_limit():
    with pytest.raises(FormulaError, match=f"超过上限 {fm.MAX_FORMULA_LENGTH}"):
        compile_formula("1+" * 50000)


def test_hundred_kilobyte_formula_fails_fast():
    start = time.perf_counter()
    with pytest.raises(FormulaError):
        compile_formula("(" * 100_000)
    assert time.perf_counter() - start < 1.0  # a sanity bound, not a benchmark


def test_nesting_limit():
    ok = "(" * fm.MAX_NESTING + "1" + ")" * fm.MAX_NESTING
    assert compile_formula(ok).evaluate({}) == 1.0
    deep = "(" * (fm.MAX_NESTING + 1) + "1" + ")" * (fm.MAX_NESTING + 1)
    with pytest.raises(FormulaError, match=f"嵌套超过 {fm.MAX_NESTING} 层"):
        compile_formula(deep)
    with pytest.raises(FormulaError, match="嵌套超过"):
        compile_formula("-" * 100 + "1")
    with pytest.raises(FormulaError, match="嵌套超过"):
        compile_formula("ABS(" * 100 + "1" + ")" * 100)


def test_operator_chain_limit():
    ok = "+".join(["1"] * fm.MAX_TREE_DEPTH)
    assert compile_formula(ok).evaluate({}) == fm.MAX_TREE_DEPTH
    with pytest.raises(FormulaError, match="改用 SUM"):
        compile_formula("+".join(["1"] * (fm.MAX_TREE_DEPTH + 2)))


def test_node_limit():
    many = "+".join(["SUM(" + ",".join(["1"] * 250) + ")"] * 10)
    assert len(many) < fm.MAX_FORMULA_LENGTH
    with pytest.raises(FormulaError, match=f"超过 {fm.MAX_NODES} 个运算项"):
        compile_formula(many)


def test_argument_limit():
    with pytest.raises(FormulaError, match=f"参数超过 {fm.MAX_ARGUMENTS} 个"):
        compile_formula("SUM(" + ",".join(["1"] * 300) + ")")


def test_string_limit():
    with pytest.raises(FormulaError, match=f"超过 {fm.MAX_STRING_LENGTH} 个字符"):
        compile_formula('"' + "x" * 300 + '"')


def test_power_overflow_fails_fast():
    start = time.perf_counter()
    with pytest.raises(FormulaError, match="#NUM!"):
        compile_formula("9^9^9^9").evaluate({})
    assert time.perf_counter() - start < 1.0
