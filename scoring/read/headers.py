"""Header words, as both readers match them: spaces, line breaks and a bracketed suffix removed."""

from __future__ import annotations

import re

from ..values import normalize_name

HEADER_SCAN_ROWS = 30  # a header row is looked for in the first rows of a sheet
MAX_HEADER_COLUMNS = 200

_BRACKET_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")


def header_key(text) -> str:
    """Header text as matched: no spaces or line breaks, no bracketed suffix, full-width folded, lower case."""
    if text is None:
        return ""
    key = re.sub(r"\s+", "", str(text))
    key = _BRACKET_SUFFIX.sub("", key)
    return normalize_name(key).lower()


def sheet_head(ws, max_col: int = MAX_HEADER_COLUMNS) -> list[list]:
    """The first HEADER_SCAN_ROWS rows of an openpyxl sheet as lists of values."""
    cols = min(ws.max_column or 0, max_col)
    return [[ws.cell(r, c).value for c in range(1, cols + 1)]
            for r in range(1, min(ws.max_row or 0, HEADER_SCAN_ROWS) + 1)]
