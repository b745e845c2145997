"""Results read from the engine's arrays: one unit's nodes as NodeResults, notes written on first use."""

from __future__ import annotations

import numpy as np

from ..errors import Message
from ..model import SCORE_SUFFIX, IndicatorSystem, NodeResult, NodeResults, Status
from ..values import normalize_name
from . import notes
from .inputs import Inputs, formula_of
from .leaves import ERROR, MANUAL, NOT_APPLICABLE, STATUSES, NodeArrays
from .tree import Totals, same_kind_children


class ScoreTable:
    """Every node's arrays for every unit of one scoring run, with what is needed to explain them."""

    def __init__(self, system: IndicatorSystem, inputs: Inputs, arrays: dict[int, NodeArrays], totals: Totals,
                 flags: dict[int, dict[int, str]] | None = None):
        self.system = system
        self.flags = flags or {}  # leaf id → unit index → a figure to check (noted in 扣分说明)
        self.inputs = inputs
        self.arrays = arrays
        self.totals = totals
        self.by_id = {node.id: node for node in system.indicators()}
        self.lists: dict[int, tuple[list, list]] = {}

    def score_lists(self, node_id: int) -> tuple[list, list]:
        """A node's scores (None where there is none) and statuses for every unit, as Python lists (made once:
        a summary of 100,000 units reads them unit by unit)."""
        lists = self.lists.get(node_id)
        if lists is None:
            a = self.arrays[node_id]
            scores = a.score.tolist()
            for i in np.flatnonzero(np.isnan(a.score)).tolist():
                scores[i] = None
            lists = self.lists[node_id] = (scores, [STATUSES[s] for s in a.status.tolist()])
        return lists

    def node_result(self, node_id: int, i: int, view: "UnitNodes") -> NodeResult:
        node = self.by_id[node_id]
        a = self.arrays[node_id]
        score = a.score[i]
        raw = None if a.raw is None or np.isnan(a.raw[i]) else float(a.raw[i])
        chosen = self.rule_at(node, i) if node.alternatives else None
        return NodeResult(node, None if np.isnan(score) else float(score), STATUSES[a.status[i]],
                          lambda: self.note(node, i, view), raw, float(a.weight[i]), chosen)

    def rule_at(self, leaf, i: int):
        """The indicator whose rule scored unit i: a 择其一 leaf's chosen alternative (None: none supplied), else
        the leaf."""
        if not leaf.alternatives:
            return leaf
        k = int(self.arrays[leaf.id].choice[i])
        return leaf.alternatives[k] if k >= 0 else None

    def trace(self, leaf, i: int) -> list:
        """The (name, value) pairs the leaf's formula reads for unit i, in order."""
        leaf = self.rule_at(leaf, i)
        if leaf is None:
            return []
        formula = formula_of(self.system, leaf)
        reads: list = []
        if formula is None:
            own = self.inputs.own_column(leaf)
            value = None if own is None else own.value_at(i, self.inputs.messages)
            return [(leaf.name, value)]
        try:
            formula.evaluate(self.inputs.leaf_context(leaf, i), reads)
        except Exception:  # the error itself is in the arrays; here only the reads matter
            pass
        return reads

    def error_text(self, code: int, i: int) -> str:
        """An error message for unit i; a blank data cell is named (基础数据!B11), as `check` names it."""
        item = self.inputs.messages.items[code]
        if not isinstance(item, Message):
            return item
        origins = self.inputs.units[i].origins
        return item.render(lambda name: origins.get(normalize_name(name)))

    def note(self, node, i: int, view: "UnitNodes") -> str:
        a = self.arrays[node.id]
        status = a.status[i]
        if not node.is_leaf:
            if status == ERROR:
                return notes.CHILD_ERROR
            if status == NOT_APPLICABLE:
                return notes.CHILDREN_DROPPED
            return notes.lost_points_note([view[c.id] for c in same_kind_children(node)], self.system.settings.decimals)
        rule = self.rule_at(node, i)
        chosen = "" if rule is node or rule is None else notes.alternative_note(rule, bool(a.also[i])) + "："
        if status == ERROR:
            return chosen + self.error_text(int(a.err[i]), i)
        reads = self.trace(node, i)
        if status == NOT_APPLICABLE:
            return chosen + notes.not_applicable_note(notes.na_names(reads) or rule.name, self.system.settings.na_rule)
        formula = formula_of(self.system, rule)
        weight = float(node.weight or 0.0)
        raw, score = float(a.raw[i]), float(a.score[i])
        if formula is None:
            band = rule.band_of(reads[0][1]) if reads else None
            described = notes.band_note(band) if band is not None else (rule.scored_by_unit or "人工评分")
            note = notes.outcome_note(described, raw, score, weight)
        elif status == MANUAL:  # a score a person entered as <指标>得分
            note = notes.outcome_note(f"人工评分（{rule.name}{SCORE_SUFFIX}）", raw, score, weight)
        else:
            note = notes.implied_prefix(rule) + notes.score_prose(
                formula, self.inputs.leaf_context(rule, i), reads, raw, score, weight)
        note = chosen + note
        flag = self.flags.get(node.id, {}).get(i)
        return note if flag is None else notes.with_check(note, flag)


class UnitNodes(NodeResults):
    """indicator id → NodeResult for one unit, built from the table's arrays on access."""

    def __init__(self, table: ScoreTable, i: int):
        self.table = table
        self.i = i
        self.cache: dict[int, NodeResult] = {}

    def __getitem__(self, node_id: int) -> NodeResult:
        result = self.cache.get(node_id)
        if result is None:
            if node_id not in self.table.arrays:
                raise KeyError(node_id)
            result = self.table.node_result(node_id, self.i, self)
            self.cache[node_id] = result
        return result

    def score_and_status(self, node_id: int) -> tuple[float | None, Status]:
        scores, statuses = self.table.lists.get(node_id) or self.table.score_lists(node_id)
        return scores[self.i], statuses[self.i]

    def __iter__(self):
        return iter(self.table.by_id)

    def __len__(self):
        return len(self.table.by_id)
