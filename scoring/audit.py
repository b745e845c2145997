"""审核: a 自评表's own scores against the rules' (``Unit.own_scores``, read with the form).

Findings are warnings, never errors: where a self-score differs from the rule's, the total's difference, and the two
plausibility rules budget systems use — a self-scored 得分率 well above the 预算执行率 (自评偏高), execution below 80 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import LeafTrace
from .engine.notes import unconfirmed_note
from .formula import ACTUAL_NAME, TARGET_NAME
from .formula.targets import Target
from .model import Results, UnitResult
from .read.selfeval import QUALITATIVE
from .values import format_number

SCORE_TOLERANCE = 0.005  # scores closer than this are the same (both are rounded to 小数位数)
HIGH_SELF_SCORE_POINTS = 5.0  # 自评偏高: self-scored 得分率 more than this many percentage points above 预算执行率
LOW_EXECUTION = 0.8  # 预算执行率 below this is flagged

DIFFERENCE, TOTAL, HIGH, LOW, KEPT = "得分差异", "总分差异", "自评偏高", "执行率偏低", "采用自评分"
UNREADABLE = "得分无法识别"  # a 得分 cell holding text that is no score (满分, 优)


@dataclass
class Finding:
    kind: str  # one of DIFFERENCE, TOTAL, HIGH, LOW, KEPT, UNREADABLE
    cell: str  # where the unit's figure is (自评表!H14), "" when none
    message: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "cell": self.cell, "message": self.message}


def audit(results: Results) -> None:
    """Fill ``UnitResult.findings`` for every unit that carries its own scores (a 自评表)."""
    for unit_result in results.units:
        if unit_result.unit.own_scores:
            unit_result.findings = unit_findings(results, unit_result)


def unit_findings(results: Results, unit_result: UnitResult) -> list[Finding]:
    system = results.system
    own = unit_result.unit.own_scores
    findings = [Finding(UNREADABLE, cell, message) for cell, message in unit_result.unit.own_score_problems]
    for node in system.indicators():
        if not node.is_leaf or node.id not in own:
            continue
        rule = unit_result.nodes[node.id]
        mine, cell = own[node.id]
        if node.scored_by_unit and node.scored_by_unit != QUALITATIVE:  # a quantitative figure that could not be used
            findings.append(Finding(KEPT, cell, f"“{node.name}”{node.scored_by_unit}"))
        if rule.score is None or mine is None or abs(mine - rule.score) < SCORE_TOLERANCE:
            continue
        findings.append(Finding(DIFFERENCE, cell, f"“{node.name}”自评得分 {format_number(mine)}，按规则 "
                                                  f"{format_number(rule.score)}（{_basis(results, unit_result, node)}）"))
    own_total = own_total_of(unit_result)
    if own_total is not None and unit_result.total is not None and abs(own_total - unit_result.total) >= SCORE_TOLERANCE:
        findings.append(Finding(TOTAL, own.get("total", (None, ""))[1],
                                f"总分：自评 {format_number(own_total)}，复核 {format_number(unit_result.total)}，"
                                f"复核比自评{'低' if unit_result.total < own_total else '高'} "
                                f"{format_number(abs(unit_result.total - own_total))} 分"))
    rate = execution_rate(unit_result)
    if rate is not None and own_total is not None:
        own_rate = own_total / system.settings.max_total
        above = round((own_rate - rate) * 100, 9)  # 100% − 95% is 5.000000000000004 in floats: exactly 5 is not above
        if above > HIGH_SELF_SCORE_POINTS:
            findings.append(Finding(HIGH, own.get("total", (None, ""))[1],
                                    f"自评偏高：自评得分率 {_percent(own_rate)} 比预算执行率 {_percent(rate)} 高 "
                                    f"{format_number(above, 2)} 个百分点（超过 {HIGH_SELF_SCORE_POINTS:g} 个）"))
    if rate is not None and round(rate, 9) < LOW_EXECUTION:  # float noise (a 79.9999999…% that is 80%) is not low
        findings.append(Finding(LOW, unit_result.unit.origins.get("全年执行数", ""),
                                f"预算执行率 {_percent(rate)}，低于 {_percent(LOW_EXECUTION)}"))
    return findings


def own_total_of(unit_result: UnitResult) -> float | None:
    """The unit's own total: its 总分 cell, else the sum of its own leaf scores."""
    own = unit_result.unit.own_scores
    total = own.get("total", (None, ""))[0]
    if total is not None:
        return total
    scores = [v for key, (v, _) in own.items() if key != "total"]
    return sum(scores) if scores and all(v is not None for v in scores) else None


