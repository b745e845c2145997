"""Every exception the library raises. Each message is Chinese, names the sheet and cell, and says
what to do; the CLI turns them into messages and exit codes at one place (``cli.main``)."""

from __future__ import annotations

import errno
from enum import Enum
from pathlib import Path


class ScoreError(Exception):
    """Base of every error the library raises on purpose: a front end shows ``str(exc)`` (``user_message``)."""


class InputError(ScoreError):
    """Bad usage or unreadable input: the command exits 2 and writes nothing. `option` names the library
    parameter the message is about (``output``, ``spread``, ``samples``, ``unit``, ``layout``): a front end may
    say how its user gives it (the CLI names its flag); the message itself names no front end's controls."""

    def __init__(self, message: str, problems: list[str] | None = None, option: str | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.option = option

    def text(self, hint: str = "") -> str:
        """The message with a front end's `hint` after it, then the problems, one a line."""
        if not self.problems:
            return self.message + hint
        return self.message + hint + "\n" + "\n".join(f"  - {p}" for p in self.problems)

    def __str__(self) -> str:
        return self.text()


class Refusal(str, Enum):
    """Why an output was refused, for the front end's own advice (the CLI: --force, -o)."""

    OUTPUT_IS_INPUT = "output_is_input"
    SUFFIX = "suffix"
    EXISTS = "exists"  # an existing file is replaced only when forced
    ELSEWHERE = "elsewhere"  # this place cannot be written: writing somewhere else is a way out
    OTHER = "other"


class WriteRefused(InputError):
    """The workbook may not be written (open in Excel, an input, parts that would be lost, read-only).
    `kind` (a ``Refusal``) and `path` let a front end add its own way out."""

    def __init__(self, message: str, kind: Refusal = Refusal.OTHER, path=None, option: str | None = None):
        super().__init__(message, option=option)
        self.kind = kind
        self.path = Path(path) if path is not None else None


def user_message(exc: BaseException) -> str | None:
    """The one boundary rule of both front ends: a ScoreError is a message for the user, anything else is a
    defect (None: the front end says 程序内部错误)."""
    return str(exc) if isinstance(exc, ScoreError) else None


class Blank:
    """A blank data cell a message is about, by the name the formula reads: said with the unit's cell once it is
    known (请在 基础数据!B11 填写), else as 请在基础数据中填写."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other) -> bool:
        return isinstance(other, Blank) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("Blank", self.name))

    def text(self, cell: str | None = None) -> str:
        remedy = f"请在 {cell} 填写" if cell else "请在基础数据中填写"
        return f"“{self.name}”未填写（空白单元格），{remedy}"


class Message:
    """A message as its parts — text, and the blank cells it names — rendered to text once, where the unit's cells
    are known (``render``); ``str`` renders it without them. Parts of a nested Message are taken in."""

    __slots__ = ("parts",)

    def __init__(self, *parts: "str | Blank | Message"):
        flat: list = []
        for part in parts:
            for p in part.parts if isinstance(part, Message) else (part,):
                if isinstance(p, str) and flat and isinstance(flat[-1], str):
                    flat[-1] += p
                elif p != "":
                    flat.append(p)
        self.parts = tuple(flat)

    @classmethod
    def of(cls, *parts) -> "str | Message":
        """Plain text when no part is a blank cell (most messages), else a Message."""
        message = cls(*parts)
        return message if any(isinstance(p, Blank) for p in message.parts) else message.render()

    def render(self, cell_of=None) -> str:
        """The text; `cell_of(name)` gives the unit's cell of a blank name (None: not known)."""
        return "".join(p if isinstance(p, str) else p.text(cell_of(p.name) if cell_of else None) for p in self.parts)

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and other.parts == self.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __repr__(self) -> str:
        return f"Message{self.parts!r}"


class FormulaError(ScoreError):
    """Every problem with a formula: Chinese message (text, or a Message naming blank cells), where it sits, the
    character it points at."""

    def __init__(self, message: "str | Message", position: int | None = None, where: str = "", formula: str = ""):
        super().__init__(message)
        self.message = message
        self.position = position  # 1-based character in the formula text, or None
        self.where = where
        self.formula = formula

    def as_message(self) -> "str | Message":
        """The whole message with its place, as text or — when it names a blank cell — a Message."""
        head = self.where or "公式"
        place = f"{head}第 {self.position} 个字符：" if self.position is not None else f"{head}："
        return Message.of(place, self.message)

    def __str__(self) -> str:
        return str(self.as_message())


class MissingValueError(FormulaError):
    """A name whose cell is blank, or that the unit does not have at all."""

    def __init__(self, name: str, message: "str | Message", position=None, where="", formula=""):
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
