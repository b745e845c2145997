"""The function table: one entry per function of the formula language, holding everything about it —
arity, help text, the scalar and the vector implementation, how it is evaluated (plain call, IF,
IFS, name test) and its static facts (result kind, bounds, which argument is a target).

Both evaluators, the parser and the static analysis read this table; nothing else lists functions.
A plain call's vector implementation returns numbers; an element that is not a finite number is a
failure whose message comes from the scalar implementation on that element.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..errors import ExcelError, TargetError
from ..values import MISSING, NA
from . import excel as xl
from .targets import Target, parse_target


class Form(enum.Enum):
    CALL = "call"  # arguments evaluated left to right, then the function
    IF = "if"  # lazy: only the chosen branch is evaluated
    IFS = "ifs"  # lazy: conditions in order, the first true one's value
    NAME_TEST = "name_test"  # the argument is a name whose state is tested, never read as a value


class Result(enum.Enum):
    NUMBER = "number"
    BOOLEAN = "boolean"  # TRUE/FALSE (1/0)
    POINTS = "points"  # within [0, 分值]


class TargetArray(NamedTuple):
    """A target per unit: comparison codes (see TARGET_OPS) and values."""

    op: np.ndarray
    val: np.ndarray


TARGET_OPS = {">=": 0, ">": 1, "<=": 2, "<": 3, "=": 4}

Bounds = tuple[float, float] | None


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    doc: str
    scalar: Callable | None = None
    vector: Callable | None = None
    form: Form = Form.CALL
    result: Result = Result.NUMBER
    reads_points: bool = False  # domain rules get the leaf's 分值 as a last, hidden argument
    target_arg: int | None = None  # this argument is a target (≥95%, a number, or 目标值)
    bounds: Callable[[list[Bounds], float], Bounds] | None = None  # static bound of the result


# ---------------------------------------------------------------- implementations: logic


def _and(*args):
    return all([xl.to_bool(a, "AND 的参数") for a in args])


def _or(*args):
    return any([xl.to_bool(a, "OR 的参数") for a in args])


def _not(a):
    return not xl.to_bool(a, "NOT 的参数")


def _is_na(value) -> bool:
    return value is NA


def _is_blank(value) -> bool:
    return value is MISSING


# ---------------------------------------------------------------- implementations: numbers


def _numbers(args, fn):
    return [xl.to_number(a, f"{fn} 的参数") for a in args]


def _sum(*args):
    total = 0.0
    for x in _numbers(args, "SUM"):
        total = xl.add(total, x)
    return total


def _sum_array(*arrays):
    total = np.zeros_like(arrays[0])
    for v in arrays:
        total = xl.add_array(total, v)
    return total


def _average(*args):
    values = _numbers(args, "AVERAGE")
    return xl.checked(_sum(*values) / len(values))


def _average_array(*arrays):
    return _sum_array(*arrays) / len(arrays)


# ---------------------------------------------------------------- implementations: domain rules (read 分值)


def _target_value(target, fn) -> Target:
    if isinstance(target, Target):
        return target
    if isinstance(target, str):
        try:
            return parse_target(target)
        except TargetError as exc:
            raise ExcelError(f"#VALUE! {fn} 的目标值：{exc}") from None
    return Target(">=", xl.to_number(target, f"{fn} 的目标值"))


def _safe(denominator):
    return np.where(denominator == 0, 1.0, denominator)


def ratio(actual, target, points):
    """按完成比例计分，满分为止: 分值 × MIN(actual/target, 1); target 0 → 分值."""
    a = xl.to_number(actual, "RATIO 的完成值")
    t = _target_value(target, "RATIO").value
    p = xl.to_number(points, "分值")
    if t == 0.0:
        return p
    return xl.checked(p * min(a / t, 1.0))


def ratio_array(a, target: TargetArray, p):
    t = target.val
    with np.errstate(all="ignore"):
        return np.where(t == 0, p, p * np.minimum(a / _safe(t), 1.0))


def ratio_inv(actual, target, points):
    """Lower is better: 分值 when actual ≤ target, else 分值 × target/actual."""
    a = xl.to_number(actual, "RATIO_INV 的完成值")
    t = _target_value(target, "RATIO_INV").value
    p = xl.to_number(points, "分值")
    if a <= t:
        return p
    return xl.div(xl.mul(p, t), a)  # a = 0 above a negative target: #DIV/0!


def ratio_inv_array(a, target: TargetArray, p):
    t = target.val
    with np.errstate(all="ignore"):
        return np.where(a <= t, p, np.where(a == 0, np.nan, p * t / _safe(a)))


def deduct(amount, per, points):
    """每…扣…分，扣完为止: MAX(0, 分值 − MAX(amount, 0) × per)."""
    a = xl.to_number(amount, "DEDUCT 的扣分数量")
    k = xl.to_number(per, "DEDUCT 的每次扣分")
    p = xl.to_number(points, "分值")
    return max(0.0, xl.sub(p, xl.checked(max(a, 0.0) * k)))


def deduct_array(amount, per, p):
    with np.errstate(all="ignore"):
        deduction = np.maximum(amount, 0.0) * per
        return np.where(xl.finite(deduction), np.maximum(0.0, xl.sub_array(p, deduction)), np.nan)


def target(actual, target, points):
    """Self-evaluation rule: target met → 分值; otherwise proportional to how close it came."""
    a = xl.to_number(actual, "TARGET 的完成值")
    tg = _target_value(target, "TARGET")
    p = xl.to_number(points, "分值")
    t = tg.value
    met = xl.COMPARISONS[tg.op](xl.compare(a, t))
    if met:
        return p
    if tg.op in (">=", ">"):
        return 0.0 if t == 0.0 else xl.checked(p * a / t)
    if tg.op in ("<=", "<"):
        return 0.0 if a == 0.0 else xl.checked(p * t / a)
    hi, lo = max(a, t), min(a, t)
    return 0.0 if hi == 0.0 else xl.checked(p * lo / hi)


def target_array(a, target: TargetArray, p):
    t, op = target.val, target.op
    c = xl.compare_array(a, t)
    met = np.select([op == 0, op == 1, op == 2, op == 3], [c >= 0, c > 0, c <= 0, c < 0], c == 0)
    higher = (op == 0) | (op == 1)
    lower = (op == 2) | (op == 3)
    hi, lo = np.maximum(a, t), np.minimum(a, t)
    with np.errstate(all="ignore"):
        return np.where(met, p, np.where(
            higher, np.where(t == 0, 0.0, p * a / _safe(t)),
            np.where(lower, np.where(a == 0, 0.0, p * t / _safe(a)),
                     np.where(hi == 0, 0.0, p * lo / _safe(hi)))))


# ---------------------------------------------------------------- static bounds


def _min_bounds(args: list[Bounds], points) -> Bounds:
    known = [a for a in args if a is not None]
    if not known:
        return None
    low = min(a[0] for a in known) if len(known) == len(args) else float("-inf")
    return (low, min(a[1] for a in known))


def _all_known(fn):
    def bounds(args: list[Bounds], points) -> Bounds:
        return None if any(a is None for a in args) else fn(args)
    return bounds


_max_bounds = _all_known(lambda args: (max(a[0] for a in args), max(a[1] for a in args)))
_sum_bounds = _all_known(lambda args: (sum(a[0] for a in args), sum(a[1] for a in args)))
_average_bounds = _all_known(lambda args: (min(a[0] for a in args), max(a[1] for a in args)))
_abs_bounds = _all_known(lambda args: (0.0, max(abs(args[0][0]), abs(args[0][1]))))
_int_bounds = _all_known(lambda args: (args[0][0] - 1, args[0][1]))
_round_bounds = _all_known(lambda args: args[0])
_round_out_bounds = _all_known(lambda args: (args[0][0] - 1, args[0][1] + 1))


def _ifs_bounds(args: list[Bounds], points) -> Bounds:
    return _average_bounds(args[1::2], points)


def _round(mode):
    return (lambda x, n: xl.round_scalar(mode, x, n)), (lambda x, n: xl.round_array(mode, x, n))


_ROUND, _ROUND_V = _round("ROUND")
_ROUNDUP, _ROUNDUP_V = _round("ROUNDUP")
_ROUNDDOWN, _ROUNDDOWN_V = _round("ROUNDDOWN")

_BOOL = Result.BOOLEAN

FUNCTIONS: dict[str, Function] = {f.name: f for f in [
    Function("IF", 2, 3, "IF(条件, 是, [否])", form=Form.IF),
    Function("IFS", 2, None, "IFS(条件1, 值1, 条件2, 值2, …)", form=Form.IFS, bounds=_ifs_bounds),
    Function("ISNA", 1, 1, "ISNA(名称)", _is_na, lambda column: column.na, Form.NAME_TEST, _BOOL),
    Function("ISBLANK", 1, 1, "ISBLANK(名称)", _is_blank, lambda column: column.missing, Form.NAME_TEST, _BOOL),
    Function("AND", 1, None, "AND(条件, …)", _and,
             lambda *v: np.logical_and.reduce([x != 0 for x in v]).astype(float), result=_BOOL),
    Function("OR", 1, None, "OR(条件, …)", _or,
             lambda *v: np.logical_or.reduce([x != 0 for x in v]).astype(float), result=_BOOL),
    Function("NOT", 1, 1, "NOT(条件)", _not, lambda v: (v == 0).astype(float), result=_BOOL),
    Function("TRUE", 0, 0, "TRUE()", lambda: True, lambda: np.float64(1.0), result=_BOOL),
    Function("FALSE", 0, 0, "FALSE()", lambda: False, lambda: np.float64(0.0), result=_BOOL),
    Function("MIN", 1, None, "MIN(数值, …)", lambda *a: min(_numbers(a, "MIN")),
             lambda *v: np.minimum.reduce(v), bounds=_min_bounds),
    Function("MAX", 1, None, "MAX(数值, …)", lambda *a: max(_numbers(a, "MAX")),
             lambda *v: np.maximum.reduce(v), bounds=_max_bounds),
    Function("SUM", 1, None, "SUM(数值, …)", _sum, _sum_array, bounds=_sum_bounds),
    Function("AVERAGE", 1, None, "AVERAGE(数值, …)", _average, _average_array, bounds=_average_bounds),
    Function("ABS", 1, 1, "ABS(数值)", lambda a: abs(xl.to_number(a, "ABS 的参数")), np.abs, bounds=_abs_bounds),
    Function("INT", 1, 1, "INT(数值)", xl.floor_int, xl.floor_int_array, bounds=_int_bounds),
    Function("ROUND", 2, 2, "ROUND(数值, 位数)", _ROUND, _ROUND_V, bounds=_round_bounds),
    Function("ROUNDUP", 2, 2, "ROUNDUP(数值, 位数)", _ROUNDUP, _ROUNDUP_V, bounds=_round_out_bounds),
    Function("ROUNDDOWN", 2, 2, "ROUNDDOWN(数值, 位数)", _ROUNDDOWN, _ROUNDDOWN_V, bounds=_round_out_bounds),
    Function("RATIO", 2, 2, "RATIO(完成值, 目标值)", ratio, ratio_array, result=Result.POINTS,
             reads_points=True, target_arg=1),
    Function("RATIO_INV", 2, 2, "RATIO_INV(完成值, 目标值)", ratio_inv, ratio_inv_array, result=Result.POINTS,
             reads_points=True, target_arg=1),
    Function("DEDUCT", 2, 2, "DEDUCT(数量, 每次扣分)", deduct, deduct_array, result=Result.POINTS,
             reads_points=True),
    Function("TARGET", 2, 2, "TARGET(完成值, 目标值)", target, target_array, result=Result.POINTS,
             reads_points=True, target_arg=1),
]}

IFS_NONE_MESSAGE = "#N/A IFS 的所有条件都不成立（可在最后加一组 TRUE, 值 作为“其他情况”）"


def lookup(name: str) -> Function | None:
    return FUNCTIONS.get(name)
