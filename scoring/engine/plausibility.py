"""Plausibility of the figures a run reads: a rate typed as 85 where 85 % (0.85) was meant.

One definition, used by `run` (a warning on the unit and in the indicator's 扣分说明; an error with
--strict) and by `check`.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from ..requirements import rule_inputs
from ..words import NOT_RATES
from .notes import negative_amount

RATE_LIMIT = 1.5  # a rate above this is most likely a percentage typed without %



def is_rate_name(name: str) -> bool:
    return (name.endswith("率") or name.endswith("度")) and not name.endswith(NOT_RATES)


def is_percent_target(target) -> bool:
    """A 目标值 written as a percentage (≥90%)."""
    return target is not None and "%" in unicodedata.normalize("NFKC", target.text or "")


def rate_message(where: str, name: str, value: float, against_target: str | None = None) -> str:
    reason = f"而目标值是百分比 {against_target}" if against_target else "大于 1.5"
    place = f"{where} " if where else ""
    return (f"{place}“{name}”为 {value:g}，{reason}：比率应写成 {value:g}% 或 {value / 100:g}，"
            f"是否漏了 %？请核对")


def implausible(inputs, leaf, formula) -> dict[int, str]:
    """unit index → why a figure this leaf reads looks wrong: a percentage typed without %, or a figure without a
    unit 1000 times or more from a 目标值 written with one."""
    derived = {d.name for d in inputs.system.derived}
    found = dict(inputs.leaf_units(leaf))
    checks = []  # (data name, percent target text or None); the target's reason first, as it says more
    own = inputs.own_key(leaf)  # with a formula, the leaf's 完成值; without one, a judgement leaf's score (points)
    if formula is not None and own is not None and is_percent_target(leaf.target):
        checks.append((own, leaf.target.describe()))
    if formula is not None:
        checks += [(name, None) for name in sorted(formula.names) if is_rate_name(name)]
    for name, target_text in checks:
        column = inputs.columns.get(name)
        if column is None or name in derived:
            continue
        plain = ~(column.na | column.missing | column.fallback | column.boolean) & (column.invalid == 0)
        with np.errstate(invalid="ignore"):
            for i in np.flatnonzero(plain & (column.val > RATE_LIMIT)).tolist():
                if i in found:
                    continue
                where = inputs.units[i].origins.get(name, "")
                found[i] = rate_message(where, name, float(column.val[i]), target_text)
    return found


# Amounts that cannot be negative: a name ending in 预算, 资金, 金额, 支出, 经费, 拨款 or 执行数 (optionally followed by
# 数/额/总额, and by a unit such as (万元)) — 年初预算数, 全年预算数, 全年执行数, 项目支出, 到位资金, 违规金额 — unless it names
# a change or a difference (调整预算数, 变动, 增减, 差额, 结余), which may be below zero.
AMOUNT_NAME = re.compile(r"(预算|资金|金额|支出|经费|拨款|执行数)(数|额|总额)?(\([^()]*\))?$")
NOT_AMOUNT = re.compile(r"调整|变动|增减|增长|差额|差异|结余|节约|变化|超支|减少")


def is_amount_name(name: str) -> bool:
    return bool(AMOUNT_NAME.search(name)) and not NOT_AMOUNT.search(name)


def negative_amounts(inputs, leaf) -> dict[int, str]:
    """unit index → an amount this leaf's formula reads (through 计算项) that is below zero: always an error."""
    if inputs.system.formula_of(leaf) is None:
        return {}
    found: dict[int, list[str]] = {}
    for name in sorted(rule_inputs(inputs.system, leaf)):
        column = inputs.data_columns.get(name)
        if column is None or not is_amount_name(name):
            continue
        plain = ~(column.na | column.missing | column.fallback | column.boolean) & (column.invalid == 0)
        for i in np.flatnonzero(plain & (column.val < 0)).tolist():
            found.setdefault(i, []).append(negative_amount(inputs.where(name, i), name, float(column.val[i])))
    return {i: "；".join(messages) for i, messages in found.items()}
