"""Vectorised evaluation: one compiled formula over columns of many units at once (numpy).

Results are identical to the scalar evaluator (``Formula.evaluate``): the same Excel semantics, the
same first-failure order (left to right, lazy IF), the same messages. Exactness is kept by handing
edge cases back to the scalar functions: an element whose operation fails gets its message from
the scalar function itself, a rounding within 1e-9 of a tie is rounded by the scalar ROUND, and an
element whose inputs the vector path does not model (text, dates, per-unit targets) is flagged
``fb`` so the caller evaluates that unit with the scalar path.
"""

from __future__ import annotations

import ast

import numpy as np

from . import xlfunctions as xf
from .formula import FormulaError, Formula
from .targets import Target

_E48 = 1.0 / (16777216.0 * 16777216.0)
_OPS = {">=": 0, ">": 1, "<=": 2, "<": 3, "=": 4}


class Vec:
    """Values of n units with their states: na (不适用 read), err (index of a message, 0 = none),
    fb (needs the scalar path). A failed element's value is meaningless."""

    __slots__ = ("val", "na", "err", "fb")

    def __init__(self, val, na, err, fb):
        self.val, self.na, self.err, self.fb = val, na, err, fb

    @property
    def failed(self):
        return self.na | (self.err != 0) | self.fb

    @classmethod
    def const(cls, n, value):
        return cls(np.full(n, float(value)), np.zeros(n, bool), np.zeros(n, np.int32), np.zeros(n, bool))


class Column:
    """An input name for n units: numbers, plus where it is 不适用, blank, invalid (message index) or not modelled."""

    __slots__ = ("val", "na", "missing", "invalid", "fb")

    def __init__(self, val, na, missing, invalid, fb):
        self.val, self.na, self.missing, self.invalid, self.fb = val, na, missing, invalid, fb


class TargetColumn:
    """A target per unit (目标值 of the leaf, or a data column of texts like ≥95%)."""

    __slots__ = ("op", "val")

    def __init__(self, op, val):
        self.op, self.val = op, val


class Messages:
    """Error messages by index; index 0 means no error."""

    def __init__(self):
        self.items = [""]
        self.index = {"": 0}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


def approx_equal(a, b):
    with np.errstate(all="ignore"):
        d = np.abs(a - b)
        close = (a != 0) & (b != 0) & np.isfinite(d) & (d <= np.abs(a) * _E48) & (d <= np.abs(b) * _E48)
        ints = _is_int(d) & _is_int(np.abs(a)) & _is_int(np.abs(b))
    return (a == b) | (close & ~ints)


def _is_int(x):
    return (np.abs(x) < 2.0**53) & (x == np.floor(x))


def compare(a, b):
    """-1, 0, 1 as the scalar _compare for numbers."""
    eq = approx_equal(a, b)
    return np.where(eq, 0, np.where(a < b, -1, 1))


