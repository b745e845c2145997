"""Column roles from what the columns hold (issue 27), for tables whose header words say too little: no header row,
header words outside the vocabulary, a column headed 分值 that holds names with their points in them.

Evidence per column, over the table's body rows: the share of numbers that can be points (0 < x ≤ 100, `15`, `15分`),
whether the numbers count rows (1, 2, 3 …: a 序号 column), names with "(N分)" in them, the length of the texts and
the share that read like rules (得/扣/计/分/按/每/%/≥ …), how densely a column is filled (a level merged down its
children is sparse). Header words, where a column has one, come first; content decides the rest. A reading is
accepted only when it has names and points (in a column or in the names); each decision is said in `Header.how`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...values import parse_number_text
from ...words import KV_NAME, KV_VALUE, LEVEL_ALIASES, ROW_NUMBER_WORDS, TOTAL_WORDS, WIDE_UNIT
from ..data import points_number
from ..headers import HEADER_SCAN_ROWS, header_key
from ..workbook import merged_lookup
from .header import Header, cell_text, header_cells
from .table import split_points

MAX_BODY_ROWS = 400  # body rows looked at to judge a column
MAX_COLUMNS = 40
MAX_POINTS = 100.0  # a single indicator's points
LONG_TEXT = 12  # characters: a column whose texts are this long on average holds sentences, not names
RULE_WORDS = re.compile(r"得|扣|计|[0-9一二三四五六七八九十]分|按|每|%|％|≥|≤|>|<|不低于|不高于|以上|以下|满分")
COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = COLUMN_LETTERS[rest] + letters
    return letters


@dataclass
class Column:
    col: int
    filled: int = 0  # non-empty body cells
    numbers: int = 0  # of them, numbers that can be points
    texts: int = 0
    point_rules: int = 0  # texts that give or take points (得…分, 扣…分, 不得分, 满分): scoring rules, not names
    formulas: int = 0  # texts that are 评分公式 (a function call or arithmetic over names that compiles)
    targets: int = 0  # texts that are 目标值 (≥95%, 不低于90%, 100人以上)
    text_chars: int = 0
    rule_texts: int = 0
    embedded: int = 0  # names with "(N分)" in them
    sequence: bool = False  # its numbers count the rows (1, 2, 3 …)
    total: float = 0.0  # the sum of its numbers

    @property
    def mean_length(self) -> float:
        return self.text_chars / self.texts if self.texts else 0.0

    def mostly(self, count: int) -> bool:
        return self.filled > 0 and count >= 0.7 * self.filled


def body_rows(ws, first: int, max_col: int, merged) -> list[int]:
    """The rows of the table from `first`: until a blank row, a 合计/总分 row or MAX_BODY_ROWS; the header printed
    again inside the table (the row above `first` repeated) left out."""
    header = [header_key(ws.cell(first - 1, c).value) for c in range(1, max_col + 1)] if first > 1 else []
    rows = []
    last = min(ws.max_row or 0, first + MAX_BODY_ROWS)
    for r in range(first, last + 1):
        texts = [cell_text(raw) for raw in _own_values(ws, r, max_col, merged)]
        if not any(texts) and not any(merged.get((r, c), (r, c))[0] < r for c in range(1, max_col + 1)):
            break
        first_text = next((t for t in texts if t), "")
        if re.sub(r"\s+", "", first_text).startswith(TOTAL_WORDS):
            break
        keys = [header_key(ws.cell(r, c).value) for c in range(1, max_col + 1)]
        if sum(1 for k, h in zip(keys, header) if k and k == h) >= 2:
            continue  # the header again
        rows.append(r)
    return rows


def survey(ws, rows: list[int], max_col: int, merged) -> dict[int, Column]:
    columns = {c: Column(c) for c in range(1, max_col + 1)}
    numbers_of: dict[int, list[float]] = {c: [] for c in columns}
    for r in rows:
        for c, column in columns.items():
            if merged.get((r, c), (r, c)) != (r, c):
                continue  # a merged continuation: the value is above
            raw = ws.cell(r, c).value
            text = cell_text(raw)
            if not text:
                continue
            column.filled += 1
            number = points_number(raw) if not isinstance(raw, bool) else None
            if number is not None:
                if 0 < number <= MAX_POINTS:
                    column.numbers += 1
                    numbers_of[c].append(number)
                continue
            column.texts += 1
            column.text_chars += len(text)
            column.formulas += _is_formula(text)
            column.point_rules += bool(POINT_RULE.search(text))
            column.targets += bool(TARGET_SHAPE.search(text)) and len(text) < LONG_TEXT
            name, points = split_points(text)
            embedded = points is not None and len(name) < LONG_TEXT and not RULE_WORDS.search(name)
            column.rule_texts += not embedded and bool(RULE_WORDS.search(text))
            column.embedded += embedded
    for c, column in columns.items():
        values = numbers_of[c]
        column.total = sum(values)
        column.sequence = len(values) >= 3 and all(v == float(i) for i, v in enumerate(values, start=values[0] == 0 or 1))
        column.sequence = column.sequence or (len(values) >= 3 and values == sorted(values) and
                                              all(b - a == 1 for a, b in zip(values, values[1:])))
    return columns


def _finer_names(columns: dict[int, Column], names: list[int], roles: dict, how: list[str]) -> None:
    """Points given row by row under names merged over several rows: the text column between them that is as fine as
    the points holds the next level's names (审核内容 merged over 具体内容 rows of 5 分 each)."""
    points = roles.get("points", [])
    if not points or not names:
        return
    finest = max(points, key=lambda c: columns[c].filled)
    left = [n for n in names if n < finest]
    if not left or columns[max(left)].filled >= 0.8 * columns[finest].filled:
        return
    for role in ("description", "criteria"):
        between = [c for c in roles.get(role, []) if max(left) < c < finest
                   and columns[c].filled >= 0.8 * columns[finest].filled]
        if between:
            c = between[0]
            roles[role].remove(c)
            if not roles[role]:
                del roles[role]
            names.append(c)
            names.sort()
            how.append(f"{column_letter(c)} 列读作下一级指标名称（每行有自己的分值，{column_letter(max(left))} 列是合并的上一级）")
            return


