"""Cell styles of the result sheets, appended to a workbook's styles part (never renumbering its own).

A ``CellStyle`` is a value made of openpyxl's style objects (Font, Fill, Border, Alignment,
Protection) and a number format; openpyxl serialises each piece (``to_tree``), ``StyleSheet`` appends
it to the target's styles.xml and hands out the index of the resulting ``<xf>``.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, replace

from lxml import etree
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
from openpyxl.xml.functions import tostring

FIRST_CUSTOM_NUMBER_FORMAT = 164  # ids below are Excel's built-in formats
# CT_Stylesheet's children in schema order: a missing section is inserted at its place.
SECTION_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                 "tableStyles", "colors", "extLst")
_DEFAULT_PROTECTION = Protection()


@dataclass(frozen=True)
class CellStyle:
    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    alignment: Alignment | None = None
    protection: Protection | None = None
    number_format: str = "General"

    @classmethod
    def of_cell(cls, cell) -> CellStyle | None:
        """The style of an openpyxl cell (plain copies, not proxies), or None when it has none."""
        if not cell.has_style:
            return None
        try:
            return cls(copy(cell.font), copy(cell.fill), copy(cell.border), copy(cell.alignment),
                       copy(cell.protection), cell.number_format or "General")
        except (IndexError, KeyError, TypeError, ValueError):  # a style number the workbook does not define
            return None

    def wrapped(self) -> CellStyle:
        alignment = copy(self.alignment) if self.alignment is not None else Alignment(vertical="center")
        alignment.wrap_text = True
        return replace(self, alignment=alignment)


_THIN = Side(style="thin", color="999999")
GRID_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_STYLE = CellStyle(font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"), border=GRID_BORDER,
                         alignment=Alignment(wrap_text=True, vertical="center"))
BOLD_STYLE = CellStyle(font=Font(bold=True))
GRID_STYLE = CellStyle(border=GRID_BORDER)


class StyleSheet:
    """The styles part of the workbook being written: `index(style)` appends what is new and returns the
    cellXfs index. Existing entries keep their numbers; counts are kept true."""

    def __init__(self, root, namespace: str):
        self.root = root
        self.ns = namespace
        self._xf_of: dict[CellStyle, int] = {}
        self._by_id: dict[int, tuple[CellStyle, int]] = {}
        self._piece_of: dict[tuple[str, bytes], int] = {}
        fonts = self._section("fonts", create=False)
        first_font = fonts[0] if fonts is not None and len(fonts) else None
        self.default_font = _font_from_element(first_font) if first_font is not None else Font(name="宋体", sz=11)
        number_formats = self._section("numFmts", create=False)
        self._format_id: dict[str, int] = {}
        if number_formats is not None:
            for el in number_formats:
                if el.get("formatCode") is not None and el.get("numFmtId", "").isdigit():
                    self._format_id.setdefault(el.get("formatCode"), int(el.get("numFmtId")))

    # ---------------------------------------------------------------- sections

    def _q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def _section(self, name: str, create: bool = True):
        found = self.root.find(self._q(name))
        if found is not None or not create:
            return found
        section = etree.Element(self._q(name))
        later = SECTION_ORDER[SECTION_ORDER.index(name) + 1:]
        for i, child in enumerate(self.root):
            if etree.QName(child).localname in later:
                self.root.insert(i, section)
                break
        else:
            self.root.append(section)
        if name == "cellStyleXfs":  # xfId="0" of every appended xf must exist
            section.append(etree.Element(self._q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0"))
        return section

    def _append(self, section_name: str, element) -> int:
        section = self._section(section_name)
        section.append(element)
        count = sum(1 for child in section if isinstance(child.tag, str))
        section.set("count", str(count))
        return count - 1

    def _namespaced(self, element):
        """An openpyxl element (no namespace) as an lxml element in this styles part's namespace."""
        copy_ = etree.fromstring(tostring(element))
        for el in copy_.iter():
            if isinstance(el.tag, str) and not el.tag.startswith("{"):
                el.tag = self._q(el.tag)
        return copy_

    def _piece(self, section_name: str, obj) -> int:
        if obj is None:
            return 0
        element = self._namespaced(obj.to_tree())
        key = (section_name, etree.tostring(element))
        if key not in self._piece_of:
            self._piece_of[key] = self._append(section_name, element)
        return self._piece_of[key]

    def _complete(self, font: Font | None) -> Font | None:
        """A font without a name or size takes them from the workbook's default font (its look stays)."""
        if font is None or (font.name is not None and font.sz is not None):
            return font
        font = copy(font)
        if font.name is None:
            font.name, font.family, font.charset, font.scheme = (self.default_font.name, self.default_font.family,
                                                                 self.default_font.charset, self.default_font.scheme)
        if font.sz is None:
            font.sz = self.default_font.sz
        return font

    def _number_format(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return BUILTIN_FORMATS_REVERSE[code]
        if code not in self._format_id:
            new_id = max([FIRST_CUSTOM_NUMBER_FORMAT - 1, *self._format_id.values()]) + 1
            self._append("numFmts", etree.Element(self._q("numFmt"), numFmtId=str(new_id), formatCode=code))
            self._format_id[code] = new_id
        return self._format_id[code]

    # ---------------------------------------------------------------- the one public call

    def index(self, style: CellStyle | None) -> int:
        """The cellXfs index of `style` (0, the workbook's default, for None)."""
        if style is None:
            return 0
        same_object = self._by_id.get(id(style))  # hashing openpyxl's style objects is slow; cells share styles
        if same_object is not None and same_object[0] is style:
            return same_object[1]
        found = self._xf_of.get(style)
        if found is not None:
            self._by_id[id(style)] = (style, found)
            return found
        xf = etree.Element(self._q("xf"))
        xf.set("numFmtId", str(self._number_format(style.number_format)))
        xf.set("fontId", str(self._piece("fonts", self._complete(style.font))))
        xf.set("fillId", str(self._piece("fills", style.fill)))
        xf.set("borderId", str(self._piece("borders", style.border)))
        xf.set("xfId", "0")
        for flag, present in (("applyNumberFormat", style.number_format != "General"), ("applyFont", style.font),
                              ("applyFill", style.fill), ("applyBorder", style.border),
                              ("applyAlignment", style.alignment),
                              ("applyProtection", style.protection not in (None, _DEFAULT_PROTECTION))):
            if present:
                xf.set(flag, "1")
        if style.alignment is not None and style.alignment != Alignment():
            xf.append(self._namespaced(style.alignment.to_tree()))
        if style.protection not in (None, _DEFAULT_PROTECTION):
            xf.append(self._namespaced(style.protection.to_tree()))
        self._section("cellStyleXfs")
        index = self._append("cellXfs", xf)
        self._xf_of[style] = index
        self._by_id[id(style)] = (style, index)
        return index

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_from_element(element) -> Font:
    plain = etree.fromstring(etree.tostring(element))
    for el in plain.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    try:
        return Font.from_tree(plain)
    except Exception:  # an odd default font: ours are then written with openpyxl's defaults
        return Font(name="宋体", sz=11)


def new_styles_xml(namespace: str) -> bytes:
    """The styles part of a new workbook: one font (宋体 11), the two fills Excel requires, one border."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{namespace}">'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'
    ).encode()
