"""Opening workbooks: each file once per run. ``Book`` checks the package once (zip bombs, absurd
sheets), parses it with one reader at most once — openpyxl (formulas, cached values, styles, merges),
python-calamine (values of large wide sheets) or xlrd (.xls) — and is shared by every stage that
needs the file (readers, writer, sheet look-ups)."""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import stat
import threading
import warnings
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError, os_reason

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}

# Limits checked on the zip package before any XML is parsed (zip bombs, absurd sheets).
MAX_PACKAGE_ENTRIES = 10_000
MAX_UNCOMPRESSED_TOTAL = 2 * 1024**3  # bytes of XML in all parts
MAX_COMPRESSION_RATIO = 100  # for parts over RATIO_CHECK_FROM bytes; real sheets compress 5-20×
RATIO_CHECK_FROM = 10 * 1024**2
MAX_SHEET_XML_FOR_OPENPYXL = 100 * 1024**2  # a sheet loaded cell by cell: ~5M cells
MAX_MERGED_AREA = 1_000_000  # cells in one merged range: openpyxl builds an object for each on load
MAX_MERGED_TOTAL = 2_000_000  # cells in all merged ranges of one sheet together (real tables: thousands)
MAX_MERGED_ROWS = 10_000  # a merged range is mapped over at most this many rows …
MAX_MERGED_COLS = 256  # … and columns (a merge over A1:XFD1048576 is not a table)
# What reading a damaged package raises: a bad header or CRC, a deflate stream that does not inflate, a cut
# member, an unknown compression method, a missing part.
DAMAGED_PACKAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, KeyError, OSError, ValueError)
EXCEL_MAX_ROW, EXCEL_MAX_COL = 1_048_576, 16_384  # a cell outside 1…these (only a damaged file has one) is ignored
MAX_FILE_BYTES = 1024**3  # a workbook file is read into memory once; larger files are not workbooks we score

# Strict OOXML ("Strict Open XML Spreadsheet" in Excel's Save As) differs from the usual Transitional form
# in its namespaces; readers are given a Transitional copy (the file itself is written back as Strict).
STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_TO_TRANSITIONAL = [
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/drawingml/", b"http://schemas.openxmlformats.org/drawingml/2006/"),
]

# The product's result sheets carry a hidden sheet-local defined name whose value records the sheet's own name:
# `_ScoreResult = "score|评分汇总"`. Excel, WPS and LibreOffice copy sheet-local names with a sheet, so a copied or
# renamed result sheet still carries the name, but under another sheet name: it is the user's from then on and is
# never replaced or removed. Only a sheet whose marker names the sheet itself is the product's.
RESULT_MARKER = "_ScoreResult"
MARKER_PREFIX = "score|"
# Sheet names an earlier version wrote with the bare marker value "score" (no name recorded): such a sheet counts as
# the product's only under a name the product itself gives, never under a name Excel ("评分表 (2)") or LibreOffice
# ("评分表_2") gives a copy.
_LEGACY_RESULT_NAME = re.compile(r"^(?:评分表|评分汇总|审核意见|评分表-.+?)(?:\(\d+\))?$")
_COPY_SUFFIX = re.compile(r"(?: \(\d+\)|_\d+)$")


def marker_value(sheet_name: str) -> str:
    """The marker's formula text for a result sheet of this name (a string constant, quotes doubled)."""
    return '"' + (MARKER_PREFIX + sheet_name).replace('"', '""') + '"'


def _marker_names(text: str | None) -> str | None:
    """The sheet name a marker value records; "" for the bare legacy value; None for anything else."""
    text = (text or "").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        inner = text[1:-1].replace('""', '"')
        if inner == "score":
            return ""
        if inner.startswith(MARKER_PREFIX):
            return inner[len(MARKER_PREFIX):]
    return None