POINT_RULE = re.compile(r"[得扣计给减][^，。；,;]{0,10}分|不得分|满分|扣完为止")
TARGET_SHAPE = re.compile(r"^\s*(?:[≥≤><=＞＜]|不低于|不高于|不少于|不超过|达到)|(?:以上|以下|以内|%|％)\s*$")
_FORMULA_SHAPE = re.compile(r"^=?\s*(?:[A-Z]{2,}\s*\(|.*(?:分值|完成值|目标值).*[*/+\-])")


def _is_formula(text: str) -> bool:
    if not _FORMULA_SHAPE.match(text):
        return False
    from ...formula import compile_formula
    from ...errors import FormulaError

    try:
        compile_formula(text)
    except FormulaError:
        return False
    return True


def _data_sheet_header(ws, h: int, max_col: int) -> bool:
    """The header of a data workbook (名称 | 数值, or 单位名称 first): such a sheet holds figures, not indicators."""
    keys = [header_key(ws.cell(h, c).value) for c in range(1, max_col + 1)]
    filled = [k for k in keys if k]
    return bool(filled) and ((any(k in KV_NAME for k in filled) and any(k in KV_VALUE for k in filled))
                             or filled[0] in WIDE_UNIT)


def infer_header(ws, mapping: dict | None = None) -> Header | None:
    """A reading of the table from its content: the first row (of the first HEADER_SCAN_ROWS) below which rows hold
    names and points, with the roles its header words give (if any) completed from the content; None when no row
    gives a table with names and points."""
    max_col = min(ws.max_column or 0, MAX_COLUMNS)
    if max_col < 2:
        return None
    merged = merged_lookup(ws)
    for h in range(0, min(ws.max_row or 0, HEADER_SCAN_ROWS)):
        if not _data_like(ws, h + 1, max_col, merged) or (h and _data_like(ws, h, max_col, merged)):
            continue  # the table starts at h + 1: row h is its header, a title, or nothing
        if h and _data_sheet_header(ws, h, max_col):
            return None
        rows = body_rows(ws, h + 1, max_col, merged)
        if len(rows) < 2:
            continue
        header = _reading(ws, h if h and _header_like(ws, h, max_col, merged) else 0, rows, max_col, merged, mapping,
                          first=h + 1)
        if header is not None:
            return header
    return None


