"""Terminal and machine output (SPEC §5.2): tabulate tables, JSON, CSV, the check report."""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from ..model import STATUS_LABELS, CheckReport, Results, Severity, Status, UnitResult, plain_number
from ..values import format_number

INDENT = "　"  # full-width space per level


def to_json(results: Results) -> str:
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=1)


CSV_HEADER = ["单位", "编号", "指标", "层级", "分值", "得分", "状态", "说明", "总分", "等级", "排名"]


def safe_text(text):
    """Text that a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading apostrophe."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


CSV_BOM = "\ufeff"  # Excel opens a UTF-8 CSV correctly only with it


def to_csv(results: Results) -> str:
    """One row per unit and indicator, UTF-8 with a BOM (so that Excel on Windows reads the Chinese)."""
    codes = results.system.outline_codes()
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for u in results.units:
        for node in results.system.indicators():
            r = u.nodes[node.id]
            writer.writerow([
                safe_text(u.unit.name), codes[node.id], safe_text("/".join(node.path)), node.level,
                format_number(node.weight or 0.0), "" if r.score is None else format_number(r.score),
                STATUS_LABELS[r.status], safe_text(r.note),
                "" if u.total is None else format_number(u.total), u.grade or "", u.rank or "",
            ])
    return out.getvalue()


def unit_table(results: Results, unit_result: UnitResult) -> str:
    rows = []
    for node in results.system.indicators():
        r = unit_result.nodes[node.id]
        name = INDENT * node.depth + node.name
        score = "—" if r.score is None else format_number(r.score)
        if r.status is Status.ERROR:
            score = "错误"
        note = r.note if node.is_leaf else (r.note or "")
        rows.append([name, format_number(node.weight or 0.0), score, _shorten(note, 60)])
    table = tabulate(rows, headers=["指标", "分值", "得分", "说明"], tablefmt="simple", disable_numparse=True,
                     preserve_whitespace=True)  # keeps the tree's indentation
    lines = [f"单位：{unit_result.unit.name}", table, ""]
    max_total = format_number(results.system.settings.max_total)
    if unit_result.total is None:
        lines.append(f"总分：无法计算（{len(unit_result.errors)} 处错误）")
    else:
        lines.append(f"总分：{format_number(unit_result.total)} / {max_total}　等级：{unit_result.grade}")
    if unit_result.total_note:
        lines.append(f"说明：{unit_result.total_note}")
    return "\n".join(lines)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


RANKING_ROWS_SHOWN = 100  # on screen; the full ranking is in 评分汇总 (and --format csv/json)


def ranking_table(results: Results) -> str:
    ordered = sorted(results.units, key=lambda u: (u.rank is None, u.rank or 0))
    shown = ordered[:RANKING_ROWS_SHOWN]
    rows = [
        [u.rank or "—", u.unit.name, "错误" if u.total is None else format_number(u.total), u.grade or "—"]
        for u in shown
    ]
    table = tabulate(rows, headers=["排名", "单位", "总分", "等级"], tablefmt="simple", disable_numparse=True)
    if len(ordered) > len(shown):
        table += (f"\n……共 {len(ordered)} 个单位，这里只列前 {len(shown)} 名；"
                  f"完整排名见“评分汇总”表（或输出为 CSV / JSON）")
    counts = {}
    for u in results.units:
        counts[u.grade or "错误"] = counts.get(u.grade or "错误", 0) + 1
    order = [g for g, _ in results.system.settings.grades] + ["错误"]
    dist = tabulate(
        [[g, counts.get(g, 0)] for g in order if g in counts or g != "错误"],
        headers=["等级", "单位数"], tablefmt="simple", disable_numparse=True,
    )
    return f"{table}\n\n等级分布：\n{dist}"


def reading_text(reading: list[str]) -> list[str]:
    """读表结果: how the indicator table was read (which column is what), for check and draft."""
    return ["读表结果：", *[f"  {line}" for line in reading], ""] if reading else []


def check_text(report: CheckReport) -> str:
    lines = reading_text(report.system.reading if report.system is not None else [])
    for level in Severity:
        items = report.of(level)
        if not items:
            continue
        lines.append(f"{level}（{len(items)}）：")
        lines += [f"  - {p.message}" for p in items]
        lines.append("")
    errors, warnings = len(report.of(Severity.ERROR)), len(report.of(Severity.WARNING))
    if errors or warnings:
        lines.append(f"检查完成：{errors} 个错误，{warnings} 个警告")
    else:
        lines.append("检查完成：没有发现问题")
    return "\n".join(lines)


# ---------------------------------------------------------------- a batch of 自评表 (commands.forms)

FORM_COLUMNS = ["文件", "项目", "自评分", "复核分", "差异", "等级", "排名", "执行率", "审核意见", "说明"]


def _form_row(form) -> list:
    """FORM_COLUMNS of one file of a batch (numbers as numbers, blanks as None): ``audit.self_evaluation_row``."""
    from ..audit import self_evaluation_row

    if form.results is None or not form.results.units:
        return [form.label, None, None, None, None, None, None, None, None, f"无法评分：{form.problem}"]
    row = self_evaluation_row(form.results, form.results.units[0])
    return [form.label, row.project, row.own_total, row.total, row.difference, row.grade, row.rank,
            None if row.execution_rate is None else round(row.execution_rate, 6), row.findings, row.note]


def forms_table(outcome) -> str:
    """The batch on screen: one line per file, ranked by the recomputed total; files not scored last."""
    rows = sorted((_form_row(f) for f in outcome.forms), key=lambda r: (r[6] is None, r[6] or 0))

    def shown(value, percent=False):
        if value is None:
            return "—"
        return f"{format_number(value * 100, 2)}%" if percent else format_number(value)

    lines = [[r[6] or "—", _shorten(r[1] or r[0], 30), shown(r[2]), "错误" if r[3] is None and r[1] else shown(r[3]),
              shown(r[4]), r[5] or "—", shown(r[7], percent=True), "—" if r[8] is None else r[8]] for r in rows]
    table = tabulate(lines, headers=["排名", "项目", "自评分", "复核分", "差异", "等级", "执行率", "审核意见"],
                     tablefmt="simple", disable_numparse=True)
    scored = sum(1 for f in outcome.forms if f.results is not None)
    findings = sum(r[8] or 0 for r in rows)
    return f"{table}\n\n共 {len(outcome.forms)} 个文件：{scored} 个自评表已评分，审核意见 {findings} 条"


def forms_json(outcome) -> str:
    """{"forms": one item per file (the project's figures, then its indicators and audit as for one unit; a file not
    scored is {"file", "problem"}), "skipped", "written"}."""
    forms = []
    for form in outcome.forms:
        if form.results is None or not form.results.units:
            forms.append({"file": form.label, "problem": form.problem})
            continue
        row = _form_row(form)
        figures = dict(zip(("file", "project", "own_total", "total", "difference", "grade", "rank", "execution_rate"), row))
        unit = form.results.unit_dict(form.results.units[0])
        forms.append({**figures, "max_total": plain_number(form.results.system.settings.max_total),
                      **{k: v for k, v in unit.items() if k not in figures and k != "unit"}})
    return json.dumps({"forms": forms, "skipped": [{"file": f, "reason": why} for f, why in outcome.skipped],
                       "written": str(outcome.written) if outcome.written else None}, ensure_ascii=False, indent=1)


def forms_csv(outcome) -> str:
    """One row per file, UTF-8 with a BOM."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FORM_COLUMNS)
    for form in outcome.forms:
        row = _form_row(form)
        writer.writerow([safe_text(v) if isinstance(v, str) else ("" if v is None else format_number(v)) for v in row])
    return out.getvalue()