def execution_rate(unit_result: UnitResult) -> float | None:
    values = unit_result.unit.values
    budget, spent = values.get("全年预算数"), values.get("全年执行数")
    if isinstance(budget, float) and isinstance(spent, float) and budget > 0:
        return spent / budget
    return None


# ---------------------------------------------------------------- the 自评 summary row

# The columns of a 自评表's row after its name: the workbook's 评分汇总, a batch's 评分汇总, the text, CSV and JSON output
# and the web page all show these, from ``self_evaluation_row``.
SELF_EVALUATION_COLUMNS = ("自评分", "复核分", "差异", "等级", "排名", "执行率", "审核意见（条）")


@dataclass
class SelfEvaluationRow:
    """One 自评表's figures: own total, recomputed total (None: an error), their difference, grade, rank, 预算执行率
    (a ratio), how many 审核意见, and 说明."""

    project: str
    own_total: float | None
    total: float | None
    difference: float | None
    grade: str | None
    rank: int | None
    execution_rate: float | None
    findings: int
    note: str

    @property
    def rate_text(self) -> str:
        return "" if self.execution_rate is None else _percent(self.execution_rate)

    def cells(self) -> list:
        """SELF_EVALUATION_COLUMNS as shown in a sheet or on the page: blanks for what is not known, 错误 for a total
        that could not be computed, the rate as a percentage."""
        return ["" if self.own_total is None else self.own_total, "错误" if self.total is None else self.total,
                "" if self.difference is None else self.difference, self.grade or "", self.rank or "", self.rate_text,
                self.findings]


def self_evaluation_row(results: Results, unit_result: UnitResult) -> SelfEvaluationRow:
    mine, total = own_total_of(unit_result), unit_result.total
    difference = None if mine is None or total is None else round(total - mine, results.system.settings.decimals)
    return SelfEvaluationRow(unit_result.unit.name, mine, total, difference, unit_result.grade, unit_result.rank,
                             execution_rate(unit_result), len(unit_result.findings), summary_note(results, unit_result))


def summary_note(results: Results, unit_result: UnitResult) -> str:
    """评分汇总's 说明 of a unit: its errors; else why its total is what it is, its warnings and the leaves scored by
    rules read from 评分标准 (not confirmed)."""
    if unit_result.errors:
        return "；".join(unit_result.errors)
    return "；".join([unit_result.total_note, *unit_result.warnings, unconfirmed_note(results.system)]).strip("；")


def _basis(results: Results, unit_result: UnitResult, node) -> str:
    """What the rule's score rests on: `实际完成值 86%，年度指标值 ≥100%`, or the values the formula read."""
    form = results.system.form
    if form is not None and node.id == form.execution_id:
        rate = execution_rate(unit_result)
        return f"预算执行率 {_percent(rate)}" if rate is not None else "预算执行率"
    reads = dict(LeafTrace(unit_result, node).reads)
    target = reads.get(TARGET_NAME)
    if ACTUAL_NAME in reads and isinstance(target, Target):
        actual = reads[ACTUAL_NAME]
        percent = "%" in (target.text or "")
        shown = _percent(actual) if percent and isinstance(actual, float) else format_number(actual) \
            if isinstance(actual, float) else str(actual)
        return f"实际完成值 {shown}，年度指标值 {target.describe()}"
    return unit_result.nodes[node.id].note.split("；得分")[0]


def _percent(x: float) -> str:
    return f"{format_number(x * 100, 2)}%"