def _own_values(ws, r: int, max_col: int, merged):
    """The values of row r's cells that hold their own value (not the continuation of a merge above or left)."""
    for c in range(1, max_col + 1):
        if merged.get((r, c), (r, c)) == (r, c):
            yield ws.cell(r, c).value


def _data_like(ws, r: int, max_col: int, merged) -> bool:
    """A row that can be the table's first: a text and points (a number, or points in a name)."""
    texts = points = 0
    for raw in _own_values(ws, r, max_col, merged):
        text = cell_text(raw)
        if not text:
            continue
        number = points_number(raw) if not isinstance(raw, bool) else None
        if number is not None:
            points += 0 < number <= MAX_POINTS
        else:
            texts += 1
            points += split_points(text)[1] is not None
    return texts >= 1 and points >= 1


def _header_like(ws, r: int, max_col: int, merged) -> bool:
    """A row of at least two texts and no number: a header (a title is one merged cell, a body row has numbers)."""
    texts = numbers = 0
    for raw in _own_values(ws, r, max_col, merged):
        if cell_text(raw):
            if parse_number_text(cell_text(raw)) is not None or isinstance(raw, (int, float)):
                numbers += 1
            else:
                texts += 1
    return texts >= 2 and numbers == 0


def _reading(ws, h: int, rows: list[int], max_col: int, merged, mapping, first: int) -> Header | None:
    """The reading of the table whose rows are `rows`, under header row `h` (0: none; the table starts at `first`)."""
    columns = survey(ws, rows, max_col, merged)
    word_levels, word_roles = header_cells(ws, h, max_col, mapping) if h else ({}, {})
    by_words = {c: ("level", lv) for lv, c in word_levels.items()}
    by_words.update({c: ("role", role) for role, cols in word_roles.items() for c in cols})
    by_words.update(by_letter(mapping))
    lettered = {c: lv for c, (kind, lv) in by_letter(mapping).items() if kind == "level"}
    how = [] if h else ["表格没有表头行，按各列内容判断"]
    roles: dict[str, list[int]] = {}
    names: list[int] = []
    numeric = [c for c, column in columns.items() if column.filled and column.mostly(column.numbers)
               and not column.sequence]
    last_points = max(numeric, default=max_col)
    for c, column in columns.items():
        if not column.filled:
            continue
        key = header_key(ws.cell(h, c).value) if h else ""
        word = by_words.get(c)
        letter = column_letter(c)
        if key in ROW_NUMBER_WORDS or (column.sequence and column.mostly(column.numbers)):
            how.append(f"{letter} 列是序号（{'表头' if key in ROW_NUMBER_WORDS else '1、2、3…'}），不读")
            continue
        if c in lettered:
            continue  # a level 设置 names by its letter
        if word and word[0] == "role" and not (word[1] == "points" and column.mostly(column.texts)):
            roles.setdefault(word[1], []).append(c)
            continue
        if column.texts and column.mostly(column.formulas):
            roles.setdefault("formula", []).append(c)
            how.append(f"{letter} 列是评分公式")
        elif column.texts and column.mostly(column.targets + column.numbers) and column.targets >= 0.5 * column.texts:
            roles.setdefault("target", []).append(c)
            how.append(f"{letter} 列是目标值（≥、≤、%、以上等）")
        elif column.mostly(column.numbers):
            roles.setdefault("points", []).append(c)
            how.append(f"{letter} 列是分值（数字，合计 {column.total:g}）")
        elif column.mostly(column.texts) and not column.mostly(column.embedded) and (
                column.point_rules >= 0.5 * column.texts
                or (column.mean_length >= LONG_TEXT and column.rule_texts >= 0.3 * column.texts
                    and column.point_rules >= 0.2 * column.texts)):
            roles.setdefault("criteria", []).append(c)
            how.append(f"{letter} 列是评分标准（句子，含得分、扣分等字样）")
        elif column.mostly(column.texts) and column.mean_length >= LONG_TEXT and not column.mostly(column.embedded):
            roles.setdefault("description", []).append(c)
            how.append(f"{letter} 列是指标说明（长文字）")
        elif column.mostly(column.texts) and c > last_points:
            roles.setdefault("description", []).append(c)
            how.append(f"{letter} 列是说明（文字，在分值列右边）")
        elif column.mostly(column.texts):
            names.append(c)
            embedded = "，名称中带分值" if column.mostly(column.embedded) else ""
            how.append(f"{letter} 列是指标名称（短文字{embedded}）")
    if not names and not lettered:  # long texts left of the points and no short ones: those long texts are the names
        first_points = min(roles.get("points", [max_col + 1]))
        longer = [c for c in roles.get("description", []) if c < first_points]
        if longer:
            roles["description"].remove(longer[0])
            if not roles["description"]:
                del roles["description"]
            names.append(longer[0])
            how.append(f"{column_letter(longer[0])} 列读作指标名称（分值左边只有这一列长文字，名称写得较长）")
    if not names and not lettered:
        return None
    _finer_names(columns, names, roles, how)
    if len(roles.get("criteria", [])) > 1:  # the most rule-like one is the 评分标准, the others describe
        best = max(roles["criteria"], key=lambda c: columns[c].rule_texts / max(1, columns[c].texts))
        roles["description"] = sorted(roles.get("description", []) + [c for c in roles["criteria"] if c != best])
        roles["criteria"] = [best]
    has_points = roles.get("points") or any(columns[c].mostly(columns[c].embedded) for c in names)
    if not has_points and not roles.get("formula"):
        return None
    levels = {k: c for k, c in enumerate(sorted(names), start=1)}
    if lettered:  # 设置 gives the levels by letter: they are the levels
        levels = {lv: c for c, lv in lettered.items()}
    row = h if h else first - 1  # without a header row, the table starts right under the title (or at row 1)
    return Header(top=max(row, 1), row=row, roles=roles, levels=levels, how=how, printed=bool(h))