# ---------------------------------------------------------------- score draft


def draft_table(outcome) -> str:
    """读表结果, then one line per indicator drafted or left manual, then the count."""
    reading = reading_text(outcome.reading)
    rows = []
    for d in outcome.leaves:
        needed = "、".join(["（本指标的数据）"] * ("完成值" in (d.draft.formula or "")) + d.draft.names)
        if d.draft.declined:  # the clause draft could not read, quoted
            read = f"未能起草：“{_shorten(d.draft.unread, 40)}”"
        else:
            read = d.draft.pattern if not d.draft.manual else f"人工评分：{d.draft.pattern}"
        rows.append([_shorten(d.indicator.name, 16), read, d.draft.formula or "—", _shorten(needed, 30) or "—"])
    table = tabulate(rows, headers=["指标", "识别为", "公式", "需要的数据"], tablefmt="simple", disable_numparse=True)
    declined = sum(d.draft.declined for d in outcome.leaves)
    lines = [*reading, table, "", f"起草 {len(outcome.drafted)} 个，人工评分 {len(outcome.manual)} 个"
             + (f"（其中 {declined} 个未能起草：评分标准中有没读懂的分句，见“识别为”列）" if declined else "")]
    if outcome.derived:
        lines.append("计算项：" + "；".join(f"{name} = {expr}" for name, expr, _ in outcome.derived))
    return "\n".join(lines)


