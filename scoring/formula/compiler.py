"""Text → compiled ``Formula``: tokens, parse tree, the names it reads. Compiled once, evaluated per unit.

    f = compile_formula("IF(编制数=0, 分值, RATIO(在职人员数, 编制数))", where="指标体系!K7 评分公式")
    f.names                 # frozenset({'编制数', '在职人员数', '分值'})
    f.evaluate({"编制数": 12.0, "在职人员数": 7.0, "分值": 5.0})
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import FormulaError
from ..values import describe, normalize_name
from .evaluator import evaluate_tree, unknown_name
from .names import MAX_FORMULA_LENGTH, POINTS_NAME
from .parser import Parser
from .targets import Target
from .tokens import tokenize


@dataclass(frozen=True, eq=False)
class Formula:
    """A compiled formula: immutable, evaluated for as many units as needed (also concurrently)."""

    text: str
    tree: ast.AST
    names: frozenset[str]
    name_positions: dict[str, int]  # 1-based
    uses_points: bool
    where: str = ""
    display_names: dict = field(default_factory=dict)  # normalized → as written

    def evaluate(self, context: Mapping, trace: list | None = None):
        """The formula's value for one unit; NA when it read an N/A value; FormulaError otherwise.

        `context` maps normalized names to values (float, bool, str, Target, NA, MISSING, Invalid);
        `trace`, if given, receives (name, value) for every name read, in order.
        """
        try:
            value = evaluate_tree(self.tree, context, trace)
        except FormulaError as exc:
            raise self.locate(exc) from None
        if isinstance(value, Target):
            return value.value
        return value

    def locate(self, exc: FormulaError) -> FormulaError:
        """`exc` with this formula's cell and text, unless it already names them."""
        exc.where = exc.where or self.where
        exc.formula = exc.formula or self.text
        return exc


def compile_formula(text, where: str = "", known_names=None) -> Formula:
    """Compile a formula once. `where` names the cell (e.g. "指标体系!K7 评分公式") for messages;
    `known_names`, when given, turns an unknown name into a compile error with suggestions."""
    try:
        return _compile(text, known_names, where)
    except FormulaError as exc:
        exc.where = exc.where or where
        exc.formula = exc.formula or ("" if text is None else str(text))
        raise


def _compile(text, known_names, where) -> Formula:
    if text is None or not isinstance(text, (str, int, float)) or isinstance(text, bool):
        raise FormulaError("公式为空")
    text = str(text)
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"公式长 {len(text)} 个字符，超过上限 {MAX_FORMULA_LENGTH}")
    offset = 0
    stripped = text.lstrip()
    if stripped[:1] in ("=", "＝"):
        offset = len(text) - len(stripped) + 1
    body = " " * offset + text[offset:]  # keep positions of the original text
    parser = Parser(body, tokenize(body))
    tree = parser.parse()
    if known_names is not None:
        known = {normalize_name(k) for k in known_names} | {POINTS_NAME}
        for name, pos in parser.names.items():
            if name not in known:
                raise unknown_name(name, known, pos + 1)
    return Formula(
        text=text,
        tree=tree,
        names=frozenset(parser.names),
        name_positions={k: v + 1 for k, v in parser.names.items()},
        uses_points=parser.uses_points,
        where=where,
        display_names=parser.display,
    )


def as_number(value, where: str = "") -> float:
    """A formula's result as points: TRUE → 1, FALSE → 0; text is an error."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    raise FormulaError(f"公式结果是“{describe(value)}”，不是数值", None, where)