def _rule_like(column: Column) -> bool:
    """Sentences that give or take points (a name with its formula in brackets, “…（到位资金/预算×100%）”, is none)."""
    return (column.mostly(column.texts) and not column.mostly(column.embedded) and column.mean_length >= LONG_TEXT
            and column.point_rules >= 0.5 * column.texts)


def _empty_levels(header: Header, columns: dict[int, Column]) -> Header:
    """A column read as a level by its header word (指标) that holds nothing under it is no level."""
    empty = [lv for lv, c in header.levels.items() if c in columns and not columns[c].filled]
    if not empty or len(empty) == len(header.levels):
        return header
    kept = [c for lv, c in sorted(header.levels.items()) if lv not in empty]
    levels = {k: c for k, c in enumerate(kept, start=1)}
    return Header(header.top, header.row, header.roles, levels, header.grades, header.how)


def _points_under_score(ws, header: Header, columns: dict[int, Column]) -> Header:
    """No 分值 column, but columns headed 得分 (or 自评分 …) hold numbers on the indicators' rows: those are the
    points as printed (a blank 得分 column is the output it names)."""
    scores = header.roles.get("score", [])
    if header.roles.get("points") or not scores:
        return header
    if any(c in columns and columns[c].embedded for c in header.levels.values()):
        return header  # points are in the names: the numbers under 得分 are the unit's scores (a filled 评分表)
    numbered = [c for c in scores if columns.get(c) and columns[c].filled >= 2 and columns[c].mostly(columns[c].numbers)]
    if not numbered:
        return header
    roles = dict(header.roles)
    roles["points"] = numbered
    roles["score"] = [c for c in scores if c not in numbered]
    if not roles["score"]:
        del roles["score"]
    how = header.how + [f"{column_letter(c)} 列表头是“{cell_text(ws.cell(header.row, c).value)}”，但其中是各指标的分值，读作分值"
                        for c in numbered]
    return Header(header.top, header.row, roles, header.levels, header.grades, how)


