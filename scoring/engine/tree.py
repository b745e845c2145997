"""Parents, totals, grades and ranks over all units at once: a parent is the sum of its rounded
children (so a printed sheet adds up), 加分/扣分 stay outside the 100, the total is clamped to
[0, 总分上限], the grade is the total's share of 满分, ranks are competition ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..formula.excel import round_array
from ..model import IndicatorSystem, Kind, NARule, Settings
from . import notes
from .leaves import ERROR, NOT_APPLICABLE, OK, NodeArrays


def same_kind_children(node):
    """The children a parent adds up: 加分/扣分 rows inside a normal branch stay outside it."""
    return [c for c in node.children if c.kind == node.kind]


def aggregate(node, arrays: dict[int, NodeArrays], n: int, decimals: int) -> None:
    if node.is_leaf:
        return
    for child in node.children:
        aggregate(child, arrays, n, decimals)
    children = same_kind_children(node)
    if not children:
        arrays[node.id] = NodeArrays(np.zeros(n), np.full(n, OK, np.int8), np.zeros(n))
        return
    scores = np.array([arrays[c.id].score for c in children])
    error = (np.array([arrays[c.id].status for c in children]) == ERROR).any(axis=0)
    weight = np.sum([arrays[c.id].weight for c in children], axis=0)
    dropped = np.isnan(scores).all(axis=0) & ~error
    total = round_array("ROUND", _sum_in_order(scores), decimals)
    score = np.where(error | dropped, np.nan, total)
    status = np.where(error, ERROR, np.where(dropped, NOT_APPLICABLE, OK)).astype(np.int8)
    arrays[node.id] = NodeArrays(score, status, np.where(dropped, 0.0, weight))


def _sum_in_order(scores: np.ndarray) -> np.ndarray:
    """Σ of the rows, NaN as 0, added one row after the other (as a person adds a column)."""
    total = np.zeros(scores.shape[1])
    for row in scores:
        total = total + np.nan_to_num(row)
    return total


def outside_tops(system: IndicatorSystem, kind: Kind):
    """The topmost 加分/扣分 nodes: a level-1 加分项, or a typed row inside a normal branch."""
    return [n for n in system.indicators() if n.kind == kind and (n.parent is None or n.parent.kind != kind)]


@dataclass
class Totals:
    """Each unit's total and the numbers its note is made of."""

    total: np.ndarray  # NaN: a level-1 indicator has an error
    declared: float  # Σ 分值 of the normal level-1 indicators
    included: np.ndarray  # Σ effective 分值 (less where 剔除 dropped N/A indicators)
    rescaled: np.ndarray
    bonus: np.ndarray
    penalty: np.ndarray
    before_cap: np.ndarray

    def applicable(self, i: int, settings: Settings) -> float | None:
        """The points of the indicators that applied, when 剔除 rescaled unit i's total (None otherwise)."""
        included = float(self.included[i])
        if settings.na_rule is not NARule.DROP or np.isnan(self.total[i]):
            return None
        return included if notes.EPS < included < self.declared - notes.EPS else None

    def note(self, i: int, settings: Settings) -> str:
        if np.isnan(self.total[i]):
            return ""
        return notes.total_note(self.declared, float(self.included[i]), float(self.rescaled[i]),
                                float(self.bonus[i]), float(self.penalty[i]), float(self.before_cap[i]),
                                settings.cap, settings.na_rule)


def totals(system: IndicatorSystem, arrays: dict[int, NodeArrays], n: int) -> Totals:
    settings = system.settings
    normal = [r for r in system.roots if r.kind == Kind.NORMAL]
    error = np.zeros(n, bool)
    for r in system.roots:
        error |= arrays[r.id].status == ERROR
    subtotal = _sum_in_order(np.array([arrays[r.id].score for r in normal]).reshape(len(normal), n))
    included = np.zeros(n)
    for r in normal:
        included = included + arrays[r.id].weight
    declared = 0.0
    for r in normal:
        declared += float(r.weight or 0.0)
    rescaled = subtotal
    if settings.na_rule is NARule.DROP:
        drop = (included < declared - notes.EPS) & (included > notes.EPS)
        with np.errstate(all="ignore"):
            rescaled = np.where(drop, subtotal * declared / np.where(drop, included, 1.0), subtotal)
    parts = {}
    for kind in (Kind.BONUS, Kind.PENALTY):
        tops = outside_tops(system, kind)
        parts[kind] = _sum_in_order(np.array([arrays[t.id].score for t in tops]).reshape(len(tops), n))
    before_cap = rescaled + parts[Kind.BONUS] - parts[Kind.PENALTY]
    capped = np.where(before_cap > settings.cap + notes.EPS, settings.cap,
                      np.where(before_cap < -notes.EPS, 0.0, before_cap))
    total = np.where(error, np.nan, round_array("ROUND", capped, settings.decimals))
    return Totals(total, declared, included, rescaled, parts[Kind.BONUS], parts[Kind.PENALTY], before_cap)


def grade_of(total: float | None, settings: Settings) -> str | None:
    if total is None:
        return None
    share = total / settings.max_total * 100 if settings.max_total else 0.0
    for grade, threshold in settings.grades:
        if share >= threshold - notes.EPS:
            return grade
    return settings.grades[-1][0]


def competition_ranks(totals: list[float | None]) -> list[int | None]:
    """1, 2, 2, 4 by total, highest first; units without a total are unranked."""
    ranks: list[int | None] = [None] * len(totals)
    order = sorted((i for i, t in enumerate(totals) if t is not None), key=lambda i: -totals[i])
    previous, rank = None, 0
    for position, i in enumerate(order, start=1):
        if previous is None or abs(totals[i] - previous) > notes.EPS:
            rank = position
            previous = totals[i]
        ranks[i] = rank
    return ranks
