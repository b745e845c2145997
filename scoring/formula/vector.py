"""Vector evaluation: one compiled tree over the values of n units at once (numpy).

Results equal the scalar evaluator's element by element: the same Excel rules (``excel`` and the
function table hold both forms), the same first-failure order (left to right, lazy IF), the same
messages (a failed element's message comes from the scalar implementation on that element).
Inputs the vector form does not model — text, dates, targets typed per unit — are marked
``fallback``: the caller evaluates those units with the scalar evaluator.
"""

from __future__ import annotations

import ast

import numpy as np

from ..errors import Blank, ExcelError, FormulaError, Message
from ..values import ABSENT, MISSING, NA, Invalid, TypedNumber, text_answer
from . import excel as xl
from .analysis import text_comparison
from .evaluator import COMPARE_SYMBOLS
from .functions import FUNCTIONS, IFS_NONE_MESSAGE, TARGET_OPS, Form, Result, TargetArray
from .targets import Target

_OP_TEXT = {code: op for op, code in TARGET_OPS.items()}


class Messages:
    """Error messages by code; code 0 means no error. Shared by every column of one scoring run. A message naming a
    blank cell is kept as a Message, rendered with the unit's cell where it is shown."""

    def __init__(self):
        self.items: list[str | Message] = [""]
        self.index: dict[str | Message, int] = {"": 0}

    def add(self, text: "str | Message") -> int:
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


class Column:
    """One name's values for n units. `val` holds numbers; per element the state: 不适用 (na), blank
    (missing), unusable (invalid: a message code), TRUE/FALSE (boolean), or a value the vector form
    does not model (fallback: text, a date, a target), kept in `objects`. A number typed as text keeps that text in
    `texts` (element → text), for comparisons with text."""

    __slots__ = ("val", "na", "missing", "invalid", "fallback", "boolean", "objects", "texts")

    def __init__(self, val, na, missing, invalid=None, fallback=None, boolean=None, objects=None, texts=None):
        n = len(val)
        self.val = val
        self.na = na
        self.missing = missing
        self.invalid = invalid if invalid is not None else np.zeros(n, np.int32)
        self.fallback = fallback if fallback is not None else np.zeros(n, bool)
        self.boolean = boolean if boolean is not None else np.zeros(n, bool)
        self.objects = objects or {}
        self.texts = texts or {}

    @classmethod
    def of_values(cls, values: list, messages: Messages) -> "Column":
        """A column from plain per-unit values (float, bool, str, dates, Target, NA, MISSING, Invalid, ABSENT)."""
        n = len(values)
        if set(map(type, values)) == {float}:  # the common case: every value a number
            val = np.array(values, dtype=float)
            if not np.isnan(val).any():
                return cls(val, np.zeros(n, bool), np.zeros(n, bool))
        column = cls(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool))
        for i, v in enumerate(values):
            if type(v) is float and v == v:  # the common case first
                column.val[i] = v
            else:
                column.set(i, v, messages)
        return column

    @classmethod
    def failing(cls, n: int, code: int) -> "Column":
        """Every element unusable, with one message."""
        return cls(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool), np.full(n, code, np.int32))

    @classmethod
    def constant(cls, n: int, value: float) -> "Column":
        return cls(np.full(n, float(value)), np.zeros(n, bool), np.zeros(n, bool))

    def set(self, i: int, value, messages: Messages) -> None:
        """Store one scalar value, keeping its kind (number, TRUE/FALSE, N/A, blank, unusable, other)."""
        if value is NA:
            self.na[i] = True
        elif value is MISSING:
            self.missing[i] = True
        elif isinstance(value, Invalid):
            self.invalid[i] = messages.add(value.message)
        elif isinstance(value, bool):
            self.val[i] = 1.0 if value else 0.0
            self.boolean[i] = True
        elif isinstance(value, float) and value == value:  # a Measured figure (480万元) too: its number
            self.val[i] = value
            if type(value) is TypedNumber:
                self.texts[i] = value.text
        else:
            self.fallback[i] = True
            self.objects[i] = value

    def copy(self) -> "Column":
        return Column(self.val.copy(), self.na.copy(), self.missing.copy(), self.invalid.copy(), self.fallback.copy(),
                      self.boolean.copy(), dict(self.objects), dict(self.texts))

    def is_absent(self, i: int) -> bool:
        return self.fallback[i] and self.objects.get(i) is ABSENT

    def value_at(self, i: int, messages: Messages):
        """The element as the scalar evaluator sees it."""
        if self.na[i]:
            return NA
        if self.missing[i]:
            return MISSING
        if self.invalid[i]:
            return Invalid(messages.items[self.invalid[i]])
        if self.fallback[i]:
            return self.objects[i]
        if self.boolean[i]:
            return bool(self.val[i])
        text = self.texts.get(i) if self.texts else None
        return float(self.val[i]) if text is None else TypedNumber(float(self.val[i]), text)


