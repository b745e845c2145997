"""The scoring rules of a leaf (SPEC §2.3), over all units at once: formula, 默认公式 or manual score (a number,
or a grade word of its grade columns); 择其一 alternatives; N/A per 不适用处理; clamped to [0, 分值]; rounded half away from zero to 小数位数."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..formula import as_number
from ..formula.excel import round_array
from ..errors import FormulaError
from ..model import NARule, Status
from . import notes
from ..requirements import rule_inputs
from .inputs import Inputs, formula_of
from .plausibility import implausible, negative_amounts

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
    choice: np.ndarray | None = None  # 择其一: the alternative each unit is scored on (-1: none supplied)
    also: np.ndarray | None = None  # 择其一: the unit supplied more than one alternative


def score_rule(inputs: Inputs, leaf, strict: bool = False) -> tuple[NodeArrays, dict[int, str]]:
    """A leaf's arrays and its figures to check (unit index → message; with `strict` they are errors instead).
    A 择其一 leaf is scored on the alternative each unit supplies data for (the first, if several)."""
    if not leaf.alternatives:
        return _checked(inputs, leaf, strict)
    scored = [_checked(inputs, option, strict) for option in leaf.alternatives]
    supplied = np.array([inputs.supplied(rule_inputs(inputs.system, o)) for o in leaf.alternatives])
    count = supplied.sum(axis=0)
    choice = np.where(count > 0, supplied.argmax(axis=0), -1)
    n = inputs.n
    out = NodeArrays(np.full(n, np.nan), np.full(n, ERROR, np.int8), np.full(n, float(leaf.weight or 0.0)),
                     np.full(n, np.nan), np.zeros(n, np.int32), choice, count > 1)
    flags = {}
    for k, (arrays, found) in enumerate(scored):
        chosen = choice == k
        for field_name in ("score", "status", "weight", "raw", "err"):
            getattr(out, field_name)[chosen] = getattr(arrays, field_name)[chosen]
        flags.update({i: message for i, message in found.items() if chosen[i]})
    if (choice < 0).any():
        out.err[choice < 0] = inputs.messages.add(notes.no_alternative(
            leaf, [sorted(rule_inputs(inputs.system, o)) for o in leaf.alternatives]))
    return out, flags


def _checked(inputs: Inputs, leaf, strict: bool) -> tuple[NodeArrays, dict[int, str]]:
    found = implausible(inputs, leaf, formula_of(inputs.system, leaf))
    errors = negative_amounts(inputs, leaf)  # always errors
    if strict:
        errors = {**found, **errors}
    return score_leaf(inputs, leaf, errors=errors), ({} if strict else found)


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
        band = leaf.band_of(value)
        if band is not None:  # a grade word (优) names its band's points
            raw[i] = band.points
            continue
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
    raw = own.val.copy()
    for i in np.flatnonzero(own.fallback | own.boolean):
        value = own.value_at(i, messages)
        band = leaf.band_of(value)
        if band is not None:  # a grade word (优) names its band's points
            raw[i] = band.points
            continue
        absent = own.is_absent(i)
        err[i] = messages.add(notes.manual_missing(leaf, weight, absent=True) if absent
                              else notes.manual_not_a_number(leaf, weight, value, inputs.where(inputs.own_key(leaf), i)))
    return raw, own.na.copy(), err


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
