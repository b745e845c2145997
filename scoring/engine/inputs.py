"""What formulas read, for n units at once: data columns, 计算项 columns, and each leaf's 分值 / 目标值 /
完成值. The same columns give one unit's values to the scalar evaluator (``context``), so the
vector and the scalar evaluation always see the same values."""

from __future__ import annotations

import math
import re
from collections import ChainMap
from collections.abc import Mapping

import numpy as np

from ..errors import FormulaError, cell_ref
from ..formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from ..formula.analysis import (condition_names, is_vectorisable, number_names, target_figures, target_names,
                                text_compared_names)
from ..formula.vector import Column, Messages, VectorEvaluator, target_array
from ..model import IndicatorSystem, Unit, shared_table
from ..values import ABSENT, UNITS, Invalid, Measured, NoneWord, format_number, unit_scale
from . import notes


def formula_of(system: IndicatorSystem, leaf):
    """The formula that scores a leaf (`IndicatorSystem.formula_of`); None for a manual indicator."""
    return system.formula_of(leaf)


def names_read(system: IndicatorSystem) -> set[str]:
    """Every data name any formula, 计算项 or manual indicator may read."""
    names = set()
    for item in system.derived:
        names |= item.formula.names
    for leaf in (option for leaf in system.leaves() for option in leaf.options):
        formula = formula_of(system, leaf)
        if formula is not None:
            names |= formula.names
        names.update(leaf.data_keys)
        if leaf.formula is None:  # a score a person entered, <指标>得分 (SPEC §2.3)
            names.update(leaf.score_keys)
    names |= {d.name for d in system.derived}
    return names - {POINTS_NAME, TARGET_NAME, ACTUAL_NAME}


class UnitContext(Mapping):
    """One unit's values as the scalar evaluator reads them: columns first, then the unit's other data."""

    __slots__ = ("inputs", "i")

    def __init__(self, inputs: "Inputs", i: int):
        self.inputs, self.i = inputs, i

    def __getitem__(self, name):
        col = self.inputs.columns.get(name)
        if col is None:
            return self.inputs.units[self.i].values[name]
        value = col.value_at(self.i, self.inputs.messages)
        if value is ABSENT:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        try:
            self[name]
        except KeyError:
            return False
        return True

    def __iter__(self):
        seen = set()
        for name in list(self.inputs.units[self.i].values) + list(self.inputs.columns):
            if name not in seen and name in self:
                seen.add(name)
                yield name

    def __len__(self):
        return sum(1 for _ in self)


