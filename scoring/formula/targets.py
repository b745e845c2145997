"""Target values (目标值 / 指标值) as bureaus write them: `≥95%`, `≤30天`, `不低于90%` (SPEC §4.3)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import TargetError
from ..values import PERCENT_UNITS, finite_number, unit_scale


@dataclass(frozen=True)
class Target:
    op: str  # one of >= <= > < =
    value: float
    text: str = ""
    direction_given: bool = True  # False for a bare number (read as ≥)
    unit: str | None = None  # 万元, 人, 项 … as written (values.UNITS); None: none, or one not converted (天, 次)
    problem: str = ""  # a 目标值 that cannot be read (`unreadable_target`): why, naming its cell; value is None

    def describe(self) -> str:
        return self.text or f"{_OP_SIGN[self.op]}{self.value:g}"


_OP_SIGN = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}

# Longest first, so that `>=` wins over `>` and `不低于` over `低于`.
_PREFIXES = [
    (">=", ">="), ("≥", ">="), ("≧", ">="), ("=>", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("大于等于", ">="), ("大于或等于", ">="), ("达到", ">="), ("至少", ">="), ("高于等于", ">="),
    ("<=", "<="), ("≤", "<="), ("≦", "<="), ("=<", "<="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="),
    ("不大于", "<="), ("小于等于", "<="), ("小于或等于", "<="), ("至多", "<="), ("控制在", "<="),
    ("<>", None), ("!=", None), ("≠", None),
    (">", ">"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("<", "<"), ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("==", "="), ("=", "="), ("等于", "="), ("为", "="),
]
_PREFIXES.sort(key=lambda p: -len(p[0]))

_SUFFIX_OPS = [("以上", ">="), ("及以上", ">="), ("以下", "<="), ("及以下", "<="), ("以内", "<="), ("之内", "<=")]

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# A unit the list below does not know (厘米, 公顷, 吨, 次/年): the number is read, the unit shown as written, nothing converted.
_OTHER_UNIT = re.compile(r"^[^\W\d_](?:[^\W\d_]|[/·²³])*$")
MAX_OTHER_UNIT = 8
# Units are read (SPEC §4.3): `%` and 个百分点 divide by 100; those of values.UNITS (元, 万元, 人, 项 …) are kept, and a figure
# in another unit of the same kind is converted before it is compared; the others, and words that look like a unit
# (_OTHER_UNIT), are shown as written and not converted. Anything else is an error.
_UNITS = re.compile(
    r"^(%|百分比|天|日|个|人|人次|万元|元|亿元|千元|百万元|万个|万户|万次|次|件|项|家|户|条|所|台|套|篇|场|期|份|批|座|km|公里|"
    r"米|m|㎡|平方米|m2|小时|h|分钟|分|月|个月|年|周|工作日|个工作日|万人|万件|万人次|个百分点|百分点|类|种|张|页|册|本|辆|名|位|处|间|栋)?$"
)


# A deadline (2020年12月底前, 12月31日前, 2023年底): a date, not a number to compare a figure with.
_DATE_END = r"(底|末|初|上旬|中旬|下旬)?(前|之前|以前)?(完成|完工|办结|到位)?"
_DEADLINE = re.compile(rf"^(\d{{4}}年((\d{{1,2}}月(\d{{1,2}}日)?)|底|末|内)?|\d{{1,2}}月(\d{{1,2}}日|底|末|上旬|中旬|下旬)){_DATE_END}$")


def is_qualitative(raw) -> bool:
    """A target written in words only (效果明显, 严格执行相关制度规定, 达成预期目标), or a deadline (2020年12月底前):
    no number to compare with."""
    if raw is None or isinstance(raw, (bool, int, float)):
        return False
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return False
    return not any(ch.isdigit() for ch in text) or is_deadline(text)


def is_deadline(text: str) -> bool:
    """2020年12月底前, 2023年12月31日前, 12月底前完成, 2023年底: a date written as a target. `2023年` alone and
    `12个月` (durations, counts) are not."""
    compact = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
    match = _DEADLINE.match(compact)
    return bool(match) and not re.fullmatch(r"\d{4}年", compact)


def parse_target(raw) -> Target:
    """Read a target cell into a comparator and a number; bare numbers and `100%` mean ≥."""
    if isinstance(raw, bool):
        raise TargetError("目标值不能是“是/否”，请写成数值，例如 ≥95%")
    if isinstance(raw, (int, float)):
        value = finite_number(raw)
        if value is None:
            raise TargetError("目标值超出 Excel 的数值范围，请改正")
        return Target(">=", value, "", direction_given=False)
    if raw is None or not str(raw).strip():
        raise TargetError("目标值为空")
    original = str(raw).strip()
    text = unicodedata.normalize("NFKC", original).replace(" ", "").replace(",", "")
    op = None
    for prefix, prefix_op in _PREFIXES:
        if text.startswith(prefix):
            if prefix_op is None:
                raise TargetError(f"目标值“{original}”：不支持“不等于”类目标，请写成 ≥、≤ 或 =")
            op = prefix_op
            text = text[len(prefix):]
            break
    for suffix, suffix_op in sorted(_SUFFIX_OPS, key=lambda s: -len(s[0])):
        if text.endswith(suffix):
            if op is None:
                op = suffix_op
            text = text[: -len(suffix)]
            break
    match = _NUMBER.match(text)
    if not match:
        raise TargetError(
            f"目标值“{original}”无法识别：请写成数值加可选的比较符，例如 ≥95%、≤30天、=100%、不低于90%"
        )
    number = finite_number(float(match.group(0)))
    if number is None:
        raise TargetError(f"目标值“{original}”超出 Excel 的数值范围，请改正")
    rest = text[match.end():]
    if not _UNITS.match(rest) and not (len(rest) <= MAX_OTHER_UNIT and _OTHER_UNIT.match(rest)):
        raise TargetError(
            f"目标值“{original}”中“{rest}”无法识别：数值后只能跟单位（天、个、人、万元、次、% 等）"
        )
    if rest in PERCENT_UNITS:
        number /= 100
    return Target(op or ">=", number, original, direction_given=op is not None,
                  unit=rest if unit_scale(rest) else None)


def unreadable_target(raw, problem: str) -> Target:
    """A 目标值 that cannot be read: only the indicators whose rule reads it are errors, with `problem` (the cell and
    what to write) as the message; everything else is scored."""
    return Target(">=", None, str(raw).strip(), direction_given=True, problem=problem)
