"""The scoring rules of a leaf (SPEC §2.3), over all units at once: formula, 默认公式 or manual score;
N/A per 不适用处理; clamped to [0, 分值]; rounded half away from zero to 小数位数."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..formula import as_number
from ..formula.excel import round_array
from ..errors import FormulaError
from ..model import NARule, Status
from . import notes
from .inputs import Inputs, formula_of

STATUSES = [Status.OK, Status.CLAMPED, Status.NA, Status.MANUAL, Status.ERROR]  # int codes in the arrays
OK, CLAMPED, NOT_APPLICABLE, MANUAL, ERROR = range(len(STATUSES))


@dataclass
class NodeArrays:
    """One node's result for every unit."""

    score: np.ndarray  # NaN: none (dropped as N/A, or an error)
    status: np.ndarray  # int8 index into STATUSES
    weight: np.ndarray  # effective 分值: 0 where dropped by 剔除
    raw: np.ndarray | None = None  # a leaf's value before clamping and rounding (NaN: none)
    err: np.ndarray | None = None  # a leaf's error message codes (0: none)


def score_leaf(inputs: Inputs, leaf, errors: dict[int, str] | None = None) -> NodeArrays:
    """A leaf's arrays; `errors` (unit index → message) makes those units' results errors (--strict)."""
    formula = formula_of(inputs.system, leaf)
    if formula is None:
        raw, na, err = _manual_values(inputs, leaf)
        ok_status = MANUAL
    else:
        raw, na, err = _formula_values(inputs, leaf, formula)
        ok_status = OK
    for i, message in (errors or {}).items():
        if not err[i]:
            err[i] = inputs.messages.add(message)
    return _finish(inputs, leaf, raw, na, err, ok_status)


def _formula_values(inputs: Inputs, leaf, formula):
    result = inputs.evaluate(formula, inputs.leaf_columns(leaf), lambda i: inputs.leaf_context(leaf, i))
    raw, err = result.val, result.invalid.copy()
    for i, value in result.objects.items():  # results that are not numbers: text, a date …
        try:
            raw[i] = as_number(value, formula.where)
        except FormulaError as exc:
            err[i] = inputs.messages.add(str(exc))
    return raw, result.na & (err == 0), err


def _manual_values(inputs: Inputs, leaf):
    """A manual indicator's score is the unit's own value of its name (or code)."""
    n, messages = inputs.n, inputs.messages
    weight = float(leaf.weight or 0.0)
    own = inputs.own_column(leaf)
    if own is None:
        code = messages.add(notes.manual_missing(leaf, weight, absent=True))
        return np.zeros(n), np.zeros(n, bool), np.full(n, code, np.int32)
    err = own.invalid.copy()
    if own.missing.any():
        err[own.missing] = messages.add(notes.manual_missing(leaf, weight, absent=False))
    for i in np.flatnonzero(own.fallback | own.boolean):
        value = own.value_at(i, messages)
        absent = own.is_absent(i)
        err[i] = messages.add(notes.manual_missing(leaf, weight, absent=True) if absent
                              else notes.manual_not_a_number(leaf, weight, value))
    return own.val.copy(), own.na.copy(), err


def _finish(inputs: Inputs, leaf, raw, na, err, ok_status) -> NodeArrays:
    settings = inputs.system.settings
    n = inputs.n
    weight = float(leaf.weight or 0.0)
    error = err != 0
    na = na & ~error
    good = ~na & ~error
    with np.errstate(all="ignore"):
        high = good & (raw > weight + notes.EPS)
        low = good & (raw < -notes.EPS)
        clamped = np.where(high, weight, np.where(low, 0.0, raw))
    score = round_array("ROUND", np.where(good, clamped, 0.0), settings.decimals)
    status = np.where(high | low, CLAMPED, ok_status).astype(np.int8)
    effective = np.full(n, weight)
    status[na] = NOT_APPLICABLE
    if settings.na_rule is NARule.DROP:
        score[na] = np.nan
        effective[na] = 0.0
    else:
        score[na] = weight
    status[error] = ERROR
    score[error] = np.nan
    return NodeArrays(score, status, effective, np.where(good, raw, np.nan), err)
