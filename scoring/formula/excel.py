"""Excel semantics, each rule once in two forms: over plain values (one unit) and over numpy arrays
(many units). Coercion, arithmetic with LibreOffice's approximate rules, comparison, rounding.

The scalar form raises ``ExcelError`` with a Chinese message. The vector form computes numbers
only; an element whose result is not a finite number is a failure whose message the caller takes
from the scalar form on that element, so both forms always say the same thing.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

import numpy as np

from ..errors import ExcelError
from ..values import NoneWord, TypedNumber, parse_number_text, text_answer
from .targets import Target

MAX_ABS_VALUE = 1e308  # beyond this Excel gives #NUM!
MAX_ROUND_DIGITS = 15  # ROUND's digits argument is clamped to [MIN_ROUND_DIGITS, MAX_ROUND_DIGITS]
MIN_ROUND_DIGITS = -315  # below this every float rounds to 0
_E48 = 1.0 / (16777216.0 * 16777216.0)  # LibreOffice's relative tolerance for approximate equality


# ---------------------------------------------------------------- coercion (scalar only: arrays are numbers)


def to_number(value, what: str = "参数") -> float:
    if type(value) is float:
        return value
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):  # a number typed as text (TypedNumber) too
        return float(value)
    if isinstance(value, Target):
        return value.value
    if isinstance(value, NoneWord):
        value = value.text
    if isinstance(value, str):
        number = parse_number_text(value)
        if number is None:
            raise ExcelError(f"#VALUE! {what}是文本“{_short(value)}”，不能参与计算")
        return number
    raise ExcelError(f"#VALUE! {what}不是数值")


def to_bool(value, what: str = "条件") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, NoneWord):  # 无 as a yes/no is 否
        return False
    if isinstance(value, str):
        upper = value.strip().upper()
        if upper in ("TRUE", "是"):
            return True
        if upper in ("FALSE", "否"):
            return False
        raise ExcelError(f"#VALUE! {what}是文本“{_short(value)}”，不是真/假值")
    if isinstance(value, Target):
        raise ExcelError(f"#VALUE! {what}是目标值“{value.describe()}”，不是真/假值")
    raise ExcelError(f"#VALUE! {what}不是真/假值")


def checked(x: float) -> float:
    if not math.isfinite(x) or abs(x) > MAX_ABS_VALUE:
        raise ExcelError("#NUM! 计算结果超出数值范围（±1E308）")
    return x


def finite(x: np.ndarray) -> np.ndarray:
    """Where an array result is a number Excel can hold (the vector form of `checked`)."""
    return np.isfinite(x) & (np.abs(x) <= MAX_ABS_VALUE)


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- approximate equality


def _is_representable_integer(x: float) -> bool:
    return abs(x) < 2.0**53 and x == math.floor(x)


def approx_equal(a: float, b: float) -> bool:
    if a == b:
        return True
    if a == 0.0 or b == 0.0:
        return False
    d = abs(a - b)
    if not math.isfinite(d):
        return False
    if d > abs(a) * _E48 or d > abs(b) * _E48:
        return False
    if _is_representable_integer(d) and _is_representable_integer(abs(a)) and _is_representable_integer(abs(b)):
        return False
    return True


def _is_int_array(x):
    return (np.abs(x) < 2.0**53) & (x == np.floor(x))


def approx_equal_array(a, b):
    with np.errstate(all="ignore"):
        d = np.abs(a - b)
        close = (a != 0) & (b != 0) & np.isfinite(d) & (d <= np.abs(a) * _E48) & (d <= np.abs(b) * _E48)
        ints = _is_int_array(d) & _is_int_array(np.abs(a)) & _is_int_array(np.abs(b))
    return (a == b) | (close & ~ints)


# ---------------------------------------------------------------- arithmetic


def add(a, b):
    x, y = to_number(a, "加数"), to_number(b, "加数")
    if ((x < 0.0 < y) or (y < 0.0 < x)) and approx_equal(x, -y):
        return 0.0
    return checked(x + y)


def add_array(x, y):
    with np.errstate(all="ignore"):
        return np.where(((x < 0) & (y > 0) | (y < 0) & (x > 0)) & approx_equal_array(x, -y), 0.0, x + y)


def sub(a, b):
    x, y = to_number(a, "减数"), to_number(b, "减数")
    if ((x < 0.0 and y < 0.0) or (x > 0.0 and y > 0.0)) and approx_equal(x, y):
        return 0.0
    return checked(x - y)


def sub_array(x, y):
    with np.errstate(all="ignore"):
        return np.where(((x < 0) & (y < 0) | (x > 0) & (y > 0)) & approx_equal_array(x, y), 0.0, x - y)


def mul(a, b):
    return checked(to_number(a, "乘数") * to_number(b, "乘数"))


def mul_array(x, y):
    with np.errstate(all="ignore"):
        return x * y


def div(a, b):
    x, y = to_number(a, "被除数"), to_number(b, "除数")
    if y == 0.0:
        raise ExcelError("#DIV/0! 除数为零（可用 IF(除数=0, …, …) 先判断）")
    return checked(x / y)


def div_array(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, np.nan, x / np.where(y == 0, 1.0, y))


def power(a, b):
    x, y = to_number(a, "底数"), to_number(b, "指数")
    if x == 0.0 and y == 0.0:
        raise ExcelError("#NUM! 0 的 0 次方没有定义")
    if x == 0.0 and y < 0.0:
        raise ExcelError("#DIV/0! 0 的负数次方")
    if x < 0.0 and y != math.floor(y):
        raise ExcelError("#NUM! 负数的非整数次方")
    try:
        return checked(math.pow(x, y))
    except OverflowError:
        raise ExcelError("#NUM! 计算结果超出数值范围（±1E308）") from None


def power_array(x, y):
    with np.errstate(all="ignore"):
        val = np.power(x, y)
        bad = ((x == 0) & (y <= 0)) | ((x < 0) & (y != np.floor(y)))
        return np.where(bad, np.nan, val)


def negate(a):
    return -to_number(a, "负号后的值")


def negate_array(x):
    return -x


def plus(a):
    return a


def plus_array(x):
    return x


# ---------------------------------------------------------------- comparison


def _comparable(v):
    if isinstance(v, Target):
        return v.value
    if isinstance(v, (bool, int)):  # 是/TRUE is 1 and 否/FALSE is 0, as in LibreOffice
        return float(v)
    return v


def compare_text(x: str, y: str) -> int:
    """Text against text, -1, 0, 1, case-insensitive."""
    x, y = x.lower(), y.lower()
    return (x > y) - (x < y)


def compare_with_text(value, text: str) -> int:
    """A value (not text) against text, -1, 0, 1, as Excel compares what was typed: a number typed as text compares
    as its text (`90` = "90"); 无 typed as an answer as its text — and a yes/no answer (是, √, 已建立, 无 …) equals any
    text that reads as the same answer (`X="是"` for √; deliberately more than Excel); other numbers (TRUE/FALSE as
    1/0) are below text."""
    if isinstance(value, TypedNumber):
        return compare_text(value.text, text)
    if isinstance(value, NoneWord):
        return 0 if text_answer(text) is False else compare_text(value.text, text)
    if isinstance(value, bool) and text_answer(text) is value:
        return 0
    return -1


def compare(a, b) -> int:
    """-1, 0, 1. Numbers (and TRUE/FALSE as 1/0) < text, except values typed as text (`compare_with_text`); text
    case-insensitive; approximate equality."""
    a_text, b_text = isinstance(a, str), isinstance(b, str)
    if a_text and b_text:
        return compare_text(a, b)
    if b_text:
        return compare_with_text(a, b)
    if a_text:
        return -compare_with_text(b, a)
    if isinstance(a, NoneWord):
        return compare_text(a.text, b.text) if isinstance(b, NoneWord) else -compare_with_text(b, a.text)
    if isinstance(b, NoneWord):
        return compare_with_text(a, b.text)
    a, b = _comparable(a), _comparable(b)
    if approx_equal(a, b):
        return 0
    return -1 if a < b else 1


def compare_array(a, b):
    """`compare` over number arrays."""
    return np.where(approx_equal_array(a, b), 0, np.where(a < b, -1, 1))


# comparison operator → the test on compare()'s result; one table for both forms
COMPARISONS = {
    "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
    "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0,
}


# ---------------------------------------------------------------- rounding


def _decimal15(x: float) -> Decimal:
    """x as the 15 significant digits a spreadsheet shows: ROUND(1.005, 2) sees 1.005, not 1.00499…"""
    return Decimal(format(x, ".15g"))


def _digits(n) -> int:
    d = int(to_number(n, "位数"))  # Excel truncates the digits argument
    return max(MIN_ROUND_DIGITS, min(MAX_ROUND_DIGITS, d))


_MODES = {"ROUND": ROUND_HALF_UP, "ROUNDUP": ROUND_UP, "ROUNDDOWN": ROUND_DOWN}


def round_scalar(mode: str, x, n) -> float:
    """ROUND (half away from zero), ROUNDUP (away from zero), ROUNDDOWN (toward zero) as Excel."""
    value = to_number(x, "要舍入的值")
    digits = _digits(n)
    if value == 0.0:
        return 0.0
    exact = _decimal15(value)
    if exact.as_tuple().exponent >= -digits:  # no digit below 10^-digits: nothing to round (1E300, ROUND(7, 2))
        return float(exact)
    scaled = exact.scaleb(digits).quantize(Decimal(1), rounding=_MODES[mode]).scaleb(-digits)
    return float(scaled)


def round_array(mode: str, x, digits):
    """`round_scalar` over arrays: binary arithmetic, with the scalar form deciding every near tie."""
    x = np.asarray(x, float)
    digits = np.asarray(digits, float)
    if digits.ndim == 0:
        digits = np.full(x.shape, float(digits))
    d = np.clip(np.trunc(np.nan_to_num(digits)), MIN_ROUND_DIGITS, MAX_ROUND_DIGITS)
    with np.errstate(all="ignore"):
        scale = np.power(10.0, np.abs(d))
        scaled = np.where(d >= 0, np.abs(x) * scale, np.abs(x) / scale)
        floor = np.floor(scaled)
        frac = scaled - floor
        tol = 1e-9 + scaled * 1e-13
        if mode == "ROUND":
            k = np.where(frac >= 0.5, floor + 1, floor)
            near = np.abs(frac - 0.5) < tol
        elif mode == "ROUNDUP":
            k = np.where(frac > 0, floor + 1, floor)
            near = (frac < tol) | (frac > 1 - tol)
        else:
            k = floor
            near = (frac < tol) | (frac > 1 - tol)
        out = np.sign(x) * np.where(d >= 0, k / scale, k * scale)
    near |= (scaled > 1e12) | ~np.isfinite(scaled) | (np.abs(d) > 15)
    out = np.where(x == 0, 0.0, out)
    for i in np.flatnonzero(near & (x != 0) & np.isfinite(x) & np.isfinite(digits)):
        out[i] = round_scalar(mode, float(x[i]), float(digits[i]))
    return out


def floor_int(x) -> float:
    """INT: rounds down, on the 15 digits shown (INT(0.29*100) = 29 as in a spreadsheet)."""
    value = to_number(x, "INT 的参数")
    return float(math.floor(_decimal15(value))) if value != 0.0 else 0.0


def floor_int_array(x):
    with np.errstate(all="ignore"):
        floor = np.floor(x)
        frac = x - floor
        near = (frac < 1e-9 + np.abs(x) * 1e-13) | (frac > 1 - 1e-9 - np.abs(x) * 1e-13) | (np.abs(x) > 1e12)
    out = floor.copy()
    for i in np.flatnonzero(near & np.isfinite(x)):
        out[i] = floor_int(float(x[i]))
    return out
