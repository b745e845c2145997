"""Every attack we know of, each with its refusal (in the spirit of simpleeval's test_security)."""

import pytest

from scoring.formula import FormulaError, compile_formula

ATTACKS = [
    ("__import__('os').system('echo hi')", "不支持“'”"),
    ('__import__("os")', "未知函数“__import__”"),
    ("().__class__", "不支持“.”"),
    ("x.real", "不支持“.”"),
    ("(1).real", "不支持“.”"),
    ('"".join(1)', "不支持“.”"),
    ("open('/etc/passwd')", "不支持“'”"),
    ('open("/etc/passwd")', "未知函数“open”"),
    ('eval("1+1")', "未知函数“eval”"),
    ('exec("x=1")', "未知函数“exec”"),
    ("lambda: 1", "不支持“:”"),
    ("[x for x in range(9)]", None),  # a bracketed *name*: unknown, never executed
    ("x[0]", "是否缺少运算符"),
    ("{1: 2}", "不支持“{”"),
    ("a; b", "不支持“;”"),
    ("a = 1; b", "不支持“;”"),
    ("globals()", "未知函数“globals”"),
    ("getattr(1, 'real')", "不支持“'”"),
    ('getattr(1, "real")', "未知函数“getattr”"),
    ("type(1)", "未知函数“type”"),
    ("f'{1}'", "不支持“'”"),
    ("IF.__globals__", "不支持“.”"),
    ("9^9^9^9", "#NUM!"),
    ("10^400", "#NUM!"),
    ("2^1024", "#NUM!"),
    ("1e308*10", "#NUM!"),
    ("-1e308-1e308", "#NUM!"),
]


@pytest.mark.parametrize("text, fragment", ATTACKS)
def test_attack_is_refused_with_a_message(text, fragment):
    with pytest.raises(FormulaError) as info:
        compile_formula(text, where="指标体系!K7 评分公式").evaluate({"x": 90.0})
    message = str(info.value)
    assert message.startswith("指标体系!K7 评分公式")
    if fragment:
        assert fragment in message


def test_attribute_access_never_yields_a_value():
    # x.real must not be 90
    with pytest.raises(FormulaError):
        compile_formula("x.real").evaluate({"x": 90.0})


def test_python_truthiness_and_builtins_are_not_names():
    for name in ("print", "int", "float", "dir", "vars", "__builtins__"):
        with pytest.raises(FormulaError, match="未知名称"):
            compile_formula(name).evaluate({})


def test_the_evaluator_accepts_only_the_nodes_the_compiler_builds():
    import ast
    import dataclasses

    forged = ast.Attribute(value=ast.Constant(1), attr="real", ctx=ast.Load(), col_offset=0)
    f = dataclasses.replace(compile_formula("1+1"), tree=forged)  # compiled formulas are immutable
    with pytest.raises(FormulaError):
        f.evaluate({})
