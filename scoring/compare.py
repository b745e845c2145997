"""Two versions of an indicator system side by side (`score diff`): what changed, and — scored on the same units —
whose total, grade and rank move, and which indicators move them. No I/O: systems and results in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import IndicatorSystem, Results
from .values import format_number, normalize_name

ADDED, REMOVED, RENAMED, MOVED = "新增", "删除", "改名", "移动"
POINTS, FORMULA, CRITERIA, TARGET = "分值", "评分公式", "评分标准", "目标值"
TOP_CONTRIBUTIONS = 3


@dataclass
class Change:
    kind: str  # 新增 / 删除 / 改名 / 移动 / 分值 / 评分公式 / 评分标准 / 目标值 / 计算项 / 设置
    what: str  # the indicator's path (the new one when it exists), the 计算项's or the setting's name
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "what": self.what, "old": self.old, "new": self.new}


@dataclass
class Pairing:
    """Indicators of the old and the new system that are the same indicator (by 编号, then name, then place)."""

    pairs: list[tuple[object, object]] = field(default_factory=list)
    removed: list = field(default_factory=list)
    added: list = field(default_factory=list)


def _key(name: str) -> str:
    return normalize_name(name)


def pair_indicators(old: IndicatorSystem, new: IndicatorSystem) -> Pairing:
    olds, news = list(old.indicators()), list(new.indicators())
    paired_old, paired_new, pairs = set(), set(), []

    def take(a, b):
        pairs.append((a, b))
        paired_old.add(a.id)
        paired_new.add(b.id)

    by_code = {n.code: n for n in news if n.code}
    for a in olds:  # 1. the printed 编号
        b = by_code.get(a.code) if a.code else None
        if b is not None and b.id not in paired_new:
            take(a, b)
    for rule in (lambda n: _key(n.name), lambda n: "/".join(_key(p) for p in n.path)):  # 2. name, 3. path
        counts_old, counts_new = {}, {}
        for a in olds:
            if a.id not in paired_old:
                counts_old.setdefault(rule(a), []).append(a)
        for b in news:
            if b.id not in paired_new:
                counts_new.setdefault(rule(b), []).append(b)
        for key, items in counts_old.items():
            if len(items) == 1 and len(counts_new.get(key, [])) == 1:
                take(items[0], counts_new[key][0])
    # 4. the same place: the only unpaired child of paired parents, with a like name → renamed
    parent_of = {a.id: b for a, b in pairs}
    for a in olds:
        if a.id in paired_old:
            continue
        mate = parent_of.get(a.parent.id) if a.parent is not None else None
        siblings = [c for c in (mate.children if mate is not None else new.roots if a.parent is None else [])
                    if c.id not in paired_new and c.is_leaf == a.is_leaf]
        old_siblings = [c for c in (a.parent.children if a.parent is not None else old.roots) if c.id not in paired_old]
        if len(siblings) == 1 and len(old_siblings) == 1 and _alike(a.name, siblings[0].name):
            take(a, siblings[0])
            parent_of[a.id] = siblings[0]
    return Pairing(pairs, [a for a in olds if a.id not in paired_old], [b for b in news if b.id not in paired_new])


RENAME_SIMILARITY = 0.5  # names this alike (or one inside the other) at the same place are one indicator renamed


def _alike(a: str, b: str) -> bool:
    """满意度 → 服务对象满意度 is a rename; 预算调整率 → 资金到位率 in the same place is one removed and one added."""
    import difflib

    a, b = _key(a), _key(b)
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= RENAME_SIMILARITY


def _points(node) -> str:
    return format_number(node.weight or 0.0)


def system_changes(old: IndicatorSystem, new: IndicatorSystem, pairing: Pairing | None = None) -> list[Change]:
    """Every change from `old` to `new`, in the new table's order (removed ones where they were)."""
    pairing = pairing or pair_indicators(old, new)
    changes = []
    for a, b in pairing.pairs:
        where = "/".join(b.path)
        if _key(a.name) != _key(b.name):
            changes.append(Change(RENAMED, where, "/".join(a.path), "/".join(b.path)))
        elif [_key(p) for p in a.path[:-1]] != [_key(p) for p in b.path[:-1]]:
            changes.append(Change(MOVED, where, "/".join(a.path), "/".join(b.path)))
        if abs((a.weight or 0.0) - (b.weight or 0.0)) > 1e-9:
            changes.append(Change(POINTS, where, _points(a), _points(b)))
        if a.is_leaf and b.is_leaf:
            if _norm(a.formula_text) != _norm(b.formula_text):
                changes.append(Change(FORMULA, where, a.formula_text, b.formula_text))
            if _norm(a.criteria) != _norm(b.criteria):
                changes.append(Change(CRITERIA, where, a.criteria, b.criteria))
            if _norm(a.target_raw) != _norm(b.target_raw):
                changes.append(Change(TARGET, where, _text(a.target_raw), _text(b.target_raw)))
    changes += [Change(REMOVED, "/".join(a.path), f"{_points(a)} 分", "") for a in pairing.removed]
    changes += [Change(ADDED, "/".join(b.path), "", f"{_points(b)} 分") for b in pairing.added]
    changes += _derived_changes(old, new) + _settings_changes(old, new)
    return changes


