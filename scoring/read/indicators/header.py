"""The indicator table's header: which column is what, from the header words (and 设置's `列:` rows), with grade
columns (优 | 良 | 中 | 差) and headers printed on two rows; `infer` reads a table whose header says too little."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import cell_ref
from ...words import GENERIC_LEVEL_WORDS, GRADE_WORDS, LEVEL_ALIASES, ROLE_OF
from ..headers import HEADER_SCAN_ROWS, MAX_HEADER_COLUMNS, header_key
from ..workbook import Book, column_index, content_rows

SETTINGS_SHEET = "设置"

LEVEL_BOUND_ROLES = ("points", "score")  # these apply to the nearest level column to their left


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
        elif key in ROLE_OF:
            roles.setdefault(ROLE_OF[key], []).append(c)
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
    how: list[str] = field(default_factory=list)  # how the columns were read, where content decided (读表结果)
    printed: bool = True  # the table prints a header row (False: read by content from the row after `row`)


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
                levels, roles, row = two_row_levels(levels, below_levels), merged_roles, r + 1
        grades, last = grade_columns(ws, row, max_col, mapping)
        if not roles and not grades:
            continue
        if grades:
            taken = {c for g in grades for c in g.cols}
            roles = {role: kept for role, cols in roles.items() if (kept := [c for c in cols if c not in taken])}
            row = max(row, last)
        return Header(top, row, roles, levels, grades)
    return None

MIN_GRADE_COLUMNS = 2
_BAND_POINT_ROLES = ("points", "score")


def grade_columns(ws, row: int, max_col: int, mapping: dict | None = None) -> tuple[list[GradeColumns], int]:
    """Grade columns on the header row or the row below it, and the last header row they use (a row of 评分标准 |
    评价得分 under the grade words belongs to the header)."""
    spans = merge_spans(ws)
    mapping = mapping or {}

    def role(r, c):
        key = header_key(ws.cell(r, c).value)
        kind, what = mapping.get(key, (None, None))
        return what if kind == "role" else ROLE_OF.get(key)

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
                starts.append((c, top[3] if top else c, cell_text(ws.cell(grade_row, c).value).replace("\n", "")))
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


def merge_spans(ws) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(row, col) of every cell in a merged range → (min_row, min_col, max_row, max_col), for the header rows."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row > HEADER_SCAN_ROWS + 3:
            continue
        for r in range(rng.min_row, min(rng.max_row, HEADER_SCAN_ROWS + 3) + 1):
            for c in range(rng.min_col, min(rng.max_col, rng.min_col + MAX_HEADER_COLUMNS) + 1):
                spans[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
    return spans


def two_row_levels(above: dict[int, int], below: dict[int, int]) -> dict[int, int]:
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


def bind_to_levels(cols: list[int], levels: dict[int, int]) -> dict[int, int]:
    """level → column for points/score columns: each applies to the nearest level column on its left."""
    bound = {}
    for col in cols:
        left = [(lc, lv) for lv, lc in levels.items() if lc < col]
        level = max(left)[1] if left else max(levels)
        bound.setdefault(level, col)
    return bound


COLUMN_LETTER = re.compile(r"^[A-Z]{1,3}$")  # 列:分值 | D names the column by its letter
COLUMN_KEY = re.compile(r"^列\s*[:：]\s*(?P<role>[^=＝]+?)\s*(?:[=＝]\s*(?P<header>.+))?$")


def column_mapping(wb) -> tuple[dict[str, tuple[str, object]], list[str]]:
    """设置 rows `列:分值 | 权数` (or `列:分值 = 权数` in one cell): the column headed 权数 is the 分值 column.
    → ({header word: ("level", n) | ("role", role)}, problems)."""
    mapping, problems = {}, []
    if SETTINGS_SHEET not in wb.sheetnames:
        return mapping, problems
    ws = wb[SETTINGS_SHEET]
    for r in content_rows(ws, 1):
        texts = [(c, cell_text(ws.cell(r, c).value)) for c in range(1, min(ws.max_column or 0, 10) + 1)]
        texts = [(c, t) for c, t in texts if t]
        for i, (c, text) in enumerate(texts):
            match = COLUMN_KEY.match(text)
            if not match:
                continue
            header = match.group("header") or (texts[i + 1][1] if i + 1 < len(texts) else "")
            what = header_key(match.group("role"))
            ref = cell_ref(SETTINGS_SHEET, r, c)
            letter = COLUMN_LETTER.match(header.strip())
            key = ("col", column_index(letter.group(0))) if letter else header_key(header)  # D: that column itself
            if not header:
                problems.append(f"{ref} “{text}”没有写对应的表头文字：请写成“列:分值”一格、“权数”（表头文字）或“D”（列号）一格")
            elif what in LEVEL_ALIASES:
                mapping[key] = ("level", LEVEL_ALIASES[what])
            elif what in ROLE_OF:
                mapping[key] = ("role", ROLE_OF[what])
            else:
                problems.append(f"{ref} “{text}”中的“{match.group('role')}”不是可识别的列：可写一级指标、二级指标、三级指标、"
                                f"分值、评分标准、评分公式、目标值、编号、得分、扣分说明等")
            break
    return mapping, problems


def no_header_message(wb, book: Book, sheets: list[str], mapping: dict | None = None) -> str:
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
