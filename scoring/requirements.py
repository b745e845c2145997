"""What an indicator system needs from each unit, found statically (used by `check` and `template`)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import cell_ref
from .formula import ACTUAL_NAME, Formula
from .formula.names import RESERVED_NAMES
from .model import IndicatorSystem
from .values import normalize_name, without_explanation, without_numbering


@dataclass
class FormulaUse:
    formula: Formula
    where: str  # sheet!cell and role
    leaf: object | None  # the indicator, for indicator formulas


def rules(system: IndicatorSystem):
    """Every indicator that carries a scoring rule: the leaves, a 择其一 leaf's alternatives in its place."""
    return [option for leaf in system.leaves() for option in leaf.options]


def rule_inputs(system: IndicatorSystem, leaf) -> set[str]:
    """The data names a leaf's rule reads: its formula's names, through 计算项 (each 计算项's own name too: a unit
    may supply it), and the leaf's own figure when it is scored by hand or reads 完成值."""
    derived = {d.name: d for d in system.derived}
    formula = system.formula_of(leaf)
    names = set(leaf.data_keys) if formula is None or ACTUAL_NAME in formula.names else set()
    stack, seen = ([formula] if formula is not None else []), set()
    if formula is not None and ACTUAL_NAME in formula.names:  # 完成值 computed by a 计算项 of the leaf's name
        stack += [derived[key].formula for key in leaf.data_keys if key in derived]
    while stack:
        for name in stack.pop().names - RESERVED_NAMES:
            names.add(name)
            if name in derived and name not in seen:
                seen.add(name)
                stack.append(derived[name].formula)
    return names


def formula_uses(system: IndicatorSystem) -> list[FormulaUse]:
    uses = [FormulaUse(d.formula, d.cell, None) for d in system.derived]
    for leaf in rules(system):
        formula = system.formula_of(leaf)
        if formula is leaf.formula and formula is not None:
            uses.append(FormulaUse(formula, formula.where, leaf))
        elif formula is not None:
            uses.append(FormulaUse(formula, f"{formula.where}（用于“{leaf.name}”）", leaf))
    return uses


@dataclass
class Need:
    where: str  # the cell whose formula reads it
    leaf: object  # the indicator it serves
    via: object = None  # the 计算项 it feeds, if any
    manual: bool = False
    own: bool = False  # the leaf's own figure (完成值 or manual score): any of `leaf.data_keys` supplies it


def required_inputs(system: IndicatorSystem, supplied=frozenset()) -> dict[str, list[Need]]:
    """Every name a unit must supply → where and for which indicator it is needed, in formula order.

    Manual indicators and 完成值 included; a 计算项 the unit supplies directly (`supplied`) needs
    none of its own inputs.
    """
    derived = {d.name: d for d in system.derived}
    needed: dict[str, list[Need]] = {}
    for use in formula_uses(system):
        if use.leaf is None:
            continue
        stack = [(use.formula, use.where, None)]
        computed = None  # 完成值 computed by a 计算项 of the leaf's name: that 计算项's inputs are needed instead
        if ACTUAL_NAME in use.formula.names:
            computed = next((derived[k] for k in use.leaf.data_keys if k in derived and k not in supplied), None)
            if computed is not None:
                stack.append((computed.formula, computed.cell, computed))
        seen: set[str] = set()
        while stack:
            formula, where, via = stack.pop(0)
            for name in sorted(formula.names, key=lambda n: formula.name_positions.get(n, 0)):
                if name in RESERVED_NAMES:
                    continue
                if name in derived and name not in supplied:
                    if name not in seen:
                        seen.add(name)
                        stack.append((derived[name].formula, derived[name].cell, derived[name]))
                    continue
                needed.setdefault(name, []).append(Need(where, use.leaf, via))
        if ACTUAL_NAME in use.formula.names and computed is None:
            needed.setdefault(own_name(use.leaf), []).append(Need(f"{use.where} 的完成值", use.leaf, own=True))
    for leaf in manual_leaves(system):
        where = f"{cell_ref(system.sheet_name, *leaf.name_cell)} 人工评分"
        needed.setdefault(own_name(leaf), []).append(Need(where, leaf, manual=True, own=True))
    return needed


def own_name(leaf) -> str:
    """The data name asked for a leaf's own figure: its name without printed numbering (`8.预算执行率` → 预算执行率) or a
    trailing bracketed explanation."""
    return normalize_name(without_explanation(without_numbering(leaf.name)))


def supplied_by(name: str, places: list[Need], available) -> bool:
    """Whether `available` data names supply need `name` (an own figure also under the leaf's other keys)."""
    if name in available or any(k in available for p in places if p.own for k in p.leaf.data_keys):
        return True
    # every leaf that needs it has no formula of its own and a score entered as <指标>得分 (SPEC §2.3)
    return all(p.leaf.formula is None and any(k in available for k in p.leaf.score_keys) for p in places)


def manual_leaves(system: IndicatorSystem):
    return [leaf for leaf in rules(system) if system.formula_of(leaf) is None and not leaf.formula_text]
