"""The indicator table walked row by row into the indicator tree: merged or blank-below level cells, points in names,
subtotal and 合计 rows, 择其一, grade columns; then the tree's points (passed down, summed up, checked)."""

from __future__ import annotations

import re

from ...errors import FormulaError, TargetError, cell_ref
from ...formula.targets import is_qualitative, parse_target, unreadable_target
from ...model import Band, Indicator, Kind, Settings
from ...values import format_number, normalize_name, without_numbering
from ...words import (BONUS_NAMES, BREAKDOWN_PREFIX, CHOICE_WORDS, CLOSING_WORDS, MAX_SUBTOTAL_LABEL, NUMBERING_RANKS,
                       PENALTY_NAMES, PLACEHOLDER, SUBTOTAL_WORD, TOTAL_WORDS)
from ..data import points_number
from ..headers import header_key
from ..workbook import cell_value, merged_lookup
from .header import Header, bind_to_levels, cell_text


class LeafProblem(str):
    """A problem of one indicator (a 目标值 that cannot be read): `check` lists it, scoring makes that indicator an
    error for every unit and scores the rest."""

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


class TableReader:
    def __init__(self, ws, header: Header):
        self.ws = ws
        self.header_row = header.row
        self.roles = roles = header.roles
        self.levels = levels = dict(sorted(header.levels.items()))
        self.grades = header.grades
        self.points_cols = bind_to_levels(roles.get("points", []), self.levels)
        self.score_cols = bind_to_levels(roles.get("score", []), self.levels)
        self.merged = merged_lookup(ws)
        self.merge_heights = {(m.min_row, m.min_col): m.max_row - m.min_row + 1 for m in ws.merged_cells.ranges}
        self.roots: list[Indicator] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.total_row = None
        self.skipped: list[str] = []  # rows that hold no indicator (a form's 指标2 or ……, a 其中… breakdown)
        self.repeated: list[int] = []  # rows where the header is printed again
        self.header_rows = header.row - header.top + 1
        self.header_cols = sorted({c for cols in roles.values() for c in cols} | set(levels.values()))
        self.header_texts = [header_key(ws.cell(header.row if header.top == header.row else header.top, c).value)
                             for c in self.header_cols] if header.row else []
        self.last_row = header.row
        self.next_id = 0
        all_cols = ([c for cols in roles.values() for c in cols] + list(levels.values())
                    + [c for g in self.grades for c in g.cols])
        self.max_col = max(all_cols)
        self.min_col = min(all_cols)
        self.sections, self.section_why = self.find_sections()
        if self.sections:  # a level above the columns' levels: shift them down by one
            self.levels = levels = {lv + 1: c for lv, c in self.levels.items()}
            self.points_cols = bind_to_levels(roles.get("points", []), self.levels)
            self.score_cols = bind_to_levels(roles.get("score", []), self.levels)

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
        return cell_text(self.value(row, col)) != ""

    def row_is_blank(self, row) -> bool:
        for c in range(1, self.max_col + 1):
            top = self.merged.get((row, c))
            if top is not None and top[0] < row:
                return False
            if cell_text(self.ws.cell(row, c).value):
                return False
        return True

    def row_kind(self, row) -> str | None:
        """"total" for a 合计/总分/总计 row (it ends the table), "subtotal" for a 小计 row inside it (skipped),
        else None; decided by the row's first text that is not a merged continuation."""
        for c in range(1, self.max_col + 1):
            top = self.merged.get((row, c))
            if top is not None and top[0] < row:
                continue
            text = cell_text(self.ws.cell(row, c).value)
            if text:
                plain = without_numbering(re.sub(r"\s+", "", text))
                if plain.startswith(TOTAL_WORDS) or plain.startswith(CLOSING_WORDS):
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
            if row in self.sections:
                self.read_section(row, current)
                row += 1
                continue
            if self.repeats_header(row):
                self.repeated.append(row)
                row += self.header_rows
                continue
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
            if new_levels and self.holds_no_indicator(row, new_levels):
                self.skipped.append(self.ref(row, self.levels[max(new_levels)]))
                new_levels = new_levels[:-1]  # its upper levels still start here (and stay empty categories)
            if new_levels:
                self.read_row(row, new_levels, current)
            row += 1
        self.group_alternatives()
        if self.skipped:
            shown = "、".join(self.skipped[:6]) + ("等" if len(self.skipped) > 6 else "")
            self.warnings.append(f"跳过 {len(self.skipped)} 行不是指标的行（表格模板留下的“指标2”“……”，或上一指标的“其中…”明细），"
                                 f"它们没有分值：{shown}")

    def body(self) -> list[int]:
        """The table's rows (until a blank, 合计 or closing row)."""
        rows, row = [], self.header_row + 1
        while row <= (self.ws.max_row or self.header_row) and not self.row_is_blank(row) and self.row_kind(row) != "total":
            rows.append(row)
            row += 1
        return rows

    def find_sections(self) -> tuple[dict[int, str], str]:
        """Rows that head a group above the columns' levels, and why: a row whose one text is merged across the table
        (“一、立项必要性（20分）” over the columns), or — where the first name column holds two ranks of numbering —
        its rows of the higher rank (一、 over 1、)."""
        first_col = self.levels[min(self.levels)]
        width = self.max_col - self.min_col + 1
        body = self.body()
        spanning = {}
        for row in body:
            texts = [(c, cell_text(self.ws.cell(row, c).value)) for c in range(self.min_col, self.max_col + 1)
                     if self.merged.get((row, c), (row, c)) == (row, c) and cell_text(self.ws.cell(row, c).value)]
            if len(texts) == 1 and width >= 3:
                c = texts[0][0]
                span = next((m for m in self.ws.merged_cells.ranges if (m.min_row, m.min_col) == (row, c)), None)
                if span is not None and span.max_col - span.min_col + 1 >= max(3, 2 * width // 3):
                    spanning[row] = texts[0][1]
        if spanning:
            return spanning, "整行合并的标题行"
        ranks = {}
        for row in body:
            if self.merged.get((row, first_col), (row, first_col)) != (row, first_col):
                continue
            text = cell_text(self.ws.cell(row, first_col).value)
            rank = next((k for k, pattern in enumerate(NUMBERING_RANKS) if pattern.match(text)), None)
            if text and rank is not None:
                ranks[row] = (rank, text)
        used = sorted({rank for rank, _ in ranks.values()})
        if len(used) < 2 or len(ranks) < 3:
            return {}, ""
        top = used[0]
        heads = [row for row, (rank, _) in ranks.items() if rank == top]
        below = [row for row, (rank, _) in ranks.items() if rank != top]
        if not heads or not below or min(below) < min(heads):
            return {}, ""
        return {row: ranks[row][1] for row in heads}, "名称列中编号级别较高的行（如“一、”在“1、”之上）"

    def repeats_header(self, row) -> bool:
        """The header printed again inside the table (a long table printed page by page, or before each group)."""
        texts = [header_key(self.ws.cell(row, c).value) for c in self.header_cols]
        named = [(t, h) for t, h in zip(texts, self.header_texts) if h]
        same = sum(t == h for t, h in named)
        numbers = any(points_number(self.ws.cell(row, c).value) is not None for c in self.header_cols)
        return same >= 2 and same >= 0.6 * len(named) and not numbers

    def holds_no_indicator(self, row, new_levels) -> bool:
        """A row whose deepest name has no points of its own and is named as no indicator is: a placeholder a form
        left (指标2, ……) or a breakdown of the indicator above it (其中桃树种植面积)."""
        if max(new_levels) != max(self.levels):
            return False
        name = re.sub(r"\s+", "", cell_text(self.value(row, self.levels[max(new_levels)])))
        if not (PLACEHOLDER.match(name) or name.startswith(BREAKDOWN_PREFIX)):
            return False
        points = [c for lv, c in self.points_cols.items()]
        return not any(cell_text(self.value(row, c)) for c in points) and split_points(name)[1] is None

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
                    and cell_text(self.value(row, self.levels[lv])) == current[lv].raw_name)
            if same:
                continue
            continuing = False
            kept.append(lv)
        return kept

    def read_section(self, row, current) -> None:
        """A group heading row: a new indicator of level 1, with the points in its text or its row's points cell."""
        current.clear()
        raw_name = self.sections[row]
        name, embedded = split_points(raw_name)
        col = next(c for c in range(self.min_col, self.max_col + 1) if cell_text(self.ws.cell(row, c).value) == raw_name)
        node = Indicator(id=self.next_id, name=name, level=1, parent=None, row=row, name_cell=(row, col),
                         raw_name=raw_name)
        self.next_id += 1
        self.roots.append(node)
        current[1] = node
        for c in sorted(set(self.points_cols.values())):
            number = points_number(self.ws.cell(row, c).value) if c != col else None
            if number is not None:
                node.weight, node.weight_given, node.weight_cell = number, True, (row, c)
                return
        if embedded is not None:
            node.weight, node.weight_given, node.weight_cell = embedded, True, node.name_cell

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
            raw_name = cell_text(self.value(row, col))
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
            if cell_text(raw):
                number = self.points_in(raw, (row, col), "分值")
                if number is None:
                    return
                if is_row_leaf:
                    number += self.points_below(node, row, col)
                node.weight, node.weight_given, node.weight_cell = number, True, (row, col)
                return
        if embedded is not None:
            node.weight, node.weight_given, node.weight_cell = embedded, True, node.name_cell

    def points_in(self, raw, where: tuple[int, int], what: str) -> float | None:
        """The points a filled cell holds; None, with the problem named at its cell, when they are no number."""
        number = points_number(raw)
        if number is None:
            self.problems.append(f"{self.ref(*where)} {what}“{cell_text(raw)}”不是数字：请填写数字，如 5")
        return number

    def points_below(self, node, row, col) -> float:
        """A leaf whose name is merged down several rows, each row with points of its own (one item per row, 5 分
        each): the points of the rows below its first, added."""
        height = self.merge_heights.get(node.name_cell, 1)
        if height <= 1 or self.merge_heights.get(self.merged.get((row, col), (row, col)), 1) > 1:
            return 0.0
        numbers = [points_number(self.ws.cell(r, col).value) for r in range(row + 1, node.name_cell[0] + height)]
        return sum(n for n in numbers if n is not None)

    def first(self, role, row):
        for col in self.roles.get(role, []):
            raw = self.value(row, col)
            if cell_text(raw):
                return raw, col
        return None, (self.roles.get(role) or [None])[0]

    def read_leaf_columns(self, leaf, row):
        code, _ = self.first("code", row)
        leaf.code = cell_text(code)
        leaf.criteria = cell_text(self.first("criteria", row)[0])
        leaf.description = cell_text(self.first("description", row)[0])
        formula, fcol = self.first("formula", row)
        leaf.formula_text = cell_text(formula)
        if fcol:
            leaf.formula_cell = (row, fcol)
        target, tcol = self.first("target", row)
        leaf.target_raw = target
        if tcol:
            leaf.target_cell = (row, tcol)
        kind = cell_text(self.first("type", row)[0])
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
            criteria = cell_text(self.own_cell_value(row, g.criteria_col)) if g.criteria_col else ""
            raw = self.own_cell_value(row, g.points_col) if g.points_col else None
            where = (row, g.points_col or g.criteria_col)
            points = None
            if cell_text(raw):
                points = self.points_in(raw, where, f"等级“{g.grade}”的分数")
                if points is None:
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


