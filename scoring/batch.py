"""Batch scoring: the engine's rules applied column-wise to many units at once.

Same results as ``engine.score_unit`` unit by unit (a test checks it on random data): formulas run
through ``vector.VectorEvaluator``; clamping, rounding, N/A and parents are array operations; units
whose inputs the vector path does not model are scored by the scalar engine. Notes are written only
when somebody reads them (score sheets, JSON, CSV) — by re-running the scalar engine for that unit
and indicator, so they are word for word the scalar notes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import engine
from .formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from .model import IndicatorSystem, NodeResult, Unit, UnitResult
from .values import MISSING, NA, Invalid, normalize_name
from .vector import Column, Messages, VectorEvaluator, is_vectorisable, round_like, target_column

OK, CLAMPED, NA_STATUS, MANUAL, ERROR = range(5)
STATUS_NAMES = ["ok", "clamped", "na", "manual", "error"]
EPS = engine.EPS


def input_column(units: list[Unit], name: str, messages: Messages) -> Column | None:
    """A data name across units; None when no unit has it."""
    n = len(units)
    values = [u.values.get(name, _ABSENT) for u in units]
    if all(v is _ABSENT for v in values):
        return None
    val = np.zeros(n)
    na = np.zeros(n, bool)
    missing = np.zeros(n, bool)
    invalid = np.zeros(n, np.int32)
    fb = np.zeros(n, bool)
    for i, v in enumerate(values):
        t = type(v)
        if t is float and v == v:  # NaN (not storable in Excel anyway) goes the scalar way
            val[i] = v
        elif t is bool:
            val[i] = 1.0 if v else 0.0
        elif v is NA:
            na[i] = True
        elif v is MISSING:
            missing[i] = True
        elif t is Invalid:
            invalid[i] = messages.add(v.message)
        else:  # text, dates, a name some units lack: scalar path
            fb[i] = True
    return Column(val, na, missing, invalid if invalid.any() else None, fb)


_ABSENT = object()


class _BatchState:
    def __init__(self, system: IndicatorSystem, units: list[Unit]):
        self.system = system
        self.units = units
        self.n = len(units)
        self.messages = Messages()
        self.score: dict[int, np.ndarray] = {}
        self.status: dict[int, np.ndarray] = {}
        self.weight: dict[int, np.ndarray] = {}
        self.raw: dict[int, np.ndarray] = {}
        self.err: dict[int, np.ndarray] = {}  # leaf id → message code (0 none)
        self.scalar: dict[int, dict[int, NodeResult]] = {}  # leaf id → unit index → scalar result
        self._contexts: dict[int, dict] = {}

    def context(self, i: int) -> dict:
        """The unit's values and 计算项, computed by the scalar engine (for fallbacks and notes)."""
        if i not in self._contexts:
            self._contexts[i] = engine.derived_values(self.system, self.units[i])
        return self._contexts[i]


def score_batch(system: IndicatorSystem, units: list[Unit]) -> list[UnitResult]:
    state = _BatchState(system, units)
    columns = _derived_columns(state)
    for leaf in system.leaves():
        _score_leaf(state, leaf, columns)
    for root in system.roots:
        _aggregate(state, root)
    state.by_id = {n.id: n for n in system.indicators()}
    leaves = system.leaves()
    leaf_errors = np.zeros(state.n, bool)
    for leaf in leaves:
        leaf_errors |= state.status[leaf.id] == ERROR
    totals, needs_note = _totals(state)
    results = []
    for i, unit in enumerate(units):
        nodes = LazyNodes(state, i)
        errors, total_note = [], ""
        total = None if np.isnan(totals[i]) else float(totals[i])
        if leaf_errors[i]:
            errors = [f"“{'/'.join(leaf.path)}”：{nodes[leaf.id].note}" for leaf in leaves
                      if state.status[leaf.id][i] == ERROR]
        if needs_note[i]:  # rescaled, bonus/penalty or capped: the scalar rule words the note
            total, total_note = engine._total(system, nodes)
        grade = None
        if errors:
            total = None
        elif total is not None:
            grade = engine.grade_of(total, system.settings)
        results.append(UnitResult(unit=unit, nodes=nodes, total=total, grade=grade, errors=errors, total_note=total_note))
    return results


def _totals(state: _BatchState):
    """engine._total over arrays: the total per unit (NaN: an error), and where a note is due."""
    system, n = state.system, state.n
    settings = system.settings
    normal = [r for r in system.roots if r.kind == engine.NORMAL]
    error = np.zeros(n, bool)
    for r in system.roots:
        error |= state.status[r.id] == ERROR
    subtotal = np.zeros(n)
    included = np.zeros(n)
    for r in normal:
        subtotal = subtotal + np.nan_to_num(state.score[r.id])
        included = included + state.weight[r.id]
    declared = sum(float(r.weight or 0.0) for r in normal)
    needs = np.zeros(n, bool)
    if settings.na_rule == "剔除":
        needs |= included < declared - EPS
    outside = np.zeros(n)
    for kind, sign in ((engine.BONUS, 1.0), (engine.PENALTY, -1.0)):
        part = np.zeros(n)
        for node in engine._outside_tops(system, kind):
            part = part + np.nan_to_num(state.score[node.id])
        needs |= part != 0
        outside = outside + sign * part
    total = subtotal + outside
    needs |= (total > settings.cap + EPS) | (total < -EPS)
    total = round_like("ROUND", total, settings.decimals)
    return np.where(error, np.nan, total), needs & ~error


