"""Formula text → tokens. Full-width and math forms are folded one character for one, so every token
keeps the position of its text in the formula as written."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FormulaError
from .names import MAX_STRING_LENGTH

# Full-width and math forms, one character each, so positions never shift.
_CHAR_MAP = {
    "＋": "+", "－": "-", "−": "-", "×": "*", "＊": "*", "÷": "/", "／": "/", "＾": "^",
    "＝": "=", "＜": "<", "＞": ">", "％": "%", "（": "(", "）": ")", "，": ",", "．": ".",
    "［": "[", "］": "]", "　": " ",
}
_CHAR_MAP.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in _CHAR_MAP})  # full-width ASCII
_CHAR_MAP.update({"〈": "<", "〉": ">"})
_TWO_CHAR_OPS = {"<=": "<=", ">=": ">=", "<>": "<>", "!=": "<>", "==": "="}
_ONE_CHAR_OPS = {"+", "-", "*", "/", "^", "%", "(", ")", ",", "=", "<", ">"}
_MATH_OPS = {"≤": "<=", "≥": ">=", "≦": "<=", "≧": ">=", "≠": "<>"}
_OPEN_QUOTES = {'"': '"', "“": "”"}
_DIGITS = frozenset("0123456789")


@dataclass
class Token:
    kind: str  # num, str, name, op, end
    value: object
    pos: int  # 0-based index in the original text


MAX_LITERAL = 1e308  # the largest number a formula may write

def _is_name_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(text: str) -> list[Token]:
    """Split a formula into tokens; raises FormulaError (without `where`) on the first bad character."""
    chars = [_CHAR_MAP.get(c, c) for c in text]
    tokens: list[Token] = []
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if c.isspace():
            i += 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and chars[i + 1] in _DIGITS):
            start = i
            while i < n and chars[i] in _DIGITS:
                i += 1
            if i < n and chars[i] == ".":
                i += 1
                while i < n and chars[i] in _DIGITS:
                    i += 1
            if i < n and chars[i] in "eE" and i + 1 < n and (
                chars[i + 1] in _DIGITS or (chars[i + 1] in "+-" and i + 2 < n and chars[i + 2] in _DIGITS)
            ):
                i += 2
                while i < n and chars[i] in _DIGITS:
                    i += 1
            literal = "".join(chars[start:i])
            if i < n and _is_name_start(chars[i]):
                raise FormulaError(
                    f"数字“{literal}”后紧跟名称；以数字开头的名称请用方括号括起来，例如 [{literal}{chars[i]}…]",
                    i + 1,
                )
            number = float(literal)
            if number > MAX_LITERAL:  # Excel refuses such a formula: 1E309 would be infinity, full marks
                raise FormulaError(f"数字“{literal}”超出 Excel 的范围（最大约 1E308）", start + 1)
            tokens.append(Token("num", number, start))
            continue
        if c in _OPEN_QUOTES:
            close = _OPEN_QUOTES[c]
            start = i
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise FormulaError("文本缺少结束引号", start + 1)
                if chars[i] == close:
                    if close == '"' and i + 1 < n and chars[i + 1] == '"':  # "" inside a string
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(text[i])
                i += 1
            value = "".join(buf)
            if len(value) > MAX_STRING_LENGTH:
                raise FormulaError(f"文本超过 {MAX_STRING_LENGTH} 个字符", start + 1)
            tokens.append(Token("str", value, start))
            continue
        if c == "[":
            start = i
            end = text.find("]", i + 1)
            end_fw = text.find("］", i + 1)
            ends = [e for e in (end, end_fw) if e != -1]
            if not ends:
                raise FormulaError("方括号名称缺少结束的“]”", start + 1)
            close = min(ends)
            name = text[i + 1 : close].strip()
            if not name:
                raise FormulaError("方括号中没有名称", start + 1)
            tokens.append(Token("name", name, start))
            i = close + 1
            continue
        if _is_name_start(c):
            start = i
            while i < n and _is_name_char(chars[i]):
                i += 1
            tokens.append(Token("name", text[start:i], start))
            continue
        if c in _MATH_OPS:
            tokens.append(Token("op", _MATH_OPS[c], i))
            i += 1
            continue
        pair = "".join(chars[i : i + 2])
        if pair in _TWO_CHAR_OPS:
            tokens.append(Token("op", _TWO_CHAR_OPS[pair], i))
            i += 2
            continue
        if c in _ONE_CHAR_OPS:
            tokens.append(Token("op", c, i))
            i += 1
            continue
        if c == ".":
            raise FormulaError("不支持“.”：公式里没有属性访问；名称中含“.”时请用方括号，例如 [a.b]", i + 1)
        if c == "&":
            raise FormulaError("不支持“&”文本连接", i + 1)
        if c in "{}:;!$#'":
            raise FormulaError(f"不支持“{c}”：公式里不能使用单元格引用、区域或数组，请用名称", i + 1)
        raise FormulaError(f"无法识别的字符“{text[i]}”", i + 1)
    tokens.append(Token("end", None, n))
    return tokens
