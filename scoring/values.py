"""Value states and the parsing of values as people type them into Excel (SPEC §3).

A unit's value is a float, a bool, a str, ``NA`` (不适用) or ``MISSING`` (blank cell).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata


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

    Reading it in a formula is an error with this message.
    """

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return f"Invalid({self.message!r})"


_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』《》")
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The form in which names are compared: full-width folded, no spaces, no quote marks.

    `“三公经费”变动率`, `"三公经费"变动率` and `三公经费 变动率` all match.
    """
    text = unicodedata.normalize("NFKC", str(name))
    return _SPACES.sub("", text).translate(_QUOTES)


TRUE_WORDS = {"是", "√", "☑", "✓", "✔", "有", "y", "yes", "true", "对", "真"}
FALSE_WORDS = {"否", "×", "□", "☐", "无", "n", "no", "false", "错", "假", "x", "✗", "✘"}
NA_WORDS = {"不适用", "n/a", "na", "#n/a", "—", "——", "-", "--", "/", "／", "无此项"}

_CHECKED = "☑✓✔■√"
_UNCHECKED = "□☐"
_PAIR = re.compile(r"^(是|有)\s*([" + _CHECKED + _UNCHECKED + r"])\s*(否|无)\s*([" + _CHECKED + _UNCHECKED + r"])$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number_text(text: str) -> float | None:
    """`1,234.5` → 1234.5, `９５%` → 0.95, `95％` → 0.95; None when it is no number."""
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if not _NUMBER.match(t):
        return None
    value = float(t)
    return value / 100 if percent else value


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
        return float(raw)
    if isinstance(raw, (_dt.datetime, _dt.date)):
        return raw
    text = str(raw).strip()
    if not text:
        return MISSING
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if folded in NA_WORDS or text in NA_WORDS:
        return NA
    number = parse_number_text(text)
    if number is not None:
        return number
    if folded in TRUE_WORDS or text in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS or text in FALSE_WORDS:
        return False
    pair = _PAIR.match(text.replace(" ", ""))
    if pair:
        yes_checked = pair.group(2) not in _UNCHECKED
        no_checked = pair.group(4) not in _UNCHECKED
        if yes_checked != no_checked:
            return yes_checked
    return text


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
