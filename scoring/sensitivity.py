"""How robust the ranks are to the weights chosen (`score sensitivity`), as composite-indicator practice asks (the
JRC/OECD handbook, COINr): every indicator's 分值 is perturbed uniformly within ±range, each parent's children are then
rescaled to keep the parent's points (the roots to keep 满分), and every unit is rescored for every sample.

Each indicator keeps its 得分率 (score ÷ 分值) from the nominal run and takes its share of the new points — the usual
reading of weights in a composite index, and exact for formulas written with 分值 (RATIO, TARGET, DEDUCT, 分值*…).
Vectorised: a samples × leaves weight matrix times a units × leaves rate matrix. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import grade_of
from .model import Kind, NARule, Results

DEFAULT_RANGE = 0.2
DEFAULT_SAMPLES = 1000
MAX_SAMPLES = 100_000
MAX_SAMPLED_TOTALS = 20_000_000  # units × samples: each matrix of them is 160 MB and takes seconds
SENSITIVITY_BINS = 10  # first-order index: the rank shift's variance explained by one indicator's factor, by binning


@dataclass
class UnitRobustness:
    unit: str
    total: float | None
    grade: str | None
    nominal_rank: int | None
    median_rank: float | None
    low_rank: float | None  # 5th percentile
    high_rank: float | None  # 95th percentile
    keeps_grade: float | None  # share of samples with the nominal grade

    def to_dict(self) -> dict:
        return {"unit": self.unit, "total": self.total, "grade": self.grade, "nominal_rank": self.nominal_rank,
                "median_rank": self.median_rank, "rank_5": self.low_rank, "rank_95": self.high_rank,
                "keeps_grade": self.keeps_grade}


@dataclass
class Sensitivity:
    units: list[UnitRobustness]
    indicators: list[tuple[str, float]]  # (indicator path, first-order index), the largest first
    samples: int
    range: float
    seed: int | None


def _normal_leaves(system):
    normal_roots = [r for r in system.roots if r.kind is Kind.NORMAL]
    return normal_roots, [n for root in normal_roots for n in root.walk() if n.is_leaf]


def sample_weights(system, samples: int, spread: float, rng) -> tuple[list, np.ndarray, np.ndarray]:
    """(nodes, factors S×N, leaf weights S×L): every node's points × U(1−spread, 1+spread), children rescaled to
    their parent's points, roots to 满分."""
    roots, leaves = _normal_leaves(system)
    nodes = [n for root in roots for n in root.walk()]
    index = {n.id: k for k, n in enumerate(nodes)}
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(samples, len(nodes))) if spread > 0 \
        else np.ones((samples, len(nodes)))
    weight = {}

    def share(group, total):
        raw = np.stack([float(n.weight or 0.0) * factors[:, index[n.id]] for n in group], axis=1)
        sums = raw.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.where(sums > 0, raw / sums, 0.0) * total[:, None]
        for k, n in enumerate(group):
            weight[n.id] = scaled[:, k]
            if n.children:
                share(n.children, weight[n.id])

    share(roots, np.full(samples, float(sum(float(r.weight or 0.0) for r in roots))))
    return nodes, factors, np.stack([weight[leaf.id] for leaf in leaves], axis=1) if leaves else np.zeros((samples, 0))


def competition_ranks_matrix(totals: np.ndarray) -> np.ndarray:
    """Ranks (1, 2, 2, 4) of each column of units × samples; NaN totals stay unranked (NaN)."""
    units, samples = totals.shape
    ranks = np.full(totals.shape, np.nan)
    for s in range(samples):
        column = totals[:, s]
        ok = ~np.isnan(column)
        ascending = np.sort(column[ok])
        ranks[ok, s] = 1 + ok.sum() - np.searchsorted(ascending, column[ok], side="right")
    return ranks