def _derived_columns(state: _BatchState) -> dict:
    system, units, n = state.system, state.units, state.n
    names = set()
    for item in system.derived:
        names |= item.formula.names
    for leaf in system.leaves():
        formula = leaf.formula or system.settings.default_formula
        if formula is not None:
            names |= formula.names
        names.add(normalize_name(leaf.name))
        if leaf.code:
            names.add(normalize_name(leaf.code))
    names |= {d.name for d in system.derived}
    columns = {}
    for name in names - {POINTS_NAME, TARGET_NAME, ACTUAL_NAME}:
        col = input_column(units, name, state.messages)
        if col is not None:
            columns[name] = col
    evaluator = VectorEvaluator(n, state.messages)
    for item in system.derived:
        supplied = columns.get(item.name)
        given = np.array([u.values.get(item.name, MISSING) is not MISSING for u in units])
        if not is_vectorisable(item.formula):
            computed = Column(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool), None, np.ones(n, bool))
        else:
            v = evaluator.evaluate(item.formula, columns)
            invalid = np.zeros(n, np.int32)
            for code in np.unique(v.err[v.err > 0]):
                text = f"计算项“{item.name}”无法计算：{state.messages.items[code]}"
                invalid[v.err == code] = state.messages.add(text)
            computed = Column(v.val, v.na, np.zeros(n, bool), invalid if invalid.any() else None, v.fb)
        if supplied is not None and given.any():
            computed = Column(
                np.where(given, supplied.val, computed.val), np.where(given, supplied.na, computed.na),
                np.zeros(n, bool), _merge_invalid(given, supplied.invalid, computed.invalid),
                np.where(given, supplied.fb, computed.fb))
        columns[item.name] = computed
    return columns


def _merge_invalid(given, supplied, computed):
    if supplied is None and computed is None:
        return None
    n = len(given)
    a = supplied if supplied is not None else np.zeros(n, np.int32)
    b = computed if computed is not None else np.zeros(n, np.int32)
    return np.where(given, a, b)


def _leaf_columns(state: _BatchState, leaf, columns: dict) -> dict:
    n = state.n
    local = dict(columns)
    local[POINTS_NAME] = Column(np.full(n, float(leaf.weight or 0.0)), np.zeros(n, bool), np.zeros(n, bool), None,
                                np.zeros(n, bool))
    if leaf.target is not None:
        local[TARGET_NAME] = target_column(n, leaf.target)
    else:
        code = state.messages.add(f"指标“{leaf.name}”没有目标值：请在指标体系的目标值列填写")
        local[TARGET_NAME] = Column(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool), np.full(n, code, np.int32),
                                    np.zeros(n, bool))
    own = _own_column(leaf, columns)
    if own is None:
        text = (f"“完成值”取不到：基础数据中没有名为“{leaf.name}”" + (f"或“{leaf.code}”" if leaf.code else "") + "的数据")
        own = Column(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool), np.full(n, state.messages.add(text), np.int32),
                     np.zeros(n, bool))
    local[ACTUAL_NAME] = own
    return local


def _own_key(leaf, columns):
    """The data name holding the leaf's own value: its name, else its code (as engine._own_value)."""
    for key in (normalize_name(leaf.name), normalize_name(leaf.code) if leaf.code else None):
        if key and key in columns:
            return key
    return None


def _own_column(leaf, columns):
    key = _own_key(leaf, columns)
    return None if key is None else columns[key]