def _norm(value) -> str:
    return "".join(str(value or "").split())


def _text(value) -> str:
    return "" if value is None else str(value)


def _derived_changes(old, new) -> list[Change]:
    a = {d.name: d.formula.text for d in old.derived}
    b = {d.name: d.formula.text for d in new.derived}
    changes = []
    for name in [*a, *(n for n in b if n not in a)]:
        if name not in b:
            changes.append(Change("计算项", name, a[name], "（删除）"))
        elif name not in a:
            changes.append(Change("计算项", name, "（新增）", b[name]))
        elif _norm(a[name]) != _norm(b[name]):
            changes.append(Change("计算项", name, a[name], b[name]))
    return changes


def _settings_changes(old, new) -> list[Change]:
    def shown(settings) -> dict[str, str]:
        return {
            "满分": format_number(settings.max_total), "小数位数": str(settings.decimals),
            "等级": "，".join(f"{g}:{format_number(t)}" for g, t in settings.grades), "不适用处理": str(settings.na_rule),
            "默认公式": settings.default_formula.text if settings.default_formula else "",
            "总分上限": format_number(settings.total_cap) if settings.total_cap is not None else "",
        }
    a, b = shown(old.settings), shown(new.settings)
    return [Change("设置", key, a[key], b[key]) for key in a if a[key] != b[key]]


# ---------------------------------------------------------------- impact on units


@dataclass
class UnitImpact:
    unit: str
    old_total: float | None
    new_total: float | None
    old_grade: str | None
    new_grade: str | None
    old_rank: int | None
    new_rank: int | None
    contributions: list[tuple[str, float]]  # (indicator, change of its score), the largest first

    @property
    def delta(self) -> float | None:
        if self.old_total is None or self.new_total is None:
            return None
        return round(self.new_total - self.old_total, 6)

    def to_dict(self) -> dict:
        return {"unit": self.unit, "old_total": self.old_total, "new_total": self.new_total, "delta": self.delta,
                "old_grade": self.old_grade, "new_grade": self.new_grade, "old_rank": self.old_rank,
                "new_rank": self.new_rank,
                "contributions": [{"indicator": name, "delta": value} for name, value in self.contributions]}


def unit_impacts(old: Results, new: Results, pairing: Pairing | None = None) -> list[UnitImpact]:
    """Per unit (the same units scored by both systems): old and new total, grade and rank, and the indicators whose
    score changed most; sorted by the size of the change, largest first (units with errors last)."""
    pairing = pairing or pair_indicators(old.system, new.system)
    leaf_pairs = [(a, b) for a, b in pairing.pairs if a.is_leaf and b.is_leaf]
    impacts = []
    for u_old, u_new in zip(old.units, new.units):
        moves = []
        for a, b in leaf_pairs:
            before, after = u_old.nodes[a.id].score, u_new.nodes[b.id].score
            moves.append(("/".join(b.path), (after or 0.0) - (before or 0.0)))
        moves += [("/".join(a.path) + "（删除）", -(u_old.nodes[a.id].score or 0.0)) for a in pairing.removed if a.is_leaf]
        moves += [("/".join(b.path) + "（新增）", u_new.nodes[b.id].score or 0.0) for b in pairing.added if b.is_leaf]
        moves = [(name, round(value, 6)) for name, value in moves if abs(value) > 1e-9]
        moves.sort(key=lambda item: -abs(item[1]))
        impacts.append(UnitImpact(u_old.unit.name, u_old.total, u_new.total, u_old.grade, u_new.grade, u_old.rank,
                                  u_new.rank, moves[:TOP_CONTRIBUTIONS]))
    impacts.sort(key=lambda i: (i.delta is None, -abs(i.delta or 0.0)))
    return impacts


def grade_transitions(impacts: list[UnitImpact]) -> dict[tuple[str, str], int]:
    """(old grade, new grade) → number of units; 错误 for a unit without a grade."""
    table: dict[tuple[str, str], int] = {}
    for i in impacts:
        key = (i.old_grade or "错误", i.new_grade or "错误")
        table[key] = table.get(key, 0) + 1
    return table