# ---------------------------------------------------------------- score diff

IMPACTS_SHOWN = 50  # units listed on screen; all of them are in the 影响 sheet and the JSON


def diff_text(outcome) -> str:
    lines = [f"{outcome.old_name} → {outcome.new_name}：{len(outcome.changes)} 处变更"]
    if outcome.changes:
        rows = [[c.kind, _shorten(c.what, 30), _shorten(c.old, 40) or "—", _shorten(c.new, 40) or "—"]
                for c in outcome.changes]
        lines.append(tabulate(rows, headers=["类别", "指标或项目", "原来", "现在"], tablefmt="simple", disable_numparse=True))
    if outcome.impacts:
        def shown(value):
            return "错误" if value is None else format_number(value)

        rows = []
        for i in outcome.impacts[:IMPACTS_SHOWN]:
            delta = "—" if i.delta is None else f"{'+' if i.delta > 0 else ''}{format_number(i.delta)}"
            moves = "；".join(f"{name.split('/')[-1]} {'+' if v > 0 else ''}{format_number(v)}" for name, v in i.contributions)
            rows.append([_shorten(i.unit, 20), shown(i.old_total), shown(i.new_total), delta,
                         f"{i.old_grade or '—'}→{i.new_grade or '—'}", f"{i.old_rank or '—'}→{i.new_rank or '—'}",
                         _shorten(moves, 60)])
        lines += ["", tabulate(rows, headers=["单位", "原总分", "新总分", "变化", "等级", "排名", "影响最大的指标"],
                               tablefmt="simple", disable_numparse=True)]
        if len(outcome.impacts) > IMPACTS_SHOWN:
            lines.append(f"……共 {len(outcome.impacts)} 个单位，其余见“影响”表（或输出为 JSON）")
        moved = [[f"{a} → {b}", n] for (a, b), n in sorted(outcome.transitions.items(), key=lambda item: -item[1])]
        lines += ["", "等级变化：", tabulate(moved, headers=["等级", "单位数"], tablefmt="simple", disable_numparse=True)]
    return "\n".join(lines)


def diff_json(outcome) -> str:
    return json.dumps({
        "old": outcome.old_name, "new": outcome.new_name, "changes": [c.to_dict() for c in outcome.changes],
        "impacts": [i.to_dict() for i in outcome.impacts],
        "grade_transitions": [{"old": a, "new": b, "units": n} for (a, b), n in outcome.transitions.items()],
        "written": str(outcome.written) if outcome.written else None,
    }, ensure_ascii=False, indent=1)


# ---------------------------------------------------------------- score sensitivity

ROBUST_SHOWN = 50


def sensitivity_text(outcome) -> str:
    def rank(value):
        return "—" if value is None else format_number(value)

    rows = sorted(outcome.units, key=lambda u: (u.nominal_rank is None, u.nominal_rank or 0))
    lines = [f"分值在 ±{outcome.range:.0%} 内随机变动 {outcome.samples} 次"
             + (f"（随机种子 {outcome.seed}）" if outcome.seed is not None else "（未指定随机种子，每次结果略有不同）")]
    table = [[_shorten(u.unit, 20), rank(u.total), rank(u.nominal_rank), rank(u.median_rank),
              f"{rank(u.low_rank)}–{rank(u.high_rank)}",
              "—" if u.keeps_grade is None else f"{format_number(u.keeps_grade * 100, 1)}%"] for u in rows[:ROBUST_SHOWN]]
    lines.append(tabulate(table, headers=["单位", "总分", "名义排名", "中位排名", "排名 5%–95%", "保持等级"],
                          tablefmt="simple", disable_numparse=True))
    if len(rows) > ROBUST_SHOWN:
        lines.append(f"……共 {len(rows)} 个单位，其余见输出工作簿或 JSON 输出")
    top = [[name, f"{index:.2f}"] for name, index in outcome.indicators[:10]]
    lines += ["", "分值对排名影响最大的指标（一阶敏感度指数）：",
              tabulate(top, headers=["指标", "指数"], tablefmt="simple", disable_numparse=True)]
    return "\n".join(lines)


def sensitivity_json(outcome, written=None) -> str:
    return json.dumps({"range": outcome.range, "samples": outcome.samples, "seed": outcome.seed,
                       "units": [u.to_dict() for u in outcome.units],
                       "indicators": [{"indicator": name, "first_order": index} for name, index in outcome.indicators],
                       "written": str(written) if written else None}, ensure_ascii=False, indent=1)
