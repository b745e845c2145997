"""Static facts about compiled formulas, for `check` and `template`: an upper bound of the result,
and the names read as yes/no conditions. Pure functions over ``Formula.tree``; nothing is evaluated
against unit data.
"""

from __future__ import annotations

import ast

from .formula import POINTS_NAME, Formula

_RULES_WITHIN_POINTS = {"RATIO", "RATIO_INV", "DEDUCT", "TARGET"}
_BOOL_FUNCS = {"AND", "OR", "NOT", "ISNA", "ISBLANK", "TRUE", "FALSE"}


def max_result(formula: Formula, points: float) -> float | None:
    """An upper bound of the formula's result when it is obvious (constants, IF branches, sums), else None."""
    bound = _bounds(formula.tree, points)
    return None if bound is None else bound[1]


def _bounds(node, points):
    """(low, high) or None when unknown."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return (float(v), float(v))
        if isinstance(v, (int, float)):
            return (float(v), float(v))
        return None
    if isinstance(node, ast.Name):
        return (points, points) if node.id == POINTS_NAME else None
    if isinstance(node, ast.Compare):
        return (0.0, 1.0)
    if isinstance(node, ast.IfExp):
        a, b = _bounds(node.body, points), _bounds(node.orelse, points)
        if a is None or b is None:
            return None
        return (min(a[0], b[0]), max(a[1], b[1]))
    if isinstance(node, ast.UnaryOp):
        inner = _bounds(node.operand, points)
        if inner is None:
            return None
        return (-inner[1], -inner[0]) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        a, b = _bounds(node.left, points), _bounds(node.right, points)
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
    if isinstance(node, ast.Call):
        name = node.func.id
        if name in _RULES_WITHIN_POINTS:
            return (0.0, points)
        if name in _BOOL_FUNCS:
            return (0.0, 1.0)
        args = [_bounds(a, points) for a in node.args]
        if name == "MIN":
            known = [a for a in args if a is not None]
            if not known:
                return None
            low = min(a[0] for a in known) if len(known) == len(args) else float("-inf")
            return (low, min(a[1] for a in known))
        if name == "MAX":
            if any(a is None for a in args):
                return None
            return (max(a[0] for a in args), max(a[1] for a in args))
        if name == "SUM" and all(a is not None for a in args):
            return (sum(a[0] for a in args), sum(a[1] for a in args))
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN", "INT") and args and args[0] is not None:
            low, high = args[0]
            return (low - 1, high + 1) if name != "ROUND" else (low, high)
        return None
    return None


def condition_names(formula: Formula) -> set[str]:
    """Names used directly as yes/no: IF(x, …), AND(x, …), OR, NOT, or compared with TRUE/FALSE."""
    found: set[str] = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.IfExp) and isinstance(node.test, ast.Name):
            found.add(node.test.id)
        elif isinstance(node, ast.Call) and node.func.id in ("AND", "OR", "NOT"):
            found.update(a.id for a in node.args if isinstance(a, ast.Name))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and isinstance(s.value, bool) for s in sides):
                found.update(s.id for s in sides if isinstance(s, ast.Name))
    found.discard(POINTS_NAME)
    return found


_TARGET_ARG_FUNCS = {"RATIO", "RATIO_INV", "TARGET"}


def target_names(formula: Formula) -> set[str]:
    """Names passed as the target argument of RATIO / RATIO_INV / TARGET: text such as ≥95% is fine there."""
    found = set()
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.Call) and node.func.id in _TARGET_ARG_FUNCS and len(node.args) >= 2:
            if isinstance(node.args[1], ast.Name):
                found.add(node.args[1].id)
    return found