def compile_indicator(node: Indicator, sheet: str, clock) -> list[str]:
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
    if cell_text(node.target_raw):
        if is_qualitative(node.target_raw):  # 效果明显: never blocks the workbook; scored by hand
            node.qualitative_target = cell_text(node.target_raw)
        else:
            try:
                node.target = parse_target(node.target_raw)
            except TargetError as exc:  # that leaf's error, not the workbook's
                message = LeafProblem(f"{cell_ref(sheet, *node.target_cell)} {exc}")
                node.target = unreadable_target(node.target_raw, message)
                problems.append(message)
    return problems


PERCENT_TOTAL = 100.0


def scale_relative_points(roots, max_total: float, sheet: str) -> list[str]:
    """Points printed as shares within each group (一级 权重 50, and under every 一级 the 二级 分值 add up to 100 again,
    the 三级 to their 二级): the reading that makes the tree add up is 下级 × 上级权重 / 100. Applied level by level, only
    when the top level adds up to 满分 and every group of the next level adds up to 100 while some group's own
    weight is not 100 (a table whose groups already add up to their parents' points is read as printed)."""
    notes = []
    groups = [n for n in roots if n.weight_given]
    if not groups or abs(sum(n.weight for n in groups) - max_total) > 0.01:
        return notes
    while groups:
        parents = [n for n in groups if n.children]
        sums = [sum(c.weight or 0.0 for c in n.children if c.weight_given) for n in parents]
        relative = (parents and all(abs(s - PERCENT_TOTAL) < 0.01 for s in sums)
                    and any(abs(n.weight - PERCENT_TOTAL) > 0.01 for n in parents))
        if not relative:
            break
        for parent in parents:
            factor = parent.weight / PERCENT_TOTAL
            for node in (d for c in parent.children for d in c.walk()):
                if node.weight_given:
                    node.weight = node.weight * factor
        shown = "、".join(f"“{p.name}”{format_number(p.weight)}" for p in parents[:4])
        notes.append(f"{sheet} 每组下级的分值之和都是 100（组内百分比）：按上级的分值折算（{shown}……），"
                     f"下级分值 = 印出的分值 × 上级分值 / 100")
        groups = [c for p in parents for c in p.children if c.children]
    return notes


