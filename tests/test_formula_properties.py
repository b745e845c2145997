"""Property tests: no input makes the compiler or evaluator raise anything but FormulaError."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.formula import FormulaError, compile_formula
from scoring.values import MISSING, NA

ALPHABET = list("0123456789+-*/^%()=<>,.[]\"“” abcxy在职人员数率分值ＩＦ×÷≤≥≠％（），") + [
    "IF(", "IFS(", "ROUND(", "MIN(", "AND(", "TARGET(", "RATIO(", "DEDUCT(", "ISNA(", "TRUE", "1e308", "9^9",
]
VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.text(max_size=5),
    st.just(NA), st.just(MISSING),
)
CONTEXT = st.fixed_dictionaries({"a": VALUES, "b": VALUES, "x": VALUES, "分值": VALUES, "在职人员数": VALUES})


def _run(text, context):
    try:
        f = compile_formula(text, where="指标体系!K7 评分公式")
    except FormulaError:
        return
    try:
        f.evaluate(context)
    except FormulaError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_only_raises_formula_error(text):
    _run(text, {"a": 1.0})


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join), CONTEXT)
def test_formula_like_text_only_raises_formula_error(text, context):
    _run(text, context)
