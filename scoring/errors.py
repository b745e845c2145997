"""Every exception the library raises. Each message is Chinese, names the sheet and cell, and says
what to do; the CLI turns them into messages and exit codes at one place (``cli.main``)."""

from __future__ import annotations

import errno


class ScoreError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(ScoreError):
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
    """The workbook may not be written (open in Excel, an input, parts that would be lost, read-only)."""


class FormulaError(ScoreError):
    """Every problem with a formula: Chinese message, where it sits, the character it points at."""

    def __init__(self, message: str, position: int | None = None, where: str = "", formula: str = ""):
        super().__init__(message)
        self.message = message
        self.position = position  # 1-based character in the formula text, or None
        self.where = where
        self.formula = formula

    def __str__(self) -> str:
        head = self.where or "公式"
        if self.position is not None:
            return f"{head}第 {self.position} 个字符：{self.message}"
        return f"{head}：{self.message}"


class MissingValueError(FormulaError):
    """A name whose cell is blank, or that the unit does not have at all."""

    def __init__(self, name: str, message: str, position=None, where="", formula=""):
        super().__init__(message, position, where, formula)
        self.name = name


class TargetError(ScoreError, ValueError):
    """A target text that cannot be read; the message says what is accepted."""


class ExcelError(ScoreError):
    """An Excel-level error (#DIV/0!, #VALUE!, #NUM!, #N/A) inside a formula, without its position."""


def column_letter(col: int) -> str:
    """1 → A, 28 → AB (Excel column names)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """`指标体系!K7`: how every message names a cell."""
    return f"{sheet}!{column_letter(col)}{row}"


def os_reason(exc: OSError) -> str:
    """An OSError in words a user understands."""
    reasons = {
        errno.ENOSPC: "磁盘空间不足", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
        errno.ENAMETOOLONG: "文件名或路径过长", errno.EISDIR: "这是一个文件夹", errno.ENOENT: "文件或文件夹不存在",
        errno.EROFS: "磁盘是只读的", errno.EDQUOT: "磁盘配额已满", errno.EFBIG: "文件过大",
        errno.EBUSY: "文件正被占用", errno.ETXTBSY: "文件正被占用", errno.EIO: "磁盘读写错误",
    }
    return reasons.get(exc.errno, exc.strerror or type(exc).__name__)
