"""The formula language (SPEC §4): Excel syntax and semantics, compiled once, evaluated per unit.

Pipeline: text → tokens → Pratt parser (Excel precedence) → a Python ``ast`` tree built here, never
by ``ast.parse`` → evaluated by a restricted ``simpleeval`` evaluator whose operators and functions
are Excel's (``xlfunctions``). The tree holds only Constant, Name, UnaryOp, BinOp, Compare, IfExp
and Call nodes, each carrying the 0-based position of its text in ``col_offset``, so every error
points at a character of the formula.

    f = compile_formula("IF(编制数=0, 分值, RATIO(在职人员数, 编制数))", where="指标体系!K7 评分公式")
    f.names                 # frozenset({'编制数', '在职人员数', '分值'})
    f.evaluate({"编制数": 12.0, "在职人员数": 7.0, "分值": 5.0})

A single-threaded evaluator is kept per compiled formula.
"""

from __future__ import annotations

import ast
import difflib
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Mapping

import simpleeval

from . import xlfunctions as xf
from .targets import Target
from .values import MISSING, NA, Invalid, describe, normalize_name

# ------------------------------------------------------------------ limits (Excel's where it has one)
MAX_FORMULA_LENGTH = 8192  # characters, as Excel
MAX_NESTING = 64  # nested parentheses / function calls / signs, as Excel's 64 nested functions
MAX_TREE_DEPTH = 200  # operator chains such as 1+1+…+1; beyond this use SUM or a 计算项
MAX_NODES = 2048  # evaluation cost: every node is evaluated at most once per unit
MAX_STRING_LENGTH = 255  # a string literal, as Excel's limit inside formulas
MAX_ARGUMENTS = 255  # per function call, as Excel

_RECURSION_NEEDED = MAX_TREE_DEPTH * 4 + 500

# Names the engine provides for an indicator's formula (SPEC §2.3).
POINTS_NAME = "分值"
POINTS_ALIASES = ("分值", "满分")
TARGET_NAME = "目标值"
ACTUAL_NAME = "完成值"


class FormulaError(Exception):
    """Every problem with a formula: Chinese message, where it sits, the character it points at."""

    def __init__(self, message: str, position: int | None = None, where: str = "", formula: str = ""):
        super().__init__(message)
        self.message = message
        self.position = position  # 1-based character in the formula text, or None
        self.where = where
        self.formula = formula

    def __str__(self) -> str:
        head = self.where or "公式"
        if self.position is not None:
            return f"{head}第 {self.position} 个字符：{self.message}"
        return f"{head}：{self.message}"


class MissingValueError(FormulaError):
    """A name whose cell is blank, or that the unit does not have at all."""

    def __init__(self, name: str, message: str, position=None, where="", formula=""):
        super().__init__(message, position, where, formula)
        self.name = name


# ------------------------------------------------------------------ functions

@dataclass(frozen=True)
class FunctionSpec:
    impl: object
    min_args: int
    max_args: int | None  # None: any number
    uses_points: bool = False  # domain rules read the indicator's 分值
    doc: str = ""


FUNCTIONS: dict[str, FunctionSpec] = {
    "IF": FunctionSpec(None, 2, 3, doc="IF(条件, 是, [否])"),
    "IFS": FunctionSpec(None, 2, None, doc="IFS(条件1, 值1, 条件2, 值2, …)"),
    "ISNA": FunctionSpec(None, 1, 1, doc="ISNA(名称)"),
    "ISBLANK": FunctionSpec(None, 1, 1, doc="ISBLANK(名称)"),
    "AND": FunctionSpec(xf.AND, 1, None, doc="AND(条件, …)"),
    "OR": FunctionSpec(xf.OR, 1, None, doc="OR(条件, …)"),
    "NOT": FunctionSpec(xf.NOT, 1, 1, doc="NOT(条件)"),
    "TRUE": FunctionSpec(xf.TRUE, 0, 0, doc="TRUE()"),
    "FALSE": FunctionSpec(xf.FALSE, 0, 0, doc="FALSE()"),
    "MIN": FunctionSpec(xf.MIN, 1, None, doc="MIN(数值, …)"),
    "MAX": FunctionSpec(xf.MAX, 1, None, doc="MAX(数值, …)"),
    "SUM": FunctionSpec(xf.SUM, 1, None, doc="SUM(数值, …)"),
    "AVERAGE": FunctionSpec(xf.AVERAGE, 1, None, doc="AVERAGE(数值, …)"),
    "ABS": FunctionSpec(xf.ABS, 1, 1, doc="ABS(数值)"),
    "INT": FunctionSpec(xf.INT, 1, 1, doc="INT(数值)"),
    "ROUND": FunctionSpec(xf.ROUND, 2, 2, doc="ROUND(数值, 位数)"),
    "ROUNDUP": FunctionSpec(xf.ROUNDUP, 2, 2, doc="ROUNDUP(数值, 位数)"),
    "ROUNDDOWN": FunctionSpec(xf.ROUNDDOWN, 2, 2, doc="ROUNDDOWN(数值, 位数)"),
    "RATIO": FunctionSpec(xf.RATIO, 2, 2, True, "RATIO(完成值, 目标值)"),
    "RATIO_INV": FunctionSpec(xf.RATIO_INV, 2, 2, True, "RATIO_INV(完成值, 目标值)"),
    "DEDUCT": FunctionSpec(xf.DEDUCT, 2, 2, True, "DEDUCT(数量, 每次扣分)"),
    "TARGET": FunctionSpec(xf.TARGET, 2, 2, True, "TARGET(完成值, 目标值)"),
}
_LAZY = {"ISNA", "ISBLANK"}
_IFS_NONE = "@IFS_NONE"  # internal; '@' cannot be typed as a name

