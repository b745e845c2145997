"""The formula language (SPEC §4): Excel syntax and semantics, compiled once, evaluated per unit.

text → ``tokens`` → ``parser`` (Excel precedence, positions on every node) → ``compiler.Formula``;
evaluated for one unit by ``evaluator`` (restricted simpleeval) or for many units at once by
``vector`` (numpy). Every function is one entry of ``functions.FUNCTIONS``; Excel's arithmetic,
comparison and rounding rules live in ``excel``; targets (≥95%) in ``targets``.
"""

from ..errors import FormulaError, MissingValueError
from .compiler import Formula, as_number, compile_formula
from .names import (
    ACTUAL_NAME, MAX_ARGUMENTS, MAX_FORMULA_LENGTH, MAX_NESTING, MAX_NODES, MAX_STRING_LENGTH,
    MAX_TREE_DEPTH, POINTS_NAME, TARGET_NAME,
)

__all__ = [
    "Formula", "FormulaError", "MissingValueError", "compile_formula", "as_number",
    "POINTS_NAME", "TARGET_NAME", "ACTUAL_NAME", "MAX_FORMULA_LENGTH", "MAX_NESTING", "MAX_TREE_DEPTH",
    "MAX_NODES", "MAX_STRING_LENGTH", "MAX_ARGUMENTS",
]