class VectorEvaluator:
    def __init__(self, n: int, messages: Messages):
        self.n = n
        self.messages = messages

    # ---------------------------------------------------------------- plumbing

    def evaluate(self, formula: Formula, columns: dict) -> Vec:
        self.formula = formula
        self.columns = columns
        return self._eval(formula.tree)

    def _fail(self, node, message: str) -> int:
        """The code of an error message located at `node`, worded as the scalar path words it."""
        exc = FormulaError(message, node.col_offset + 1, self.formula.where, self.formula.text)
        return self.messages.add(str(exc))

    def _scalar_errors(self, node, mask, fn, *arrays):
        """err codes for the masked elements, each message from the scalar function on that element."""
        err = np.zeros(self.n, np.int32)
        for i in np.flatnonzero(mask):
            try:
                fn(*(float(a[i]) if isinstance(a, np.ndarray) else a for a in arrays))
                message = "计算出错"
            except xf.XLError as exc:
                message = str(exc)
            err[i] = self._fail(node, message)
        return err

    def _combine(self, node, parts, val, op_err=None):
        """First failure among `parts` (in evaluation order) wins; otherwise the op's own error."""
        n = self.n
        na = np.zeros(n, bool)
        err = np.zeros(n, np.int32)
        fb = np.zeros(n, bool)
        settled = np.zeros(n, bool)
        for p in parts:
            take = ~settled & p.failed
            na |= take & p.na
            err = np.where(take, p.err, err)
            fb |= take & p.fb
            settled |= take
        if op_err is not None:
            err = np.where(~settled & (op_err != 0), op_err, err)
        return Vec(val, na, err, fb)

    def _eval(self, node) -> Vec:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            return self._all_fallback()
        return method(node)

    def _all_fallback(self):
        v = Vec.const(self.n, 0.0)
        v.fb[:] = True
        return v

    # ---------------------------------------------------------------- nodes

    def _Constant(self, node):
        if isinstance(node.value, (bool, int, float)):
            return Vec.const(self.n, float(node.value))
        return self._all_fallback()  # text constants: scalar path

    def _Name(self, node):
        col = self.columns.get(node.id)
        if col is None or isinstance(col, TargetColumn):
            if isinstance(col, TargetColumn):
                return Vec(col.val.copy(), np.zeros(self.n, bool), np.zeros(self.n, np.int32), np.zeros(self.n, bool))
            return self._all_fallback()  # unknown name: the scalar path words the message
        err = np.zeros(self.n, np.int32)
        if col.missing.any():
            message = f"“{node.id}”未填写（空白单元格），请在基础数据中填写"
            err[col.missing] = self._fail(node, message)
        if col.invalid is not None:
            for code in np.unique(col.invalid[col.invalid > 0]):
                err[col.invalid == code] = self._fail(node, self.messages.items[code])
        return Vec(col.val, col.na.copy(), err, col.fb.copy())

    def _UnaryOp(self, node):
        a = self._eval(node.operand)
        val = -a.val if isinstance(node.op, ast.USub) else a.val
        return self._combine(node, [a], val)

    def _BinOp(self, node):
        a, b = self._eval(node.left), self._eval(node.right)
        x, y = a.val, b.val
        with np.errstate(all="ignore"):
            if isinstance(node.op, ast.Add):
                val = np.where(((x < 0) & (y > 0) | (y < 0) & (x > 0)) & approx_equal(x, -y), 0.0, x + y)
                fn = xf.xl_add
            elif isinstance(node.op, ast.Sub):
                val = np.where(((x < 0) & (y < 0) | (x > 0) & (y > 0)) & approx_equal(x, y), 0.0, x - y)
                fn = xf.xl_sub
            elif isinstance(node.op, ast.Mult):
                val, fn = x * y, xf.xl_mul
            elif isinstance(node.op, ast.Div):
                val, fn = np.where(y == 0, np.nan, x / np.where(y == 0, 1.0, y)), xf.xl_div
            else:
                val, fn = np.power(x, y), xf.xl_pow
                bad_pow = ((x == 0) & (y <= 0)) | ((x < 0) & (y != np.floor(y)))
                val = np.where(bad_pow, np.nan, val)
        ok_inputs = ~(a.failed | b.failed)
        bad = ok_inputs & ~(np.isfinite(val) & (np.abs(val) <= xf.MAX_ABS_VALUE))
        err = self._scalar_errors(node, bad, fn, x, y) if bad.any() else None
        return self._combine(node, [a, b], val, err)

    def _Compare(self, node):
        a, b = self._eval(node.left), self._eval(node.comparators[0])
        c = compare(a.val, b.val)
        op = type(node.ops[0])
        val = {ast.Eq: c == 0, ast.NotEq: c != 0, ast.Lt: c < 0, ast.LtE: c <= 0,
               ast.Gt: c > 0, ast.GtE: c >= 0}[op].astype(float)
        return self._combine(node, [a, b], val)

    def _IfExp(self, node):
        test = self._eval(node.test)
        body, orelse = self._eval(node.body), self._eval(node.orelse)
        chosen = test.val != 0
        val = np.where(chosen, body.val, orelse.val)
        branch = Vec(val, np.where(chosen, body.na, orelse.na), np.where(chosen, body.err, orelse.err),
                     np.where(chosen, body.fb, orelse.fb))
        return self._combine(node, [test, branch], val)

    def _Call(self, node):
        name = node.func.id
        if name in ("ISNA", "ISBLANK"):
            col = self.columns.get(node.args[0].id)
            if col is None:
                return Vec.const(self.n, 1.0 if name == "ISBLANK" else 0.0)
            if isinstance(col, TargetColumn):
                return Vec.const(self.n, 0.0)
            flag = col.na if name == "ISNA" else col.missing
            return Vec(flag.astype(float), np.zeros(self.n, bool), np.zeros(self.n, np.int32), col.fb.copy())
        if name == "@IFS_NONE":
            v = Vec.const(self.n, 0.0)
            v.err[:] = self._scalar_errors(node, np.ones(self.n, bool), xf.IFS_NONE)
            return v
        if name in ("TRUE", "FALSE"):
            return Vec.const(self.n, 1.0 if name == "TRUE" else 0.0)
        if name in ("RATIO", "RATIO_INV", "TARGET"):
            return self._rule(node, name)
        args = [self._eval(a) for a in node.args]
        vals = [a.val for a in args]
        with np.errstate(all="ignore"):
            if name == "AND":
                val = np.logical_and.reduce([v != 0 for v in vals]).astype(float)
            elif name == "OR":
                val = np.logical_or.reduce([v != 0 for v in vals]).astype(float)
            elif name == "NOT":
                val = (vals[0] == 0).astype(float)
            elif name == "MIN":
                val = np.minimum.reduce(vals)
            elif name == "MAX":
                val = np.maximum.reduce(vals)
            elif name in ("SUM", "AVERAGE"):
                total = np.zeros(self.n)
                for v in vals:
                    total = np.where(((total < 0) & (v > 0) | (v < 0) & (total > 0)) & approx_equal(total, -v),
                                     0.0, total + v)
                val = total / len(vals) if name == "AVERAGE" else total
            elif name == "ABS":
                val = np.abs(vals[0])
            elif name == "INT":
                val = self._int(vals[0])
            elif name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
                val = round_like(name, vals[0], vals[1])
            elif name == "DEDUCT":
                amount, per, points = vals
                deduction = np.maximum(amount, 0.0) * per
                diff = np.where(((points < 0) & (deduction < 0) | (points > 0) & (deduction > 0))
                                & approx_equal(points, deduction), 0.0, points - deduction)
                val = np.maximum(0.0, diff)
            else:
                return self._all_fallback()
        ok_inputs = ~np.logical_or.reduce([a.failed for a in args])
        bad = ok_inputs & ~(np.isfinite(val) & (np.abs(val) <= xf.MAX_ABS_VALUE))
        err = None
        if bad.any():
            impl = getattr(xf, name)
            err = self._scalar_errors(node, bad, impl, *vals)
        return self._combine(node, args, val, err)

    def _int(self, x):
        floor = np.floor(x)
        frac = x - floor
        near = (frac < 1e-9 + np.abs(x) * 1e-13) | (frac > 1 - 1e-9 - np.abs(x) * 1e-13) | (np.abs(x) > 1e12)
        out = floor.copy()
        for i in np.flatnonzero(near & np.isfinite(x)):
            out[i] = xf.INT(float(x[i]))
        return out

    def _target_arg(self, node):
        """A target argument: a leaf's 目标值 (TargetColumn), or a number column."""
        if isinstance(node, ast.Name) and isinstance(self.columns.get(node.id), TargetColumn):
            col = self.columns[node.id]
            empty = Vec(col.val, np.zeros(self.n, bool), np.zeros(self.n, np.int32), np.zeros(self.n, bool))
            return col, empty
        v = self._eval(node)
        return TargetColumn(np.zeros(self.n, np.int8), v.val), v

    def _rule(self, node, name):
        actual = self._eval(node.args[0])
        target, tvec = self._target_arg(node.args[1])
        points = self._eval(node.args[2])
        a, t, p = actual.val, target.val, points.val
        with np.errstate(all="ignore"):
            if name == "RATIO":
                val = np.where(t == 0, p, p * np.minimum(np.where(t == 0, 1.0, a / np.where(t == 0, 1.0, t)), 1.0))
            elif name == "RATIO_INV":
                val = np.where(a <= t, p, p * t / np.where(a == 0, 1.0, a))
            else:
                c = compare(a, t)
                op = target.op
                met = np.select([op == 0, op == 1, op == 2, op == 3], [c >= 0, c > 0, c <= 0, c < 0], c == 0)
                higher = (op == 0) | (op == 1)
                lower = (op == 2) | (op == 3)
                hi, lo = np.maximum(a, t), np.minimum(a, t)
                val = np.where(met, p, np.where(
                    higher, np.where(t == 0, 0.0, p * a / np.where(t == 0, 1.0, t)),
                    np.where(lower, np.where(a == 0, 0.0, p * t / np.where(a == 0, 1.0, a)),
                             np.where(hi == 0, 0.0, p * lo / np.where(hi == 0, 1.0, hi)))))
        ok_inputs = ~(actual.failed | tvec.failed | points.failed)
        bad = ok_inputs & ~(np.isfinite(val) & (np.abs(val) <= xf.MAX_ABS_VALUE))
        err = None
        if bad.any():
            err = self._scalar_errors(node, bad, getattr(xf, name), a, t, p)
        return self._combine(node, [actual, tvec, points], val, err)


