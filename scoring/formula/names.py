"""Names the engine provides to an indicator's formula (SPEC §2.3), and the formula limits."""

POINTS_NAME = "分值"  # the leaf's points
POINTS_ALIASES = ("分值", "满分")
TARGET_NAME = "目标值"  # the leaf's target cell, parsed
ACTUAL_NAME = "完成值"  # the unit's value named like the leaf (or its code)
RESERVED_NAMES = frozenset({POINTS_NAME, TARGET_NAME, ACTUAL_NAME})

# ------------------------------------------------------------------ limits (Excel's where it has one)
MAX_FORMULA_LENGTH = 8192  # characters, as Excel
MAX_NESTING = 64  # nested parentheses / function calls / signs, as Excel's 64 nested functions
MAX_TREE_DEPTH = 200  # operator chains such as 1+1+…+1; beyond this use SUM or a 计算项
MAX_NODES = 2048  # evaluation cost: every node is evaluated at most once per unit
MAX_STRING_LENGTH = 255  # a string literal, as Excel's limit inside formulas
MAX_ARGUMENTS = 255  # per function call, as Excel
