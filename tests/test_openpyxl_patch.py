"""read/workbook.py extends openpyxl's private worksheet reader (formulas and cached values in one pass, merged ranges
without MergedCell). pyproject.toml pins openpyxl below 3.2; this test fails loudly when the code it extends changes,
so that an upgrade is a decision: re-read the three methods, adapt load_keeping_cached_values, update the hashes."""

import hashlib
import inspect

import openpyxl
import openpyxl.reader.excel as excel_reader
from openpyxl.worksheet._reader import WorkSheetParser, WorksheetReader

from tests.builders import STANDARD_DATA, kv_book

# openpyxl 3.1.5's source of what load_keeping_cached_values relies on
EXTENDED = {
    "WorkSheetParser.parse_cell": "c999f7bc699a521f",
    "WorksheetReader.__init__": "8a586a1cbb428fbf",
    "WorksheetReader.bind_merged_cells": "1e50ca166f2a00cb",
}


def test_the_extended_openpyxl_code_is_the_one_it_was_written_for():
    assert openpyxl.__version__.startswith("3.1."), openpyxl.__version__
    assert excel_reader.WorksheetReader is WorksheetReader  # the name the patch swaps while a workbook loads
    found = {f.__qualname__: hashlib.sha256(inspect.getsource(f).encode()).hexdigest()[:16]
             for f in (WorkSheetParser.parse_cell, WorksheetReader.__init__, WorksheetReader.bind_merged_cells)}
    assert found == EXTENDED, f"openpyxl {openpyxl.__version__} changed the reader read/workbook.py extends"


def test_the_patch_is_undone_after_loading(tmp_path):
    from scoring.read.workbook import load_keeping_cached_values

    wb = load_keeping_cached_values(kv_book(tmp_path / "d.xlsx", STANDARD_DATA))
    assert excel_reader.WorksheetReader is WorksheetReader and hasattr(wb.active, "cached_values")