class Inputs:
    """The columns of one scoring run: data, then every 计算项 in dependency order."""

    def __init__(self, system: IndicatorSystem, units: list[Unit], messages: Messages, vectorised: bool = True):
        self.system = system
        self.vectorised = vectorised
        self.units = units
        self.n = len(units)
        self.messages = messages
        self.columns: dict[str, Column] = {}
        self.typed_units: dict[str, dict[int, str]] = {}  # name → unit index → the unit a figure was typed with
        table = shared_table(units)
        for name in sorted(names_read(system)):
            if table is not None:  # a wide table's columns are taken whole
                values = table.get(name)
                if values is None:
                    continue
            else:
                values = [u.values.get(name, ABSENT) for u in units]
                if all(v is ABSENT for v in values):
                    continue
            self.columns[name] = Column.of_values(values, messages)
            if Measured in set(map(type, values)):  # figures typed with a unit (480万元)
                self.typed_units[name] = {i: v.unit for i, v in enumerate(values) if type(v) is Measured}
        self.data_errors: dict[str, dict[int, str]] = {}  # name → unit index → why its value cannot be read
        self._read_words()
        self.declared_units = self._in_declared_units(table)
        self.data_columns = dict(self.columns)  # as the units supplied them, before any 计算项
        self._by_leaf: dict[int, tuple[dict, dict]] = {}
        for item in system.derived:
            self.columns[item.name] = self._derive(item)

    # ---------------------------------------------------------------- values as typed

    def where(self, name: str, i: int) -> str:
        return self.units[i].origins.get(name, "")

    def _roles(self):
        """(names read, names read as figures only, names whose text is expected), over every formula."""
        read, numbers, conditions, texts = set(), set(), set(), set()
        uses = [(d.formula, None) for d in self.system.derived]
        uses += [(formula_of(self.system, o), o) for leaf in self.system.leaves() for o in leaf.options]
        for formula, leaf in uses:
            if formula is None:
                continue
            own = {ACTUAL_NAME: leaf.data_keys} if leaf is not None else {}

            def mapped(names):
                return {m for n in names for m in own.get(n, (n,))}

            read |= mapped(formula.names)
            numbers |= mapped(number_names(formula))
            conditions |= mapped(condition_names(formula))
            texts |= mapped(text_compared_names(formula) | target_names(formula))
            if leaf is not None and leaf.bands:  # a grade word (优) is the leaf's value
                texts |= set(leaf.data_keys)
        return read, numbers - conditions, texts

    def _read_words(self) -> None:
        """Words where formulas read a value: 无/没有 is 否 for a yes/no, but a question for a figure (0 or 不适用?);
        other text (约90%, 不涉及) is neither, and an error naming its cell — unless formulas compare it with text."""
        read, figures, texts = self._roles()
        for name in read - texts:
            column = self.columns.get(name)
            if column is None or not column.objects:
                continue
            for i, value in list(column.objects.items()):
                if isinstance(value, NoneWord):
                    if name in figures:
                        self._fail(name, i, notes.none_as_number(self.where(name, i), name, value.text))
                    else:
                        del column.objects[i]
                        column.fallback[i], column.boolean[i], column.val[i] = False, True, 0.0
                elif isinstance(value, str):
                    self._fail(name, i, notes.text_not_a_value(self.where(name, i), name, value))

    def _fail(self, name: str, i: int, message: str) -> None:
        column = self.columns[name]
        column.objects.pop(i, None)
        column.fallback[i] = False
        column.invalid[i] = self.messages.add(message)
        self.data_errors.setdefault(name, {})[i] = message

    def _in_declared_units(self, table) -> dict[str, str]:
        """name → the unit its name declares (`预算数(万元)`, or `预算数` beside such a column); figures typed with
        another unit of that kind are converted to it (`4800000元` → 480)."""
        keys = table if table is not None else (self.units[0].values if self.units else {})
        declared = {}
        for name in self.columns:
            match = _DECLARED.search(name)
            unit = match.group(1) if match else next((u for u in UNITS if f"{name}({u})" in keys), None)
            if unit_scale(unit) is None:
                continue
            declared[name] = unit
            base, factor = UNITS[unit]
            for i, typed in self.typed_units.pop(name, {}).items():
                if UNITS[typed][0] == base:
                    self.columns[name].val[i] /= factor
                else:
                    shown = Measured(float(self.columns[name].val[i]), typed).typed()
                    self._fail(name, i, notes.unit_mismatch(self.where(name, i), name, shown, unit, "名称中写明的单位"))
        return declared

    def _shown(self, name: str, i: int) -> str:
        """A figure with its unit: 480万元 (typed so), 480万元 (in a column named 预算数(万元))."""
        value = float(self.columns[name].val[i])
        typed = self.typed_units.get(name, {}).get(i)
        if typed is not None:
            return Measured(value, typed).typed()
        return format_number(value) + self.declared_units.get(name, "")

    def _figure_unit(self, name: str, i: int) -> tuple[str, float] | None:
        """(kind, factor) of the number held for unit i: its declared or typed unit; None for a plain number."""
        unit = self.declared_units.get(name)
        if unit is not None:
            return UNITS[unit]
        typed = self.typed_units.get(name, {}).get(i)
        return (UNITS[typed][0], 1.0) if typed is not None else None  # typed figures are held in the base unit

    def _leaf_units(self, leaf) -> tuple[dict, dict]:
        """The figures a leaf compares with its 目标值, in the target's unit (480万元 against ≥500万元 is 480), and the
        figures without a unit 1000 times or more from a target with one (unit index → warning)."""
        cached = self._by_leaf.get(leaf.id)
        if cached is not None:
            return cached
        converted, doubts = {}, {}
        formula = formula_of(self.system, leaf)
        target = leaf.target
        if formula is not None and target is not None and not target.problem:
            own = self.own_key(leaf)
            for name in sorted(target_figures(formula)):
                key = own if name == ACTUAL_NAME else name
                if key in self.data_columns and (key in self.typed_units or key in self.declared_units
                                                 or unit_scale(target.unit)):
                    converted[name] = self._in_target_unit(leaf, key, self.data_columns[key], target, doubts)
        self._by_leaf[leaf.id] = (converted, doubts)
        return converted, doubts

    def _in_target_unit(self, leaf, name, column, target, doubts) -> Column:
        goal = unit_scale(target.unit)
        out = column.copy()
        plain = ~(out.na | out.missing | out.fallback | out.boolean) & (out.invalid == 0)
        target_where = cell_ref(self.system.sheet_name, *leaf.target_cell) if leaf.target_cell else "指标体系"
        for i in np.flatnonzero(plain).tolist():
            unit = self._figure_unit(name, i)
            if unit is None:
                if goal is not None:
                    self._doubt(leaf, name, float(out.val[i]), target, target_where, goal, i, doubts)
                continue
            if goal is None:  # a target without a unit: the figure as it was typed (480万元 against ≥500 is 480)
                typed = self.typed_units.get(name, {}).get(i)
                if typed is not None:
                    out.val[i] /= UNITS[typed][1]
                continue
            if unit[0] != goal[0]:
                message = notes.unit_mismatch(self.where(name, i), name, self._shown(name, i), target.describe(),
                                              target_where)
                out.invalid[i] = self.messages.add(message)
                self.data_errors.setdefault(name, {})[i] = message
                continue
            out.val[i] = out.val[i] * unit[1] / goal[1]
        return out

    def _doubt(self, leaf, name, value, target, target_where, goal, i, doubts) -> None:
        if value == 0 or target.value == 0 or 1e-3 < abs(value / target.value) < 1e3:
            return
        kinds = [(u, f) for u, (base, f) in UNITS.items() if base == goal[0] and u != target.unit]
        likely, factor = min(kinds, key=lambda k: abs(math.log10(abs(value * k[1] / goal[1] / target.value))))
        doubts[i] = notes.unit_doubt(self.where(name, i), name, value, target, target_where, likely,
                                     value * factor / goal[1])

    def leaf_units(self, leaf) -> dict[int, str]:
        """unit index → why a figure this leaf compares with its 目标值 looks like it is in another unit."""
        return self._leaf_units(leaf)[1]

    def context(self, i: int) -> UnitContext:
        return UnitContext(self, i)

    def _derive(self, item) -> Column:
        """A 计算项's column: computed, except where the unit supplies the value itself (that wins)."""
        computed = self.evaluate(item.formula, self.columns, self.context)
        for i in np.flatnonzero(computed.invalid):
            message = self.messages.items[computed.invalid[i]]
            computed.invalid[i] = self.messages.add(notes.derived_failed(item.name, message))
        supplied = self.columns.get(item.name)
        if supplied is None:
            return computed
        given = ~supplied.missing & ~np.array([supplied.is_absent(i) for i in range(self.n)], bool)
        if not given.any():
            return computed
        objects = {i: v for i, v in computed.objects.items() if not given[i]}
        objects.update({i: v for i, v in supplied.objects.items() if given[i]})
        texts = {i: t for i, t in computed.texts.items() if not given[i]}
        texts.update({i: t for i, t in supplied.texts.items() if given[i]})

        def pick(a, b):
            return np.where(given, a, b)

        return Column(pick(supplied.val, computed.val), pick(supplied.na, computed.na),
                      pick(supplied.missing, computed.missing), pick(supplied.invalid, computed.invalid),
                      pick(supplied.fallback, computed.fallback), pick(supplied.boolean, computed.boolean), objects,
                      texts)

    def evaluate(self, formula, columns, context_at) -> Column:
        """The formula's value for every unit, as a column: the vector evaluator where it models the inputs,
        the scalar evaluator (with `context_at(i)`) for the rest. An error is an invalid element."""
        n, messages = self.n, self.messages
        if self.vectorised and is_vectorisable(formula):
            v = VectorEvaluator(n, messages).evaluate(formula, columns)
            column = Column(v.val.copy(), v.na & ~v.fallback, np.zeros(n, bool),
                            np.where(v.fallback, 0, v.err).astype(np.int32), np.zeros(n, bool),
                            v.boolean & ~v.fallback, {})
            todo = np.flatnonzero(v.fallback)
        else:
            column = Column(np.zeros(n), np.zeros(n, bool), np.zeros(n, bool))
            todo = range(n)
        for i in todo:
            try:
                value = formula.evaluate(context_at(i))
            except FormulaError as exc:
                column.invalid[i] = messages.add(exc.as_message())
                continue
            column.set(i, value, messages)
        return column

    def supplied(self, names) -> np.ndarray:
        """Per unit: whether it supplies any of these data names (a value, 不适用 included; not blank, not absent)."""
        mask = np.zeros(self.n, bool)
        for name in names:
            column = self.data_columns.get(name)
            if column is None:
                continue
            given = ~column.missing
            for i, value in column.objects.items():
                if value is ABSENT:
                    given[i] = False
            mask |= given
        return mask

    # ---------------------------------------------------------------- a leaf's own names

    def own_key(self, leaf) -> str | None:
        """The data name holding the leaf's own value (完成值, or its manual score): its name, else its code."""
        return next((key for key in leaf.data_keys if key in self.columns), None)

    def own_column(self, leaf) -> Column | None:
        key = self.own_key(leaf)
        return None if key is None else self.columns[key]

    def actual_at(self, leaf, own: Column | None, i: int):
        """完成值 for unit i: the unit's own value of the leaf, or why there is none."""
        value = ABSENT if own is None else own.value_at(i, self.messages)
        return Invalid(notes.no_actual(leaf)) if value is ABSENT else value

    def leaf_columns(self, leaf) -> dict:
        """The columns a leaf's formula reads: data and 计算项, plus 分值, 目标值 and 完成值."""
        n, messages = self.n, self.messages
        local = dict(self.columns)
        local[POINTS_NAME] = Column.constant(n, float(leaf.weight or 0.0))
        target = self._target_of(leaf)
        if isinstance(target, Invalid):
            local[TARGET_NAME] = Column.failing(n, messages.add(target.message))
        else:
            local[TARGET_NAME] = target_array(n, target)
        converted = self._leaf_units(leaf)[0]
        own = converted.get(ACTUAL_NAME, self.own_column(leaf))
        local.update({name: column for name, column in converted.items() if name != ACTUAL_NAME})
        if own is None:
            local[ACTUAL_NAME] = Column.failing(n, messages.add(notes.no_actual(leaf)))
        elif any(v is ABSENT for v in own.objects.values()):  # some units lack it
            local[ACTUAL_NAME] = Column.of_values([self.actual_at(leaf, own, i) for i in range(n)], messages)
        else:
            local[ACTUAL_NAME] = own
        return local

    @staticmethod
    def _target_of(leaf):
        """The leaf's 目标值 as formulas read it, or why there is none (an empty or unreadable target)."""
        if leaf.target is None:
            return Invalid(notes.no_target(leaf))
        return Invalid(leaf.target.problem) if leaf.target.problem else leaf.target

    def leaf_context(self, leaf, i: int) -> Mapping:
        """One unit's values for a leaf's formula: the scalar form of `leaf_columns`."""
        converted = self._leaf_units(leaf)[0]
        specials = {
            POINTS_NAME: float(leaf.weight or 0.0),
            TARGET_NAME: self._target_of(leaf),
            ACTUAL_NAME: self.actual_at(leaf, converted.get(ACTUAL_NAME, self.own_column(leaf)), i),
        }
        specials.update({name: column.value_at(i, self.messages) for name, column in converted.items()
                         if name != ACTUAL_NAME})
        return ChainMap(specials, self.context(i))


_DECLARED = re.compile(r"\(([^()]*)\)$")  # 预算数(万元)
