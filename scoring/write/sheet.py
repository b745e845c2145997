"""A worksheet to be written, and its SpreadsheetML: the product writes its result sheets itself so
that they can be added to a user's workbook without touching any other part (see ``package``).

Only what the result sheets use is written: numbers, booleans, text (inline, never a formula), cell
styles, merges, column widths, row heights, frozen panes and print settings.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from .styles import CellStyle, StyleSheet

MAX_TEXT = 32_767  # characters in one cell (Excel's limit)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_KEEP = object()


DEFAULT_COLUMN_WIDTH = 8.43  # Excel's, in characters of the default font
LINE_HEIGHT = 15.0  # points per line of 11-point text


def text_lines(value, width: float, size: float = 11.0) -> int:
    """Lines `value` takes wrapped in a column `width` characters wide (characters of the 11-point default font) at a
    font of `size` points: a CJK character is two characters wide, smaller type fits more on a line."""
    from wcwidth import wcswidth

    usable = max(1.0, (width - 1) * 11.0 / (size or 11.0))  # Excel keeps a little padding
    return sum(max(1, math.ceil(max(wcswidth(part), len(part)) / usable)) for part in str(value).split("\n"))


CLOSING_PUNCTUATION = "。，、；：？！）》」』】”’…,.;:?!)]"
# half-width characters a line of a column `width` wide holds at `size` points: k × width ÷ size, k measured for Excel
# (7 px a character of width, a CJK character 4/3 × size px) and for LibreOffice (which prints columns wider)
LINE_UNITS = {"Excel": 10.5, "LibreOffice": 13.78}


_IN_WORD = re.compile(r"[0-9A-Za-z.%]{2}")


def _char_units(ch: str) -> int:
    from unicodedata import east_asian_width

    return 2 if east_asian_width(ch) in "WFA" else 1


def wrapped_lines(text: str, width: float, size: float, units_per_point: float) -> list[str]:
    """`text` (one paragraph) as a spreadsheet wraps it in a column `width` wide at `size` points: filled character by
    character, a line full when its next character does not fit (CJK text breaks anywhere, punctuation included)."""
    room = max(2.0, units_per_point * width / (size or 11.0))
    lines, line, used = [], "", 0
    for ch in text:
        units = _char_units(ch)
        if line and used + units > room:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + units
    return lines + [line]


def keep_last_line(value, width: float, size: float = 11.0):
    """`value` with a line break before the character its closing punctuation follows when wrapping it in a column
    `width` wide would leave that punctuation alone on the last line — in Excel's layout or LibreOffice's (a lone
    “。” under a line of text). Other values as they are."""
    if not isinstance(value, str):
        return value
    head, sep, last = value.rpartition("\n")
    ending = len(last) - len(last.rstrip(CLOSING_PUNCTUATION))
    if not ending or ending >= len(last.strip()):
        return value
    for units in LINE_UNITS.values():
        lines = wrapped_lines(last, width, size, units)
        if len(lines) > 1 and not lines[-1].strip(CLOSING_PUNCTUATION + " "):
            cut = len(last) - ending - 1
            while cut > 0 and _IN_WORD.match(last[cut - 1:cut + 1]):  # a number or word goes down whole: 20）, not 0）
                cut -= 1
            if cut == 0:
                return value
            return head + sep + last[:cut].rstrip(" ") + "\n" + last[cut:]
    return value


@lru_cache(maxsize=None)
def column_letter(col: int) -> str:
    return get_column_letter(col)


@dataclass
class PrintSetup:
    landscape: bool = False
    fit_width: bool = True  # all columns on one page width
    title_rows: tuple[int, int] | None = None  # rows repeated on every printed page
    paper_size: int = 9  # A4
    header_footer: str | None = None  # page footer, e.g. "第 &P 页，共 &N 页"
    page_header: str | None = None  # page header, e.g. "&L单位名称：…&R评价日期：…"
    print_area: tuple[int, int, int, int] | None = None  # (row1, col1, row2, col2) printed; None: the used range
    title_cols: tuple[int, int] | None = None  # columns repeated on every printed page (the unit's name)
    col_breaks: list[int] = field(default_factory=list)  # a page ends after each of these columns
    scale: int | None = None  # a fixed print scale in %, when not fitted to the page width


@dataclass
class ChartPart:
    """A native chart: its DrawingML (an openpyxl chart's chartSpace) and where it sits, as (first row, first column,
    last row, last column), 1-based cells it covers."""

    xml: bytes
    anchor: tuple[int, int, int, int]


@dataclass
class Sheet:
    """Cells (value and style by (row, col)), merges, sizes and panes of one result sheet."""

    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    styles: dict[tuple[int, int], CellStyle] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2)
    col_widths: dict[int, float] = field(default_factory=dict)
    hidden_cols: set[int] = field(default_factory=set)
    row_heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None  # first cell outside the frozen panes, e.g. (2, 2) for B2
    print_setup: PrintSetup | None = None
    streamed_rows: Iterable[list] | None = None  # rows after the cells: lists of values or (value, style)
    streamed_styles: list[CellStyle] = field(default_factory=list)  # every style the streamed rows use (registered first)
    charts: list["ChartPart"] = field(default_factory=list)  # native charts, drawn over the sheet
    drawing_rid: str | None = None  # set by the package when the charts' drawing is related to the sheet

    def set(self, row: int, col: int, value, style=_KEEP) -> None:
        self.cells[(row, col)] = value
        if style is not _KEEP:
            if style is None:
                self.styles.pop((row, col), None)
            else:
                self.styles[(row, col)] = style

    def insert_row(self, at: int) -> None:
        """Shift row `at` and everything below it one row down (cells, styles, heights, merges)."""
        def shift(mapping):
            return {((r + 1 if r >= at else r), c): v for (r, c), v in mapping.items()}

        self.cells, self.styles = shift(self.cells), shift(self.styles)
        self.row_heights = {(r + 1 if r >= at else r): h for r, h in self.row_heights.items()}
        self.merges = [(r1 + (r1 >= at), c1, r2 + (r2 >= at), c2) for r1, c1, r2, c2 in self.merges]

    def grow_rows(self, first_row: int = 1) -> None:
        """Rows from `first_row` as tall as their wrapped text needs (Excel and LibreOffice do not grow a row written
        by a program): lines estimated from each wrapping cell's text and its column's width."""
        spans = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in self.merges}
        covered = {(r, c) for r1, c1, r2, c2 in self.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                   if (r, c) != (r1, c1)}
        heights: dict[int, float] = {}
        for (row, col), value in self.cells.items():
            style = self.styles.get((row, col))
            if row < first_row or value is None or style is None or style.alignment is None \
                    or not style.alignment.wrap_text or (row, col) in covered or col in self.hidden_cols:
                continue
            last_row, last_col = spans.get((row, col), (row, col))
            if last_row > row:  # merged down several rows: those rows share the height; not one row's business
                continue
            width = sum(self.col_widths.get(c, DEFAULT_COLUMN_WIDTH) for c in range(col, last_col + 1)
                        if c not in self.hidden_cols)
            size = style.font.sz if style.font is not None and style.font.sz else 11.0
            count = text_lines(value, width, size)
            if count > 1:  # a line of `size`-point text is LINE_HEIGHT * size / 11 high
                heights[row] = max(heights.get(row, 0.0), round(count * LINE_HEIGHT * max(size, 10.0) / 11.0, 2))
        for row, height in heights.items():
            self.row_heights[row] = max(self.row_heights.get(row, 0), height)

    def merged_top_left(self) -> dict[tuple[int, int], tuple[int, int]]:
        lookup = {}
        for r1, c1, r2, c2 in self.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    lookup[(r, c)] = (r1, c1)
        return lookup


# ---------------------------------------------------------------- values


def escape(text: str) -> str:
    """XML character escaping (xml.sax.saxutils would import urllib and http: 25 ms at every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_xml(value: str) -> str:
    text = _ILLEGAL_XML.sub("", value)[:MAX_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{escape(text)}</t></is>"


def cell_xml(ref: str, value, s: int) -> str:
    style = f' s="{s}"' if s else ""
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>' if s else ""
    kind = type(value)
    if kind is float or kind is int:
        if kind is float and not math.isfinite(value):
            return f'<c r="{ref}"{style} t="inlineStr">{text_xml("错误")}</c>'
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    if kind is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if kind is str:
        return f'<c r="{ref}"{style} t="inlineStr">{text_xml(value)}</c>'
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return f'<c r="{ref}"{style}><v>{to_excel(value)!r}</v></c>'
    if hasattr(value, "item"):  # a numpy number
        return cell_xml(ref, value.item(), s)
    return f'<c r="{ref}"{style} t="inlineStr">{text_xml(str(value))}</c>'


# ---------------------------------------------------------------- the worksheet part


def sheet_xml(sheet: Sheet, styles: StyleSheet, main_ns: str, rel_ns: str) -> Iterator[bytes]:
    """The worksheet part, in chunks (a summary of 100,000 units is never one string in memory)."""
    rows: dict[int, list[tuple[int, object]]] = {}
    for (r, c), value in sheet.cells.items():
        rows.setdefault(r, []).append((c, value))
    for (r, c) in sheet.styles:
        if (r, c) not in sheet.cells:
            rows.setdefault(r, []).append((c, None))
    last_row = max([*rows, *sheet.row_heights], default=0)
    last_col = max((c for cells in rows.values() for c, _ in cells), default=1)

    head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{main_ns}" xmlns:r="{rel_ns}">']
    if sheet.print_setup is not None and sheet.print_setup.fit_width:
        head.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    head.append(_views(sheet))
    head.append('<sheetFormatPr defaultRowHeight="14.25"/>')
    head.append(_cols(sheet))
    head.append("<sheetData>")
    yield "".join(head).encode()

    index = styles.index
    style_at = sheet.styles
    for r in sorted(set(rows) | set(sheet.row_heights)):
        height = sheet.row_heights.get(r)
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        parts = [f'<row r="{r}"{attrs}>']
        for c, value in sorted(rows.get(r, ()), key=lambda item: item[0]):
            parts.append(cell_xml(f"{column_letter(c)}{r}", value, index(style_at.get((r, c)))))
        parts.append("</row>")
        yield "".join(parts).encode()

    if sheet.streamed_rows is not None:
        r = last_row
        chunk = []
        isfinite = math.isfinite
        letters = [column_letter(c) for c in range(1, 101)]
        for values in sheet.streamed_rows:
            r += 1
            while len(letters) < len(values):
                letters.append(column_letter(len(letters) + 1))
            parts = [f'<row r="{r}">']
            for letter, item in zip(letters, values):
                if type(item) is float and isfinite(item):  # most cells of a summary: a plain number
                    parts.append(f'<c r="{letter}{r}"><v>{item!r}</v></c>')
                    continue
                value, style = item if type(item) is tuple else (item, None)
                parts.append(cell_xml(f"{letter}{r}", value, index(style)))
            parts.append("</row>")
            chunk.append("".join(parts))
            if len(chunk) >= 1000:
                yield "".join(chunk).encode()
                chunk = []
            last_col = max(last_col, len(values))
        yield "".join(chunk).encode()

    tail = ["</sheetData>"]
    if sheet.merges:
        tail.append(f'<mergeCells count="{len(sheet.merges)}">')
        tail.extend(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>'
                    for r1, c1, r2, c2 in sheet.merges)
        tail.append("</mergeCells>")
    tail.append(_print(sheet.print_setup))
    if sheet.drawing_rid:
        tail.append(f'<drawing r:id="{sheet.drawing_rid}"/>')
    tail.append("</worksheet>")
    yield "".join(tail).encode()


def _views(sheet: Sheet) -> str:
    if sheet.freeze is None or sheet.freeze == (1, 1):
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    row, col = sheet.freeze
    split = ""
    if col > 1:
        split += f' xSplit="{col - 1}"'
    if row > 1:
        split += f' ySplit="{row - 1}"'
    pane = "bottomRight" if row > 1 and col > 1 else ("topRight" if col > 1 else "bottomLeft")
    top_left = f"{column_letter(col)}{row}"
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{top_left}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/></sheetView></sheetViews>')


def _cols(sheet: Sheet) -> str:
    cols = sorted(set(sheet.col_widths) | sheet.hidden_cols)
    if not cols:
        return ""
    parts = ["<cols>"]
    for c in cols:
        width = sheet.col_widths.get(c)
        attrs = f' width="{width}" customWidth="1"' if width else ' width="9"'
        if c in sheet.hidden_cols:
            attrs += ' hidden="1"'
        parts.append(f'<col min="{c}" max="{c}"{attrs}/>')
    parts.append("</cols>")
    return "".join(parts)


def _print(setup: PrintSetup | None) -> str:
    margins = '<pageMargins left="0.6" right="0.6" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    if setup is None:
        return margins
    page = f'<pageSetup paperSize="{setup.paper_size}" orientation="{"landscape" if setup.landscape else "portrait"}"'
    if setup.fit_width:
        page += ' fitToWidth="1" fitToHeight="0"'
    elif setup.scale:
        page += f' scale="{setup.scale}"'
    page += "/>"
    footer = ""
    if setup.header_footer or setup.page_header:
        footer = "<headerFooter>"
        if setup.page_header:
            footer += f"<oddHeader>{escape(setup.page_header)}</oddHeader>"
        if setup.header_footer:
            footer += f"<oddFooter>{escape(setup.header_footer)}</oddFooter>"
        footer += "</headerFooter>"
    breaks = ""
    if setup.col_breaks:
        breaks = (f'<colBreaks count="{len(setup.col_breaks)}" manualBreakCount="{len(setup.col_breaks)}">'
                  + "".join(f'<brk id="{c}" max="1048575" man="1"/>' for c in setup.col_breaks) + "</colBreaks>")
    return "<printOptions horizontalCentered=\"1\"/>" + margins + page + footer + breaks
