"""The scoring rules of a leaf (SPEC §2.3), over all units at once: formula, 默认公式 or manual score (a number,
or a grade word of its grade columns); 择其一 alternatives; N/A per 不适用处理; clamped to [0, 分值]; rounded half away from zero to 小数位数."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..formula import ACTUAL_NAME, as_number
from ..formula.analysis import condition_names
from ..formula.excel import round_array
from ..errors import FormulaError
from ..model import IMPLIED_BY_CRITERIA, NARule, Status
from ..values import ABSENT, NA, Invalid
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
        if leaf.implied_by == IMPLIED_BY_CRITERIA:  # scored by a rule read from words that nobody has confirmed
            message = notes.unconfirmed_rule(leaf, inputs.system)
            errors = {**{i: message for i in range(inputs.n)}, **errors}
    return score_leaf(inputs, leaf, errors=errors), ({} if strict else found)


def score_leaf(inputs: Inputs, leaf, errors: dict[int, str] | None = None) -> NodeArrays:
    """A leaf's arrays; `errors` (unit index → message) makes those units' results errors (--strict).
    SPEC §2.3: a leaf without a formula of its own (or 默认公式) takes a score a person entered as `<指标>得分`; else
    the rule its row implies (目标值, or its 评分标准 read completely); else, a judgement leaf, the plain number under
    its own name within 0–分值; anything else is an error naming the data cell."""
    formula = formula_of(inputs.system, leaf)
    if formula is None:
        raw, na, err = _manual_values(inputs, leaf)
        manual = np.ones(inputs.n, bool)
    else:
        raw, na, err = _formula_values(inputs, leaf, formula)
        manual = np.zeros(inputs.n, bool)
    if leaf.formula is None and (formula is None or formula is leaf.implied_formula):
        _entered_scores(inputs, leaf, raw, na, err, manual)
    for i, message in (errors or {}).items():
        if not err[i]:
            err[i] = inputs.messages.add(message)
    return _finish(inputs, leaf, raw, na, err, manual)


def _entered_scores(inputs: Inputs, leaf, raw, na, err, manual) -> None:
    """Units that give `<指标>得分` are scored on it (0–分值; anything else is an error naming the cell)."""
    key = next((k for k in leaf.score_keys if k in inputs.columns), None)
    if key is None:
        return
    column, weight, messages = inputs.columns[key], float(leaf.weight or 0.0), inputs.messages
    given = ~column.missing & np.array([column.objects.get(i) is not ABSENT for i in range(inputs.n)])
    for i in np.flatnonzero(given).tolist():
        value = column.value_at(i, messages)
        manual[i], na[i], err[i] = True, False, 0
        if value is NA:
            na[i] = True
        elif isinstance(value, Invalid):
            err[i] = messages.add(value.message)
        elif isinstance(value, float) and not isinstance(value, bool) and -notes.EPS <= value <= weight + notes.EPS:
            raw[i] = value
        else:
            err[i] = messages.add(notes.entered_score_wrong(leaf, weight, value, inputs.where(key, i)))


def _formula_values(inputs: Inputs, leaf, formula):
    columns = inputs.leaf_columns(leaf)
    result = inputs.evaluate(formula, columns, lambda i: inputs.leaf_context(leaf, i))
    raw, err = result.val, result.invalid.copy()
    if formula is leaf.implied_formula and leaf.implied_by == IMPLIED_BY_CRITERIA:
        _numbers_for_yes_no(inputs, leaf, formula, columns, err)
    for i, value in result.objects.items():  # results that are not numbers: text, a date …
        band = leaf.band_of(value)
        if band is not None:  # a grade word (优) names its band's points
            raw[i] = band.points
            continue
        try:
            raw[i] = as_number(value, formula.where)
        except FormulaError as exc:
            err[i] = inputs.messages.add(exc.as_message())
    return raw, result.na & (err == 0), err


def _numbers_for_yes_no(inputs: Inputs, leaf, formula, columns, err) -> None:
    """A rule read from words asks a yes/no (制度健全得满分): a number other than 0 or 1 there is no answer to it (most
    likely a score or a figure), and is an error naming the cell rather than Excel's "any other number is TRUE"."""
    for name in sorted(condition_names(formula)):
        column = columns.get(name)
        if column is None:
            continue
        plain = ~(column.na | column.missing | column.fallback | column.boolean) & (column.invalid == 0) & (err == 0)
        for i in np.flatnonzero(plain & (column.val != 0) & (column.val != 1)).tolist():
            key = inputs.own_key(leaf) if name == ACTUAL_NAME else name
            shown = leaf.name if name == ACTUAL_NAME else name
            err[i] = inputs.messages.add(notes.number_for_yes_no(leaf, shown, float(column.val[i]),
                                                                 inputs.where(key, i) if key else ""))


def _manual_values(inputs: Inputs, leaf):
    """A judgement leaf (no rule in its row) takes the plain number under its own name (or code) as its score: within
    0–分值 and not typed or formatted as a percentage; a grade word of its grade columns gives that grade's points.
    Anything else is an error that names the cell and both ways out."""
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
    key = inputs.own_key(leaf)
    for i in np.flatnonzero(own.fallback | own.boolean).tolist():
        value = own.value_at(i, messages)
        band = leaf.band_of(value)
        if band is not None:  # a grade word (优) names its band's points
            raw[i] = band.points
            continue
        absent = own.is_absent(i)
        err[i] = messages.add(notes.manual_missing(leaf, weight, absent=True) if absent
                              else notes.manual_not_a_number(leaf, weight, value, inputs.where(key, i)))
    if leaf.scored_by_unit:  # a 自评表's own 得分 column: read as the unit typed it
        return raw, own.na.copy(), err
    plain = ~(own.na | own.missing | own.fallback | own.boolean) & (err == 0)
    with np.errstate(invalid="ignore"):
        outside = plain & ((raw < -notes.EPS) | (raw > weight + notes.EPS))
    for i in np.flatnonzero(plain).tolist():
        percent = key in inputs.units[i].percent_names
        if leaf.criteria_doubt or percent or outside[i]:
            err[i] = messages.add(notes.figure_not_a_score(leaf, weight, float(raw[i]), inputs.where(key, i),
                                                           percent=percent))
    return raw, own.na.copy(), err


def _finish(inputs: Inputs, leaf, raw, na, err, manual) -> NodeArrays:
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
    status = np.where(high | low, CLAMPED, np.where(manual, MANUAL, OK)).astype(np.int8)
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