_OPERATORS = {
    ast.Add: xf.xl_add, ast.Sub: xf.xl_sub, ast.Mult: xf.xl_mul, ast.Div: xf.xl_div,
    ast.Pow: xf.xl_pow, ast.USub: xf.xl_neg, ast.UAdd: xf.xl_pos,
    ast.Eq: xf.xl_eq, ast.NotEq: xf.xl_ne, ast.Lt: xf.xl_lt, ast.LtE: xf.xl_le,
    ast.Gt: xf.xl_gt, ast.GtE: xf.xl_ge,
}

# ------------------------------------------------------------------ tokens

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
            tokens.append(Token("num", float(literal), start))
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


# ------------------------------------------------------------------ parser

_BINARY = {  # Excel precedence, all left-associative (2^3^2 = 64)
    "=": (10, ast.Eq), "<>": (10, ast.NotEq), "<": (10, ast.Lt), "<=": (10, ast.LtE),
    ">": (10, ast.Gt), ">=": (10, ast.GtE),
    "+": (20, ast.Add), "-": (20, ast.Sub),
    "*": (30, ast.Mult), "/": (30, ast.Div),
    "^": (40, ast.Pow),
}
_PERCENT_BP = 50
_PREFIX_BP = 60  # unary minus binds tighter than ^ and %: -2^2 = 4


def _at(node: ast.AST, pos: int, depth: int) -> ast.AST:
    node.lineno = node.end_lineno = 1
    node.col_offset = node.end_col_offset = pos
    node.depth = depth
    return node