def _sentences_in_name_columns(ws, header: Header, columns: dict[int, Column]) -> Header:
    """A column read as a level by its header word (评分指标, 指标) that holds rule sentences (得…分, 扣…分) is the
    评分标准, when other columns hold the names; a 指标说明 column of rule sentences is the 评分标准 when there is
    none."""
    levels, roles, how = dict(header.levels), {k: list(v) for k, v in header.roles.items()}, list(header.how)
    if len(levels) >= 2:
        deepest = max(levels)
        c = levels[deepest]
        by_level_word = header_key(ws.cell(header.row, c).value) in LEVEL_ALIASES  # 三级指标 says what it holds
        if c in columns and _rule_like(columns[c]) and not header.grades and not by_level_word:
            del levels[deepest]
            roles.setdefault("criteria" if not roles.get("criteria") else "description", []).append(c)
            how.append(f"{column_letter(c)} 列表头“{cell_text(ws.cell(header.row, c).value)}”像是指标名称，但其中是评分规则的句子，"
                       f"读作{'评分标准' if c in roles.get('criteria', []) else '指标说明'}")
    if not roles.get("criteria"):
        described = [c for c in roles.get("description", []) if c in columns and _rule_like(columns[c])]
        if described:
            c = described[0]
            roles["description"].remove(c)
            if not roles["description"]:
                del roles["description"]
            roles["criteria"] = [c]
            how.append(f"{column_letter(c)} 列表头是“{cell_text(ws.cell(header.row, c).value)}”，其中是评分规则的句子，读作评分标准")
    if levels == header.levels and roles == header.roles:
        return header
    return Header(header.top, header.row, roles, levels, header.grades, how)


def by_letter(mapping: dict | None) -> dict[int, tuple[str, object]]:
    """设置's `列:分值 | D` rows: column → ("level", n) or ("role", role)."""
    return {key[1]: what for key, what in (mapping or {}).items() if isinstance(key, tuple)}


