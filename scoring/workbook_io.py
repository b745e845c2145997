"""Opening workbooks (.xlsx, .xlsm, legacy .xls) as openpyxl workbooks, with Chinese errors."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

from .errors import InputError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}

# Limits checked on the zip package before any XML is parsed (zip bombs, absurd sheets).
MAX_PACKAGE_ENTRIES = 10_000
MAX_UNCOMPRESSED_TOTAL = 2 * 1024**3  # bytes of XML in all parts
MAX_COMPRESSION_RATIO = 100  # for parts over RATIO_CHECK_FROM bytes; real sheets compress 5-20×
RATIO_CHECK_FROM = 10 * 1024**2
MAX_SHEET_XML_FOR_OPENPYXL = 100 * 1024**2  # a sheet loaded cell by cell (indicator, key-value, write-back): ~5M cells
MAX_MERGED_AREA = 1_000_000  # cells in one merged range: openpyxl builds an object for each on load
MAX_MERGED_ROWS = 10_000  # a merged range is mapped over at most this many rows …
MAX_MERGED_COLS = 256  # … and columns (a merge over A1:XFD1048576 is not a table)


def package_problem(path: Path, role: str, for_openpyxl: bool = True) -> str | None:
    """Why the package must not be parsed (a zip bomb, an absurd sheet), or None."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # reported by the reader
    if len(infos) > MAX_PACKAGE_ENTRIES:
        return f"{role}“{path.name}”含有 {len(infos)} 个部件，超过 {MAX_PACKAGE_ENTRIES}：不是正常的工作簿，未读取"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_TOTAL:
        return f"{role}“{path.name}”解压后有 {total / 1024**3:.1f} GB，超过 {MAX_UNCOMPRESSED_TOTAL // 1024**3} GB 上限，未读取"
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            return (f"{role}“{path.name}”中的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                    f"可能是“压缩炸弹”，未读取")
        if for_openpyxl and info.filename.startswith("xl/worksheets/") and info.file_size > MAX_SHEET_XML_FOR_OPENPYXL:
            return (f"{role}“{path.name}”中的工作表过大（{info.file_size / 1024**2:.0f} MB），逐格读取会耗尽内存："
                    f"请删去无用的行列和格式后再试")
    if for_openpyxl:
        huge = _huge_merge(path, infos)
        if huge:
            return (f"{role}“{path.name}”中有覆盖 {huge[1]:,} 个单元格的合并区域 {huge[0]}，读取会耗尽内存："
                    f"请取消这个合并后再试")
    return None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _huge_merge(path: Path, infos) -> tuple[str, int] | None:
    """The first merged range too large to load, as (ref, cells)."""
    from openpyxl.utils import column_index_from_string

    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            with zf.open(info) as fh:
                data = fh.read()
            if b"mergeCell" not in data:
                continue
            for c1, r1, c2, r2 in _MERGE.findall(data):
                rows = abs(int(r2) - int(r1)) + 1
                cols = abs(column_index_from_string(c2.decode()) - column_index_from_string(c1.decode())) + 1
                if rows * cols > MAX_MERGED_AREA:
                    return f"{c1.decode()}{r1.decode()}:{c2.decode()}{r2.decode()}", rows * cols
    return None


def largest_sheet_xml(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            return max((i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/")), default=0)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


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
    problem = package_problem(path, role)
    if problem:
        raise InputError(problem)
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
        for r in range(rng.min_row, min(rng.max_row, rng.min_row + MAX_MERGED_ROWS) + 1):
            for c in range(rng.min_col, min(rng.max_col, rng.min_col + MAX_MERGED_COLS) + 1):
                lookup[(r, c)] = (rng.min_row, rng.min_col)
    return lookup
