"""Scalar evaluation: one compiled tree for one unit's values, by a restricted simpleeval evaluator.

Only the node types the parser produces are allowed; operators and functions are Excel's (the
``excel`` module and the function table). A fresh evaluator is made per evaluation, so one
compiled formula may be evaluated from several threads at once.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping

import simpleeval

from ..errors import Blank, ExcelError, FormulaError, Message, MissingValueError
from ..values import MISSING, NA, Invalid, TypedNumber
from . import excel as xl
from .functions import FUNCTIONS, IFS_NONE_MESSAGE, Form
from .names import POINTS_NAME

ALLOWED_NODES = (ast.Constant, ast.Name, ast.UnaryOp, ast.BinOp, ast.Compare, ast.IfExp, ast.Call)

OPERATORS = {
    ast.Add: xl.add, ast.Sub: xl.sub, ast.Mult: xl.mul, ast.Div: xl.div, ast.Pow: xl.power,
    ast.USub: xl.negate, ast.UAdd: xl.plus,
}
COMPARE_SYMBOLS = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
for _node, _symbol in COMPARE_SYMBOLS.items():
    OPERATORS[_node] = (lambda test: lambda a, b: test(xl.compare(a, b)))(xl.COMPARISONS[_symbol])

SCALAR_FUNCTIONS = {name: f.scalar for name, f in FUNCTIONS.items() if f.form is Form.CALL}

_ABSENT = object()


class NAReached(Exception):
    """A name whose value is 不适用 was read: the whole formula is N/A."""

    def __init__(self, name: str):
        self.name = name


class ScalarEvaluator(simpleeval.SimpleEval):
    """simpleeval with Excel operators and functions, lazy IF/IFS/ISNA, unit values as names."""

    def __init__(self, context: Mapping, trace: list | None):
        super().__init__(operators=OPERATORS, functions=SCALAR_FUNCTIONS, names={})
        self.nodes = {t: h for t, h in self.nodes.items() if t in ALLOWED_NODES}
        self.nodes[ast.Name] = self._eval_unit_name
        self.nodes[ast.IfExp] = self._eval_excel_if
        self.nodes[ast.Call] = self._eval_excel_call
        self.context = context
        self.trace = trace

    def _eval(self, node):
        try:
            return super()._eval(node)
        except (FormulaError, NAReached):
            raise
        except ExcelError as exc:
            raise FormulaError(str(exc), node.col_offset + 1) from None
        except RecursionError:
            raise FormulaError("公式层次过深，请拆分为计算项", node.col_offset + 1) from None
        except (ArithmeticError, ValueError, TypeError) as exc:  # defensive: never a traceback
            raise FormulaError(f"计算出错（{type(exc).__name__}）", node.col_offset + 1) from None

    def _eval_unit_name(self, node):
        value = self.context.get(node.id, _ABSENT)
        if value is _ABSENT:
            raise unknown_name(node.id, self.context.keys(), node.col_offset + 1)
        if self.trace is not None:
            self.trace.append((node.id, value))
        if value is NA:
            raise NAReached(node.id)
        if value is MISSING:
            raise MissingValueError(node.id, Message(Blank(node.id)), node.col_offset + 1)
        if isinstance(value, Invalid):
            raise MissingValueError(node.id, value.message, node.col_offset + 1)
        return value

    def _eval_excel_if(self, node):
        chosen = self._condition(node.test, "IF 的条件")
        return self._eval(node.body if chosen else node.orelse)

    def _condition(self, test, what) -> bool:
        value = self._eval(test)
        try:
            return xl.to_bool(value, what)
        except ExcelError as exc:
            raise FormulaError(str(exc), test.col_offset + 1) from None

    def _eval_excel_call(self, node):
        spec = FUNCTIONS[node.func.id]
        if spec.form is Form.NAME_TEST:
            name = node.args[0].id
            value = self.context.get(name, MISSING)
            if self.trace is not None:
                self.trace.append((name, value))
            return spec.scalar(value)
        if spec.form is Form.IFS:
            args = node.args
            for k in range(0, len(args), 2):
                if self._condition(args[k], "IFS 的条件"):
                    return self._eval(args[k + 1])
            raise FormulaError(IFS_NONE_MESSAGE, node.col_offset + 1)
        return self._eval_call(node)


def unknown_name(name: str, known, position: int | None) -> FormulaError:
    if name == POINTS_NAME:
        return FormulaError(
            "这里没有“分值”：分值、满分和 RATIO、RATIO_INV、DEDUCT、TARGET 只能用在指标的评分公式中", position
        )
    candidates = [k for k in known if isinstance(k, str)]
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    hint = "（是否指 " + "、".join(f"“{c}”" for c in close) + "？）" if close else ""
    return MissingValueError(name, f"未知名称 “{name}”{hint}", position)


def evaluate_tree(tree: ast.AST, context: Mapping, trace: list | None = None):
    """The tree's value for one unit, NA when it read a 不适用 value; FormulaError (positioned, without
    `where`) otherwise."""
    try:
        value = ScalarEvaluator(context, trace)._eval(tree)
        return float(value) if isinstance(value, TypedNumber) else value  # a result is a number, not typed text
    except NAReached:
        return NA
    except FormulaError:
        raise
    except Exception as exc:  # simpleeval's own errors: still ours, still Chinese
        raise FormulaError(f"无法计算（{type(exc).__name__}）") from None