class Vec:
    """Values of n units with their states: na (不适用 read), err (message code, 0 = none), fallback
    (needs the scalar evaluator), boolean (the scalar value is TRUE/FALSE, not a number). A failed
    element's value is meaningless."""

    __slots__ = ("val", "na", "err", "fallback", "boolean")

    def __init__(self, val, na, err, fallback, boolean=None):
        self.val, self.na, self.err, self.fallback = val, na, err, fallback
        self.boolean = boolean if boolean is not None else np.zeros(len(val), bool)

    @property
    def failed(self):
        return self.na | (self.err != 0) | self.fallback

    @classmethod
    def const(cls, n, value, boolean=False):
        return cls(np.full(n, float(value)), np.zeros(n, bool), np.zeros(n, np.int32), np.zeros(n, bool),
                   np.full(n, boolean))

    @classmethod
    def unmodelled(cls, n):
        v = cls.const(n, 0.0)
        v.fallback[:] = True
        return v


ARITHMETIC = {
    ast.Add: (xl.add, xl.add_array), ast.Sub: (xl.sub, xl.sub_array), ast.Mult: (xl.mul, xl.mul_array),
    ast.Div: (xl.div, xl.div_array), ast.Pow: (xl.power, xl.power_array),
}


class VectorEvaluator:
    """Evaluates trees over `columns` (name → Column or TargetArray) for n units."""

    def __init__(self, n: int, messages: Messages):
        self.n = n
        self.messages = messages

    def evaluate(self, formula, columns: dict) -> Vec:
        self.formula = formula
        self.columns = columns
        return self._eval(formula.tree)

    # ---------------------------------------------------------------- plumbing

    def _fail(self, node, message: "str | Message") -> int:
        """The code of an error message located at `node`, worded as the scalar evaluator words it."""
        exc = FormulaError(message, node.col_offset + 1, self.formula.where, self.formula.text)
        return self.messages.add(exc.as_message())

    def _settle_failures(self, node, val, mask, scalar, args):
        """Elements where the vector form gave no finite number: the scalar form decides each one —
        its value, or its error message."""
        err = np.zeros(self.n, np.int32)
        for i in np.flatnonzero(mask):
            try:
                val[i] = scalar(*(_element(a, i) for a in args))
            except ExcelError as exc:
                err[i] = self._fail(node, str(exc))
        return err

    def _combine(self, parts, val, op_err=None, boolean=None):
        """First failure among `parts` (in evaluation order) wins; otherwise the operation's own error."""
        n = self.n
        na = np.zeros(n, bool)
        err = np.zeros(n, np.int32)
        fallback = np.zeros(n, bool)
        settled = np.zeros(n, bool)
        for p in parts:
            take = ~settled & p.failed
            na |= take & p.na
            err = np.where(take, p.err, err)
            fallback |= take & p.fallback
            settled |= take
        if op_err is not None:
            err = np.where(~settled & (op_err != 0), op_err, err)
        return Vec(val, na, err, fallback, boolean)

    def _eval(self, node) -> Vec:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            return Vec.unmodelled(self.n)
        return method(node)

    # ---------------------------------------------------------------- nodes

    def _Constant(self, node):
        if isinstance(node.value, (bool, int, float)):
            return Vec.const(self.n, float(node.value), isinstance(node.value, bool))
        return Vec.unmodelled(self.n)  # text constants: scalar evaluator

    def _Name(self, node):
        col = self.columns.get(node.id)
        if isinstance(col, TargetArray):
            return Vec(col.val.copy(), np.zeros(self.n, bool), np.zeros(self.n, np.int32), np.zeros(self.n, bool))
        if col is None:
            return Vec.unmodelled(self.n)  # unknown name: the scalar evaluator words the message
        err = np.zeros(self.n, np.int32)
        if col.missing.any():
            err[col.missing] = self._fail(node, Message(Blank(node.id)))
        for code in sorted(set(col.invalid[col.invalid > 0].tolist())):  # not np.unique: it imports numpy.ma
            err[col.invalid == code] = self._fail(node, self.messages.items[code])
        return Vec(col.val, col.na.copy(), err, col.fallback.copy(), col.boolean.copy())

    def _UnaryOp(self, node):
        a = self._eval(node.operand)
        if isinstance(node.op, ast.USub):
            return self._combine([a], xl.negate_array(a.val))
        return self._combine([a], xl.plus_array(a.val), boolean=a.boolean)  # +x is x itself

    def _BinOp(self, node):
        a, b = self._eval(node.left), self._eval(node.right)
        scalar, vector = ARITHMETIC[type(node.op)]
        val = vector(a.val, b.val)
        return self._finish(node, [a, b], val, scalar, [a.val, b.val])

    def _Compare(self, node):
        test = xl.COMPARISONS[COMPARE_SYMBOLS[type(node.ops[0])]]
        with_text = text_comparison(node)
        if with_text is not None:
            return self._compare_with_text(*with_text, test)
        a, b = self._eval(node.left), self._eval(node.comparators[0])
        return self._combine([a, b], test(xl.compare_array(a.val, b.val)).astype(float), boolean=np.ones(self.n, bool))

    def _compare_with_text(self, name, constant, text_left, test):
        """名称="文字": `excel.compare_with_text` per element — numbers below text, TRUE/FALSE equal to a text read as
        the same answer, numbers typed as text compared as their text; text values go to the scalar evaluator."""
        a = self._eval(name)
        text = constant.value
        c = np.full(self.n, -1, np.int8)
        answer = text_answer(text)
        if answer is not None:
            c[a.boolean & ((a.val != 0) == answer)] = 0
        column = self.columns.get(name.id)
        for i, typed in (column.texts.items() if isinstance(column, Column) else ()):
            c[i] = xl.compare_text(typed, text)
        if text_left:
            c = -c
        return self._combine([a], test(c).astype(float), boolean=np.ones(self.n, bool))

    def _IfExp(self, node):
        test = self._eval(node.test)
        body, orelse = self._eval(node.body), self._eval(node.orelse)
        chosen = test.val != 0
        val = np.where(chosen, body.val, orelse.val)
        branch = Vec(val, np.where(chosen, body.na, orelse.na), np.where(chosen, body.err, orelse.err),
                     np.where(chosen, body.fallback, orelse.fallback))
        return self._combine([test, branch], val, boolean=np.where(chosen, body.boolean, orelse.boolean))

    def _Call(self, node):
        spec = FUNCTIONS[node.func.id]
        if spec.form is Form.NAME_TEST:
            return self._name_test(spec, node.args[0].id)
        if spec.form is Form.IFS:
            return self._ifs(node)
        parts, arrays, scalar_args = [], [], []
        for k, arg in enumerate(node.args):
            if k == spec.target_arg:
                target, vec = self._target(arg)
                arrays.append(target)
                scalar_args.append(target)
            else:
                vec = self._eval(arg)
                arrays.append(vec.val)
                scalar_args.append(vec.val)
            parts.append(vec)
        val = np.broadcast_to(spec.vector(*arrays), (self.n,)).astype(float)
        return self._finish(node, parts, val, spec.scalar, scalar_args, spec.result is Result.BOOLEAN)

    def _finish(self, node, parts, val, scalar, scalar_args, boolean=False):
        ok_inputs = ~np.logical_or.reduce([p.failed for p in parts]) if parts else np.ones(self.n, bool)
        bad = ok_inputs & ~xl.finite(val)
        err = self._settle_failures(node, val, bad, scalar, scalar_args) if bad.any() else None
        return self._combine(parts, val, err, np.full(self.n, boolean))

    def _name_test(self, spec, name):
        col = self.columns.get(name)
        if col is None:
            return Vec.const(self.n, float(spec.scalar(MISSING)), True)
        if isinstance(col, TargetArray):
            return Vec.const(self.n, float(spec.scalar(Target(">=", 0.0))), True)
        flag = spec.vector(col).astype(float)
        return Vec(flag, np.zeros(self.n, bool), np.zeros(self.n, np.int32), col.fallback.copy(), np.ones(self.n, bool))

    def _ifs(self, node):
        n = self.n
        val = np.zeros(n)
        na, fallback, settled, boolean = (np.zeros(n, bool) for _ in range(4))
        err = np.zeros(n, np.int32)
        args = node.args
        for k in range(0, len(args), 2):
            cond, value = self._eval(args[k]), self._eval(args[k + 1])
            for take, source in ((~settled & cond.failed, cond), (~settled & ~cond.failed & (cond.val != 0), value)):
                val = np.where(take, source.val, val)
                na |= take & source.na
                err = np.where(take, source.err, err)
                fallback |= take & source.fallback
                boolean = np.where(take, source.boolean, boolean)
                settled |= take
        err = np.where(settled, err, self._fail(node, IFS_NONE_MESSAGE))
        return Vec(val, na, err, fallback, boolean)

    def _target(self, node):
        """A target argument: a leaf's 目标值 (TargetArray), or any expression (meaning ≥ its value)."""
        if isinstance(node, ast.Name) and isinstance(self.columns.get(node.id), TargetArray):
            target = self.columns[node.id]
            return target, Vec(target.val, np.zeros(self.n, bool), np.zeros(self.n, np.int32), np.zeros(self.n, bool))
        vec = self._eval(node)
        return TargetArray(np.zeros(self.n, np.int8), vec.val), vec


def _element(arg, i):
    if isinstance(arg, TargetArray):
        return Target(_OP_TEXT[int(arg.op[i])], float(arg.val[i]))
    return float(arg[i])


def target_array(n: int, target: Target) -> TargetArray:
    """A leaf's 目标值 for n units."""
    return TargetArray(np.full(n, TARGET_OPS[target.op], np.int8), np.full(n, target.value))
