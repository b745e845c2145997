"""Opening workbooks (.xlsx, .xlsm, legacy .xls) as openpyxl workbooks, with Chinese errors."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from .errors import InputError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def open_workbook(path: Path, role: str, data_only: bool = True):
    """`role` names the workbook in messages (指标体系 / 基础数据)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到{role}工作簿“{path}”，请检查文件路径")
    if path.is_dir():
        raise InputError(f"“{path}”是文件夹，请给出{role}工作簿（.xlsx、.xlsm 或 .xls）")
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES:
        raise InputError(f"{role}“{path.name}”不是 Excel 工作簿：只支持 .xlsx、.xlsm 和 .xls")
    if suffix == ".xls":
        return _open_xls(path, role)
    if not zipfile.is_zipfile(path):
        raise InputError(
            f"{role}“{path.name}”无法打开：文件已损坏或不是真正的 .xlsx（可用 Excel/WPS 打开后另存为 .xlsx）"
        )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only, keep_vba=suffix == ".xlsm")
    except Exception as exc:  # openpyxl raises many kinds on broken packages
        raise InputError(
            f"{role}“{path.name}”无法读取（{type(exc).__name__}）：文件可能已损坏，请用 Excel/WPS 打开后重新保存"
        ) from None


def _open_xls(path: Path, role: str):
    """Read a legacy .xls (values and merged cells) into an in-memory openpyxl workbook."""
    import openpyxl
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception:
        try:
            book = xlrd.open_workbook(str(path))
        except Exception as exc:
            raise InputError(
                f"{role}“{path.name}”无法读取（{type(exc).__name__}）：请用 Excel/WPS 打开后另存为 .xlsx"
            ) from None
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name[:31])
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                value = _xls_value(cell, book.datemode)
                if value is not None:
                    ws.cell(r + 1, c + 1, value)
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []):
            if rhi - rlo > 1 or chi - clo > 1:
                ws.merge_cells(start_row=rlo + 1, end_row=rhi, start_column=clo + 1, end_column=chi)
    return wb


def _xls_value(cell, datemode):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return "#错误"
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except Exception:
            return cell.value
    return cell.value


def merged_lookup(ws) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) of every cell inside a merged range → (row, col) of the range's top-left cell."""
    lookup = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                lookup[(r, c)] = (rng.min_row, rng.min_col)
    return lookup