def _depth(*nodes) -> int:
    return 1 + max((getattr(n, "depth", 1) for n in nodes), default=0)


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.nesting = 0
        self.nodes = 0
        self.names: dict[str, int] = {}  # normalized name → first position
        self.display: dict[str, str] = {}  # normalized name → as written
        self.uses_points = False

    # -- helpers
    def peek(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: Token) -> FormulaError:
        return FormulaError(message, tok.pos + 1)

    def node(self, node: ast.AST, pos: int, *children) -> ast.AST:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"公式过于复杂（超过 {MAX_NODES} 个运算项），请拆分为计算项", pos + 1)
        depth = _depth(*children)
        if depth > MAX_TREE_DEPTH:
            raise FormulaError(
                f"公式层次过深（超过 {MAX_TREE_DEPTH} 层），连加请改用 SUM(…)，或拆分为计算项", pos + 1
            )
        return _at(node, pos, depth)

    def enter(self, tok: Token):
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"嵌套超过 {MAX_NESTING} 层（括号、函数或正负号），请拆分为计算项", tok)

    def leave(self):
        self.nesting -= 1

    # -- grammar
    def parse(self) -> ast.AST:
        if self.peek().kind == "end":
            raise FormulaError("公式为空", None)
        tree = self.expression(0)
        tok = self.peek()
        if tok.kind != "end":
            if tok.value == ")":
                raise self.error("多余的“)”", tok)
            raise self.error(f"此处应为运算符或公式结束，却是“{self.describe(tok)}”（是否缺少运算符或逗号？）", tok)
        return tree

    def describe(self, tok: Token) -> str:
        if tok.kind == "end":
            return "公式结尾"
        if tok.kind == "str":
            return f'"{tok.value}"'
        if tok.kind == "op":
            return str(tok.value)
        following = self.tokens[self.tokens.index(tok) + 1].pos
        return self.text[tok.pos : following].strip()

    def expression(self, rbp: int) -> ast.AST:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok.kind != "op":
                return left
            if tok.value == "%":
                if _PERCENT_BP <= rbp:
                    return left
                self.advance()
                hundred = self.node(ast.Constant(100.0), tok.pos)
                left = self.node(ast.BinOp(left, ast.Div(), hundred), tok.pos, left, hundred)
                continue
            if tok.value not in _BINARY:
                return left
            bp, op_type = _BINARY[tok.value]
            if bp <= rbp:
                return left
            self.advance()
            right = self.expression(bp)
            if op_type in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
                left = self.node(ast.BinOp(left, op_type(), right), tok.pos, left, right)
            else:
                left = self.node(ast.Compare(left, [op_type()], [right]), tok.pos, left, right)

    def prefix(self) -> ast.AST:
        tok = self.advance()
        if tok.kind == "num":
            return self.node(ast.Constant(tok.value), tok.pos)
        if tok.kind == "str":
            return self.node(ast.Constant(tok.value), tok.pos)
        if tok.kind == "name":
            return self.name_or_call(tok)
        if tok.kind == "op" and tok.value in ("-", "+"):
            self.enter(tok)
            operand = self.expression(_PREFIX_BP)
            self.leave()
            op = ast.USub() if tok.value == "-" else ast.UAdd()
            return self.node(ast.UnaryOp(op, operand), tok.pos, operand)
        if tok.kind == "op" and tok.value == "(":
            self.enter(tok)
            inner = self.expression(0)
            close = self.advance()
            if close.value != ")" or close.kind != "op":
                raise self.error(f"缺少“)”，与第 {tok.pos + 1} 个字符的“(”配对", close)
            self.leave()
            return inner
        if tok.kind == "end":
            raise self.error("公式不完整：结尾缺少数值或名称", tok)
        raise self.error(f"此处应为数值、名称或“(”，却是“{self.describe(tok)}”", tok)

    def name_or_call(self, tok: Token) -> ast.AST:
        nxt = self.peek()
        raw = str(tok.value)
        is_bracketed = self.text[tok.pos] in "[［"
        if not is_bracketed and nxt.kind == "op" and nxt.value == "(":
            return self.call(tok)
        upper = unicodedata.normalize("NFKC", raw).upper()
        if not is_bracketed and upper in ("TRUE", "FALSE"):
            return self.node(ast.Constant(upper == "TRUE"), tok.pos)
        name = normalize_name(raw)
        if not name:
            raise self.error("名称为空", tok)
        if name in POINTS_ALIASES:
            name = POINTS_NAME
            self.uses_points = True
        self.names.setdefault(name, tok.pos)
        self.display.setdefault(name, raw.strip())
        return self.node(ast.Name(id=name, ctx=ast.Load()), tok.pos)

    def call(self, tok: Token) -> ast.AST:
        fname = unicodedata.normalize("NFKC", str(tok.value)).upper()  # ＩＦ is IF
        spec = FUNCTIONS.get(fname)
        if spec is None:
            hint = difflib.get_close_matches(fname, FUNCTIONS, n=1, cutoff=0.6)
            suggestion = f"（是否指 {hint[0]}？）" if hint else ""
            raise self.error(
                f"未知函数“{tok.value}”{suggestion}；可用函数：{'、'.join(FUNCTIONS)}", tok
            )
        paren = self.advance()
        self.enter(tok)
        args: list[ast.AST] = []
        if self.peek().kind == "op" and self.peek().value == ")":
            self.advance()
        else:
            while True:
                here = self.peek()
                if here.kind == "op" and here.value in (",", ")"):
                    raise self.error(f"{fname} 的第 {len(args) + 1} 个参数为空", here)
                args.append(self.expression(0))
                if len(args) > MAX_ARGUMENTS:
                    raise self.error(f"参数超过 {MAX_ARGUMENTS} 个", here)
                sep = self.advance()
                if sep.kind == "op" and sep.value == ",":
                    continue
                if sep.kind == "op" and sep.value == ")":
                    break
                if sep.kind == "end":
                    raise self.error(f"缺少“)”，与第 {paren.pos + 1} 个字符的“(”配对", sep)
                raise self.error(
                    f"{fname}(…) 的参数之间应为“,”或结束的“)”，却是“{self.describe(sep)}”", sep
                )
        self.leave()
        count = len(args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            if spec.max_args is None:
                expected = f"至少 {spec.min_args} 个"
            elif spec.min_args == spec.max_args:
                expected = f"{spec.min_args} 个"
            else:
                expected = f"{spec.min_args} 到 {spec.max_args} 个"
            raise self.error(f"{fname} 需要 {expected}参数，这里有 {count} 个：{spec.doc}", tok)
        if fname == "IF":
            orelse = args[2] if count == 3 else self.node(ast.Constant(False), tok.pos)
            return self.node(ast.IfExp(args[0], args[1], orelse), tok.pos, *args)
        if fname == "IFS":
            if count % 2:
                raise self.error(f"IFS 的参数应成对出现（条件, 值），这里有 {count} 个", tok)
            tree = self.node(ast.Call(ast.Name(id=_IFS_NONE, ctx=ast.Load()), [], []), tok.pos)
            for k in range(count - 2, -1, -2):
                tree = self.node(ast.IfExp(args[k], args[k + 1], tree), tok.pos, args[k], args[k + 1], tree)
            return tree
        if fname in _LAZY and not isinstance(args[0], ast.Name):
            raise self.error(f"{fname} 的参数应为一个名称，例如 {fname}(在职人员数)", tok)
        if spec.uses_points:
            self.uses_points = True
            self.names.setdefault(POINTS_NAME, tok.pos)
            points = self.node(ast.Name(id=POINTS_NAME, ctx=ast.Load()), tok.pos)
            args.append(points)
        func = ast.Name(id=fname, ctx=ast.Load())
        return self.node(ast.Call(func, args, []), tok.pos, *args)


# ------------------------------------------------------------------ evaluation


class _NAReached(Exception):
    def __init__(self, name: str):
        self.name = name


_SAFE_FUNCTIONS = {name: spec.impl for name, spec in FUNCTIONS.items() if spec.impl is not None}
_SAFE_FUNCTIONS[_IFS_NONE] = xf.IFS_NONE


class _Evaluator(simpleeval.SimpleEval):
    """simpleeval with Excel operators and functions, lazy IF/IFS/ISNA, unit values as names."""

    def __init__(self, formula: "Formula"):
        super().__init__(operators=dict(_OPERATORS), functions=dict(_SAFE_FUNCTIONS), names={})
        allowed = (ast.Constant, ast.Name, ast.UnaryOp, ast.BinOp, ast.Compare, ast.IfExp, ast.Call)
        self.nodes = {t: h for t, h in self.nodes.items() if t in allowed}
        self.nodes[ast.Name] = self._eval_unit_name
        self.nodes[ast.IfExp] = self._eval_excel_if
        self.nodes[ast.Call] = self._eval_excel_call
        self.formula = formula
        self.context: Mapping = {}
        self.trace: list | None = None

    def _eval(self, node):
        try:
            return super()._eval(node)
        except (FormulaError, _NAReached):
            raise
        except xf.XLError as exc:
            raise FormulaError(str(exc), node.col_offset + 1) from None
        except RecursionError:
            raise FormulaError("公式层次过深，请拆分为计算项", node.col_offset + 1) from None
        except (ArithmeticError, ValueError, TypeError) as exc:  # defensive: never a traceback
            raise FormulaError(f"计算出错（{type(exc).__name__}）", node.col_offset + 1) from None

    def _lookup(self, name: str, node):
        value = self.context.get(name, _ABSENT)
        if value is _ABSENT:
            raise _unknown_name(name, self.context.keys(), node.col_offset + 1)
        return value

    def _eval_unit_name(self, node):
        value = self._lookup(node.id, node)
        if self.trace is not None:
            self.trace.append((node.id, value))
        if value is NA:
            raise _NAReached(node.id)
        if value is MISSING:
            raise MissingValueError(
                node.id, f"“{node.id}”未填写（空白单元格），请在基础数据中填写", node.col_offset + 1
            )
        if isinstance(value, Invalid):
            raise MissingValueError(node.id, value.message, node.col_offset + 1)
        return value

    def _eval_excel_if(self, node):
        test = self._eval(node.test)
        try:
            chosen = xf.to_bool(test, "IF 的条件")
        except xf.XLError as exc:
            raise FormulaError(str(exc), node.test.col_offset + 1) from None
        return self._eval(node.body if chosen else node.orelse)

    def _eval_excel_call(self, node):
        fname = node.func.id
        if fname in _LAZY:
            arg = node.args[0]
            value = self.context.get(arg.id, MISSING)
            if self.trace is not None:
                self.trace.append((arg.id, value))
            return value is NA if fname == "ISNA" else value is MISSING
        return self._eval_call(node)


_ABSENT = object()


def _unknown_name(name: str, known, position: int | None) -> FormulaError:
    candidates = [k for k in known if isinstance(k, str)]
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    hint = "（是否指 " + "、".join(f"“{c}”" for c in close) + "？）" if close else ""
    if name == POINTS_NAME:
        return FormulaError(
            "这里没有“分值”：分值、满分和 RATIO、RATIO_INV、DEDUCT、TARGET 只能用在指标的评分公式中", position
        )
    return MissingValueError(name, f"未知名称 “{name}”{hint}", position)


@dataclass
class Formula:
    """A compiled formula: evaluate it for as many units as needed."""

    text: str
    tree: ast.AST
    names: frozenset[str]
    name_positions: dict[str, int]
    uses_points: bool
    where: str = ""
    display_names: dict = field(default_factory=dict)  # normalized → as written
    _evaluator: _Evaluator | None = field(default=None, repr=False, compare=False)

    def evaluate(self, context: Mapping, trace: list | None = None):
        """The formula's value for one unit; NA when it read an N/A value; FormulaError otherwise.

        `context` maps normalized names to values (float, bool, str, Target, NA, MISSING);
        `trace`, if given, receives (name, value) for every name read, in order.
        """
        if self._evaluator is None:
            self._evaluator = _Evaluator(self)
        ev = self._evaluator
        ev.context = context
        ev.trace = trace
        if sys.getrecursionlimit() < _RECURSION_NEEDED:
            sys.setrecursionlimit(_RECURSION_NEEDED)
        try:
            value = ev.eval(self.text, previously_parsed=self.tree)
        except _NAReached:
            return NA
        except FormulaError as exc:
            raise self._locate(exc) from None
        except Exception as exc:  # simpleeval's own errors: still ours, still Chinese
            raise self._locate(FormulaError(f"无法计算（{type(exc).__name__}）")) from None
        finally:
            ev.context = {}
            ev.trace = None
        if isinstance(value, Target):
            return value.value
        return value

    def _locate(self, exc: FormulaError) -> FormulaError:
        exc.where = exc.where or self.where
        exc.formula = exc.formula or self.text
        return exc


COMPILE_SECONDS = [0.0]  # total time spent compiling in this process (reported by SCORE_PROFILE)


def compile_formula(text, where: str = "", known_names=None) -> Formula:
    """Compile a formula once. `where` names the cell (e.g. "指标体系!K7 评分公式") for messages;
    `known_names`, when given, turns an unknown name into a compile error with suggestions."""
    start = time.perf_counter()
    try:
        return _compile(text, known_names, where)
    except FormulaError as exc:
        exc.where = exc.where or where
        exc.formula = exc.formula or ("" if text is None else str(text))
        raise
    finally:
        COMPILE_SECONDS[0] += time.perf_counter() - start


def _compile(text, known_names, where) -> Formula:
    if text is None or not isinstance(text, (str, int, float)) or isinstance(text, bool):
        raise FormulaError("公式为空")
    text = str(text)
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"公式长 {len(text)} 个字符，超过上限 {MAX_FORMULA_LENGTH}")
    offset = 0
    stripped = text.lstrip()
    if stripped[:1] in ("=", "＝"):
        offset = len(text) - len(stripped) + 1
    body = " " * offset + text[offset:]  # keep positions of the original text
    tokens = tokenize(body)
    parser = _Parser(body, tokens)
    tree = parser.parse()
    if known_names is not None:
        known = {normalize_name(k) for k in known_names} | {POINTS_NAME}
        for name, pos in parser.names.items():
            if name not in known:
                raise _unknown_name(name, known, pos + 1)
    return Formula(
        text=text,
        tree=tree,
        names=frozenset(parser.names),
        name_positions={k: v + 1 for k, v in parser.names.items()},
        uses_points=parser.uses_points,
        where=where,
        display_names=parser.display,
    )


def as_number(value, where: str = "") -> float:
    """A formula's result as points: TRUE → 1, FALSE → 0; text is an error."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    raise FormulaError(f"公式结果是“{describe(value)}”，不是数值", None, where)
