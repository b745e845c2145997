"""What the pages show, as plain rows: the indicator tree before a run, the scored tree of each unit, and the Excel
output's charts as bars. No web framework here."""

from __future__ import annotations

from ..model import IndicatorSystem, Kind, Results, Status
from ..values import format_number

UNITS_SHOWN = 50  # units whose scored tree is on the page; all of them are in the result workbook
RANKING_SHOWN = 1000  # rows of the ranking on the page; all units are in 评分汇总
CHART_UNITS = 50  # 各单位总分 drawn up to this many units, as in the Excel output


def indicator_rows(system: IndicatorSystem) -> list[dict]:
    """The indicator tree as read: depth, name, 分值, how it is scored, 目标值, 评分标准."""
    rows = []
    for node in system.indicators():
        rows.append({"depth": node.depth, "name": node.name, "weight": format_number(node.weight or 0),
                     "leaf": node.is_leaf, "rule": _rule(system, node) if node.is_leaf else "",
                     "target": "" if node.target_raw is None else str(node.target_raw), "criteria": node.criteria})
    return rows


def _rule(system: IndicatorSystem, node) -> str:
    if node.alternatives:
        return "择其一：" + "；".join(f"{a.name}（{a.formula_text or '人工评分'}）" for a in node.alternatives)
    if node.bands:
        return "按等级：" + "、".join(f"{b.grade} {format_number(b.points)}" for b in node.bands)
    if node.scored_by_unit:
        return node.scored_by_unit
    formula = system.formula_of(node)
    rule = node.formula_text or (f"默认公式 {formula.text}" if formula is not None else "人工评分")
    if node.qualitative_target and formula is None:
        rule = "人工评分（定性目标）"
    return {Kind.BONUS: "加分项：", Kind.PENALTY: "扣分项："}.get(node.kind, "") + rule


def scored_units(results: Results) -> list[dict]:
    """The scored tree of the first UNITS_SHOWN units: indent, name, points, score, note, path for explain."""
    units = []
    for index, u in enumerate(results.units[:UNITS_SHOWN]):
        rows = []
        for node in results.system.indicators():
            r = u.nodes[node.id]
            rows.append({"depth": node.depth, "name": node.name, "path": "/".join(node.path),
                         "weight": format_number(node.weight or 0), "note": r.note, "leaf": node.is_leaf,
                         "score": "错误" if r.status is Status.ERROR else ("—" if r.score is None else format_number(r.score))})
        units.append({"index": index, "name": u.unit.name, "total": _number(u.total), "grade": u.grade or "—",
                      "rank": u.rank, "rows": rows, "errors": u.errors, "warnings": u.warnings,
                      "findings": u.findings})
    return units


def ranking(results: Results, shown: int | None = None) -> list[dict]:
    """The units by rank (the first `shown`, default RANKING_SHOWN): index (for its report), name, total, grade."""
    shown = RANKING_SHOWN if shown is None else shown
    order = sorted(enumerate(results.units), key=lambda iu: (iu[1].rank is None, iu[1].rank or 0, iu[0]))
    return [{"index": i, "rank": u.rank or "—", "name": u.unit.name, "total": _number(u.total), "grade": u.grade or "—"}
            for i, u in order[:shown]]


def charts(results: Results) -> list[dict]:
    """The Excel output's charts as bars: 得分率 by 一级指标 for one unit; 等级分布 and 各单位总分 for several."""
    system = results.system
    if len(results.units) == 1:
        u = results.units[0]
        rates = []
        for root in system.roots:
            r = u.nodes[root.id]
            if r.score is not None and r.weight:
                rate = round(r.score / r.weight * 100, 1)
                rates.append((root.name, rate, f"{format_number(rate)}%"))
        return [_chart("得分率（按一级指标）", rates, 100)]
    counts = {grade: 0 for grade, _ in system.settings.grades}
    for u in results.units:
        if u.grade in counts:
            counts[u.grade] += 1
    shown = [_chart("等级分布（单位数）", [(g, n, str(n)) for g, n in counts.items()], max(counts.values(), default=0))]
    if len(results.units) <= CHART_UNITS:
        totals = [(row["name"], results.units[row["index"]].total) for row in ranking(results, CHART_UNITS)]
        scored = [(name, total, format_number(total)) for name, total in totals if total is not None]
        if scored:
            shown.append(_chart("各单位总分", scored, system.settings.max_total))
    return shown


def form_rows(outcome) -> tuple[list[str], list[dict]]:
    """A batch of 自评表 as the page shows it: the header and values of 评分汇总's first columns (one definition:
    commands.forms.form_row), the findings by cell, or why a file could not be scored."""
    from ..commands.forms import FORM_COLUMNS, form_row

    rows = []
    for index, form in enumerate(outcome.forms):
        row = form_row(form)
        values = [""] * (len(FORM_COLUMNS) - 1) if row is None else [row.project, *row.cells()]
        rows.append({"index": index, "label": form.label, "problem": form.problem if row is None else None,
                     "values": [format_number(v) if isinstance(v, float) else v for v in values],
                     "findings": [] if row is None else [(f.cell, f.message) for f in form.results.units[0].findings]})
    return list(FORM_COLUMNS), rows


def _chart(title: str, items: list[tuple[str, float, str]], top: float) -> dict:
    top = top or 1
    return {"title": title, "items": [{"name": n, "label": label, "width": round(max(0.0, min(v / top, 1.0)) * 100, 1)}
                                      for n, v, label in items]}


def _number(value) -> str:
    return "—" if value is None else format_number(value)
