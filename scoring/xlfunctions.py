"""Excel semantics for the formula language: coercion, arithmetic, comparison, functions, domain rules.

Everything here is a plain function over plain values (float, bool, str, Target) that raises
``XLError`` with a Chinese message; the formula module adds the sheet, cell and position.
LibreOffice is the reference where Excel leaves freedom (approximate equality, 15-digit rounding).
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from .targets import Target, TargetError, parse_target
from .values import parse_number_text

MAX_ABS_VALUE = 1e308  # beyond this Excel gives #NUM!
MAX_ROUND_DIGITS = 15  # ROUND's digits argument is clamped to [MIN_ROUND_DIGITS, MAX_ROUND_DIGITS]
MIN_ROUND_DIGITS = -315  # below this every float rounds to 0


class XLError(Exception):
    """An Excel-level error (#DIV/0!, #VALUE!, #NUM!) with a Chinese message."""


# ---------------------------------------------------------------- coercion


def to_number(value, what: str = "参数") -> float:
    if type(value) is float:
        return value
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return float(value)
    if isinstance(value, Target):
        return value.value
    if isinstance(value, str):
        number = parse_number_text(value)
        if number is None:
            raise XLError(f"#VALUE! {what}是文本“{_short(value)}”，不能参与计算")
        return number
    raise XLError(f"#VALUE! {what}不是数值")


def to_bool(value, what: str = "条件") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        upper = value.strip().upper()
        if upper in ("TRUE", "是"):
            return True
        if upper in ("FALSE", "否"):
            return False
        raise XLError(f"#VALUE! {what}是文本“{_short(value)}”，不是真/假值")
    if isinstance(value, Target):
        raise XLError(f"#VALUE! {what}是目标值“{value.describe()}”，不是真/假值")
    raise XLError(f"#VALUE! {what}不是真/假值")


def checked(x: float) -> float:
    if not math.isfinite(x) or abs(x) > MAX_ABS_VALUE:
        raise XLError("#NUM! 计算结果超出数值范围（±1E308）")
    return x


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ------------------------------------------------ arithmetic (LibreOffice's approx rules)

_E48 = 1.0 / (16777216.0 * 16777216.0)


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


def xl_add(a, b):
    x, y = to_number(a, "加数"), to_number(b, "加数")
    if ((x < 0.0 < y) or (y < 0.0 < x)) and approx_equal(x, -y):
        return 0.0
    return checked(x + y)


def xl_sub(a, b):
    x, y = to_number(a, "减数"), to_number(b, "减数")
    if ((x < 0.0 and y < 0.0) or (x > 0.0 and y > 0.0)) and approx_equal(x, y):
        return 0.0
    return checked(x - y)


def xl_mul(a, b):
    return checked(to_number(a, "乘数") * to_number(b, "乘数"))


def xl_div(a, b):
    x, y = to_number(a, "被除数"), to_number(b, "除数")
    if y == 0.0:
        raise XLError("#DIV/0! 除数为零（可用 IF(除数=0, …, …) 先判断）")
    return checked(x / y)


def xl_pow(a, b):
    x, y = to_number(a, "底数"), to_number(b, "指数")
    if x == 0.0 and y == 0.0:
        raise XLError("#NUM! 0 的 0 次方没有定义")
    if x == 0.0 and y < 0.0:
        raise XLError("#DIV/0! 0 的负数次方")
    if x < 0.0 and y != math.floor(y):
        raise XLError("#NUM! 负数的非整数次方")
    try:
        return checked(math.pow(x, y))
    except OverflowError:
        raise XLError("#NUM! 计算结果超出数值范围（±1E308）") from None


def xl_neg(a):
    return -to_number(a, "负号后的值")


def xl_pos(a):
    return a


# ---------------------------------------------------------------- comparison

def _comparable(v):
    if isinstance(v, Target):
        return v.value
    if isinstance(v, (bool, int)):  # 是/TRUE is 1 and 否/FALSE is 0, as in LibreOffice
        return float(v)
    return v


def _compare(a, b) -> int:
    """Numbers (and TRUE/FALSE as 1/0) < text; text case-insensitive; approximate equality."""
    a, b = _comparable(a), _comparable(b)
    a_text, b_text = isinstance(a, str), isinstance(b, str)
    if a_text != b_text:
        return 1 if a_text else -1
    if a_text:
        x, y = a.lower(), b.lower()
        return (x > y) - (x < y)
    if approx_equal(a, b):
        return 0
    return -1 if a < b else 1


def xl_eq(a, b):
    return _compare(a, b) == 0


def xl_ne(a, b):
    return _compare(a, b) != 0


def xl_lt(a, b):
    return _compare(a, b) < 0


def xl_le(a, b):
    return _compare(a, b) <= 0


def xl_gt(a, b):
    return _compare(a, b) > 0


def xl_ge(a, b):
    return _compare(a, b) >= 0


# ---------------------------------------------------------------- rounding


def _decimal15(x: float) -> Decimal:
    """x as the 15 significant digits a spreadsheet shows: ROUND(1.005, 2) sees 1.005, not 1.00499…"""
    return Decimal(format(x, ".15g"))


def _digits(n) -> int:
    d = to_number(n, "位数")
    d = int(d)  # Excel truncates the digits argument
    return max(MIN_ROUND_DIGITS, min(MAX_ROUND_DIGITS, d))


def _round(x, n, mode) -> float:
    value = to_number(x, "要舍入的值")
    digits = _digits(n)
    if value == 0.0:
        return 0.0
    exact = _decimal15(value)
    scaled = exact.scaleb(digits).quantize(Decimal(1), rounding=mode).scaleb(-digits)
    return float(scaled)


def ROUND(x, n):
    return _round(x, n, ROUND_HALF_UP)


def ROUNDUP(x, n):
    return _round(x, n, ROUND_UP)


def ROUNDDOWN(x, n):
    return _round(x, n, ROUND_DOWN)


def INT(x):
    value = to_number(x, "INT 的参数")
    return float(math.floor(_decimal15(value))) if value != 0.0 else 0.0


def ABS(x):
    return abs(to_number(x, "ABS 的参数"))


# ---------------------------------------------------------------- aggregates and logic


def _numbers(args, fn):
    return [to_number(a, f"{fn} 的参数") for a in args]


def SUM(*args):
    total = 0.0
    for x in _numbers(args, "SUM"):
        total = xl_add(total, x)
    return total


def MIN(*args):
    return min(_numbers(args, "MIN"))


def MAX(*args):
    return max(_numbers(args, "MAX"))


def AVERAGE(*args):
    values = _numbers(args, "AVERAGE")
    return checked(SUM(*values) / len(values))


def AND(*args):
    return all([to_bool(a, "AND 的参数") for a in args])


def OR(*args):
    return any([to_bool(a, "OR 的参数") for a in args])


def NOT(a):
    return not to_bool(a, "NOT 的参数")


def TRUE():
    return True


def FALSE():
    return False


def IFS_NONE():
    raise XLError("#N/A IFS 的所有条件都不成立（可在最后加一组 TRUE, 值 作为“其他情况”）")


# ---------------------------------------------------------------- domain rules (read 分值)


def _target_value(target, fn) -> Target:
    if isinstance(target, Target):
        return target
    if isinstance(target, str):
        try:
            return parse_target(target)
        except TargetError as exc:
            raise XLError(f"#VALUE! {fn} 的目标值：{exc}") from None
    return Target(">=", to_number(target, f"{fn} 的目标值"))


def RATIO(actual, target, points):
    """按完成比例计分，满分为止: 分值 × MIN(actual/target, 1); target 0 → 分值."""
    a = to_number(actual, "RATIO 的完成值")
    t = _target_value(target, "RATIO").value
    p = to_number(points, "分值")
    if t == 0.0:
        return p
    return checked(p * min(a / t, 1.0))


def RATIO_INV(actual, target, points):
    """Lower is better: 分值 when actual ≤ target, else 分值 × target/actual."""
    a = to_number(actual, "RATIO_INV 的完成值")
    t = _target_value(target, "RATIO_INV").value
    p = to_number(points, "分值")
    if a <= t:
        return p
    return checked(p * t / a)


def DEDUCT(amount, per, points):
    """每…扣…分，扣完为止: MAX(0, 分值 − MAX(amount, 0) × per)."""
    a = to_number(amount, "DEDUCT 的扣分数量")
    k = to_number(per, "DEDUCT 的每次扣分")
    p = to_number(points, "分值")
    return max(0.0, xl_sub(p, checked(max(a, 0.0) * k)))


def TARGET(actual, target, points):
    """Self-evaluation rule: target met → 分值; otherwise proportional to how close it came."""
    a = to_number(actual, "TARGET 的完成值")
    tg = _target_value(target, "TARGET")
    p = to_number(points, "分值")
    t = tg.value
    c = _compare(a, t)
    met = {">=": c >= 0, ">": c > 0, "<=": c <= 0, "<": c < 0, "=": c == 0}[tg.op]
    if met:
        return p
    if tg.op in (">=", ">"):
        return 0.0 if t == 0.0 else checked(p * a / t)
    if tg.op in ("<=", "<"):
        return 0.0 if a == 0.0 else checked(p * t / a)
    hi, lo = max(a, t), min(a, t)
    return 0.0 if hi == 0.0 else checked(p * lo / hi)
