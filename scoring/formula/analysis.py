"""Static facts about compiled formulas, from the tree and the function table; nothing is evaluated.

For `check` (an upper bound of a formula's result), `template` (names read as yes/no), the data
checks (names passed as targets) and the engine (whether a result is TRUE/FALSE rather than a number).
"""

from __future__ import annotations

import ast

from .functions import FUNCTIONS, Form, Result
from .names import POINTS_NAME, TARGET_NAME


def max_result(formula, points: float) -> float | None:
    """An upper bound of the formula's result when it is obvious (constants, IF branches, sums), else None."""
    bound = bounds(formula.tree, points)
    return None if bound is None else bound[1]


def bounds(node, points: float):
    """(low, high) of a subtree's value, or None when unknown."""
    if isinstance(node, ast.Constant):
        v = node.value
        return (float(v), float(v)) if isinstance(v, (bool, int, float)) else None
    if isinstance(node, ast.Name):
        return (points, points) if node.id == POINTS_NAME else None
    if isinstance(node, ast.Compare):
        return (0.0, 1.0)
    if isinstance(node, ast.IfExp):
        a, b = bounds(node.body, points), bounds(node.orelse, points)
        if a is None or b is None:
            return None
        return (min(a[0], b[0]), max(a[1], b[1]))
    if isinstance(node, ast.UnaryOp):
        inner = bounds(node.operand, points)
        if inner is None:
            return None
        return (-inner[1], -inner[0]) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        return _binop_bounds(node, bounds(node.left, points), bounds(node.right, points))
    if isinstance(node, ast.Call):
        spec = FUNCTIONS[node.func.id]
        if spec.result is Result.BOOLEAN:
            return (0.0, 1.0)
        if spec.result is Result.POINTS:
            return (0.0, points)
        if spec.bounds is None:
            return None
        return spec.bounds([bounds(a, points) for a in node.args], points)
    return None


def _binop_bounds(node, a, b):
    if a is None or b is None:
        return None
    if isinstance(node.op, ast.Add):
        return (a[0] + b[0], a[1] + b[1])
    if isinstance(node.op, ast.Sub):
        return (a[0] - b[1], a[1] - b[0])
    if isinstance(node.op, ast.Mult):
        products = [x * y for x in a for y in b]
        return (min(products), max(products))
    if isinstance(node.op, ast.Div) and b[0] > 0:
        quotients = [x / y for x in a for y in b]
        return (min(quotients), max(quotients))
    return None


def is_boolean(formula) -> bool:
    """True when the formula's result is always TRUE/FALSE (a comparison, AND/OR/NOT, ISNA …)."""
    return _boolean(formula.tree)


def _boolean(node) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, bool)
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.IfExp):
        return _boolean(node.body) and _boolean(node.orelse)
    if isinstance(node, ast.Call):
        spec = FUNCTIONS[node.func.id]
        if spec.form is Form.IFS:
            return all(_boolean(v) for v in node.args[1::2])
        return spec.result is Result.BOOLEAN
    return False


def condition_names(formula) -> set[str]:
    """Names used directly as yes/no: IF(x, …), AND(x, …), OR, NOT, or compared with TRUE/FALSE."""
    found: set[str] = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.IfExp) and isinstance(node.test, ast.Name):
            found.add(node.test.id)
        elif isinstance(node, ast.Call):
            spec = FUNCTIONS[node.func.id]
            if spec.form is Form.CALL and spec.result is Result.BOOLEAN:
                found.update(a.id for a in node.args if isinstance(a, ast.Name))
            elif spec.form is Form.IFS:
                found.update(a.id for a in node.args[0::2] if isinstance(a, ast.Name))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and isinstance(s.value, bool) for s in sides):
                found.update(s.id for s in sides if isinstance(s, ast.Name))
    found.discard(POINTS_NAME)
    return found


def _yes_no_constant(node) -> bool:
    """TRUE, FALSE, 0 or 1: what a yes/no is compared with (是否公开=1, 制度健全=0, 制度健全<>0)."""
    return isinstance(node, ast.Constant) and (isinstance(node.value, bool) or node.value in (0, 1))


def number_names(formula) -> set[str]:
    """Names read as a figure: in arithmetic, as a number function's argument (MIN, RATIO, TARGET's 完成值 …), compared
    with anything but TRUE/FALSE/0/1 or text (执行率>=90%, 实际>=计划), or given as a result (IF(c, 金额, 0)).
    A comparison with 0 or 1 is both a yes/no test and a figure's, and says neither."""
    found: set[str] = set()

    def add(node):
        if isinstance(node, ast.Name):
            found.add(node.id)

    for node in ast.walk(formula.tree):
        if isinstance(node, ast.BinOp):
            add(node.left)
            add(node.right)
        elif isinstance(node, ast.UnaryOp):
            add(node.operand)
        elif isinstance(node, ast.IfExp):
            add(node.body)
            add(node.orelse)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            others = [s for s in sides if not isinstance(s, ast.Name)]
            if not any(_yes_no_constant(s) or (isinstance(s, ast.Constant) and isinstance(s.value, str)) for s in others):
                for side in sides:
                    add(side)
        elif isinstance(node, ast.Call):
            spec = FUNCTIONS[node.func.id]
            if spec.form is Form.IFS:
                for value in node.args[1::2]:
                    add(value)
            elif spec.form is Form.CALL and spec.result is not Result.BOOLEAN:
                for k, arg in enumerate(node.args):
                    if k != spec.target_arg:
                        add(arg)
    if isinstance(formula.tree, ast.Name):
        found.add(formula.tree.id)
    found.discard(POINTS_NAME)
    return found


def target_figures(formula) -> set[str]:
    """Names compared with the leaf's 目标值: TARGET(x, 目标值), RATIO(x, 目标值), x>=目标值."""
    found: set[str] = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.Call):
            position = FUNCTIONS[node.func.id].target_arg
            if position is not None and len(node.args) > position and _is_target(node.args[position]):
                found.update(a.id for k, a in enumerate(node.args) if k != position and isinstance(a, ast.Name))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_target(s) for s in sides):
                found.update(s.id for s in sides if isinstance(s, ast.Name) and not _is_target(s))
    found.discard(POINTS_NAME)
    return found


def _is_target(node) -> bool:
    return isinstance(node, ast.Name) and node.id == TARGET_NAME


def target_names(formula) -> set[str]:
    """Names passed as a function's target argument: text such as ≥95% is fine there."""
    found = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.Call):
            position = FUNCTIONS[node.func.id].target_arg
            if position is not None and len(node.args) > position and isinstance(node.args[position], ast.Name):
                found.add(node.args[position].id)
    return found


def text_compared_names(formula) -> set[str]:
    """Names compared with a text constant (名称="优"): text is expected there."""
    found = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides):
                found.update(s.id for s in sides if isinstance(s, ast.Name))
    return found


def is_vectorisable(formula) -> bool:
    """Text constants are left to the scalar evaluator, except a name compared with one (制度健全="是"); everything else
    is modelled by the vector one."""
    compared = set()
    for node in ast.walk(formula.tree):
        found = text_comparison(node) if isinstance(node, ast.Compare) else None
        if found is not None:
            compared.add(id(found[1]))
    return not any(isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in compared
                   for n in ast.walk(formula.tree))


def text_comparison(node: ast.Compare):
    """(the name, the text constant, whether the text is on the left) of `名称="文字"` or `"文字"=名称`; else None."""
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Name) and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return left, right, False
    if isinstance(right, ast.Name) and isinstance(left, ast.Constant) and isinstance(left.value, str):
        return right, left, True
    return None