def round_like(name: str, x, digits):
    """Vectorised ROUND / ROUNDUP / ROUNDDOWN, identical to the scalar functions (which decide near ties)."""
    x = np.asarray(x, float)
    digits = np.asarray(digits, float)
    if digits.ndim == 0:
        digits = np.full(x.shape, float(digits))
    d = np.clip(np.trunc(digits), xf.MIN_ROUND_DIGITS, xf.MAX_ROUND_DIGITS)
    scale = np.power(10.0, np.abs(d))
    with np.errstate(all="ignore"):
        scaled = np.where(d >= 0, np.abs(x) * scale, np.abs(x) / scale)
        floor = np.floor(scaled)
        frac = scaled - floor
        tol = 1e-9 + scaled * 1e-13
        if name == "ROUND":
            k = np.where(frac >= 0.5, floor + 1, floor)
            near = np.abs(frac - 0.5) < tol
        elif name == "ROUNDUP":
            k = np.where(frac > 0, floor + 1, floor)
            near = (frac < tol) | (frac > 1 - tol)
        else:
            k = floor
            near = (frac < tol) | (frac > 1 - tol)
        out = np.sign(x) * np.where(d >= 0, k / scale, k * scale)
    near |= (scaled > 1e12) | ~np.isfinite(scaled) | (np.abs(d) > 15)
    out = np.where(x == 0, 0.0, out)
    fn = getattr(xf, name)
    for i in np.flatnonzero(near & (x != 0) & np.isfinite(x)):
        out[i] = fn(float(x[i]), float(digits[i]))
    return out


def target_column(n: int, target: Target | None) -> TargetColumn | None:
    if target is None:
        return None
    return TargetColumn(np.full(n, _OPS[target.op], np.int8), np.full(n, target.value))


def is_vectorisable(formula: Formula) -> bool:
    """Text constants are left to the scalar path; everything else is modelled here."""
    return not any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(formula.tree))


__all__ = ["Vec", "Column", "TargetColumn", "Messages", "VectorEvaluator", "round_like", "target_column"]
