"""Reading the data workbook (基础数据, SPEC §3) into units.

Layouts: key-value (one unit), wide (one unit per row), and Excel defined names naming single
cells (a printed form whose cells are named). Values are parsed as people type them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from ..errors import InputError, cell_ref
from ..model import RowValues, Unit
from ..values import MISSING, Invalid, finite_number, normalize_name, parse_cell_value, parse_number_text
from .headers import HEADER_SCAN_ROWS, MAX_HEADER_COLUMNS, header_key, pick_sheet, sheet_head
from ..words import KV_NAME, KV_VALUE, NOTE_SHEETS, UNIT_KEYS, WIDE_UNIT
from .workbook import (EXCEL_MAX_COL, Book, cell_value, content_rows, is_uncached_formula, largest_sheet_xml,
                       sheets_fit_dense)

FAST_READ_FROM = 2 * 1024**2  # bytes of sheet XML: larger sheets are read with calamine (values only, fast)



@dataclass
class DataSet:
    path: Path
    layout: str  # kv, wide, names
    sheet_name: str | None
    units: list[Unit]
    warnings: list[str] = field(default_factory=list)




def read_data(source, sheet: str | None = None) -> DataSet:
    """The units of a data workbook. `source` is a path or an opened ``Book``: a large wide sheet is read
    with calamine, unless the Book's workbook has been parsed already (then that one parse serves)."""
    book = source if isinstance(source, Book) else Book(source, "基础数据")
    warnings: list[str] = []
    if (not book.loaded and not book.is_xls and largest_sheet_xml(book.stream()) >= FAST_READ_FROM
            and sheets_fit_dense(book.stream(), FAST_READ_FROM)):  # else read sparsely, cell by cell
        fast = _read_wide_fast(book, sheet, warnings)
        if fast is not None:
            return fast
    wb = book.workbook
    path = book.path
    found = _find_layout(wb, sheet, path, book.result_sheets)
    named_values, named_origins = _defined_names(wb)

    if found is None:
        if not named_values:
            raise InputError(
                f"基础数据“{path.name}”中找不到数据：需要一张表头为“名称 | 数值”的表（一个单位），"
                f"或首列为“单位名称”、其余列为数据项的表（多个单位），或在名称管理器中为单元格定义名称"
            )
        unit = _make_unit(path, named_values, named_origins, {}, warnings)
        return DataSet(path, "names", None, [unit], warnings)

    ws, layout, header_row, cols = found
    if layout == "kv":
        values, origins, display, percents = _read_kv(ws, header_row, cols, warnings)
        for name, value in named_values.items():
            if name not in values:
                values[name], origins[name] = value, named_origins[name]
        unit = _make_unit(path, values, origins, display, warnings, percents)
        return DataSet(path, "kv", ws.title, [unit], warnings)
    cols = _all_header_columns(ws, header_row, cols)
    units = _read_wide(ws, header_row, cols, warnings)
    if not units:
        raise InputError(f"基础数据 {ws.title} 表头（第 {header_row} 行）下面没有单位数据")
    return DataSet(path, "wide", ws.title, units, warnings)


def data_sheets(names, result_sheets):
    """The sheets that may hold data: not the product's result sheets (marked), not notes."""
    return [t for t in names if t not in result_sheets and t not in NOTE_SHEETS]


def _find_layout(wb, sheet, path, result_sheets):
    """(ws, layout, header row, columns) of the data sheet, or None."""
    picked = pick_sheet(wb, sheet, data_sheets(wb.sheetnames, result_sheets), lambda ws: _detect_rows(sheet_head(ws)),
                        "基础数据", path.name,
                        lambda name: f"基础数据 {name} 前 {HEADER_SCAN_ROWS} 行中找不到表头：需要“名称 | 数值”两列，或首列为“单位名称”")
    return None if picked is None else (picked[0], *picked[1])


