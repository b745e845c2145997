"""Every entry of the function table, evaluated by the scalar and by the vector implementation on the
same random inputs — half-way values, N/A, blanks, text, TRUE/FALSE, extremes — gives the same value,
the same N/A, the same error message. Elements the vector form hands to the scalar evaluator (text)
are counted, so the test would notice if everything silently fell back."""

import random

import numpy as np
import pytest

from scoring.errors import FormulaError
from scoring.formula import compile_formula
from scoring.formula.functions import FUNCTIONS, Form
from scoring.formula.vector import Column, Messages, VectorEvaluator
from scoring.values import MISSING, NA

N = 600
NAMES = ["a", "b", "c", "d"]
POOL = [0.5, 1.5, 2.5, -2.5, 1.005, 2.675, 0.125, -0.125, 1e-9, 0.0, -0.0, 1.0, 3.0, 7.0, 100.0, 0.95, 1.2,
        -7.0, 12345.678, 1e300, -1e300, 4.35, 0.285, 49.995]


def random_value(rng: random.Random):
    r = rng.random()
    if r < 0.05:
        return NA
    if r < 0.09:
        return MISSING
    if r < 0.13:
        return rng.choice(["优", "良好", "是", "TRUE"])  # text: the scalar evaluator's job
    if r < 0.2:
        return rng.random() < 0.5
    if r < 0.55:
        return rng.choice(POOL)
    return round(rng.uniform(-50, 150), rng.choice([0, 1, 2, 3, 6]))


def call_text(name: str, spec, arity: int) -> str:
    if spec.form is Form.IF:
        return "IF(a>b, c, d)" if arity == 3 else "IF(a>=b, c)"
    if spec.form is Form.IFS:
        return "IFS(a>b, c, a<b, d)" if arity == 4 else "IFS(a>=b, c)"
    if spec.form is Form.NAME_TEST:
        return f"{name}(a)"
    return f"{name}({', '.join(NAMES[:arity])})"


def arities(spec):
    high = spec.max_args if spec.max_args is not None else 4
    return sorted({spec.min_args, min(high, 4)} | ({4} if spec.form is Form.IFS else set()))


CASES = [(name, arity) for name, spec in FUNCTIONS.items() for arity in arities(spec)]


@pytest.mark.parametrize("name, arity", CASES)
def test_scalar_and_vector_agree(name, arity):
    spec = FUNCTIONS[name]
    formula = compile_formula(call_text(name, spec, arity), where="测试!A1 评分公式")
    rng = random.Random(f"{name}/{arity}")
    units = [{n: random_value(rng) for n in NAMES} | {"分值": rng.choice([5.0, 10.0, 2.5, 0.0])} for _ in range(N)]
    messages = Messages()
    columns = {n: Column.of_values([u[n] for u in units], messages) for n in NAMES + ["分值"]}
    vec = VectorEvaluator(N, messages).evaluate(formula, columns)
    compared = 0
    for i, unit in enumerate(units):
        if vec.fallback[i]:
            continue
        compared += 1
        try:
            expected = formula.evaluate(unit)
        except FormulaError as exc:
            assert vec.err[i] and messages.items[vec.err[i]] == exc.as_message(), (i, unit)
            continue
        if expected is NA:
            assert vec.na[i] and not vec.err[i], (i, unit)
            continue
        assert not vec.na[i] and not vec.err[i], (i, unit, messages.items[vec.err[i]])
        assert bool(vec.boolean[i]) == isinstance(expected, bool), (i, unit)
        assert float(vec.val[i]) == float(expected), (i, unit, vec.val[i], expected)
    assert compared >= N * 0.5  # most elements went through the vector form


def test_half_way_values_are_rounded_as_excel_in_both_forms():
    formula = compile_formula("ROUND(a, b)")
    values = [(2.5, 0), (-2.5, 0), (1.005, 2), (2.675, 2), (0.285, 2), (49.995, 2), (1234.5, -1), (0.125, 2)]
    messages = Messages()
    columns = {"a": Column.of_values([float(v) for v, _ in values], messages),
               "b": Column.of_values([float(d) for _, d in values], messages)}
    vec = VectorEvaluator(len(values), messages).evaluate(formula, columns)
    expected = [3.0, -3.0, 1.01, 2.68, 0.29, 50.0, 1230.0, 0.13]
    assert list(vec.val) == expected
    assert [formula.evaluate({"a": float(v), "b": float(d)}) for v, d in values] == expected


def test_vector_failures_are_worded_by_the_scalar_form():
    formula = compile_formula("a/b", where="指标体系!F3 评分公式")
    messages = Messages()
    columns = {"a": Column.of_values([1.0, 2.0], messages), "b": Column.of_values([0.0, 4.0], messages)}
    vec = VectorEvaluator(2, messages).evaluate(formula, columns)
    assert messages.items[vec.err[0]] == "指标体系!F3 评分公式第 2 个字符：#DIV/0! 除数为零（可用 IF(除数=0, …, …) 先判断）"
    assert vec.err[1] == 0 and vec.val[1] == 0.5
    assert np.array_equal(vec.fallback, [False, False])
