"""What formulas read, for n units at once: data columns, 计算项 columns, and each leaf's 分值 / 目标值 /
完成值. The same columns give one unit's values to the scalar evaluator (``context``), so the
vector and the scalar evaluation always see the same values."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

import numpy as np

from ..errors import FormulaError
from ..formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from ..formula.analysis import is_vectorisable
from ..formula.vector import Column, Messages, VectorEvaluator, target_array
from ..model import IndicatorSystem, Unit, shared_table
from ..values import ABSENT, Invalid
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
        self.data_columns = dict(self.columns)  # as the units supplied them, before any 计算项
        for item in system.derived:
            self.columns[item.name] = self._derive(item)

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

        def pick(a, b):
            return np.where(given, a, b)

        return Column(pick(supplied.val, computed.val), pick(supplied.na, computed.na),
                      pick(supplied.missing, computed.missing), pick(supplied.invalid, computed.invalid),
                      pick(supplied.fallback, computed.fallback), pick(supplied.boolean, computed.boolean), objects)

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
                column.invalid[i] = messages.add(str(exc))
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
        if leaf.target is not None:
            local[TARGET_NAME] = target_array(n, leaf.target)
        else:
            local[TARGET_NAME] = Column.failing(n, messages.add(notes.no_target(leaf)))
        own = self.own_column(leaf)
        if own is None:
            local[ACTUAL_NAME] = Column.failing(n, messages.add(notes.no_actual(leaf)))
        elif any(v is ABSENT for v in own.objects.values()):  # some units lack it
            local[ACTUAL_NAME] = Column.of_values([self.actual_at(leaf, own, i) for i in range(n)], messages)
        else:
            local[ACTUAL_NAME] = own
        return local

    def leaf_context(self, leaf, i: int) -> Mapping:
        """One unit's values for a leaf's formula: the scalar form of `leaf_columns`."""
        specials = {
            POINTS_NAME: float(leaf.weight or 0.0),
            TARGET_NAME: leaf.target if leaf.target is not None else Invalid(notes.no_target(leaf)),
            ACTUAL_NAME: self.actual_at(leaf, self.own_column(leaf), i),
        }
        return ChainMap(specials, self.context(i))