def _detect_rows(rows):
    """(layout, header row, columns) from the first rows of a sheet (lists of values), 1-based; or None.
    A wide table's columns are all the row's headed columns, however many."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        keys = [(c, header_key(v)) for c, v in enumerate(row, start=1) if v is not None and v != ""]
        keys = [(c, k) for c, k in keys if k]
        if not keys:
            continue
        pairs = []
        name_col = None
        for c, k in keys:
            if k in KV_NAME:
                name_col = c
            elif k in KV_VALUE and name_col is not None:
                pairs.append((name_col, c))
                name_col = None
        if pairs:
            return "kv", r, pairs
        first_col, first_key = keys[0]
        if first_key in WIDE_UNIT and len(keys) >= 2:
            return "wide", r, [c for c, _ in keys]
    return None


def _all_header_columns(ws, header_row: int, cols: list[int]) -> list[int]:
    """The wide table's columns: the unit column, then every column with a header, however far right
    (detection looks at the first MAX_HEADER_COLUMNS only)."""
    if (ws.max_column or 0) <= MAX_HEADER_COLUMNS:
        return cols
    cells = getattr(ws, "_cells", {})
    more = sorted(c for (r, c), cell in cells.items()
                  if r == header_row and MAX_HEADER_COLUMNS < c <= EXCEL_MAX_COL and header_key(cell.value))
    return cols + more


def _cell_value(ws, row, col):
    """A data cell's value; formulas by cached value; an uncached formula is an Invalid value."""
    if is_uncached_formula(ws, row, col):
        formula = ws.cell(row, col).value
        return Invalid(
            f"{cell_ref(ws.title, row, col)} 是公式“{formula[:40]}”，但文件里没有计算结果"
            f"（文件未在 Excel/WPS 中打开保存过）：请用 Excel/WPS 打开并保存后再评分"
        )
    return typed_value(cell_value(ws, row, col), ws.title, row, col)


def typed_value(raw, sheet: str, row: int, col: int):
    """A data cell's content as a value; an Excel error value, or something that cannot be used (text that
    looks like a number but is none, a number beyond Excel's range), is an Invalid value naming the cell."""
    if type(raw) is float:
        return raw if raw - raw == 0 else Invalid(f"{cell_ref(sheet, row, col)} 的数值超出 Excel 的范围（±1E308），请改正")
    if isinstance(raw, str) and raw.strip().upper() in _EXCEL_ERRORS:
        return Invalid(f"{cell_ref(sheet, row, col)} 是 Excel 错误值 {raw.strip()}，请先修正该单元格")
    value = parse_cell_value(raw)
    if isinstance(value, Invalid):
        return Invalid(f"{cell_ref(sheet, row, col)} 的{value.message}")
    return value