class Book:
    """One workbook file of a run. `role` names it in messages (指标体系 / 基础数据)."""

    def __init__(self, path, role: str):
        self.path = Path(path)
        self.role = role
        self._checked: set[bool] = set()
        self._workbook = None
        self._calamine = None
        self._sheetnames: list[str] | None = None
        self._raw: bytes | None = None
        self._readable: bytes | None = None
        self.fingerprint: str | None = None  # sha256 of the bytes every reader of this run parsed
        _check_file(self.path, role)

    @property
    def real_path(self) -> Path:
        """The file itself (symbolic links resolved): the one write-back replaces."""
        return Path(os.path.realpath(self.path))

    @property
    def raw(self) -> bytes:
        """The file's bytes, read once; every reader parses these, so what is fingerprinted is what was read."""
        if self._raw is None:
            self._raw = read_regular_file(self.path, self.role)
            self.fingerprint = hashlib.sha256(self._raw).hexdigest()
        return self._raw

    def stream(self) -> io.BytesIO:
        """The workbook as the readers parse it (a Strict OOXML package in its Transitional form)."""
        if self._readable is None:
            if not self.is_xls:
                self.check_package(for_openpyxl=False)  # the zip-bomb guards come before any copy
            try:
                self._readable = transitional_copy(self.raw) if not self.is_xls else self.raw
            except DAMAGED_PACKAGE:
                raise InputError(damaged_message(self.role, self.name)) from None
        return io.BytesIO(self._readable)

    def current_bytes(self) -> bytes | None:
        """The file's bytes now if they are still those that were read, else None (changed on disk)."""
        self.raw  # noqa: B018  (fingerprint the file if no reader has yet)
        try:
            now = read_regular_file(self.path, self.role)
        except InputError:
            return None
        return now if hashlib.sha256(now).hexdigest() == self.fingerprint else None

    @property
    def result_sheets(self) -> set[str]:
        """Names of the sheets `score run` wrote (marked with RESULT_MARKER)."""
        if self.is_xls:
            return set()
        return marked_sheets(self.stream())

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_xls(self) -> bool:
        return self.path.suffix.lower() == ".xls"

    @property
    def loaded(self) -> bool:
        """Whether the cell-by-cell (openpyxl) form has been parsed already."""
        return self._workbook is not None

    def check_package(self, for_openpyxl: bool) -> None:
        if self.is_xls or for_openpyxl in self._checked:
            return
        problem = package_problem(io.BytesIO(self.raw), self.path.name, self.role, for_openpyxl)
        if problem:
            raise InputError(problem)
        self._checked.add(for_openpyxl)

    @property
    def workbook(self):
        """The workbook, cell by cell (openpyxl), formulas as written; cached values via `cached_value`."""
        if self._workbook is None:
            self._workbook = _open_xls(self.raw, self.path.name, self.role) if self.is_xls else self._load_openpyxl()
        return self._workbook

    def load(self) -> None:
        """Parse the workbook cell by cell now (readers then use this parse instead of calamine)."""
        self.workbook  # noqa: B018

    def _load_openpyxl(self):
        if not zipfile.is_zipfile(io.BytesIO(self.raw)):
            raise InputError(
                f"{self.role}“{self.name}”无法打开：文件已损坏或不是真正的 .xlsx（可用 Excel/WPS 打开后另存为 .xlsx）")
        self.check_package(for_openpyxl=True)
        try:
            return load_keeping_cached_values(self.stream(), keep_vba=self.path.suffix.lower() == ".xlsm")
        except Exception as exc:  # openpyxl raises many kinds on broken packages
            raise InputError(
                f"{self.role}“{self.name}”无法读取（{type(exc).__name__}）：文件可能已损坏，请用 Excel/WPS 打开后重新保存"
            ) from None

    def release(self) -> None:
        """Drop the parsed forms and the bytes (a batch of forms keeps only results, not every workbook)."""
        self._workbook = self._calamine = self._raw = self._readable = None

    def calamine(self):
        """The workbook for fast value reading (python-calamine), or None when it cannot read it."""
        if self._calamine is None and not self.is_xls:
            self.check_package(for_openpyxl=False)
            try:
                from python_calamine import CalamineWorkbook

                self._calamine = CalamineWorkbook.from_filelike(self.stream())
            except Exception:
                return None
        return self._calamine

    @property
    def sheetnames(self) -> list[str]:
        if self._workbook is not None:
            return list(self._workbook.sheetnames)
        if self._sheetnames is None:
            self._sheetnames = list(self.workbook.sheetnames) if self.is_xls else _sheet_names_from_package(self)
        return self._sheetnames


