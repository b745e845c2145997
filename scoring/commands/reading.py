"""读表: the indicator table as read — its header and first rows with each column's role — and the roles a person
chooses for some columns instead (the web page's 按这个读法重新读表), as `read_indicator_system(columns=…)` takes them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import column_letter
from ..model import IndicatorSystem
from ..read.workbook import cell_value, content_rows
from ..values import format_number

# The roles a column can be given, in the order offered; "ignored": the column is not read.
ROLES = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "level4": "四级指标", "points": "分值",
         "criteria": "评分标准", "description": "指标说明", "formula": "评分公式", "target": "目标值", "code": "编号",
         "score": "得分", "note": "扣分说明", "ignored": "不读"}
# Read from header words only: offered where a column is read so, and accepted back.
OTHER_ROLES = {"actual": "实际完成值", "type": "指标类型"}
PREVIEW_ROWS = 8  # table rows shown under the header
MAX_COLUMNS = 40  # columns shown and choosable
CELL_CHARS = 24  # characters of a cell shown


@dataclass
class Column:
    number: int  # 1-based
    letter: str
    role: str  # a key of ROLES / OTHER_ROLES
    choices: list[tuple[str, str]]  # (role, label) offered for it


@dataclass
class Preview:
    sheet: str
    header_row: int | None  # None: the table has no header row
    columns: list[Column]
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def roles_of(system: IndicatorSystem) -> dict[int, str]:
    """Each column the reading uses → its role (level1…, points, …); a column not read is absent."""
    shown: dict[int, str] = {}
    for key, cols in system.columns.items():
        for col in cols:
            shown.setdefault(col, key)
    return shown


def preview(system: IndicatorSystem, rows: int = PREVIEW_ROWS) -> Preview | None:
    """The table's header row and first `rows` rows, each column with the role it was read as; None when the
    workbook is not at hand."""
    book = system.source
    if book is None:
        return None
    ws = book.workbook[system.sheet_name]
    header_row = system.header_row if system.header_row and system.header_row < system.first_row else None
    shown_rows = [r for r in content_rows(ws, system.first_row) if r <= (system.last_row or r)][:rows]
    used = [r for r in ([header_row] if header_row else []) + shown_rows]
    last = max([c for r in used for c in range(1, min(ws.max_column or 0, MAX_COLUMNS) + 1)
                if _text(cell_value(ws, r, c))] or [0])
    roles = roles_of(system)
    last = max([last, *[c for c in roles if c <= MAX_COLUMNS]])
    columns = []
    for c in range(1, last + 1):
        role = roles.get(c, "ignored")
        choices = list(ROLES.items()) + ([(role, OTHER_ROLES[role])] if role in OTHER_ROLES else [])
        columns.append(Column(c, column_letter(c), role, choices))
    header = [_text(cell_value(ws, header_row, c)) if header_row else "" for c in range(1, last + 1)]
    return Preview(system.sheet_name, header_row, columns, header,
                   [(r, [_text(cell_value(ws, r, c)) for c in range(1, last + 1)]) for r in shown_rows])


def chosen_columns(choices: dict[int, str], shown: dict[int, str], before: dict | None = None) -> dict:
    """The overrides for `read_indicator_system(columns=…)`: those made `before`, and each column whose chosen role
    (level1…, points, …, ignored) differs from the one `shown` (the reading the choices were made on)."""
    columns = dict(before or {})
    for col, role in choices.items():
        if role == shown.get(col, "ignored"):
            continue
        if role == "ignored":
            columns[col] = None
        elif role.startswith("level"):
            columns[col] = ("level", int(role[len("level"):]))
        else:
            columns[col] = ("role", role)
    return columns


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = format_number(value) if isinstance(value, (int, float)) else str(value).strip().replace("\n", " ")
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"