def sensitivity(results: Results, spread: float = DEFAULT_RANGE, samples: int = DEFAULT_SAMPLES,
                seed: int | None = None) -> Sensitivity:
    """Per unit: nominal rank, median and 5–95 % rank, the chance of keeping its grade; per indicator: how much its
    weight moves the ranks (first-order sensitivity index of the mean rank shift)."""
    if not 0 <= spread < 1:
        raise ValueError("range must be in [0, 1)")
    system, settings = results.system, results.system.settings
    roots, leaves = _normal_leaves(system)
    units = results.units
    n = len(units)
    rates = np.zeros((n, len(leaves)))
    applies = np.ones((n, len(leaves)), bool)
    extra = np.zeros(n)  # 加分/扣分 and anything outside the normal indicators, kept as scored
    for i, u in enumerate(units):
        normal = 0.0
        for k, leaf in enumerate(leaves):
            r = u.nodes[leaf.id]
            if r.score is None or not r.weight:
                applies[i, k] = settings.na_rule is not NARule.DROP
                rates[i, k] = 1.0 if applies[i, k] and r.score is None else 0.0  # 满分 rule: N/A counts full
                continue
            rates[i, k] = r.score / float(leaf.weight)
            normal += r.score
        if u.total is not None:
            extra[i] = u.total - _rescaled(normal, applies[i], leaves, settings, roots)
    rng = np.random.default_rng(seed)
    nodes, factors, weights = sample_weights(system, samples, spread, rng)
    totals = (rates * applies) @ weights.T  # units × samples
    if settings.na_rule is NARule.DROP:
        declared = weights.sum(axis=1)[None, :]
        included = applies.astype(float) @ weights.T
        with np.errstate(invalid="ignore", divide="ignore"):
            totals = np.where(included > 0, totals * declared / included, totals)
    totals = np.clip(totals + extra[:, None], 0.0, settings.cap)
    totals = np.round(totals, settings.decimals)
    failed = np.array([u.total is None for u in units])
    totals[failed, :] = np.nan
    ranks = competition_ranks_matrix(totals)
    robust = []
    for i, u in enumerate(units):
        if u.total is None:
            robust.append(UnitRobustness(u.unit.name, None, None, None, None, None, None, None))
            continue
        grades = [grade_of(float(t), settings) for t in totals[i]]
        robust.append(UnitRobustness(
            u.unit.name, u.total, u.grade, u.rank, float(np.median(ranks[i])), float(np.percentile(ranks[i], 5)),
            float(np.percentile(ranks[i], 95)), sum(g == u.grade for g in grades) / samples))
    nominal = np.array([u.rank if u.rank is not None else np.nan for u in units], float)
    moved = np.abs(ranks - nominal[:, None])  # NaN for units in error: not counted (none scored: no shift)
    counted = ~np.isnan(moved)
    shift = np.where(counted, moved, 0.0).sum(axis=0) / np.maximum(counted.sum(axis=0), 1)
    indices = [("/".join(node.path), _first_order(factors[:, k], shift)) for k, node in enumerate(nodes)]
    indices.sort(key=lambda item: -item[1])
    return Sensitivity(robust, indices, samples, spread, seed)


def _rescaled(normal: float, applies, leaves, settings, roots) -> float:
    if settings.na_rule is not NARule.DROP or applies.all():
        return normal
    declared = sum(float(r.weight or 0.0) for r in roots)
    included = sum(float(leaf.weight or 0.0) for leaf, ok in zip(leaves, applies) if ok)
    return normal * declared / included if included > 0 else normal


def _first_order(factor: np.ndarray, outcome: np.ndarray) -> float:
    """Var(E[outcome | factor]) / Var(outcome), E estimated in SENSITIVITY_BINS quantile bins of the factor."""
    if len(outcome) < 2 * SENSITIVITY_BINS or np.nanvar(outcome) <= 1e-12 or np.ptp(factor) <= 0:
        return 0.0
    edges = np.quantile(factor, np.linspace(0, 1, SENSITIVITY_BINS + 1))
    which = np.clip(np.searchsorted(edges, factor, side="right") - 1, 0, SENSITIVITY_BINS - 1)
    means = np.array([outcome[which == b].mean() if (which == b).any() else np.nan for b in range(SENSITIVITY_BINS)])
    counts = np.array([(which == b).sum() for b in range(SENSITIVITY_BINS)])
    ok = counts > 0
    overall = outcome.mean()
    between = float((counts[ok] * (means[ok] - overall) ** 2).sum() / counts[ok].sum())
    return round(between / float(np.var(outcome)), 4)
