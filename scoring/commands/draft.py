"""`score draft 指标体系.xlsx [-o 起草.xlsx]`: propose a 评分公式 for every leaf that has 评分标准 (or 指标解释) text
and no formula, and write them into a copy of the workbook marked for review. The input is never written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..draft.rules import Draft, RuleContext, draft_rule
from ..errors import InputError, cell_ref
from ..model import Indicator
from ..read import Book
from ..read.indicators import load_indicator_system
from ..values import normalize_name
from ..write.drafted import write_drafted
from ..write.safety import guard_output

# 预算调整率=预算调整数/年初预算数×100%: a rate the text defines, for the 计算项 sheet
_DEFINITION = re.compile(r"(?P<name>[\u4e00-\u9fff“”\"]{2,16}?(率|比例|比率|占比))[=＝](?P<expr>[\u4e00-\u9fff()（）+\-*/×÷“”\"]+?)"
                         r"(?:[×*]100%)?(?=[;；,，。\s]|$)")


@dataclass
class DraftedLeaf:
    indicator: Indicator
    cell: tuple[int, int]  # the 评分公式 cell of its row
    draft: Draft
    source: str  # 评分标准 or 指标解释


@dataclass
class DraftOutcome:
    leaves: list[DraftedLeaf]
    derived: list[tuple[str, str, str]] = field(default_factory=list)  # (name, formula, the definition read)
    written: Path | None = None
    sheet_name: str = ""
    formula_col: int = 0
    added_column: bool = False
    reading: list[str] = field(default_factory=list)  # 读表结果: how the table was read

    @property
    def drafted(self) -> list[DraftedLeaf]:
        return [d for d in self.leaves if not d.draft.manual]

    @property
    def manual(self) -> list[DraftedLeaf]:
        return [d for d in self.leaves if d.draft.manual]

    @property
    def declined(self) -> list[DraftedLeaf]:
        """Leaves with a clause draft could not read (or could read two ways): 未能起草, the clause quoted."""
        return [d for d in self.leaves if d.draft.declined]


def default_output(indicators: Path) -> Path:
    return indicators.with_name(f"{indicators.stem}_起草.xlsx")


def draft(indicators, output=None, sheet: str | None = None, force: bool = False, dry_run: bool = False) -> DraftOutcome:
    """Draft formulas for the leaves of the indicator workbook `indicators` that have criteria text and no formula;
    write the drafted copy to `output` (default ``default_output``) unless `dry_run`."""
    book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    output = Path(output) if output is not None else default_output(book.path)
    if not dry_run:  # an earlier draft may hold someone's review: never replaced silently
        guard_output(output, [book.path], force, what="指标体系工作簿",
                     advice=f"请换一个输出文件名，或不指定输出文件（写到 {default_output(book.path).name}）",
                     exists_why="（可能是以前起草、已经核对过的工作簿）")
    system, _ = load_indicator_system(book, sheet)  # a formula that does not compile is no reason not to draft
    formula_cols = system.columns.get("formula") or []
    header_cols = [c for v in system.columns.values() for c in v]
    formula_col = formula_cols[0] if formula_cols else _last_header_col(book, system, header_cols) + 1
    existing = {normalize_name(d.name) for d in system.derived}
    outcome = DraftOutcome([], sheet_name=system.sheet_name, formula_col=formula_col, added_column=not formula_cols,
                           reading=list(system.reading))
    for leaf in (o for leaf in system.leaves() for o in leaf.options):
        if leaf.formula_text or leaf.bands or leaf.scored_by_unit:
            continue
        text, source = (leaf.criteria, "评分标准") if leaf.criteria.strip() else (leaf.description, "指标解释")
        if not text.strip():
            continue
        result = draft_rule(text, RuleContext(name=leaf.name, target=leaf.target))
        outcome.leaves.append(DraftedLeaf(leaf, (leaf.row, formula_col), result, source))
        if not result.manual and "完成值" in result.formula:
            for name, expr, phrase in _definitions(leaf):
                if normalize_name(name) not in existing:
                    existing.add(normalize_name(name))
                    outcome.derived.append((name, expr, phrase))
    if not outcome.leaves:
        raise InputError(f"“{book.name}”中没有需要起草的指标：每个末级指标都已有评分公式（或没有评分标准、指标解释文字）")
    if not dry_run:
        outcome.written = write_drafted(book, system, outcome, output)
    return outcome


def _last_header_col(book: Book, system, header_cols: list[int]) -> int:
    ws = book.workbook[system.sheet_name]
    top = system.header_top or system.header_row
    used = [c.column for r in range(top, system.header_row + 1) for c in ws[r] if c.value is not None]
    return max(used + header_cols)


def _definitions(leaf: Indicator) -> list[tuple[str, str, str]]:
    """(计算项 name, formula, phrase) for a rate the leaf's own text defines under the leaf's own name."""
    found = []
    own = normalize_name(leaf.name)
    for text in (leaf.description, leaf.criteria):
        for match in _DEFINITION.finditer(re.sub(r"\s+", "", text or "")):
            name = match["name"].strip("“”\"")
            if normalize_name(name) != own and not own.endswith(normalize_name(name)):
                continue
            expr = match["expr"].translate(str.maketrans({"×": "*", "÷": "/", "（": "(", "）": ")", "“": "", "”": "", '"': ""}))
            if re.search(r"[\u4e00-\u9fff]", expr) and "/" in expr:
                found.append((leaf.name, expr, match[0]))
                return found
    return found


def formula_cell_ref(outcome: DraftOutcome, leaf: DraftedLeaf) -> str:
    return cell_ref(outcome.sheet_name, *leaf.cell)
