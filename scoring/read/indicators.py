"""Reading the indicator workbook (指标体系, SPEC §2) into an ``IndicatorSystem``.

Real tables are messy: titles above the header, merged or blank-below level cells, points in names,
points only on leaves, branches of different depth, a 合计 row, notes below. All handled here.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..errors import FormulaError, InputError, TargetError, cell_ref
from ..formula import compile_formula
from ..formula.targets import is_qualitative, parse_target, unreadable_target
from ..model import (IMPLIED_BY_CRITERIA, IMPLIED_BY_TARGET, Band, Derived, Indicator, IndicatorSystem, Kind, NARule,
                     Settings)
from ..values import format_number, normalize_name, without_numbering
from .data import points_number
from .selfeval import apply_form_rules, find_form
from .headers import HEADER_SCAN_ROWS, MAX_HEADER_COLUMNS, header_key, pick_sheet
from .workbook import Book, cell_value, content_rows, merged_lookup

LEVEL_ALIASES = {
    "一级指标": 1, "二级指标": 2, "三级指标": 3, "四级指标": 4,
    "一级": 1, "二级": 2, "三级": 3, "四级": 4,
    "level1": 1, "level2": 2, "level3": 3, "level4": 4,
}
# Indicator-name columns whose header carries no level (published tables: 项目 | 评价指标 | 评价内容): their levels
# follow column order, after any explicit level to their left.
GENERIC_LEVEL_WORDS = {"评价指标", "评价内容", "指标名称", "考核内容", "考核指标", "考核项目", "项目", "内容", "评分指标",
                       "指标", "评价项目", "绩效指标"}
ROLE_ALIASES = {
    "points": ["分值", "权重", "满分", "标准分", "分数", "权数", "标准分值", "指标分值", "weight", "points"],
    "code": ["指标编号", "编号", "指标代码", "代码", "code"],
    "description": ["指标解释", "指标说明", "指标内涵", "description"],
    "criteria": ["评分标准", "评价标准", "评分规则", "评分方法", "评分细则", "考核标准", "计分方法", "评分办法", "评价要点",
                 "criteria"],
    "formula": ["评分公式", "计分公式", "formula"],
    "target": ["目标值", "指标值", "年度指标值", "标准值", "年度工作目标", "年度目标", "年度目标值", "预期目标", "预期指标值",
               "全年目标值", "target"],
    "type": ["指标类型", "类型", "type"],
    "actual": ["实际完成值", "完成值", "全年实际值", "实际值", "实际完成"],
    "score": ["得分", "自评得分", "自评分", "评分", "评价得分", "考核得分", "实际得分", "score"],
    "note": ["扣分说明", "扣分原因", "得分说明", "扣分原因和其他说明", "扣分原因及说明", "偏差原因分析及改进措施", "偏差原因",
             "note"],
}
_ROLE_OF = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}
LEVEL_BOUND_ROLES = ("points", "score")  # these apply to the nearest level column to their left

TOTAL_WORDS = ("合计", "总分", "总计")
SUBTOTAL_WORD = "小计"  # 小计, 分项小计, 投入小计: a row inside the table that repeats a sum
MAX_SUBTOTAL_LABEL = 12  # longer text containing 小计 is an indicator's name, not a subtotal label
CHOICE_WORDS = re.compile(r"[择选]其一|择一|二选一|三选一|任选一|选择一项")  # 二者择其一, 选择其一 …
BONUS_NAMES = {"加分项", "加分指标", "加分"}
PENALTY_NAMES = {"扣分项", "扣分指标", "扣分"}

SETTINGS_SHEET = "设置"
DERIVED_SHEET = "计算项"

_POINTS_IN_NAME = [
    re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<pts>\d+(?:\.\d+)?)\s*分?\s*[）)]$"),
    re.compile(r"^(?P<name>.+?)\s+(?P<pts>\d+(?:\.\d+)?)\s*分$"),
    re.compile(r"^(?P<name>.*[^\d\s.])(?P<pts>\d+(?:\.\d+)?)分$"),
]


_SPACE_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff08\uff09)])\s+(?=[\u4e00-\u9fff\u3000-\u303f\uff08\uff09(])")


def split_points(name: str) -> tuple[str, float | None]:
    """`投入(20分)` → ('投入', 20.0); `绩效目标合理性(2)` → (…, 2.0); spaces and line breaks between Chinese
    characters removed (`项 目 前 期 工 作`, `预算\n执行率`); other names unchanged."""
    text = _SPACE_IN_CJK.sub("", re.sub(r"\s+", " ", str(name).strip()))
    for pattern in _POINTS_IN_NAME:
        m = pattern.match(text)
        if m:
            return m.group("name").strip(), float(m.group("pts"))
    return text, None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- header


def header_cells(ws, r: int, max_col: int, mapping: dict | None = None) -> tuple[dict[int, int], dict[str, list[int]]]:
    """The level columns ({level: col}) and role columns ({role: [cols]}) one row names. Words without a level
    (评价指标, 项目 …) take the next level after the deepest one to their left. `mapping` (from 设置's `列:` rows)
    says what a header word means and comes first."""
    levels: dict[int, int] = {}
    roles: dict[str, list[int]] = {}
    deepest = 0
    mapping = mapping or {}
    keys = [header_key(ws.cell(r, c).value) for c in range(1, max_col + 1)]
    # a word without a level left of the named levels (绩效指标 | 一级指标 | 二级指标 | 三级指标 on a 自评表, 绩效指标
    # merged down the whole table) is a label, not a level
    first_named = next((c for c, k in enumerate(keys, start=1)
                        if k in LEVEL_ALIASES or mapping.get(k, (None,))[0] == "level"), max_col + 1)
    for c, key in enumerate(keys, start=1):
        if not key:
            continue
        kind, what = mapping.get(key, (None, None))
        if kind == "role":
            roles.setdefault(what, []).append(c)
            continue
        level = what if kind == "level" else LEVEL_ALIASES.get(key)
        if level is None and key in GENERIC_LEVEL_WORDS and not c < first_named <= max_col:
            level = deepest + 1
        if level is not None:
            if level not in levels and c not in levels.values():
                levels[level] = c
                deepest = max(deepest, level)
        elif key in _ROLE_OF:
            roles.setdefault(_ROLE_OF[key], []).append(c)
    return levels, roles


@dataclass
class GradeColumns:
    """The columns of one grade when criteria are printed side by side (优 | 良 | 中 | 差): its criterion text and
    its points (评价得分/分值); either may be missing (a grade column holding only text, or only numbers)."""

    grade: str
    criteria_col: int | None
    points_col: int | None

    @property
    def cols(self) -> list[int]:
        return [c for c in (self.criteria_col, self.points_col) if c is not None]


@dataclass
class Header:
    top: int  # first row of the header (a header may be printed on up to three rows)
    row: int  # last row of the header: the table starts below it
    roles: dict[str, list[int]]
    levels: dict[int, int]
    grades: list[GradeColumns] = field(default_factory=list)


def find_header(ws, mapping: dict | None = None) -> Header | None:
    """The first recognised header, or None. A header printed on two rows (评价指标 merged above 一级指标 | 二级指标
    | 三级指标, 分值 merged down both rows) is read as one: the second row's levels, both rows' roles. Grade columns
    (优 | 良 | 中 | 差, on the header row or the row below, with 评分标准 | 评价得分 under each) are part of it."""
    max_row = min(ws.max_row or 0, HEADER_SCAN_ROWS)
    max_col = min(ws.max_column or 0, 200)
    for r in range(1, max_row + 1):
        levels, roles = header_cells(ws, r, max_col, mapping)
        if not levels:
            continue
        top, row = r, r
        if r + 1 <= (ws.max_row or 0):
            below_levels, below_roles = header_cells(ws, r + 1, max_col, mapping)
            below_numbers = any(isinstance(ws.cell(r + 1, c).value, (int, float)) for c in range(1, max_col + 1))
            if roles and len(below_levels) >= 2 and len(below_levels) > len(levels) and not below_numbers:
                merged_roles = {role: sorted(set(cols) | set(below_roles.get(role, [])))
                                for role, cols in roles.items()}
                for role, cols in below_roles.items():
                    merged_roles.setdefault(role, cols)
                levels, roles, row = _two_row_levels(levels, below_levels), merged_roles, r + 1
        grades, last = grade_columns(ws, row, max_col, mapping)
        if not roles and not grades:
            continue
        if grades:
            taken = {c for g in grades for c in g.cols}
            roles = {role: kept for role, cols in roles.items() if (kept := [c for c in cols if c not in taken])}
            row = max(row, last)
        return Header(top, row, roles, levels, grades)
    return None


# Grade words printed as column headers when criteria are laid out side by side (优 | 良 | 中 | 差, 好 | 较好 | 一般 |
# 较差); at least MIN_GRADE_COLUMNS different ones on one row make grade columns.
GRADE_WORDS = {"优", "优秀", "良", "良好", "中", "中等", "一般", "合格", "基本合格", "及格", "差", "较差", "不合格", "不及格",
               "好", "较好", "很好"}
MIN_GRADE_COLUMNS = 2
_BAND_POINT_ROLES = ("points", "score")


def grade_columns(ws, row: int, max_col: int, mapping: dict | None = None) -> tuple[list[GradeColumns], int]:
    """Grade columns on the header row or the row below it, and the last header row they use (a row of 评分标准 |
    评价得分 under the grade words belongs to the header)."""
    spans = _merge_spans(ws)
    mapping = mapping or {}

    def role(r, c):
        key = header_key(ws.cell(r, c).value)
        kind, what = mapping.get(key, (None, None))
        return what if kind == "role" else _ROLE_OF.get(key)

    for grade_row in (row, row + 1):
        if grade_row > (ws.max_row or 0):
            break
        starts = []
        for c in range(1, max_col + 1):
            top = spans.get((grade_row, c))
            if top is not None and top[:2] != (grade_row, c):
                continue  # inside a merge that starts elsewhere
            key = header_key(ws.cell(grade_row, c).value)
            if key in GRADE_WORDS:
                starts.append((c, top[3] if top else c, _text(ws.cell(grade_row, c).value).replace("\n", "")))
        if len({header_key(text) for _, _, text in starts}) < MIN_GRADE_COLUMNS:
            continue
        sub_row = grade_row + 1
        grade_area = range(starts[0][0], min(starts[-1][1] + 1, max_col) + 1)
        has_sub = (sub_row <= (ws.max_row or 0) and any(role(sub_row, c) for c in grade_area)
                   and not any(isinstance(ws.cell(sub_row, c).value, (int, float)) for c in range(1, max_col + 1)))
        words_row = sub_row if has_sub else grade_row
        found = []
        for i, (first, last, grade) in enumerate(starts):
            next_start = starts[i + 1][0] if i + 1 < len(starts) else max_col + 1
            if last == first and first + 1 < next_start and first + 1 <= max_col \
                    and role(words_row, first + 1) in _BAND_POINT_ROLES:
                last = first + 1  # 优 | 得分 written side by side, not merged
            cols = list(range(first, last + 1))
            points = next((c for c in cols if role(words_row, c) in _BAND_POINT_ROLES), None)
            criteria = next((c for c in cols if c != points), None)
            found.append(GradeColumns(grade, criteria, points))
        return found, (sub_row if has_sub else grade_row)
    return [], row


def _merge_spans(ws) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(row, col) of every cell in a merged range → (min_row, min_col, max_row, max_col), for the header rows."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row > HEADER_SCAN_ROWS + 3:
            continue
        for r in range(rng.min_row, min(rng.max_row, HEADER_SCAN_ROWS + 3) + 1):
            for c in range(rng.min_col, min(rng.max_col, rng.min_col + MAX_HEADER_COLUMNS) + 1):
                spans[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
    return spans


def _two_row_levels(above: dict[int, int], below: dict[int, int]) -> dict[int, int]:
    """Levels of a two-row header: the second row's, plus level columns of the first row outside them
    (a 项目 column merged down both rows, left of 一级/二级/三级 written below 评价指标)."""
    below_cols = set(below.values())
    outside = sorted(c for c in above.values() if c not in below_cols and c < min(below_cols))
    if not outside:
        return dict(below)
    shift = len(outside)
    levels = {i + 1: c for i, c in enumerate(outside)}
    levels.update({level + shift: c for level, c in sorted(below.items())})
    return levels


def _bind_to_levels(cols: list[int], levels: dict[int, int]) -> dict[int, int]:
    """level → column for points/score columns: each applies to the nearest level column on its left."""
    bound = {}
    for col in cols:
        left = [(lc, lv) for lv, lc in levels.items() if lc < col]
        level = max(left)[1] if left else max(levels)
        bound.setdefault(level, col)
    return bound


# ---------------------------------------------------------------- the table


def read_indicator_system(source, sheet: str | None = None) -> IndicatorSystem:
    """The indicator system, ready to score; any problem is an InputError listing all of them.
    `source` is a path or an opened ``Book``."""
    system, problems = load_indicator_system(source, sheet)
    problems = [p for p in problems if not isinstance(p, LeafProblem)]
    if problems:
        raise InputError(f"指标体系“{system.path.name}”有 {len(problems)} 处错误，未评分：", problems)
    return system


class LeafProblem(str):
    """A problem of one indicator (a 目标值 that cannot be read): `check` lists it, scoring makes that indicator an
    error for every unit and scores the rest."""


def load_indicator_system(source, sheet: str | None = None) -> tuple[IndicatorSystem, list[str]]:
    """Read as much as can be read: the system (formulas that do not compile left out) and every problem.

    Raises InputError only when there is no indicator table at all (no file, no header).
    """
    book = source if isinstance(source, Book) else Book(source, "指标体系")
    wb = book.workbook
    mapping, mapping_problems = column_mapping(wb)
    ws, header = _pick_sheet(wb, sheet, book, mapping)
    header_row, roles, levels = header.row, header.roles, header.levels
    reader = _TableReader(ws, header)
    reader.read()
    problems = mapping_problems + list(reader.problems)

    compile_clock = _Clock()
    settings, settings_problems = _read_settings(wb, compile_clock)
    problems += settings_problems
    derived, derived_problems = _read_derived(wb, compile_clock)
    problems += derived_problems

    roots = reader.roots
    if not roots:
        problems.append(f"{ws.title} 表头（第 {header_row} 行）下面没有指标行：请从第 {header_row + 1} 行起逐行填写指标名称和分值，"
                        f"中间不要留空行")

    warnings = list(reader.warnings)
    _pass_points_down(roots)
    warnings += _drop_empty_categories(roots, max(levels), ws.title)
    warnings += _band_points(roots, ws.title)
    for node in [n for r in roots for n in r.walk()]:
        problems += _compile_indicator(node, ws.title, compile_clock)
        for option in node.alternatives:
            problems += _compile_indicator(option, ws.title, compile_clock)
    title = next((_text(cell_value(ws, c.row, c.column)) for row in ws.iter_rows(max_row=header.top - 1)
                  for c in row if _text(c.value)), "")
    system = IndicatorSystem(
        path=book.path, sheet_name=ws.title, roots=roots, settings=settings, derived=derived, heading=title,
        header_row=header_row, header_top=header.top, first_row=header_row + 1, last_row=reader.last_row,
        total_row=reader.total_row, columns={**{f"level{k}": [v] for k, v in levels.items()}, **roles},
        warnings=warnings, source=book, form=find_form(ws, header.top, roles),
    )
    if system.form is not None:  # a 项目支出绩效自评表: its default rules and the 预算执行率 of its 项目资金 block
        problems += apply_form_rules(system, ws, compile_clock.compile)
    _fill_parent_weights(roots)
    warnings += weight_warnings(roots, settings, ws.title)
    warnings += _implied_rules(system, compile_clock)
    system.compile_seconds = compile_clock.seconds
    return system, problems


IMPLIED_TARGET_FORMULA = "TARGET(完成值, 目标值)"
NO_RULE_PATTERNS = ("没有评分标准", "需要判断")  # draft's words for criteria that hold no rule to read: judged by hand
_RULE_CLAUSE = re.compile(r"\d|[一二三四五六七八九十]分|满分|不得分|扣分|得分|计分|按比例")


def _implied_rules(system: IndicatorSystem, clock: "_Clock") -> list[str]:
    """SPEC §2.3 for the leaves with no formula and no 默认公式: a numeric 目标值 implies TARGET(完成值, 目标值); else a
    评分标准 that `score draft` reads completely implies its formula (scored, but 未确认). A 评分标准 holding a rule
    that is not read completely is recorded (`criteria_doubt`): no figure of that leaf is ever taken as its score."""
    from ..draft.rules import RuleContext, draft_rule  # the one place that reads rules in words

    implied, doubtful = [], []
    for option in (o for leaf in system.leaves() for o in leaf.options):
        if option.formula_text or option.bands or option.scored_by_unit or option.qualitative_target:
            continue
        if system.formula_of(option) is not None:
            continue
        where = cell_ref(system.sheet_name, *option.name_cell)
        if option.target is not None:
            option.implied_formula = clock.compile(IMPLIED_TARGET_FORMULA, f"{where} 目标值")
            option.implied_by = IMPLIED_BY_TARGET
            continue
        criteria = (option.criteria or "").strip()
        if not criteria:
            continue
        draft = draft_rule(criteria, RuleContext(option.name, option.target))
        if draft.formula:
            try:
                shown = criteria if len(criteria) <= 30 else criteria[:30] + "…"
                option.implied_formula = clock.compile(draft.formula, f"{where} 的评分标准“{shown}”读作 {draft.formula}"
                                                                      f"（未确认；也可直接填“{option.name}得分”）")
            except FormulaError:
                option.criteria_doubt = f"按评分标准起草的公式“{draft.formula}”无法使用"
            else:
                option.implied_by = IMPLIED_BY_CRITERIA
                implied.append(option)
                continue
        elif draft.pattern in NO_RULE_PATTERNS or not _RULE_CLAUSE.search(criteria):
            continue  # a judgement (酌情扣分) or no rule at all: the figure under its name is its score
        else:
            option.criteria_doubt = draft.note or "评分标准没有完全读懂"
        doubtful.append(option)
    warnings = []
    if implied:
        shown = "、".join(o.name for o in implied[:8]) + ("等" if len(implied) > 8 else "")
        warnings.append(f"{len(implied)} 个指标没有评分公式，按评分标准文字计分（未确认）：{shown}。请核对每个指标的读法"
                        f"（score explain 可看），确认后用 score draft 把它们写成公式")
    if doubtful:
        shown = "、".join(o.name for o in doubtful[:8]) + ("等" if len(doubtful) > 8 else "")
        warnings.append(f"{len(doubtful)} 个指标没有评分公式，评分标准也没能完全读懂：{shown}。请为它们写评分公式"
                        f"（可运行 score draft 起草），或在基础数据中直接填写得分（名称写“指标名得分”，如“{doubtful[0].name}得分”）")
    return warnings


class _Clock:
    """Time spent compiling formulas while reading (reported as its own stage by SCORE_PROFILE)."""

    def __init__(self):
        self.seconds = 0.0

    def compile(self, text, where):
        start = time.perf_counter()
        try:
            return compile_formula(text, where=where)
        finally:
            self.seconds += time.perf_counter() - start


def _pick_sheet(wb, sheet, book: Book, mapping):
    candidates = [t for t in wb.sheetnames if t not in (SETTINGS_SHEET, DERIVED_SHEET)]
    picked = pick_sheet(wb, sheet, candidates, lambda ws: find_header(ws, mapping), book.role, book.name,
                        lambda name: _no_header_message(wb, book, [name], mapping))
    if picked is None:
        raise InputError(_no_header_message(wb, book, candidates, mapping))
    return picked


COLUMN_KEY = re.compile(r"^列\s*[:：]\s*(?P<role>[^=＝]+?)\s*(?:[=＝]\s*(?P<header>.+))?$")


def column_mapping(wb) -> tuple[dict[str, tuple[str, object]], list[str]]:
    """设置 rows `列:分值 | 权数` (or `列:分值 = 权数` in one cell): the column headed 权数 is the 分值 column.
    → ({header word: ("level", n) | ("role", role)}, problems)."""
    mapping, problems = {}, []
    if SETTINGS_SHEET not in wb.sheetnames:
        return mapping, problems
    ws = wb[SETTINGS_SHEET]
    for r in content_rows(ws, 1):
        texts = [(c, _text(ws.cell(r, c).value)) for c in range(1, min(ws.max_column or 0, 10) + 1)]
        texts = [(c, t) for c, t in texts if t]
        for i, (c, text) in enumerate(texts):
            match = COLUMN_KEY.match(text)
            if not match:
                continue
            header = match.group("header") or (texts[i + 1][1] if i + 1 < len(texts) else "")
            what = header_key(match.group("role"))
            ref = cell_ref(SETTINGS_SHEET, r, c)
            if not header:
                problems.append(f"{ref} “{text}”没有写对应的表头文字：请写成“列:分值”一格、“权数”一格")
            elif what in LEVEL_ALIASES:
                mapping[header_key(header)] = ("level", LEVEL_ALIASES[what])
            elif what in _ROLE_OF:
                mapping[header_key(header)] = ("role", _ROLE_OF[what])
            else:
                problems.append(f"{ref} “{text}”中的“{match.group('role')}”不是可识别的列：可写一级指标、二级指标、三级指标、"
                                f"分值、评分标准、评分公式、目标值、编号、得分、扣分说明等")
            break
    return mapping, problems


def _no_header_message(wb, book: Book, sheets: list[str], mapping: dict | None = None) -> str:
    """Where the header was looked for, the row that looks most like one, and what it lacks."""
    where = f"工作表“{sheets[0]}”" if len(sheets) == 1 else "所有工作表"
    message = (f"{book.role}“{book.name}”的{where}前 {HEADER_SCAN_ROWS} 行中找不到表头：表头行须含指标名称列（一级指标/二级指标/"
               f"三级指标，或评价指标、指标名称、项目等）和分值、评分公式、评分标准等至少一列")
    best = None  # (recognised words, text cells, sheet, row, levels, roles, texts)
    for title in sheets:
        if title not in wb.sheetnames:
            continue
        ws = wb[title]
        max_col = min(ws.max_column or 0, 200)
        for r in range(1, min(ws.max_row or 0, HEADER_SCAN_ROWS) + 1):
            texts = [str(v).strip() for c in range(1, max_col + 1)
                     if isinstance(v := ws.cell(r, c).value, str) and v.strip()]
            if len(texts) < 2:
                continue
            levels, roles = header_cells(ws, r, max_col, mapping)
            candidate = (len(levels) + len(roles), len(texts), title, r, levels, roles, texts)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        return message
    _, _, title, r, levels, roles, texts = best
    shown = " | ".join(t.replace("\n", "") for t in texts[:12]) + (" | …" if len(texts) > 12 else "")
    missing = []
    if not levels:
        missing.append("指标名称列（一级指标/二级指标/三级指标，或评价指标、指标名称、项目等）")
    if not roles:
        missing.append("分值、评分公式或评分标准列（也可写作权数、分数、评分细则、考核标准等）")
    head = f"{book.role}“{book.name}”的{where}前 {HEADER_SCAN_ROWS} 行中找不到表头"
    return (f"{head}。最像表头的是 {title} 第 {r} 行：{shown}；其中没有认出{'，也没有认出'.join(missing)}。"
            f"请把这些列的表头改成上面的写法，或在“设置”表中写明，例如“列:分值 | 权值”（见 README“指标体系工作簿”）")


class _TableReader:
    def __init__(self, ws, header: Header):
        self.ws = ws
        self.header_row = header.row
        self.roles = roles = header.roles
        self.levels = levels = dict(sorted(header.levels.items()))
        self.grades = header.grades
        self.points_cols = _bind_to_levels(roles.get("points", []), self.levels)
        self.score_cols = _bind_to_levels(roles.get("score", []), self.levels)
        self.merged = merged_lookup(ws)
        self.merge_heights = {(m.min_row, m.min_col): m.max_row - m.min_row + 1 for m in ws.merged_cells.ranges}
        self.roots: list[Indicator] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.total_row = None
        self.last_row = header.row
        self.next_id = 0
        all_cols = ([c for cols in roles.values() for c in cols] + list(levels.values())
                    + [c for g in self.grades for c in g.cols])
        self.max_col = max(all_cols)
        self.min_col = min(all_cols)

    def ref(self, row, col) -> str:
        return cell_ref(self.ws.title, row, col)

    def value(self, row, col):
        """Cell value, reading a merged cell's top-left; formulas as text, other cells as cached values."""
        top = self.merged.get((row, col), (row, col))
        if col in self.roles.get("formula", []):
            return cell_value(self.ws, *top, formula_as_text=True)
        value = cell_value(self.ws, *top)
        if value is None and col in self.roles.get("target", []):
            return cell_value(self.ws, *top, formula_as_text=True)  # "=100%" never calculated: the text is meant
        return value

    def is_new(self, row, col) -> bool:
        """True when the cell starts a value on this row (not a merged continuation, not blank)."""
        top = self.merged.get((row, col))
        if top is not None and top[0] != row:
            return False
        return _text(self.value(row, col)) != ""

    def row_is_blank(self, row) -> bool:
        for c in range(1, self.max_col + 1):
            top = self.merged.get((row, c))
            if top is not None and top[0] < row:
                return False
            if _text(self.ws.cell(row, c).value):
                return False
        return True

    def row_kind(self, row) -> str | None:
        """"total" for a 合计/总分/总计 row (it ends the table), "subtotal" for a 小计 row inside it (skipped),
        else None; decided by the row's first text that is not a merged continuation."""
        for c in range(1, self.max_col + 1):
            top = self.merged.get((row, c))
            if top is not None and top[0] < row:
                continue
            text = _text(self.ws.cell(row, c).value)
            if text:
                plain = without_numbering(re.sub(r"\s+", "", text))
                if plain.startswith(TOTAL_WORDS):
                    return "total"
                return "subtotal" if SUBTOTAL_WORD in plain and len(plain) <= MAX_SUBTOTAL_LABEL else None
        return None

    def read(self):
        current: dict[int, Indicator] = {}
        max_row = self.ws.max_row or self.header_row
        row = self.header_row + 1
        while row <= max_row:
            if self.row_is_blank(row):
                break
            kind = self.row_kind(row)
            if kind == "total":
                self.total_row = row
                self.last_row = row
                break
            self.last_row = row
            if kind == "subtotal":
                row += 1
                continue
            new_levels = [lv for lv, col in self.levels.items() if self.is_new(row, col)]
            new_levels = self.drop_repeated_names(row, new_levels, current)
            if new_levels:
                self.read_row(row, new_levels, current)
            row += 1
        self.group_alternatives()

    def group_alternatives(self):
        """择其一: leaf rows sharing one merged points cell, whose text says the unit is assessed on one of them,
        become one indicator with alternatives. Rows sharing a points cell without such words are left as they
        are, with a warning."""
        lists = [self.roots] + [n.children for r in self.roots for n in r.walk() if n.children]
        for siblings in lists:
            kept, i = [], 0
            while i < len(siblings):
                source = self.shared_points(siblings[i])
                j = i + 1
                while (source is not None and j < len(siblings) and siblings[j].is_leaf and siblings[i].is_leaf
                       and self.shared_points(siblings[j]) == source):
                    j += 1
                run = siblings[i:j]
                if len(run) < 2:
                    kept.extend(run)
                elif any(CHOICE_WORDS.search(text) for n in run for text in (n.criteria, n.description, n.raw_name)):
                    kept.append(self.choice(run, source))
                else:
                    kept.extend(run)
                    names = "、".join(f"“{n.name}”" for n in run)
                    self.warnings.append(f"{self.ref(*source)} {names}共用一个分值单元格：若为择其一，请在评分标准中写明"
                                         f"“二者择其一”；现按每项各 {format_number(run[0].weight or 0)} 分计")
                i = j
            siblings[:] = kept

    def shared_points(self, node):
        """The top-left of a merged points cell spanning several rows that gives this leaf its points, if any."""
        if not node.is_leaf or node.weight_cell is None or node.weight_cell == node.name_cell:
            return None
        top = self.merged.get(node.weight_cell)
        if top is None:
            return None
        return top if self.merge_heights.get(top, 1) > 1 else None

    def choice(self, run, source) -> Indicator:
        first = run[0]
        group = Indicator(
            id=self.next_id, name="或".join(n.name for n in run), level=first.level, parent=first.parent,
            row=first.row, name_cell=first.name_cell, raw_name="或".join(n.raw_name for n in run),
            weight=first.weight, weight_given=True, weight_cell=source, alternatives=list(run),
            criteria=next((n.criteria for n in run if n.criteria), ""),
        )
        self.next_id += 1
        for option in run:
            option.choice_of = group
        return group

    def drop_repeated_names(self, row, new_levels, current):
        """A table filled down instead of merged repeats the parent's name on every row
        (投入 | 预算配置 | 在职人员控制率, 投入 | 预算配置 | 三公经费变动率): the same text at a level,
        under a continuing parent, continues that indicator. The deepest level is always new."""
        deepest = max(new_levels, default=None)
        kept = []
        continuing = True
        for lv in sorted(self.levels):
            if lv not in new_levels:
                continue
            same = (continuing and lv != deepest and lv in current
                    and _text(self.value(row, self.levels[lv])) == current[lv].raw_name)
            if same:
                continue
            continuing = False
            kept.append(lv)
        return kept

    def read_row(self, row, new_levels, current):
        leaf_level = max(new_levels)
        top_new = min(new_levels)
        for lv in list(current):
            if lv >= top_new:
                del current[lv]
        for lv in sorted(new_levels):
            col = self.levels[lv]
            parent = None
            for plv in range(lv - 1, 0, -1):
                if plv in current:
                    parent = current[plv]
                    break
            raw_name = _text(self.value(row, col))
            name, embedded = split_points(raw_name)
            node = Indicator(
                id=self.next_id, name=name, level=lv, parent=parent, row=row,
                name_cell=self.merged.get((row, col), (row, col)), raw_name=raw_name,
            )
            self.next_id += 1
            (parent.children if parent else self.roots).append(node)
            current[lv] = node
            self.read_points(node, row, lv, lv == leaf_level, embedded)
            if lv in self.score_cols:
                node.score_cell = (row, self.score_cols[lv])
        leaf = current[leaf_level]
        self.read_leaf_columns(leaf, row)

    def read_points(self, node, row, level, is_row_leaf, embedded):
        cols = []
        if level in self.points_cols:
            cols.append(self.points_cols[level])
        if is_row_leaf:  # a shallow leaf also uses the points column of deeper levels
            cols += [c for lv, c in sorted(self.points_cols.items()) if lv > level]
        for col in cols:
            raw = self.value(row, col)
            if _text(raw):
                number = points_number(raw)
                if number is None:
                    self.problems.append(f"{self.ref(row, col)} 分值“{_text(raw)}”不是数字")
                    return
                node.weight, node.weight_given, node.weight_cell = number, True, (row, col)
                return
        if embedded is not None:
            node.weight, node.weight_given, node.weight_cell = embedded, True, node.name_cell

    def first(self, role, row):
        for col in self.roles.get(role, []):
            raw = self.value(row, col)
            if _text(raw):
                return raw, col
        return None, (self.roles.get(role) or [None])[0]

    def read_leaf_columns(self, leaf, row):
        code, _ = self.first("code", row)
        leaf.code = _text(code)
        leaf.criteria = _text(self.first("criteria", row)[0])
        leaf.description = _text(self.first("description", row)[0])
        formula, fcol = self.first("formula", row)
        leaf.formula_text = _text(formula)
        if fcol:
            leaf.formula_cell = (row, fcol)
        target, tcol = self.first("target", row)
        leaf.target_raw = target
        if tcol:
            leaf.target_cell = (row, tcol)
        kind = _text(self.first("type", row)[0])
        if "加分" in kind:
            leaf.kind = Kind.BONUS
        elif "扣分" in kind:
            leaf.kind = Kind.PENALTY
        if leaf.score_cell is None and self.score_cols:
            deepest = self.score_cols[max(self.score_cols)]
            top = self.merged.get((row, deepest))
            if top is None or top[0] == row:
                leaf.score_cell = (row, deepest)
        notes = self.roles.get("note", [])
        if notes:
            top = self.merged.get((row, notes[0]))
            if top is None or top[0] == row:
                leaf.note_cell = (row, notes[0])
        if self.grades:
            self.read_bands(leaf, row)

    def own_cell_value(self, row, col):
        """A cell's value on this row, unless it belongs to a merge starting in another column (a criterion
        printed once across every grade column)."""
        top = self.merged.get((row, col))
        if top is not None and top[1] != col:
            return None
        return self.value(row, col)

    def read_bands(self, leaf, row):
        """Grade columns on a leaf's row: each grade's criterion and points become a band; a criterion merged
        across them all is the leaf's 评分标准 (a quantitative rule, scored by formula or by hand)."""
        spanning = []
        for g in self.grades:
            criteria = _text(self.own_cell_value(row, g.criteria_col)) if g.criteria_col else ""
            raw = self.own_cell_value(row, g.points_col) if g.points_col else None
            where = (row, g.points_col or g.criteria_col)
            points = None
            if _text(raw):
                points = points_number(raw)
                if points is None:
                    self.problems.append(f"{self.ref(*where)} 等级“{g.grade}”的分数“{_text(raw)}”不是数字：请填写数字，如 5")
                    continue
            elif criteria:
                named, embedded = split_points(criteria)
                if embedded is not None:
                    criteria, points = named, embedded
            if points is not None:
                leaf.bands.append(Band(g.grade, criteria, points, where))
            elif criteria:
                spanning.append((g, criteria))
        if leaf.bands:
            for g, criteria in spanning:
                self.problems.append(f"{self.ref(row, g.criteria_col)} 等级“{g.grade}”有评分标准但没有分数：请在同一行填写该等级的分数")
            if not leaf.criteria:
                leaf.criteria = "；".join(f"{b.grade}：{b.criteria}（{format_number(b.points)}分）" if b.criteria
                                         else f"{b.grade}：{format_number(b.points)}分" for b in leaf.bands)
        elif spanning and not leaf.criteria:
            leaf.criteria = "；".join(criteria for _, criteria in spanning)


def _compile_indicator(node: Indicator, sheet: str, clock: _Clock) -> list[str]:
    problems = []
    if node.parent is None and normalize_name(node.name) in BONUS_NAMES:
        node.kind = Kind.BONUS
    elif node.parent is None and normalize_name(node.name) in PENALTY_NAMES:
        node.kind = Kind.PENALTY
    elif node.parent is not None and node.kind == Kind.NORMAL:
        node.kind = node.parent.kind
    if not node.is_leaf:
        return problems
    where_name = cell_ref(sheet, *node.name_cell)
    if node.weight is None:
        problems.append(f"{where_name} 指标“{node.name}”没有分值：请在分值列填写，或写在名称中如“{node.name}(5分)”")
    if node.formula_text:
        where = cell_ref(sheet, *node.formula_cell) + " 评分公式"
        try:
            node.formula = clock.compile(node.formula_text, where)
        except FormulaError as exc:
            problems.append(str(exc))
    if _text(node.target_raw):
        if is_qualitative(node.target_raw):  # 效果明显: never blocks the workbook; scored by hand
            node.qualitative_target = _text(node.target_raw)
        else:
            try:
                node.target = parse_target(node.target_raw)
            except TargetError as exc:  # that leaf's error, not the workbook's
                message = LeafProblem(f"{cell_ref(sheet, *node.target_cell)} {exc}")
                node.target = unreadable_target(node.target_raw, message)
                problems.append(message)
    return problems


def _drop_empty_categories(roots, deepest: int, sheet: str) -> list[str]:
    """A category row with nothing under it (经济效益指标 on a 自评表 with no indicator below): no points, no
    formula, no target, no criteria, above the table's deepest level — not an indicator; dropped with a note."""
    notes = []

    def empty(node) -> bool:
        return (node.is_leaf and node.weight is None and node.level < deepest and not node.formula_text
                and not _text(node.target_raw) and not node.criteria)

    def prune(nodes):
        kept = []
        for node in nodes:
            node.children = prune(node.children)
            if empty(node) and (node.parent is not None or len(nodes) > 1):
                notes.append(f"{cell_ref(sheet, *node.name_cell)} “{node.name}”没有分值、也没有下级指标，作为分类标题忽略")
                continue
            kept.append(node)
        return kept

    roots[:] = prune(roots)
    return notes


def _band_points(roots, sheet: str) -> list[str]:
    """A leaf scored by grade columns and given no points is worth its best grade's points; a grade worth more
    than the leaf's points is reported."""
    warnings = []
    for leaf in (o for r in roots for n in r.walk() if n.is_leaf for o in n.options):
        if not leaf.bands:
            continue
        best = max(leaf.bands, key=lambda b: b.points)
        if leaf.weight is None:
            leaf.weight, leaf.weight_given, leaf.weight_cell = best.points, True, best.cell
        elif best.points > leaf.weight + 1e-9:
            warnings.append(f"{cell_ref(sheet, *best.cell)} “{leaf.name}”等级“{best.grade}”的分数 {format_number(best.points)} "
                            f"超过分值 {format_number(leaf.weight)}（超出部分将按分值计）")
    return warnings


def _pass_points_down(roots):
    """A parent with points whose only child has none passes them down (`预算执行（20分）` over one 预算执行率 row
    whose points cell is blank)."""
    for node in (n for r in roots for n in r.walk()):
        if node.weight is not None and len(node.children) == 1 and node.children[0].weight is None:
            child = node.children[0]
            child.weight, child.weight_given, child.weight_cell = node.weight, True, node.weight_cell


def _fill_parent_weights(roots):
    def fill(node):
        if node.is_leaf:
            return node.weight or 0.0
        total = sum(fill(child) for child in node.children if child.kind == node.kind)
        if node.weight is None:
            node.weight = total
        return node.weight

    for root in roots:
        fill(root)


def weight_warnings(roots, settings: Settings, sheet: str) -> list[str]:
    """Children's points must add up to their parent's, level-1 points to 满分 (bonus/penalty aside)."""
    warnings = []
    for node in (n for r in roots for n in r.walk()):
        if node.is_leaf or not node.weight_given or node.kind != Kind.NORMAL:
            continue
        total = sum(c.weight or 0.0 for c in node.children if c.kind == node.kind)
        if abs(total - node.weight) > 1e-9:
            warnings.append(
                f"{cell_ref(sheet, *node.weight_cell)} “{node.name}”的分值 {node.weight:g} 与下级指标分值之和 {total:g} 不一致"
            )
    level1 = sum(r.weight or 0.0 for r in roots if r.kind == Kind.NORMAL)
    if abs(level1 - settings.max_total) > 1e-9:
        warnings.append(f"{sheet} 一级指标分值之和 {level1:g} 与满分 {settings.max_total:g} 不一致")
    return warnings


# ---------------------------------------------------------------- 设置 and 计算项 sheets


def _rows_after_header(ws, wanted: dict[str, set[str]]):
    """Find a header naming the wanted roles; yield (row, {role: value}) until a blank row."""
    for r in range(1, min(ws.max_row or 0, HEADER_SCAN_ROWS) + 1):
        cols = {}
        for c in range(1, min(ws.max_column or 0, 50) + 1):
            key = header_key(ws.cell(r, c).value)
            for role, aliases in wanted.items():
                if key in aliases and role not in cols:
                    cols[role] = c
        if len(cols) >= 2:
            break
    else:
        return None, {}
    return r, cols


def _read_settings(wb, clock: _Clock):
    settings = Settings()
    problems = []
    if SETTINGS_SHEET not in wb.sheetnames:
        return settings, problems
    ws = wb[SETTINGS_SHEET]
    header, cols = _rows_after_header(ws, {"key": {"项目", "设置", "名称", "key"}, "value": {"值", "数值", "设置值", "value"}})
    key_col, val_col = (cols.get("key", 1), cols.get("value", 2)) if header else (1, 2)
    start = (header or 0) + 1
    for r in content_rows(ws, start):
        key = normalize_name(_text(cell_value(ws, r, key_col)))
        raw = cell_value(ws, r, val_col)
        ref = cell_ref(SETTINGS_SHEET, r, val_col)
        if not key:
            continue
        text = _text(raw)
        try:
            if key == "满分":
                settings.max_total = _positive(raw, ref, "满分")
            elif key == "小数位数":
                n = points_number(raw)
                if n is None or n != int(n) or not 0 <= n <= 6:
                    raise ValueError(f"{ref} 小数位数应为 0 到 6 的整数，现为“{text}”")
                settings.decimals = int(n)
            elif key == "等级":
                settings.grades = parse_grades(text, ref)
            elif key == "不适用处理":
                if text not in tuple(NARule):
                    raise ValueError(f"{ref} 不适用处理应为“满分”或“剔除”，现为“{text}”")
                settings.na_rule = NARule(text)
            elif key == "默认公式":
                formula_text = _text(cell_value(ws, r, val_col, formula_as_text=True))
                if formula_text:
                    settings.default_formula = clock.compile(formula_text, f"{ref} 默认公式")
            elif key == "总分上限":
                settings.total_cap = _positive(raw, ref, "总分上限")
            elif key in ("年度", "评价年度"):
                settings.year = year_text(raw)
            elif key == "评价日期":
                settings.evaluation_date = date_text(raw)
            elif key == "预算执行率公式":
                formula_text = _text(cell_value(ws, r, val_col, formula_as_text=True))
                if formula_text:
                    settings.execution_formula = clock.compile(formula_text, f"{ref} 预算执行率公式")
        except ValueError as exc:
            problems.append(str(exc))
        except FormulaError as exc:
            problems.append(str(exc))
    return settings, problems


def year_text(raw) -> str:
    """2019, 2019.0, "2019年", "2019年度" → 2019年度; other text as written."""
    text = _text(raw)
    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*(年度|年)?", text)
    return f"{match[1]}年度" if match else text


def date_text(raw) -> str:
    """A date cell or text as a printed date: 2024年3月15日."""
    if hasattr(raw, "year") and hasattr(raw, "month") and hasattr(raw, "day"):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    return _text(raw)


def _positive(raw, ref, what) -> float:
    n = points_number(raw)
    if n is None or n <= 0:
        raise ValueError(f"{ref} {what}应为正数，现为“{_text(raw)}”")
    return n


def parse_grades(text: str, ref: str = "设置") -> list[tuple[str, float]]:
    """`优:90,良:80,中:60,差:0` → [('优', 90.0), …] sorted by threshold, highest first."""
    items = [p for p in re.split(r"[,，;；、\s]+", text) if p]
    grades = []
    for item in items:
        parts = re.split(r"[:：=＝]", item)
        if len(parts) != 2 or points_number(parts[1]) is None:
            raise ValueError(f"{ref} 等级“{text}”无法识别：请写成“优:90,良:80,中:60,差:0”（分数线为满分的百分比）")
        grades.append((parts[0].strip(), points_number(parts[1])))
    if not grades:
        raise ValueError(f"{ref} 等级为空")
    grades.sort(key=lambda g: -g[1])
    return grades


def _read_derived(wb, clock: _Clock):
    problems: list[str] = []
    if DERIVED_SHEET not in wb.sheetnames:
        return [], problems
    ws = wb[DERIVED_SHEET]
    header, cols = _rows_after_header(
        ws,
        {"name": {"名称", "计算项", "变量", "name"}, "formula": {"公式", "计算公式", "formula"},
         "description": {"说明", "备注", "description"}},
    )
    if header is None or "name" not in cols or "formula" not in cols:
        return [], [f"{DERIVED_SHEET} 工作表找不到表头：需要“名称”和“公式”两列"]
    items: dict[str, Derived] = {}
    for r in content_rows(ws, header + 1):
        name_raw = _text(ws.cell(r, cols["name"]).value)
        formula_raw = _text(ws.cell(r, cols["formula"]).value)
        if not name_raw and not formula_raw:
            continue
        name_ref = cell_ref(DERIVED_SHEET, r, cols["name"])
        formula_ref = cell_ref(DERIVED_SHEET, r, cols["formula"])
        if not name_raw:
            problems.append(f"{name_ref} 计算项缺少名称")
            continue
        if not formula_raw:
            problems.append(f"{formula_ref} 计算项“{name_raw}”缺少公式")
            continue
        name = normalize_name(name_raw)
        if name in items:
            problems.append(f"{name_ref} 计算项“{name_raw}”重复（已在 {items[name].cell} 定义）")
            continue
        try:
            formula = clock.compile(formula_raw, f"{formula_ref} 公式")
        except FormulaError as exc:
            problems.append(str(exc))
            continue
        desc = _text(ws.cell(r, cols["description"]).value) if "description" in cols else ""
        items[name] = Derived(name=name, formula=formula, description=desc, cell=formula_ref)
    ordered, cycle_problems = order_derived(items)
    return ordered, problems + cycle_problems


def order_derived(items: dict[str, Derived]) -> tuple[list[Derived], list[str]]:
    """Dependency order; a cycle is reported with the cells that form it."""
    order: list[Derived] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    problems = []

    def visit(name, stack):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = stack[stack.index(name):] + [name]
            problems.append(
                "计算项循环引用：" + " → ".join(f"{n}（{items[n].cell}）" for n in cycle)
            )
            return
        state[name] = 1
        for dep in sorted(items[name].formula.names):
            if dep in items:
                visit(dep, stack + [name])
        state[name] = 2
        order.append(items[name])

    for name in items:
        visit(name, [])
    return order, problems