def _check_file(path: Path, role: str) -> None:
    if not path.exists():
        raise InputError(f"找不到{role}工作簿“{path}”，请检查文件路径")
    if path.is_dir():
        raise InputError(f"“{path}”是文件夹，请给出{role}工作簿（.xlsx、.xlsm 或 .xls）")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise InputError(f"{role}“{path.name}”不是 Excel 工作簿：只支持 .xlsx、.xlsm 和 .xls")


def read_regular_file(path: Path, role: str) -> bytes:
    """A regular file's bytes (symbolic links followed); devices, pipes and huge files are refused."""
    try:
        with open(path, "rb", opener=_open_no_block) as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{role}“{path.name}”不是普通文件（可能是设备或管道）：请给出保存在磁盘上的工作簿")
            if info.st_size > MAX_FILE_BYTES:
                raise InputError(f"{role}“{path.name}”有 {info.st_size / 1024**3:.1f} GB，超过 "
                                 f"{MAX_FILE_BYTES // 1024**3} GB 上限：请删去无用的工作表和格式后再试")
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{role}“{path.name}”无法读取（{os_reason(exc)}）") from None


def _open_no_block(path, flags):
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not hang the run


def is_strict(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf, zf.open("xl/workbook.xml") as fh:
            return STRICT_MAIN in fh.read(4096)
    except DAMAGED_PACKAGE:
        return False


def transitional_copy(raw: bytes) -> bytes:
    """`raw` itself, or for a Strict OOXML package a copy with Transitional namespaces in every XML part."""
    if not is_strict(raw):
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in STRICT_TO_TRANSITIONAL:
                    data = data.replace(strict, transitional)
            dst.writestr(info, data)
    return out.getvalue()


def marked_sheets(stream) -> set[str]:
    """Names of the sheets carrying RESULT_MARKER in a package (a path or a stream): the product's result sheets and
    the user's copies or renamed versions of them, none of which is data."""
    from lxml import etree

    try:
        with zipfile.ZipFile(stream) as zf:
            data = zf.read("xl/workbook.xml")
        if RESULT_MARKER.encode() not in data:
            return set()
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (*DAMAGED_PACKAGE, etree.XMLSyntaxError):
        return set()
    return set(sheet_markers(root))


def sheet_markers(workbook_root) -> dict[str, bool]:
    """Each sheet carrying RESULT_MARKER in a parsed workbook part (any namespace: Transitional or Strict) → whether
    it is the product's own result sheet (the marker names the sheet itself) rather than a copy or renamed sheet."""
    def local(el):
        return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""

    sheets = [el.get("name") for el in workbook_root.iter() if local(el) == "sheet"]
    marks: dict[str, bool] = {}
    for el in workbook_root.iter():
        if local(el) == "definedName" and el.get("name") == RESULT_MARKER:
            index = el.get("localSheetId") or ""
            if index.isdigit() and int(index) < len(sheets):
                name = sheets[int(index)]
                recorded = _marker_names(el.text)
                ours = recorded == name or (recorded == "" and bool(_LEGACY_RESULT_NAME.match(name))
                                            and not _COPY_SUFFIX.search(name))
                marks[name] = marks.get(name, False) or ours
    return marks


def result_sheet_names(workbook_root) -> set[str]:
    """The product's own result sheets of a parsed workbook part: replaced or removed by the next run."""
    return {name for name, ours in sheet_markers(workbook_root).items() if ours}


_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def _sheet_names_from_package(book: Book) -> list[str]:
    """Sheet names from xl/workbook.xml, without parsing any sheet."""
    try:
        with zipfile.ZipFile(book.stream()) as zf:
            data = zf.read("xl/workbook.xml")
    except DAMAGED_PACKAGE:
        return list(book.workbook.sheetnames)  # the loader words the problem
    return [html.unescape(m.decode("utf-8", "replace")) for m in _SHEET_NAME.findall(data)]


# ---------------------------------------------------------------- openpyxl, formulas and cached values in one pass

_LOAD_LOCK = threading.Lock()


def load_keeping_cached_values(path, keep_vba: bool = False):
    """openpyxl's workbook with formulas as written; each worksheet's `cached_values` maps (row, col) of
    a formula cell to the value Excel last computed for it (None if never computed)."""
    import openpyxl
    import openpyxl.reader.excel as excel_reader
    from openpyxl.worksheet._reader import WorkSheetParser, WorksheetReader

    class CachingParser(WorkSheetParser):
        def parse_cell(self, element):
            counter = self.col_counter
            cell = super().parse_cell(element)
            if cell["data_type"] == "f":
                after = self.col_counter
                self.col_counter, self.data_only = counter, True
                try:
                    self.cached[(cell["row"], cell["column"])] = super().parse_cell(element)["value"]
                finally:
                    self.col_counter, self.data_only = after, False
            return cell

    class CachingReader(WorksheetReader):
        def __init__(self, ws, *args):
            super().__init__(ws, *args)
            self.parser.__class__ = CachingParser
            self.parser.cached = ws.cached_values = {}

        def bind_merged_cells(self):
            """The merged ranges only: openpyxl would also turn every covered cell into a MergedCell and
            re-derive its borders (most of the load time of a merged indicator table). Covered cells keep
            the content and style they have in the file; readers map them to the top-left cell."""
            from openpyxl.worksheet.cell_range import MultiCellRange
            from openpyxl.worksheet.merge import MergedCellRange

            if self.parser.merged_cells:
                self.ws.merged_cells = MultiCellRange(
                    [MergedCellRange(self.ws, cr.ref) for cr in self.parser.merged_cells.mergeCell])

    with _LOAD_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        original = excel_reader.WorksheetReader
        excel_reader.WorksheetReader = CachingReader
        try:
            return openpyxl.load_workbook(path, data_only=False, keep_vba=keep_vba)
        finally:
            excel_reader.WorksheetReader = original


def cell_value(ws, row: int, col: int, formula_as_text: bool = False):
    """A cell's content as the user sees it: a formula cell's cached value, or its formula text when asked."""
    cell = ws.cell(row, col)
    if cell.data_type == "f" and not formula_as_text:
        return getattr(ws, "cached_values", {}).get((row, col))
    return cell.value


def content_rows(ws, first: int = 1) -> list[int]:
    """Rows from `first` on that hold a value, in order. Sparse: one stray value at XFD1048576 adds one row to
    look at, not a million (openpyxl's max_row would)."""
    cells = getattr(ws, "_cells", None)
    if cells is None:
        return list(range(first, (ws.max_row or 0) + 1))
    return sorted({r for (r, c), cell in cells.items()
                   if max(first, 1) <= r <= EXCEL_MAX_ROW and 1 <= c <= EXCEL_MAX_COL and cell.value is not None})


def stored_cells(ws, max_row: int | None = None, max_col: int | None = None) -> list:
    """The cells a sheet stores (values or styles), in row order, within the bounds given; sparse like
    `content_rows`."""
    cells = getattr(ws, "_cells", None)
    if cells is None:
        return [cell for row in ws.iter_rows(max_row=max_row, max_col=max_col) for cell in row]
    max_row = EXCEL_MAX_ROW if max_row is None else min(max_row, EXCEL_MAX_ROW)
    max_col = EXCEL_MAX_COL if max_col is None else min(max_col, EXCEL_MAX_COL)
    return [cell for (r, c), cell in sorted(cells.items()) if 1 <= r <= max_row and 1 <= c <= max_col]


def is_uncached_formula(ws, row: int, col: int) -> bool:
    return ws.cell(row, col).data_type == "f" and getattr(ws, "cached_values", {}).get((row, col)) is None


# ---------------------------------------------------------------- package guards


def package_problem(source, name: str, role: str, for_openpyxl: bool = True) -> str | None:
    """Why the package (a path or a stream) must not be parsed (a zip bomb, an absurd sheet, a damaged part),
    or None."""
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    except DAMAGED_PACKAGE:
        return None  # reported by the reader
    try:
        return _package_problem(source, infos, name, role, for_openpyxl)
    except DAMAGED_PACKAGE:
        return damaged_message(role, name)


def damaged_message(role: str, name: str) -> str:
    return (f"{role}“{name}”已损坏：压缩包中有部件无法解压（文件可能没有完整复制或下载）。"
            f"请用 Excel/WPS 打开后重新保存，或重新取得这个文件")


def _package_problem(source, infos, name: str, role: str, for_openpyxl: bool) -> str | None:
    if len(infos) > MAX_PACKAGE_ENTRIES:
        return f"{role}“{name}”含有 {len(infos)} 个部件，超过 {MAX_PACKAGE_ENTRIES}：不是正常的工作簿，未读取"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_TOTAL:
        return f"{role}“{name}”解压后有 {total / 1024**3:.1f} GB，超过 {MAX_UNCOMPRESSED_TOTAL // 1024**3} GB 上限，未读取"
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            return (f"{role}“{name}”中的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                    f"可能是“压缩炸弹”，未读取")
        if for_openpyxl and info.filename.startswith("xl/worksheets/") and info.file_size > MAX_SHEET_XML_FOR_OPENPYXL:
            return (f"{role}“{name}”中的工作表过大（{info.file_size / 1024**2:.0f} MB），逐格读取会耗尽内存："
                    f"请删去无用的行列和格式后再试")
    if for_openpyxl:
        huge = _huge_merge(source, infos)
        if huge:
            if huge[0].endswith("个合并区域"):
                return (f"{role}“{name}”的一张工作表中 {huge[0]}共覆盖 {huge[1]:,} 个单元格，读取会耗尽内存："
                        f"请取消不需要的合并后再试")
            return (f"{role}“{name}”中有覆盖 {huge[1]:,} 个单元格的合并区域 {huge[0]}，读取会耗尽内存："
                    f"请取消这个合并后再试")
    return None


_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def range_size(ref: str) -> tuple[int, int] | None:
    """(rows, columns) of a range however it is spelled (`A1:B2`, `$H$1:$XFD$1048576`, `b2:a1`, `C3`);
    None when it is no range."""
    corners = [_CELL_REF.match(part.strip()) for part in ref.split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return None
    rows = [int(m.group(2)) for m in corners]
    cols = [column_index(m.group(1)) for m in corners]
    return max(rows) - min(rows) + 1, max(cols) - min(cols) + 1


def column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index


def _huge_merge(source, infos) -> tuple[str, int] | None:
    """A merged range too large to load, as (ref, cells); or, when the merges of a sheet together cover too
    much, ("N 个合并区域", cells covered)."""
    with zipfile.ZipFile(source) as zf:
        for info in infos:
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            with zf.open(info) as fh:
                data = fh.read()
            if b"mergeCell" not in data:
                continue
            total = count = 0
            for raw_ref in _MERGE.findall(data):
                ref = raw_ref.decode("utf-8", "replace")
                size = range_size(ref)
                if size is None:
                    continue
                rows, cols = size
                if rows * cols > MAX_MERGED_AREA:
                    return ref, rows * cols
                count += 1
                total += rows * cols
                if total > MAX_MERGED_TOTAL:
                    return f"{count} 个合并区域", total
    return None


MAX_DENSE_CELLS = 40_000_000  # rows × columns a whole-sheet reader (calamine) may lay out: ~1.3 GB
# Each row's last cell reference, read backwards from its </row> (the XML reversed: a literal to search for).
_LAST_CELL_REVERSED = re.compile(rb'>wor/(?::[\w.-]+)?<(?:(?!>wor/).)*?"(\d+)([A-Z]{1,3})"=r\s+(?::[\w.-]+)?c<', re.S)


def dense_area(source, part: str) -> int:
    """rows × columns a whole-sheet reader lays out for this worksheet part: from the cells themselves (not
    `<dimension>`), each row's last cell giving its reach (Excel, WPS and LibreOffice write a row's cells left
    to right). A stray value at XFD1048576 makes it 17 billion."""
    last_row = last_col = 0
    with zipfile.ZipFile(source) as zf, zf.open(part) as fh:
        buffer = b""
        while True:
            chunk = fh.read(1 << 23)
            buffer += chunk
            cut = buffer.rfind(b"row>") + 4 if chunk else len(buffer)
            if chunk and cut < 4:
                continue
            for found in _LAST_CELL_REVERSED.finditer(buffer[:cut][::-1]):
                last_row = max(last_row, int(found.group(1)[::-1]))
                last_col = max(last_col, column_index(found.group(2)[::-1].decode("ascii")))
            buffer = buffer[cut:]
            if not chunk:
                return last_row * last_col


def dense_sheet_ok(source, part: str) -> bool:
    try:
        return dense_area(source, part) <= MAX_DENSE_CELLS
    except DAMAGED_PACKAGE:
        return False


def sheets_fit_dense(source, from_bytes: int) -> bool:
    """Whether every worksheet part of at least `from_bytes` of XML may be laid out densely (`dense_area`)."""
    try:
        with zipfile.ZipFile(source) as zf:
            parts = [i.filename for i in zf.infolist()
                     if i.filename.startswith("xl/worksheets/") and i.file_size >= from_bytes]
    except DAMAGED_PACKAGE:
        return False
    return all(dense_sheet_ok(source, part) for part in parts)


def largest_sheet_xml(source) -> int:
    """Uncompressed bytes of the largest worksheet part of a package (a path or a stream)."""
    try:
        with zipfile.ZipFile(source) as zf:
            return max((i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/")), default=0)
    except DAMAGED_PACKAGE:
        return 0


# ---------------------------------------------------------------- legacy .xls


def _open_xls(raw: bytes, name: str, role: str):
    """Read a legacy .xls (values and merged cells) into an in-memory openpyxl workbook."""
    import openpyxl
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True)
    except Exception:
        try:
            book = xlrd.open_workbook(file_contents=raw)
        except Exception as exc:
            raise InputError(
                f"{role}“{name}”无法读取（{type(exc).__name__}）：请用 Excel/WPS 打开后另存为 .xlsx"
            ) from None
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name[:31])
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = _xls_value(sheet.cell(r, c), book.datemode)
                if value is not None:
                    ws.cell(r + 1, c + 1, value)
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []):
            if rhi - rlo > 1 or chi - clo > 1:
                ws.merge_cells(start_row=rlo + 1, end_row=rhi, start_column=clo + 1, end_column=chi)
        _xls_sizes(sheet, ws)
    return wb


XLS_ONE_LINE_HEIGHT = 16.5  # points; a row no taller than this is left to grow with its text


def _xls_sizes(sheet, ws) -> None:
    """Column widths and row heights of a .xls sheet (when xlrd read its formatting), so that a 评分表 copied from it
    keeps the sheet's proportions."""
    from openpyxl.utils import get_column_letter

    for col, info in getattr(sheet, "colinfo_map", {}).items():
        if col < min(sheet.ncols, MAX_MERGED_COLS) and getattr(info, "width", 0):
            ws.column_dimensions[get_column_letter(col + 1)].width = round(info.width / 256, 2)
    for row, info in getattr(sheet, "rowinfo_map", {}).items():
        # only rows made taller by hand: .xls writers give rows a one-line height, which would stop them growing
        if row < min(sheet.nrows, MAX_MERGED_ROWS) and getattr(info, "height_mismatch", 0) \
                and getattr(info, "height", 0) / 20 > XLS_ONE_LINE_HEIGHT:
            ws.row_dimensions[row + 1].height = info.height / 20


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
