"""Terminal and machine output (SPEC §5.2): tabulate tables, JSON, CSV."""

from __future__ import annotations

import csv
import io
import json

from .model import Results, UnitResult
from .values import format_number

INDENT = "　"  # full-width space per level


def _code(indicator, codes: dict) -> str:
    return indicator.code or codes[indicator.id]


def outline_codes(system) -> dict[int, str]:
    """1, 1.1, 1.1.1 … for indicators without their own code."""
    codes = {}

    def visit(node, prefix):
        codes[node.id] = prefix
        for i, child in enumerate(node.children, start=1):
            visit(child, f"{prefix}.{i}")

    for i, root in enumerate(system.roots, start=1):
        visit(root, str(i))
    return codes


def _num(x):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 10)


def unit_to_dict(results: Results, unit_result: UnitResult, codes: dict | None = None) -> dict:
    codes = codes or outline_codes(results.system)
    indicators = []
    for node in results.system.indicators():
        r = unit_result.nodes[node.id]
        indicators.append({
            "code": _code(node, codes),
            "path": node.path,
            "level": node.level,
            "weight": _num(node.weight or 0.0),
            "score": r.score,
            "status": r.status,
            "note": r.note,
            "kind": node.kind,
        })
    return {
        "unit": unit_result.unit.name,
        "total": unit_result.total,
        "grade": unit_result.grade,
        "rank": unit_result.rank,
        "indicators": indicators,
        "errors": list(unit_result.errors),
        "warnings": list(unit_result.warnings),
    }


def results_to_dict(results: Results) -> dict:
    codes = outline_codes(results.system)
    return {
        "max_total": _num(results.system.settings.max_total),
        "units": [unit_to_dict(results, u, codes) for u in results.units],
        "warnings": list(results.system.warnings),
    }


def to_json(results: Results) -> str:
    return json.dumps(results_to_dict(results), ensure_ascii=False, indent=1)


CSV_HEADER = ["单位", "编号", "指标", "层级", "分值", "得分", "状态", "说明", "总分", "等级", "排名"]
STATUS_CN = {"ok": "正常", "clamped": "截断", "na": "不适用", "manual": "人工评分", "error": "错误"}


def safe_text(text):
    """Text that a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading apostrophe."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(results: Results) -> str:
    codes = outline_codes(results.system)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for u in results.units:
        for node in results.system.indicators():
            r = u.nodes[node.id]
            writer.writerow([
                safe_text(u.unit.name), _code(node, codes), safe_text("/".join(node.path)), node.level,
                format_number(node.weight or 0.0), "" if r.score is None else format_number(r.score),
                STATUS_CN[r.status], safe_text(r.note),
                "" if u.total is None else format_number(u.total), u.grade or "", u.rank or "",
            ])
    return out.getvalue()


def unit_table(results: Results, unit_result: UnitResult) -> str:
    from tabulate import tabulate

    rows = []
    for node in results.system.indicators():
        r = unit_result.nodes[node.id]
        name = INDENT * (_depth(node)) + node.name
        score = "—" if r.score is None else format_number(r.score)
        if r.status == "error":
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


def _depth(node) -> int:
    depth = 0
    while node.parent is not None:
        depth += 1
        node = node.parent
    return depth


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ranking_table(results: Results) -> str:
    from tabulate import tabulate

    ordered = sorted(results.units, key=lambda u: (u.rank is None, u.rank or 0))
    rows = [
        [u.rank or "—", u.unit.name, "错误" if u.total is None else format_number(u.total), u.grade or "—"]
        for u in ordered
    ]
    table = tabulate(rows, headers=["排名", "单位", "总分", "等级"], tablefmt="simple", disable_numparse=True)
    counts = {}
    for u in results.units:
        counts[u.grade or "错误"] = counts.get(u.grade or "错误", 0) + 1
    order = [g for g, _ in results.system.settings.grades] + ["错误"]
    dist = tabulate(
        [[g, counts.get(g, 0)] for g in order if g in counts or g != "错误"],
        headers=["等级", "单位数"], tablefmt="simple", disable_numparse=True,
    )
    return f"{table}\n\n等级分布：\n{dist}"


def check_text(report) -> str:
    from .check import ERROR, INFO, WARNING

    lines = []
    for level in (ERROR, WARNING, INFO):
        items = report.of(level)
        if not items:
            continue
        lines.append(f"{level}（{len(items)}）：")
        lines += [f"  - {p.message}" for p in items]
        lines.append("")
    errors, warnings = len(report.of(ERROR)), len(report.of(WARNING))
    if errors or warnings:
        lines.append(f"检查完成：{errors} 个错误，{warnings} 个警告")
    else:
        lines.append("检查完成：没有发现问题")
    return "\n".join(lines)