def refine(ws, header: Header, mapping: dict | None = None) -> Header:
    """A reading by header words checked against the content: a column headed 分值 (or 权重 …) whose cells are names
    with their points in them ("任务分解（2分）") holds the next level's names. Columns 设置 names by letter are as
    it says."""
    lettered = by_letter(mapping)
    if lettered:
        levels = {lv: c for lv, c in header.levels.items() if c not in lettered}
        roles = {role: [c for c in cols if c not in lettered] for role, cols in header.roles.items()}
        for c, (kind, what) in lettered.items():
            if kind == "level":
                levels[what] = c
            else:
                roles.setdefault(what, []).append(c)
        header = Header(header.top, header.row, {r: cols for r, cols in roles.items() if cols}, levels, header.grades,
                        header.how + ["有些列按指定的读法读（“设置”中的“列:… | 列号”，或网页上为各列选的读法）"])
    cols = [c for cs in header.roles.values() for c in cs] + list(header.levels.values())
    if not cols:
        return header
    width = max(min(ws.max_column or 0, MAX_COLUMNS), max(cols))
    merged = merged_lookup(ws)
    rows = body_rows(ws, header.row + 1, width, merged)
    columns = survey(ws, rows, width, merged)
    header = _empty_levels(header, columns)
    header = _points_under_score(ws, header, columns)
    header = _sentences_in_name_columns(ws, header, columns)
    points = header.roles.get("points", [])
    if not points:
        return header
    named = [c for c in points if columns[c].mostly(columns[c].texts) and columns[c].mostly(columns[c].embedded)]
    if not named:
        return header
    levels = dict(header.levels)
    for c in named:
        deeper = max([lv for lv, lc in levels.items() if lc < c], default=0) + 1
        shifted = {lv + 1 if lv >= deeper else lv: lc for lv, lc in levels.items()}
        shifted[deeper] = c
        levels = shifted
        header.how.append(f"{column_letter(c)} 列表头是分值，但其中是带分值的名称（如“{cell_text(ws.cell(rows[0], c).value)}”），"
                          f"读作第 {deeper} 级指标名称")
    roles = dict(header.roles)
    roles["points"] = [c for c in points if c not in named]
    if not roles["points"]:
        del roles["points"]
    return Header(header.top, header.row, roles, levels, header.grades, header.how)


ROLE_NAMES = {"points": "分值", "code": "编号", "description": "指标说明", "criteria": "评分标准", "formula": "评分公式",
              "target": "目标值", "type": "指标类型", "actual": "实际完成值", "score": "得分", "note": "扣分说明"}
LEVEL_NAMES = {1: "一级指标", 2: "二级指标", 3: "三级指标", 4: "四级指标"}


def mapping_rows(header: Header) -> list[tuple[str, str]]:
    """The reading as 设置 rows (`列:分值`, `D`): what each column is, by column letter, so that a clerk can correct
    it (a column letter names one column even where header words repeat)."""
    rows = [(f"列:{LEVEL_NAMES.get(lv, f'{lv}级指标')}", column_letter(c)) for lv, c in sorted(header.levels.items())]
    for role, cols in header.roles.items():
        if role in ROLE_NAMES:
            rows += [(f"列:{ROLE_NAMES[role]}", column_letter(c)) for c in cols[:1]]
    return rows


def reading_lines(ws, header: Header, system, skipped: list[str]) -> list[str]:
    """读表结果: the sheet and header row, what each column is (by letter and header text), the levels, the leaves
    and their total, the rows skipped, and each decision the content made."""
    def named(c):
        text = cell_text(ws.cell(header.row, c).value).replace("\n", "") if header.printed else ""
        return f"{column_letter(c)} 列" + (f"“{text}”" if text else "")

    where = f"工作表“{ws.title}”，表头在第 {header.row} 行" if header.printed else f"工作表“{ws.title}”，没有表头行"
    parts = [f"{LEVEL_NAMES.get(lv, f'{lv}级指标')}={named(c)}" for lv, c in sorted(header.levels.items())]
    parts += [f"{ROLE_NAMES[role]}={'、'.join(named(c) for c in cols)}" for role, cols in header.roles.items()
              if role in ROLE_NAMES]
    if header.grades:
        parts.append("等级列=" + "、".join(g.grade for g in header.grades))
    leaves = system.leaves()
    total = sum(float(leaf.weight or 0) for leaf in leaves if leaf.kind.value == "normal")
    lines = [f"{where}，指标从第 {system.first_row} 行到第 {system.last_row} 行", "；".join(parts),
             f"{len(system.roots)} 个一级指标，{len(leaves)} 个末级指标，末级分值合计 {total:g}"]
    if skipped:
        lines.append(f"跳过 {len(skipped)} 行（不是指标：模板占位或“其中…”明细）：{'、'.join(skipped[:6])}"
                     + ("等" if len(skipped) > 6 else ""))
    lines += header.how
    return lines
