"""Scoring (SPEC §2.3): ``score(system, units) -> Results``. No I/O.

The rules are written once, over arrays of all units: ``inputs`` (data and 计算项 as columns),
``leaves`` (formula / manual score, N/A, clamp, round), ``tree`` (parents, totals, grades, ranks),
``notes`` (every 扣分说明 sentence), ``results`` (per-unit views). One unit is simply n = 1.
One unit's error never stops the others.
"""

from __future__ import annotations

import numpy as np

from ..formula.vector import Messages
from ..model import IndicatorSystem, Results, Unit, UnitResult
from ..values import MISSING
from .inputs import Inputs
from .leaves import ERROR, score_rule
from .results import ScoreTable, UnitNodes
from .tree import aggregate, competition_ranks, grade_of, totals


def score(system: IndicatorSystem, units, vectorised: bool = True, strict: bool = False) -> Results:
    """Score every unit; `units` is a list of Unit or a DataSet (anything with `.units`).

    A figure that looks like a percentage typed without % (85 for a 满意度) is a warning on the unit and in
    the indicator's 扣分说明; with `strict` it is an error of that indicator for that unit.
    `vectorised=False` evaluates every formula unit by unit with the scalar evaluator (the rules are
    the same code either way): the reference the vector evaluator is tested against.
    """
    unit_list: list[Unit] = list(getattr(units, "units", units))
    n = len(unit_list)
    inputs = Inputs(system, unit_list, Messages(), vectorised)
    arrays = {}
    flags: dict[int, dict[int, str]] = {}
    leaves = system.leaves()
    for leaf in leaves:
        arrays[leaf.id], found = score_rule(inputs, leaf, strict)
        if found:
            flags[leaf.id] = found
    for root in system.roots:
        aggregate(root, arrays, n, system.settings.decimals)
    table = ScoreTable(system, inputs, arrays, totals(system, arrays, n), flags)
    unit_warnings: dict[int, list[str]] = {}
    for leaf in leaves:
        for i, message in flags.get(leaf.id, {}).items():
            unit_warnings.setdefault(i, []).append(f"“{'/'.join(leaf.path)}”：{message}")
    leaf_errors = np.zeros(n, bool)
    for leaf in leaves:
        leaf_errors |= arrays[leaf.id].status == ERROR
    results = []
    for i, unit in enumerate(unit_list):
        nodes = UnitNodes(table, i)
        total = table.totals.total[i]
        errors = []
        if leaf_errors[i]:
            errors = [f"“{'/'.join(leaf.path)}”：{nodes[leaf.id].note}" for leaf in leaves
                      if arrays[leaf.id].status[i] == ERROR]
        total = None if errors or np.isnan(total) else float(total)
        warnings = unit_warnings.get(i, [])
        results.append(UnitResult(unit=unit, nodes=nodes, total=total, grade=grade_of(total, system.settings),
                                  errors=errors, warnings=warnings, total_note=table.totals.note(i, system.settings),
                                  applicable=table.totals.applicable(i, system.settings)))
    for result, rank in zip(results, competition_ranks([r.total for r in results])):
        result.rank = rank
    return Results(system=system, units=results)




class LeafTrace:
    """How one leaf's score came about for one unit: its result, every value its formula read, and the
    values each 计算项 it read was computed from."""

    def __init__(self, unit_result: UnitResult, leaf):
        nodes = unit_result.nodes
        if not isinstance(nodes, UnitNodes):
            raise TypeError("LeafTrace needs results made by engine.score")
        self.table, self.i, self.leaf = nodes.table, nodes.i, leaf
        self.result = nodes[leaf.id]
        self.reads = self.table.trace(leaf, self.i)
        self.specials = dict(self.table.inputs.leaf_context(leaf, self.i).maps[0])

    def derived_reads(self, name: str) -> list | None:
        """The values a 计算项 read for this unit; None when the unit supplied that figure itself."""
        item = next((d for d in self.table.system.derived if d.name == name), None)
        unit = self.table.inputs.units[self.i]
        if item is None or unit.values.get(name, MISSING) is not MISSING:
            return None
        reads: list = []
        try:
            item.formula.evaluate(self.table.inputs.context(self.i), reads)
        except Exception:  # the failure is in the value itself; only the reads are wanted here
            pass
        return reads


__all__ = ["score", "LeafTrace"]
