"""Errors a user sees. Every message is Chinese, names the sheet and cell, and says what to do."""

from __future__ import annotations


class InputError(Exception):
    """Bad usage or unreadable input: the command exits 2 and writes nothing."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class WriteRefused(InputError):
    """The workbook may not be written (open in Excel, holds parts that would be lost, read-only)."""


def cell_ref(sheet: str, row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(col)}{row}"