def _score_leaf(state: _BatchState, leaf, columns: dict):
    system, n = state.system, state.n
    settings = system.settings
    weight = float(leaf.weight or 0.0)
    formula = leaf.formula or settings.default_formula
    fallback = np.zeros(n, bool)
    if formula is None:  # manual: the unit's own value is the score
        own = _own_column(leaf, columns)
        if own is None:
            fallback[:] = True  # every unit errs; the scalar path words it
            raw, na, err = np.zeros(n), np.zeros(n, bool), np.zeros(n, np.int32)
        else:
            raw, na = own.val, own.na
            err = np.zeros(n, np.int32)
            fallback |= own.missing | own.fb | (own.invalid > 0 if own.invalid is not None else False)
            # a yes/no answer is not a score: the scalar path words the error
            key = _own_key(leaf, columns)
            fallback |= np.array([type(u.values.get(key, 0.0)) is bool for u in state.units])
        ok_status = MANUAL
    elif not is_vectorisable(formula):
        fallback[:] = True
        raw, na, err = np.zeros(n), np.zeros(n, bool), np.zeros(n, np.int32)
        ok_status = OK
    else:
        v = VectorEvaluator(n, state.messages).evaluate(formula, _leaf_columns(state, leaf, columns))
        raw, na, err = v.val, v.na & ~v.fb, np.where(v.fb, 0, v.err)
        fallback |= v.fb
        ok_status = OK
    good = ~na & (err == 0) & ~fallback
    with np.errstate(all="ignore"):
        high = good & (raw > weight + EPS)
        low = good & (raw < -EPS)
        clamped = np.where(high, weight, np.where(low, 0.0, raw))
        score = round_like("ROUND", np.where(good, clamped, 0.0), settings.decimals)
    status = np.where(high | low, CLAMPED, ok_status).astype(np.int8)
    eff_weight = np.full(n, weight)
    if na.any():
        status[na] = NA_STATUS
        if settings.na_rule == "剔除":
            score[na] = np.nan
            eff_weight[na] = 0.0
        else:
            score[na] = weight
    bad = err != 0
    status[bad] = ERROR
    score[bad] = np.nan
    state.scalar[leaf.id] = {}
    for i in np.flatnonzero(fallback):
        r = engine.score_leaf(system, leaf, state.units[i], state.context(i))
        state.scalar[leaf.id][i] = r
        score[i] = np.nan if r.score is None else r.score
        status[i] = STATUS_NAMES.index(r.status)
        eff_weight[i] = r.weight
        raw[i] = np.nan if r.raw is None else r.raw
    state.score[leaf.id], state.status[leaf.id], state.weight[leaf.id] = score, status, eff_weight
    state.raw[leaf.id], state.err[leaf.id] = raw, err


def _aggregate(state: _BatchState, node):
    if node.is_leaf:
        return
    for child in node.children:
        _aggregate(state, child)
    n = state.n
    children = [c for c in node.children if c.kind == node.kind]
    if not children:
        state.score[node.id], state.status[node.id], state.weight[node.id] = np.zeros(n), np.zeros(n, np.int8), np.zeros(n)
        return
    scores = np.array([state.score[c.id] for c in children])
    statuses = np.array([state.status[c.id] for c in children])
    weight = np.sum([state.weight[c.id] for c in children], axis=0)
    error = (statuses == ERROR).any(axis=0)
    all_none = np.isnan(scores).all(axis=0) & ~error
    total = round_like("ROUND", np.nansum(scores, axis=0), state.system.settings.decimals)
    score = np.where(error | all_none, np.nan, total)
    status = np.where(error, ERROR, np.where(all_none, NA_STATUS, OK)).astype(np.int8)
    weight = np.where(all_none, 0.0, weight)
    state.score[node.id], state.status[node.id], state.weight[node.id] = score, status, weight


class LazyNodes(Mapping):
    """indicator id → NodeResult for one unit, built from the batch arrays on access."""

    def __init__(self, state: _BatchState, index: int):
        self.state = state
        self.index = index
        self.cache: dict[int, NodeResult] = {}

    def __getitem__(self, node_id: int) -> NodeResult:
        if node_id in self.cache:
            return self.cache[node_id]
        st, i = self.state, self.index
        node = self._node(node_id)
        if node.is_leaf and i in st.scalar.get(node_id, {}):
            result = st.scalar[node_id][i]
        else:
            value = st.score[node_id][i]
            score = None if np.isnan(value) else float(value)
            status = STATUS_NAMES[st.status[node_id][i]]
            raw = st.raw.get(node_id)
            result = NodeResult(node, score, status, self._note_fn(node), raw=None if raw is None else float(raw[i]),
                                weight=float(st.weight[node_id][i]))
        self.cache[node_id] = result
        return result

    def peek(self, node_id: int) -> tuple[float | None, str]:
        """(score, status) without building a NodeResult."""
        st, i = self.state, self.index
        if i in st.scalar.get(node_id, {}):
            r = st.scalar[node_id][i]
            return r.score, r.status
        value = st.score[node_id][i]
        return (None if np.isnan(value) else float(value)), STATUS_NAMES[st.status[node_id][i]]

    def _node(self, node_id):
        return self.state.by_id[node_id]

    def _note_fn(self, node):
        st, i = self.state, self.index
        if node.is_leaf:
            if st.status[node.id][i] == ERROR and st.err[node.id][i]:
                return st.messages.items[st.err[node.id][i]]
            return lambda: engine.score_leaf(st.system, node, st.units[i], st.context(i)).note
        status = st.status[node.id][i]
        if status == ERROR:
            return "下级指标有错误"
        if status == NA_STATUS:
            return "下级指标均不适用，已剔除"
        children = [c for c in node.children if c.kind == node.kind]
        return lambda: engine.lost_points_note([self[c.id] for c in children], st.system.settings.decimals)

    def __iter__(self):
        return iter(self.state.by_id)

    def __len__(self):
        return len(self.state.by_id)