def drop_empty_categories(roots, deepest: int, sheet: str) -> list[str]:
    """A category row with nothing under it (经济效益指标 on a 自评表 with no indicator below): no points, no
    formula, no target, no criteria, above the table's deepest level — not an indicator; dropped with a note."""
    notes = []
    emptied: set[int] = set()

    def empty(node) -> bool:
        return (node.is_leaf and (node.weight is None or (node.weight == 0 and node.id in emptied))
                and node.level < deepest and not node.formula_text and not cell_text(node.target_raw)
                and not node.criteria)

    def prune(nodes):
        kept = []
        for node in nodes:
            had = bool(node.children)
            node.children = prune(node.children)
            if had and not node.children:
                emptied.add(node.id)  # a group weighted 0 whose rows were all headings: a heading too
            if empty(node) and (node.parent is not None or len(nodes) > 1):
                notes.append(f"{cell_ref(sheet, *node.name_cell)} “{node.name}”没有分值、也没有下级指标，作为分类标题忽略")
                continue
            kept.append(node)
        return kept

    roots[:] = prune(roots)
    return notes


def band_points(roots, sheet: str) -> list[str]:
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


def pass_points_down(roots):
    """A parent with points whose only child has none passes them down (`预算执行（20分）` over one 预算执行率 row
    whose points cell is blank)."""
    for node in (n for r in roots for n in r.walk()):
        if node.weight is not None and len(node.children) == 1 and node.children[0].weight is None:
            child = node.children[0]
            child.weight, child.weight_given, child.weight_cell = node.weight, True, node.weight_cell


def fill_parent_weights(roots):
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
