"""Value states and the parsing of values as people type them into Excel (SPEC §3).

A unit's value is a float, a bool, a str, ``NA`` (不适用) or ``MISSING`` (blank cell). A number or yes/no read from
text keeps what was typed where a formula may compare it with text: ``TypedNumber`` (`90` typed as text); a yes/no
answer equals any text that reads as the same answer (``text_answer``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata

from .words import FALSE_WORDS, NA_WORDS, NONE_WORDS, PERCENT_UNITS, TRUE_WORDS, UNITS


class _Sentinel:
    __slots__ = ("_label",)

    def __init__(self, label: str):
        self._label = label

    def __repr__(self) -> str:
        return self._label

    def __bool__(self) -> bool:  # never silently truthy
        raise TypeError(f"{self._label} has no truth value")


NA = _Sentinel("NA")  # 不适用
MISSING = _Sentinel("MISSING")  # blank cell
ABSENT = _Sentinel("ABSENT")  # the unit has no value of that name at all (not even a blank cell)


class Invalid:
    """A value that exists but cannot be used (uncached formula, #DIV/0! cell, failed 计算项).

    Reading it in a formula is an error with this message (text, or an errors.Message naming a blank cell).
    """

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message

    def __repr__(self) -> str:
        return f"Invalid({self.message!r})"


_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "〈": "(",
                           "〉": ")"})
_KEPT = set("()%.‰-")  # brackets (a unit suffix: 年初预算数(万元)), percent, decimal point and dash stay


def normalize_name(name: str) -> str:
    """The one form in which names are compared (formula names, data names, template rows): full-width folded,
    every bracket a round one, no spaces, no other punctuation (quotes, 、，：…) — `“三公经费”变动率`,
    `"三公经费"变动率` and `三公经费 变动率` all match, as do `合法、合规` and `合法合规`.
    """
    text = unicodedata.normalize("NFKC", str(name)).translate(_BRACKETS)
    text = _SPACES.sub("", text)
    return "".join(ch for ch in text if ch in _KEPT or not unicodedata.category(ch).startswith("P"))


# Numbering bureaus print before an indicator's name: 一、 (一) （一） 1. 1、 8． ① — kept for display, not needed in data.
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[、.．]|[①-⑳])\s*")


def without_numbering(name: str) -> str:
    """`一、投入` → `投入`, `(二)预算执行` → `预算执行`, `8.预算执行率` → `预算执行率`; other names unchanged."""
    stripped = _NUMBERING.sub("", str(name), count=1)
    return stripped if stripped.strip() else str(name)


_EXPLANATION = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def without_explanation(name: str) -> str:
    """`年度建设任务完成率(计算方法:完成面积/计划面积×100)` → `年度建设任务完成率`: a trailing bracketed explanation
    printed in the name cell; other names unchanged."""
    stripped = _EXPLANATION.sub("", str(name))
    return stripped if stripped.strip() else str(name)



# Yes/no answers written as the state itself (SPEC §3): the verb alone or with 已 (建立, 已建立, 均已完成) is 是; the verb
# negated by 未/不/没/没有/尚未/暂未 (未建立, 不符合, 没有完成, 尚未制定) is 否. Only these verbs, whose negation plainly
# answers “no”: 不涉及, 基本健全, 部分完成 are no yes/no answer (an error where one is read).
YES_NO_VERBS = ("建立", "建成", "制定", "出台", "印发", "设立", "编制", "完成", "办结", "落实", "执行", "开展", "实施",
                "实现", "达到", "达标", "到位", "符合", "具备", "健全", "完善", "合格", "合规", "规范", "公开", "及时",
                "有效", "通过", "满足", "备案", "验收", "整改")
_VERB = "(?:按时|按期|按要求)?(?:" + "|".join(YES_NO_VERBS) + ")"
_AFFIRMED = re.compile(r"^(?:已经?|均已|已全部|全部)?" + _VERB + "了?$")
_NEGATED = re.compile(r"^(?:未|未能|尚未|暂未|并未|不|没|没有|均未)" + _VERB + "$")


class NoneWord:
    """无 / 没有 typed as a value: 否 where formulas read a yes/no; where they read a figure it is unknown whether 0 or
    不适用 was meant, and the engine asks (an error naming the cell)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"NoneWord({self.text!r})"


def yes_no_word(text: str) -> bool | None:
    """True for a word meaning yes (是, √, 已建立, 符合), False for no (否, ×, 未建立, 不符合, 无), None for anything else."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower().rstrip("。.!！")
    if folded in TRUE_WORDS or text in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS or text in FALSE_WORDS or folded in NONE_WORDS:
        return False
    if _AFFIRMED.match(folded):
        return True
    if _NEGATED.match(folded):
        return False
    return None




def unit_scale(unit: str | None) -> tuple[str, float] | None:
    """(base unit, factor) of a unit in UNITS; None for no unit or one that is not converted (天, 次 … are compared as
    written)."""
    return UNITS.get(unit) if unit else None


class Measured(float):
    """A figure typed with a unit (`480万元`): the number in its base unit (4800000 元), with the unit as typed."""

    __slots__ = ("unit",)

    def __new__(cls, value: float, unit: str):
        self = super().__new__(cls, value)
        self.unit = unit
        return self

    def typed(self) -> str:
        """As typed: `480万元`."""
        return f"{format_number(float(self) / UNITS[self.unit][1])}{self.unit}"


_MEASURED = re.compile(r"^(.*?\d)(" + "|".join(sorted(list(UNITS) + list(PERCENT_UNITS[1:]), key=len, reverse=True))
                       + r")$")


def parse_measured(text: str):
    """`480万元` → Measured(4800000, 万元), `5个百分点` → 0.05; None when the text is no number with such a unit."""
    match = _MEASURED.match(number_text_form(text))
    if not match:
        return None
    number = parse_number_text(match.group(1))
    if number is None or match.group(1).endswith("%"):
        return None
    unit = match.group(2)
    if unit in PERCENT_UNITS:
        return number / 100
    value = number * UNITS[unit][1]
    return Measured(value, unit) if abs(value) <= MAX_NUMBER else None

class TypedNumber(float):
    """A number typed as text (`90`, `90%`, `10:30` in a text cell): the number it reads as, with the text as typed
    (spaces around it removed). Compared with a text literal it compares as that text, as Excel compares a text cell."""

    __slots__ = ("text",)

    def __new__(cls, value: float, text: str):
        self = super().__new__(cls, value)
        self.text = text
        return self


@functools.lru_cache(maxsize=4096)
def text_answer(text: str) -> bool | None:
    """The yes/no a text reads as when typed into a data cell (是, √, 已建立, 是☑ 否□ → True; 否, 无, 未建立 → False);
    None for any other text (a number, a word that is no answer)."""
    value = parse_cell_value(text)
    if isinstance(value, bool):
        return value
    return False if isinstance(value, NoneWord) else None


_CHECKED = "☑✓✔■√"
_UNCHECKED = "□☐"
_PAIR = re.compile(r"^(是|有)\s*([" + _CHECKED + _UNCHECKED + r"])\s*(否|无)\s*([" + _CHECKED + _UNCHECKED + r"])$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")  # 1,234,567.5
_GROUPED_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")  # 1.234.567,5 (as typed in Europe)
# What a pasted number may carry that NFKC keeps: minus signs other than "-", and invisible characters.
_LOOKALIKES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-",
                             "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
                             "\u00ad": None})


def number_text_form(text: str) -> str:
    """The text a number is read from: NFKC-folded, look-alike minus signs made "-", invisible characters and
    spaces removed. `−５％` → `-5%`."""
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).strip().replace(" ", "")


def parse_number_text(text: str) -> float | None:
    """`1,234.5` → 1234.5, `1.234,5` → 1234.5, `９５%` → 0.95, `−5` → -5; None when it is no number, or no
    number Excel can hold (1e309). A comma that is not a thousands separator (`12,5`) makes it no number."""
    t = number_text_form(text)
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if "," in t:
        if _GROUPED.match(t):
            t = t.replace(",", "")
        elif _GROUPED_DECIMAL_COMMA.match(t):
            t = t.replace(".", "").replace(",", ".")
        else:
            return None
    if not _NUMBER.match(t):
        return None
    value = float(t)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        return None
    return value / 100 if percent else value


MAX_NUMBER = 1e308  # Excel's largest magnitude; beyond it a typed number is text in Excel too


def finite_number(raw) -> float | None:
    """An int or float cell value as a float Excel can hold; None for infinity, NaN, or an integer of 400 digits."""
    try:
        value = float(raw)
    except OverflowError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None


def looks_numeric(text: str) -> bool:
    """Text that a reader would take for a number but that is none (`12,5`, `1e999`, `10:30` typed as text)."""
    t = number_text_form(text)
    return bool(t) and any(ch.isdigit() for ch in t) and all(ch in "0123456789.,+-eE%:/" for ch in t)


def parse_cell_value(raw):
    """Turn a cell's content into a value (SPEC §3 table).

    Numbers stay numbers (a percent-formatted cell already holds 0.95), text is read as
    number, percent, yes/no, checkbox pair or N/A; other text stays text; blank is MISSING.
    """
    if raw is None:
        return MISSING
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        value = finite_number(raw)
        return value if value is not None else Invalid("数值超出 Excel 的范围（±1E308）")
    if isinstance(raw, (_dt.date, _dt.time, _dt.timedelta)):
        return excel_serial(raw)
    text = str(raw).strip()
    if not text:
        return MISSING
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if folded in NA_WORDS or text in NA_WORDS:
        return NA
    number = parse_number_text(text)
    if number is not None:
        return TypedNumber(number, text)
    if folded in NONE_WORDS:
        return NoneWord(text)
    answer = yes_no_word(text)
    if answer is not None:
        return answer
    measured = parse_measured(text)
    if measured is not None:
        return measured if type(measured) is Measured else TypedNumber(measured, text)  # 5个百分点: 0.05
    pair = _PAIR.match(text.replace(" ", ""))
    if pair:
        yes_checked = pair.group(2) not in _UNCHECKED
        no_checked = pair.group(4) not in _UNCHECKED
        if yes_checked != no_checked:
            return yes_checked
    typed = _date_or_time_text(number_text_form(text))
    if typed is not None:
        return TypedNumber(typed, text)
    if looks_numeric(text):
        return Invalid(f"“{text[:30]}”看起来是数字，但不能读作数字（如 12,5、1e999、全角或多余的符号）：请改成数字")
    return text


_TIME_TEXT = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d(?:\.\d+)?))?$")  # 10:30, 0:30, 36:00:00
_DATE_TEXT = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$")  # 2020-1-5, 2020/01/05, 2020年1月5日


def _date_or_time_text(t: str) -> float | None:
    """Text Excel turns into a date or time as it is typed, as that serial number; None for other text."""
    match = _TIME_TEXT.match(t)
    if match:
        hours, minutes, seconds = int(match.group(1)), int(match.group(2)), float(match.group(3) or 0)
        return (hours * 3600 + minutes * 60 + seconds) / 86400
    match = _DATE_TEXT.match(t)
    if match:
        try:
            return excel_serial(_dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        except ValueError:  # 2020-02-30
            return None
    return None


_EPOCH = _dt.datetime(1899, 12, 30)  # serial 0 of Excel's 1900 date system (as it counts after February 1900)


def excel_serial(value) -> float:
    """A date, time or duration as the number Excel holds: days since 1900-01-00, times as fractions of a day
    (2020-01-01 → 43831, 10:30 → 0.4375, a duration of 0:30 → 0.0208333). Dates before 1900-03-01 count
    Excel's 1900-02-29, which never was."""
    if isinstance(value, _dt.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial - 1 if serial < 61 else serial


def describe(value) -> str:
    """A value as a finance user reads it in a note."""
    if value is NA:
        return "不适用"
    if value is MISSING:
        return "空白"
    if isinstance(value, Invalid):
        return "无效"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, NoneWord):
        return value.text
    if isinstance(value, Measured):
        return value.typed()
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def format_number(value: float, digits: int = 4) -> str:
    """Short decimal form: 5.0 → 5, 58.333333 → 58.3333, 1e-17 → 0."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    rounded = round(value, digits)
    if rounded == int(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")