def points_number(value) -> float | None:
    """A number as typed in a 分值 or 得分 cell: 15, `15分`, `15 分`, `１５.５分`; None when it is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return finite_number(value)
    text = str(value).strip().rstrip("分")
    return parse_number_text(text) if text else None


_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#错误"}


def _read_kv(ws, header_row, pairs, warnings):
    values, origins, display, percents = {}, {}, {}, set()
    for r in content_rows(ws, header_row + 1):
        for name_col, value_col in pairs:
            raw_name = ws.cell(r, name_col).value
            if raw_name is None or not str(raw_name).strip():
                continue
            shown = str(raw_name).strip()
            name = normalize_name(shown)
            ref = cell_ref(ws.title, r, value_col)
            if name in values:
                warnings.append(f"{cell_ref(ws.title, r, name_col)} 数据项“{shown}”重复，使用 {origins[name]} 的值")
                continue
            values[name] = _cell_value(ws, r, value_col)
            raw = ws.cell(r, value_col).value
            if name in UNIT_KEYS and isinstance(raw, str) and raw.strip():  # a name, as typed (even “+1+1”)
                values[name] = raw.strip()
            origins[name] = ref
            display[name] = shown
            if is_percent_cell(ws, r, value_col):
                percents.add(name)
    return values, origins, display, percents


_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")


def add_unit_aliases(values: dict, origins: dict) -> None:
    """`年初预算数(万元)` is also `年初预算数`, unless that name exists on its own."""
    for key in list(values):
        short = _UNIT_SUFFIX.sub("", key)
        if short and short != key and short not in values:
            values[short] = values[key]
            origins[short] = origins[key]


def _make_unit(path, values, origins, display, warnings, percents=()) -> Unit:
    add_unit_aliases(values, origins)
    name = None
    for key in UNIT_KEYS:
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            name = value.strip()
            break
    return Unit(name=name or path.stem, values=values, origins=origins, display_names=display,
                percent_names=frozenset(percents))


class RowOrigins(Mapping):
    """Where each value of one wide-layout row came from ("基础数据!C5"), computed on demand."""

    __slots__ = ("sheet", "row", "columns")

    def __init__(self, sheet: str, row: int, columns: dict):
        self.sheet, self.row, self.columns = sheet, row, columns

    def __getitem__(self, name):
        return cell_ref(self.sheet, self.row, self.columns[name])

    def __iter__(self):
        return iter(self.columns)

    def __len__(self):
        return len(self.columns)


def _read_wide(ws, header_row, cols, warnings) -> list[Unit]:
    """The table's rows holding something, each as a list of only the table's columns (a header far right does
    not make every row 16,384 cells long)."""
    rows = {r: [ws.cell(r, c).value for c in cols] for r in [header_row, *content_rows(ws, header_row + 1)]}
    positions = {c: i for i, c in enumerate(cols)}
    units = _wide_units(ws.title, header_row, cols, rows, lambda raw, r, c: _cell_value(ws, r, c), warnings, positions)
    for unit in units:
        found = {key for key, c in unit.origins.columns.items() if is_percent_cell(ws, unit.origins.row, c)}
        if found:
            unit.percent_names = frozenset(found)
    return units


def is_percent_cell(ws, row: int, col: int) -> bool:
    """A number typed as a percentage (85%) or a number cell formatted as one."""
    cell = ws.cell(row, col)
    raw = cell.value
    if isinstance(raw, str):
        return raw.strip().endswith(("%", "％"))
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and "%" in (cell.number_format or "")


def _wide_units(title, header_row, cols, rows, value_of, warnings, positions=None) -> list[Unit]:
    """Units of a wide table. `rows`: the sheet's rows, a list from row 1 or a dict row number → row; blank as
    None or ""; a row may be short. `positions`: column → index in a row (default: column - 1).
    `value_of(content, r, c)`: a cell's parsed value (a float is taken as it is). The values are kept column by
    column; each unit reads its row of them."""
    unit_col, var_cols = cols[0], cols[1:]
    at = positions or {c: c - 1 for c in cols}
    width = max(at.values()) + 1
    columns: dict[str, int] = {}  # normalized name → column (first one wins)
    display: dict[str, str] = {}
    if isinstance(rows, list):  # every row, from row 1
        numbered = ((r, rows[r - 1]) for r in range(header_row + 1, len(rows) + 1))
        header = _padded(rows[header_row - 1], width)
    else:  # row number → row: only the rows that hold something
        numbered = ((r, rows[r]) for r in sorted(rows) if r > header_row)
        header = _padded(rows[header_row], width)
    for c in var_cols:
        shown = str(header[at[c]]).strip()
        key = normalize_name(shown)
        if key not in columns:
            columns[key], display[key] = c, shown
    aliases = {}
    for key in columns:
        short = _UNIT_SUFFIX.sub("", key)
        if short and short != key and short not in columns and short not in aliases:
            aliases[short] = key
    origin_columns = {**columns, **{short: columns[key] for short, key in aliases.items()}}

    kept: list[list] = []  # rows that hold a unit
    row_numbers: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for r, row in numbered:
        if len(row) < width:
            row = _padded(row, width)
        raw_unit = row[at[unit_col]]
        unit_text = "" if raw_unit is None else str(raw_unit).strip()
        if not unit_text and all(_blank(row[at[c]]) for c in var_cols):
            continue
        unit_name = unit_text or f"第{r}行"
        if not unit_text:
            warnings.append(f"{cell_ref(title, r, unit_col)} 单位名称为空，暂称“{unit_name}”")
        if unit_name in seen:
            seen[unit_name] += 1
            warnings.append(f"{cell_ref(title, r, unit_col)} 单位“{unit_name}”重复，第二个记为“{unit_name}({seen[unit_name]})”")
            unit_name = f"{unit_name}({seen[unit_name]})"
        else:
            seen[unit_name] = 1
        kept.append(row)
        row_numbers.append(r)
        names.append(unit_name)

    table: dict[str, list] = {}
    for key, c in columns.items():
        column = list(map(itemgetter(at[c]), kept))
        if set(map(type, column)) != {float} or not math.isfinite(sum(column)):  # all numbers: taken as they are
            column = [v if type(v) is float and v - v == 0 else value_of(v, r, c) for v, r in zip(column, row_numbers)]
        table[key] = column
    for short, key in aliases.items():
        table[short] = table[key]
    return [Unit(name=name, values=RowValues(table, k), origins=RowOrigins(title, r, origin_columns),
                 display_names=display)
            for k, (name, r) in enumerate(zip(names, row_numbers))]


def _padded(row, width) -> list:
    row = list(row)
    return row + [None] * (width - len(row)) if len(row) < width else row


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _read_wide_fast(book: Book, sheet: str | None, warnings) -> DataSet | None:
    """A wide sheet read with calamine (fast for thousands of units); None when the sheet is not wide.

    Formula cells are read by their cached values; one never calculated reads as blank here.
    """
    calamine = book.calamine()
    if calamine is None:
        return None
    titles = [sheet] if sheet is not None else data_sheets(calamine.sheet_names, book.result_sheets)
    for title in titles:
        if title not in calamine.sheet_names:
            return None
        try:
            grid = calamine.get_sheet_by_name(title)
            head = []
            for row in grid.iter_rows():
                head.append(row)
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            found = _detect_rows(head)
            if found is None:
                continue
            layout, header_row, cols = found
            if layout != "wide":
                return None  # key-value sheets are small: the openpyxl path also reads defined names
            rows = grid.to_python(skip_empty_area=False)
        except Exception:
            return None

        def value_of(v, r, c):
            return MISSING if v == "" else typed_value(v, title, r, c)  # "": calamine's blank

        units = _wide_units(title, header_row, cols, rows, value_of, warnings)
        if not units:
            raise InputError(f"基础数据 {title} 表头（第 {header_row} 行）下面没有单位数据")
        return DataSet(book.path, "wide", title, units, warnings)
    return None


def _defined_names(wb):
    """Defined names that name one cell → values, origins ('名称 X（Sheet!B5）')."""
    values, origins = {}, {}
    candidates = []
    try:
        candidates += list(wb.defined_names.items())
    except AttributeError:
        pass
    for ws in wb.worksheets:
        try:
            candidates += list(ws.defined_names.items())
        except AttributeError:
            pass
    for name, dn in candidates:
        if name.startswith("_xlnm") or name.startswith("_"):
            continue
        try:
            destinations = list(dn.destinations)
        except Exception:
            continue
        if len(destinations) != 1:
            continue
        sheet, coord = destinations[0]
        coord = coord.replace("$", "")
        if ":" in coord or sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        try:
            cell = ws[coord]
        except (ValueError, KeyError):
            continue
        key = normalize_name(name)
        values[key] = _cell_value(ws, cell.row, cell.column)
        origins[key] = f"名称 {name}（{sheet}!{coord}）"
    return values, origins
