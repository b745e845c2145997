"""Header words, as both readers match them: spaces, line breaks and a bracketed suffix removed."""

from __future__ import annotations

import re

from ..errors import InputError
from ..values import normalize_name

HEADER_SCAN_ROWS = 30  # a header row is looked for in the first rows of a sheet
MAX_HEADER_COLUMNS = 200

_BRACKET_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")
_DASH_FOR_ONE = re.compile(r"^[—–－\-─━]级")


def header_key(text) -> str:
    """Header text as matched: no spaces or line breaks, no bracketed suffix, full-width folded, lower case."""
    if text is None:
        return ""
    key = re.sub(r"\s+", "", str(text))
    key = _BRACKET_SUFFIX.sub("", key)
    key = _DASH_FOR_ONE.sub("一级", key)  # —级指标: a dash typed (or recognised by OCR) for 一
    return normalize_name(key).lower()


def sheet_head(ws, max_col: int = MAX_HEADER_COLUMNS) -> list[list]:
    """The first HEADER_SCAN_ROWS rows of an openpyxl sheet as lists of values."""
    cols = min(ws.max_column or 0, max_col)
    return [[ws.cell(r, c).value for c in range(1, cols + 1)]
            for r in range(1, min(ws.max_row or 0, HEADER_SCAN_ROWS) + 1)]


def pick_sheet(wb, sheet, candidates, detect, role: str, book: str, no_header):
    """(worksheet, what `detect` found) for the sheet named `sheet`, else for the first of `candidates`
    whose header `detect` recognises; None when none does. A named sheet that is missing or has no
    recognisable header is an InputError (`no_header(sheet)` words the latter)."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise InputError(f"{role}“{book}”中没有名为“{sheet}”的工作表；现有：{'、'.join(wb.sheetnames)}")
        found = detect(wb[sheet])
        if found is None:
            raise InputError(no_header(sheet))
        return wb[sheet], found
    for title in candidates:
        found = detect(wb[title])
        if found is not None:
            return wb[title], found
    return None
