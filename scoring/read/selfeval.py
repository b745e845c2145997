"""项目支出绩效自评表 (the 财预〔2020〕10号 form every budget unit files per project): one workbook that is the
indicator system, the project's figures and the unit's own scores at once.

``indicators`` reads the indicator table as any other; this module finds what makes it a form — a 实际完成值 column
and the 项目资金 block above the table — adds the 预算执行率 indicator that block scores, applies the form's default
rules, and reads the project as one unit with its own 得分 (``form_dataset``).
"""

from __future__ import annotations

import re

from ..errors import InputError, cell_ref
from ..model import Indicator, IndicatorSystem, SelfEvaluationForm, Unit
from ..values import MISSING, NA, Invalid, format_number, normalize_name, parse_cell_value, without_explanation, \
    without_numbering
from .data import DataSet, points_number, typed_value
from ..words import FUNDING_ROW_WORDS, FUNDING_WORDS, PROJECT_WORDS
from .headers import header_key
from .workbook import cell_value

FUNDING_SCAN_ROWS = 8  # the 年度资金总额 row is this close under the block's header
DEFAULT_FUNDING_POINTS = 10.0  # 预算执行率's 分值 when the block's 分值 cell is blank
EXECUTION_NAME = "预算执行率"
EXECUTION_FORMULA = "RATIO(全年执行数 / 全年预算数, 1)"  # 执行率 × 分值, 满分为止
FORM_DEFAULT_FORMULA = "TARGET(完成值, 目标值)"  # target met: 分值; else in proportion, direction from ≥ ≤ =
FUNDING_DATA = ("年初预算数", "全年预算数", "全年执行数")  # the block's figures, as data names

QUALITATIVE = "定性（采用自评分）"
NO_TARGET = "没有年度指标值（采用自评分）"
NOT_A_NUMBER = "实际完成值不是数值（采用自评分）"
NO_ACTUAL = "实际完成值未填写（采用自评分）"


def find_form(ws, header_top: int, roles: dict) -> SelfEvaluationForm | None:
    """The form's parts on the indicator sheet: the 实际完成值 column, the 项目资金 block above the header, the
    项目名称; None when the sheet has neither of the first two."""
    actual_col = (roles.get("actual") or [None])[0]
    funding = _funding_block(ws, header_top)
    if actual_col is None and not funding:
        return None
    return SelfEvaluationForm(project=_project_name(ws, header_top), actual_col=actual_col, funding=funding)


def _funding_block(ws, header_top: int) -> dict[str, tuple[int, int]]:
    """{年初预算数/全年预算数/全年执行数/分值/执行率/得分/label: (row, col)} of the 年度资金总额 row."""
    max_col = min(ws.max_column or 0, 60)
    for r in range(1, header_top):
        cols = {}
        for c in range(1, max_col + 1):
            key = header_key(ws.cell(r, c).value)
            if key in FUNDING_WORDS and key not in cols:
                cols[key] = c
        if "全年预算数" not in cols or "全年执行数" not in cols:
            continue
        for row in range(r + 1, min(r + FUNDING_SCAN_ROWS, header_top)):
            label = next((c for c in range(1, max_col + 1)
                          if normalize_name(str(ws.cell(row, c).value or "")).startswith(FUNDING_ROW_WORDS)), None)
            budget = cell_value(ws, row, cols["全年预算数"])
            if label is not None or isinstance(budget, (int, float)):
                block = {key: (row, c) for key, c in cols.items()}
                block["label"] = (row, label if label is not None else 1)
                return block
        return {}
    return {}


def _project_name(ws, header_top: int) -> str:
    """The cell right of 项目名称, or the text after it in the same cell (项目名称：乡村道路养护项目)."""
    max_col = min(ws.max_column or 0, 60)
    for r in range(1, header_top):
        for c in range(1, max_col + 1):
            raw = ws.cell(r, c).value
            key = header_key(raw)
            if key in PROJECT_WORDS:
                for right in range(c + 1, max_col + 1):
                    text = str(ws.cell(r, right).value or "").strip()
                    if text:
                        return text
            label, colon, rest = str(raw or "").replace(":", "：").partition("：")
            if colon and re.sub(r"\s+", "", label) in PROJECT_WORDS and rest.strip():
                return rest.strip()
    return ""


def apply_form_rules(system: IndicatorSystem, ws, compile_formula) -> list[str]:
    """The form's default rules: 预算执行率 from the 项目资金 block (10 points unless the block says otherwise),
    TARGET(完成值, 目标值) for quantitative indicators, the unit's own 得分 where no rule can apply. A formula in
    the table or 设置's 默认公式 / 预算执行率公式 overrides them. → problems."""
    form = system.form
    problems: list[str] = []
    if system.settings.default_formula is None:
        system.settings.default_formula = compile_formula(FORM_DEFAULT_FORMULA, "自评表默认规则")
    if form.funding:
        problems += _add_execution(system, ws, compile_formula)
    for leaf in (o for leaf in system.leaves() for o in leaf.options if o.id != form.execution_id):
        if leaf.formula is not None or leaf.scored_by_unit:
            continue
        actual = _actual(system, ws, leaf)
        if leaf.qualitative_target:
            leaf.scored_by_unit = QUALITATIVE
        elif leaf.target is None:
            leaf.scored_by_unit = NO_TARGET
        elif leaf.target.problem:  # unreadable: the rule reads it, and that indicator is an error naming the cell
            continue
        elif actual is MISSING:
            leaf.scored_by_unit = NO_ACTUAL
        elif not isinstance(actual, float):
            leaf.scored_by_unit = NOT_A_NUMBER
    return problems


