"""Tokens → a Python ``ast`` tree with Excel precedence (a Pratt parser; never ``ast.parse``).

The tree holds only Constant, Name, UnaryOp, BinOp, Compare, IfExp (IF) and Call (every other
function, looked up in the function table) nodes; each carries the 0-based position of its text in
``col_offset`` so that every error can point at a character.
"""

from __future__ import annotations

import ast
import difflib
import unicodedata

from ..errors import FormulaError
from ..values import normalize_name
from .functions import FUNCTIONS, Form
from .names import MAX_ARGUMENTS, MAX_NESTING, MAX_NODES, MAX_TREE_DEPTH, POINTS_ALIASES, POINTS_NAME
from .tokens import Token

BINARY = {  # Excel precedence, all left-associative (2^3^2 = 64)
    "=": (10, ast.Eq), "<>": (10, ast.NotEq), "<": (10, ast.Lt), "<=": (10, ast.LtE),
    ">": (10, ast.Gt), ">=": (10, ast.GtE),
    "+": (20, ast.Add), "-": (20, ast.Sub),
    "*": (30, ast.Mult), "/": (30, ast.Div),
    "^": (40, ast.Pow),
}
PERCENT_BINDING = 50
PREFIX_BINDING = 60  # unary minus binds tighter than ^ and %: -2^2 = 4
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def _at(node: ast.AST, pos: int, depth: int) -> ast.AST:
    node.lineno = node.end_lineno = 1
    node.col_offset = node.end_col_offset = pos
    node.depth = depth
    return node


def _depth(*nodes) -> int:
    return 1 + max((getattr(n, "depth", 1) for n in nodes), default=0)


class Parser:
    """One use: ``Parser(text, tokens).parse()``; then ``names``, ``display`` and ``uses_points``."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.nesting = 0
        self.nodes = 0
        self.names: dict[str, int] = {}  # normalized name → first position (0-based)
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
                if PERCENT_BINDING <= rbp:
                    return left
                self.advance()
                hundred = self.node(ast.Constant(100.0), tok.pos)
                left = self.node(ast.BinOp(left, ast.Div(), hundred), tok.pos, left, hundred)
                continue
            if tok.value not in BINARY:
                return left
            bp, op_type = BINARY[tok.value]
            if bp <= rbp:
                return left
            self.advance()
            right = self.expression(bp)
            if op_type in ARITHMETIC:
                left = self.node(ast.BinOp(left, op_type(), right), tok.pos, left, right)
            else:
                left = self.node(ast.Compare(left, [op_type()], [right]), tok.pos, left, right)

    def prefix(self) -> ast.AST:
        tok = self.advance()
        if tok.kind in ("num", "str"):
            return self.node(ast.Constant(tok.value), tok.pos)
        if tok.kind == "name":
            return self.name_or_call(tok)
        if tok.kind == "op" and tok.value in ("-", "+"):
            self.enter(tok)
            operand = self.expression(PREFIX_BINDING)
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

    def arguments(self, fname: str, paren: Token) -> list[ast.AST]:
        args: list[ast.AST] = []
        if self.peek().kind == "op" and self.peek().value == ")":
            self.advance()
            return args
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
                return args
            if sep.kind == "end":
                raise self.error(f"缺少“)”，与第 {paren.pos + 1} 个字符的“(”配对", sep)
            raise self.error(f"{fname}(…) 的参数之间应为“,”或结束的“)”，却是“{self.describe(sep)}”", sep)

    def call(self, tok: Token) -> ast.AST:
        fname = unicodedata.normalize("NFKC", str(tok.value)).upper()  # ＩＦ is IF
        spec = FUNCTIONS.get(fname)
        if spec is None:
            hint = difflib.get_close_matches(fname, FUNCTIONS, n=1, cutoff=0.6)
            suggestion = f"（是否指 {hint[0]}？）" if hint else ""
            raise self.error(f"未知函数“{tok.value}”{suggestion}；可用函数：{'、'.join(FUNCTIONS)}", tok)
        paren = self.advance()
        self.enter(tok)
        args = self.arguments(fname, paren)
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
        if spec.form is Form.IF:
            orelse = args[2] if count == 3 else self.node(ast.Constant(False), tok.pos)
            return self.node(ast.IfExp(args[0], args[1], orelse), tok.pos, *args)
        if spec.form is Form.IFS and count % 2:
            raise self.error(f"IFS 的参数应成对出现（条件, 值），这里有 {count} 个", tok)
        if spec.form is Form.NAME_TEST and not isinstance(args[0], ast.Name):
            raise self.error(f"{fname} 的参数应为一个名称，例如 {fname}(在职人员数)", tok)
        if spec.reads_points:
            self.uses_points = True
            self.names.setdefault(POINTS_NAME, tok.pos)
            args.append(self.node(ast.Name(id=POINTS_NAME, ctx=ast.Load()), tok.pos))
        func = ast.Name(id=fname, ctx=ast.Load())
        return self.node(ast.Call(func, args, []), tok.pos, *args)
