"""Published indicator tables (tests/published/NN_*.json) as workbooks: the grid exactly as printed."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def load_all() -> list[tuple[str, dict]]:
    """Every table of the corpus, in file order: (file name, spec)."""
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(HERE.glob("[0-9][0-9]_*.json"))]


def build(spec: dict, path) -> Path:
    """Write the spec's grid into an .xlsx: values, merges, a thin border on the table's cells (every row below
    the title rows), wrap text; one sheet named spec["sheet_name"] (default Sheet1)."""
    path = Path(path)
    sheet = spec["sheet"]
    rows = sheet["rows"]
    title_rows = sheet.get("title_rows", 0)
    width = max(len(r) for r in rows)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.get("sheet_name", "Sheet1")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if r > title_rows and c <= width:
                cell.border = BOX
        if r > title_rows:
            for c in range(len(row) + 1, width + 1):
                ws.cell(r, c).border = BOX
    for rng in sheet.get("merges", []):
        ws.merge_cells(rng)
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 18
    wb.save(path)
    return path