def _add_execution(system: IndicatorSystem, ws, compile_formula) -> list[str]:
    funding = system.form.funding
    points_cell = funding.get("分值")
    raw = cell_value(ws, *points_cell) if points_cell else None
    points = DEFAULT_FUNDING_POINTS
    problems = []
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        points = float(raw)
    elif raw not in (None, "") and str(raw).strip() not in ("—", "-", "/"):
        problems.append(f"{cell_ref(ws.title, *points_cell)} 项目资金的分值“{raw}”不是数字")
    formula = system.settings.execution_formula or compile_formula(EXECUTION_FORMULA, "自评表默认规则（预算执行率）")
    node = Indicator(
        id=1 + max((o.id for n in system.indicators() for o in (n, *n.alternatives)), default=-1),
        name=EXECUTION_NAME, level=1, parent=None, row=funding["label"][0], name_cell=funding["label"],
        weight=points, weight_given=True, weight_cell=points_cell or funding["label"], formula=formula,
        formula_text=formula.text, criteria="预算执行率=全年执行数÷全年预算数，按比例计分，满分为止",
    )
    system.roots.insert(0, node)
    system.form.execution_id = node.id
    return problems


def _actual(system: IndicatorSystem, ws, leaf):
    col = system.form.actual_col
    if col is None:
        return MISSING
    raw = cell_value(ws, leaf.row, col)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return MISSING
    return typed_value(raw, ws.title, leaf.row, col)


def form_dataset(system: IndicatorSystem) -> DataSet:
    """The project of a 自评表 as one unit: each indicator's 实际完成值 (its own 得分 where the unit's score is kept),
    the 项目资金 figures, and every 得分 the unit gave itself (``Unit.own_scores``)."""
    form = system.form
    if form is None:
        raise InputError(f"只给了一个工作簿“{system.path.name}”，但它不是项目支出绩效自评表（{system.sheet_name} 中没有“实际完成值”列，"
                         f"表头上方也没有“项目资金”的全年预算数、全年执行数）：请把它作为指标体系，再给出基础数据工作簿")
    ws = system.source.workbook[system.sheet_name]
    values, origins, own, problems = {}, {}, {}, []

    def read_own(key, cell, name, points):
        score, ref, problem = _own_score(ws, cell, name, points)
        own[key] = (score, ref)
        if problem:
            problems.append((ref, problem))
        return score, ref, problem

    for leaf in (o for leaf in system.leaves() for o in leaf.options if o.id != form.execution_id):
        key = normalize_name(without_explanation(without_numbering(leaf.name)))  # one of leaf.data_keys
        own_score, own_cell, problem = read_own(leaf.id, leaf.score_cell, leaf.name, leaf.weight)
        if leaf.scored_by_unit:
            values[key] = Invalid(f"{own_cell} {problem}") if problem else MISSING if own_score is None else own_score
            origins[key] = own_cell
        elif form.actual_col is not None:
            values[key] = _actual(system, ws, leaf)
            origins[key] = cell_ref(ws.title, leaf.row, form.actual_col)
    for name in FUNDING_DATA:
        if name in form.funding:
            row, col = form.funding[name]
            raw = cell_value(ws, row, col)
            values[name] = MISSING if raw is None else typed_value(raw, ws.title, row, col)
            origins[name] = cell_ref(ws.title, row, col)
    if form.execution_id is not None:
        execution = next(n for n in system.roots if n.id == form.execution_id)
        read_own(form.execution_id, form.funding.get("得分"), EXECUTION_NAME, execution.weight)
    if system.total_row is not None:
        score_cols = system.columns.get("score") or []
        read_own("total", (system.total_row, score_cols[-1]) if score_cols else None, "总分",
                 system.settings.max_total)
    unit = Unit(name=form.project or system.path.stem, values=values, origins=origins, own_scores=own,
                own_score_problems=tuple(problems))
    return DataSet(path=system.path, layout="form", sheet_name=system.sheet_name, units=[unit])


def _own_score(ws, cell, name: str, points) -> tuple[float | None, str, str]:
    """The unit's own 得分 in `cell`, typed as a number or with 分 (`15分`, `１５ 分`): (score, the cell, "");
    blank, 不适用 or — is no score and no problem; any other text is no score, and the problem says what to type."""
    if cell is None:
        return None, "", ""
    ref = cell_ref(ws.title, *cell)
    raw = cell_value(ws, *cell)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ref, ""
    score = points_number(raw)
    if score is not None:
        return score, ref, ""
    if parse_cell_value(raw) is NA:
        return None, ref, ""
    example = format_number(points) if points else "8"
    within = f" 0 到 {format_number(points)} 分之间的" if points else ""
    return None, ref, (f"“{name}”的自评得分填的是“{str(raw).strip()[:30]}”，不是分数：请填写{within}数字，"
                       f"如 {example} 或 {example}分")
