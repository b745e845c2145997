"""Result sheets added to a workbook at the package (zip) level.

Every part of the user's workbook is copied byte for byte, except the parts the product owns (its
result sheets, marked with RESULT_MARKER) and the minimal edits needed to add or replace them:
workbook.xml (the sheet list, the marker and print-title names), its relationships,
[Content_Types].xml and styles.xml (styles appended, never renumbered). Formula cells keep their
cached values; charts, images, pivots, comments, macros and custom XML survive; Strict OOXML
workbooks are written in their own namespaces.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import Refusal, WriteRefused
from ..read.workbook import DAMAGED_PACKAGE, RESULT_MARKER, marker_value, result_sheet_names, sheet_markers
from .safety import atomic_save, guard_output
from .sheet import Sheet, column_letter, sheet_xml
from .styles import StyleSheet, new_styles_xml

CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# Zip64 records only where a part needs them: Excel refuses packages that use them needlessly.
ZIP64_FROM = 2**31

# CT_Workbook's children after <sheets>, in schema order: <definedNames> goes before the first of these.
AFTER_DEFINED_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                       "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


# Result sheets are deflated at level 1: 4× faster than zlib's default 6 (a 100,000-unit summary: 0.4 s instead
# of 1.6 s), about 25 % larger. Every other part keeps zlib's default, so a user's own sheets do not grow.
RESULT_SHEET_LEVEL = 1
OTHER_PARTS_LEVEL = 6


@dataclass(frozen=True)
class Flavour:
    """The namespaces of a package: Transitional (what Excel writes by default) or Strict OOXML."""

    main: str
    relationships: str

    def rel_type(self, kind: str) -> str:
        return f"{self.relationships}/{kind}"


TRANSITIONAL = Flavour("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                       "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
STRICT = Flavour("http://purl.oclc.org/ooxml/spreadsheetml/main",
                 "http://purl.oclc.org/ooxml/officeDocument/relationships")


def _parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


class Package:
    """An .xlsx/.xlsm package being edited; `raw` None starts a new workbook."""

    def __init__(self, raw: bytes | None, name: str = "新工作簿"):
        self.name = name
        self._zip = zipfile.ZipFile(io.BytesIO(raw)) if raw is not None else None
        self._new: dict[str, bytes] = {} if raw is not None else _skeleton()
        self._order = [i.filename for i in self._zip.infolist()] if self._zip else list(self._new)
        self._actual = {n.lower(): n for n in self._order}
        self.removed: set[str] = set()
        self._pending: list[tuple[str, Sheet]] = []  # (part, sheet) to write
        self.replaced: list[str] = []  # the product's earlier result sheets written anew
        self.removed_sheets: list[str] = []  # the product's earlier result sheets removed (no longer needed)

        try:
            root_rels = _parse(self.read("_rels/.rels"))
            self.workbook_part = next(resolve_target("", r.get("Target")) for r in root_rels
                                      if (r.get("Type") or "").endswith("/officeDocument"))
            self.workbook = _parse(self.read(self.workbook_part))
            self.workbook_rels = _parse(self.read(rels_path(self.workbook_part)))
            self.content_types = _parse(self.read(CONTENT_TYPES))
            ns = etree.QName(self.workbook).namespace
            self.flavour = STRICT if ns == STRICT.main else TRANSITIONAL
            if self._sheets_element() is None:
                raise ValueError("no <sheets>")
            self.styles = self._load_styles()
        except (KeyError, StopIteration, etree.XMLSyntaxError, ValueError, zipfile.BadZipFile):
            raise WriteRefused(f"“{name}”的内部结构不完整，无法写入评分结果：请用 Excel/WPS 打开后另存为 .xlsx",
                               Refusal.ELSEWHERE) from None

    # ---------------------------------------------------------------- parts

    def _real(self, part: str) -> str:
        return self._actual.get(part.lower(), part)

    def has(self, part: str) -> bool:
        real = self._real(part)
        return real not in self.removed and (real in self._new or
                                             (self._zip is not None and real in self._order))

    def read(self, part: str) -> bytes:
        real = self._real(part)
        if real in self._new:
            return self._new[real]
        if self._zip is None:
            raise KeyError(part)
        return self._zip.read(real)

    def _q(self, tag: str) -> str:
        return f"{{{self.flavour.main}}}{tag}"

    def _rels(self) -> list:
        return [r for r in self.workbook_rels if isinstance(r.tag, str)]

    def _rel_target(self, rid: str) -> str | None:
        for rel in self._rels():
            if rel.get("Id") == rid:
                return resolve_target(self.workbook_part, rel.get("Target"))
        return None

    def _load_styles(self) -> StyleSheet:
        for rel in self._rels():
            if (rel.get("Type") or "").endswith("/styles"):
                self.styles_part = resolve_target(self.workbook_part, rel.get("Target"))
                if self.has(self.styles_part):
                    return StyleSheet(_parse(self.read(self.styles_part)), self.flavour.main)
        self.styles_part = posixpath.join(posixpath.dirname(self.workbook_part), "styles.xml")
        self._add_rel("styles", posixpath.basename(self.styles_part))
        self._add_override(self.styles_part, STYLES_TYPE)
        return StyleSheet(_parse(new_styles_xml(self.flavour.main)), self.flavour.main)

    # ---------------------------------------------------------------- sheets

    def _sheets_element(self):
        return self.workbook.find(self._q("sheets"))

    def sheet_elements(self) -> list:
        return [s for s in self._sheets_element() if isinstance(s.tag, str)]

    @property
    def sheet_names(self) -> list[str]:
        return [s.get("name") for s in self.sheet_elements()]

    def _defined_names(self, create: bool = False):
        names = self.workbook.find(self._q("definedNames"))
        if names is None and create:
            names = etree.Element(self._q("definedNames"))
            for i, child in enumerate(self.workbook):
                if isinstance(child.tag, str) and etree.QName(child).localname in AFTER_DEFINED_NAMES:
                    self.workbook.insert(i, names)
                    break
            else:
                self.workbook.append(names)
        return names

    def marked_sheets(self) -> set[str]:
        """Sheets the product wrote: their marker names the sheet itself."""
        return result_sheet_names(self.workbook)

    def kept_copies(self) -> list[str]:
        """Sheets carrying the marker under another name: result sheets the user copied or renamed, now the user's."""
        return [name for name, ours in sheet_markers(self.workbook).items() if not ours]

    def formulas_referring_to(self, titles, limit: int = 5) -> list[str]:
        """Cells (`表!A1`) of the other sheets whose formulas refer to one of the sheets `titles`, at most `limit`."""
        wanted = [t for t in titles if t]
        refers = re.compile("(?:" + "|".join(re.escape(t) for t in wanted) + r")'?!")
        found: list[str] = []
        for element in self.sheet_elements():
            name = element.get("name")
            part = self._rel_target(element.get(f"{{{self.flavour.relationships}}}id"))
            if name in wanted or part is None or not self.has(part):
                continue
            data = self.read(part)
            if b"<f" not in data and b":f" not in data:
                continue
            for _, cell in etree.iterparse(io.BytesIO(data), tag=f"{{{self.flavour.main}}}c", resolve_entities=False,
                                           no_network=True, huge_tree=True):
                formula = cell.find(self._q("f"))
                if formula is not None and formula.text and refers.search(formula.text):
                    found.append(f"{name}!{cell.get('r')}")
                    if len(found) >= limit:
                        return found
                cell.clear()
        return found

    def remove_result_sheet(self, name: str) -> None:
        """Remove one of the product's result sheets (refused for any other sheet)."""
        if name not in self.marked_sheets():
            raise WriteRefused(f"“{self.name}”中的工作表“{name}”不是评分引擎写出的，不会删除它")
        self.remove_sheet(name)
        self.removed_sheets.append(name)

    def remove_sheet(self, name: str) -> None:
        """Remove a sheet: its entry, relationship, part (with parts only it used), sheet-local names."""
        elements = self.sheet_elements()
        index = [s.get("name") for s in elements].index(name)
        element = elements[index]
        rid = element.get(f"{{{self.flavour.relationships}}}id")
        part = self._rel_target(rid)
        active = self._active_index()
        element.getparent().remove(element)
        for rel in self._rels():
            if rel.get("Id") == rid:
                self.workbook_rels.remove(rel)
        if part is not None:
            self._remove_part_tree(part)
        names = self._defined_names()
        if names is not None:
            for dn in list(names):
                local = dn.get("localSheetId") if isinstance(dn.tag, str) else None
                if local is None or not local.isdigit():
                    continue
                if int(local) == index:
                    names.remove(dn)
                elif int(local) > index:
                    dn.set("localSheetId", str(int(local) - 1))
            if not len(names):
                self.workbook.remove(names)
        count = len(self.sheet_elements())
        new_active = active - 1 if active > index else min(active, max(count - 1, 0))
        for view in self.workbook.iter(self._q("workbookView")):
            if view.get("activeTab") is not None or new_active:
                view.set("activeTab", str(new_active))
            first = view.get("firstSheet")
            if first is not None and (not first.isdigit() or int(first) >= count):
                view.set("firstSheet", str(max(count - 1, 0)))

    def _active_index(self) -> int:
        view = self.workbook.find(f"{self._q('bookViews')}/{self._q('workbookView')}")
        try:
            return int(view.get("activeTab", "0")) if view is not None else 0
        except ValueError:
            return 0

    def _remove_part_tree(self, part: str) -> None:
        """Remove a part, its relationships and the parts those point to that nothing else uses."""
        doomed = [part]
        seen = set()
        while doomed:
            current = self._real(doomed.pop())
            if current in seen:
                continue
            seen.add(current)
            rels = rels_path(current)
            targets = []
            if self.has(rels):
                for rel in _parse(self.read(rels)):
                    if isinstance(rel.tag, str) and rel.get("TargetMode") != "External":
                        targets.append(resolve_target(current, rel.get("Target")))
                self.removed.add(self._real(rels))
            self.removed.add(current)
            self._remove_override(current)
            for target in targets:
                if not self._referenced(target):
                    doomed.append(target)

    def _referenced(self, part: str) -> bool:
        """Whether any remaining relationship points to `part`."""
        wanted = self._real(part).lower()
        for name in self._all_parts():
            if not name.endswith(".rels") or name in self.removed:
                continue
            source = posixpath.join(posixpath.dirname(posixpath.dirname(name)),
                                    posixpath.basename(name)[: -len(".rels")])
            if self._real(name) == self._real(rels_path(self.workbook_part)):
                rels = self.workbook_rels
            else:
                try:
                    rels = _parse(self.read(name))
                except (etree.XMLSyntaxError, KeyError):
                    return True  # unreadable relationships: keep the part rather than guess

            for rel in rels:
                if (isinstance(rel.tag, str) and rel.get("TargetMode") != "External"
                        and resolve_target(source, rel.get("Target")).lower() == wanted):
                    return True
        return False

    def _all_parts(self) -> list[str]:
        return [n for n in self._order if n not in self.removed]

    def put_sheet(self, sheet: Sheet) -> None:
        """Write `sheet` as one of the product's result sheets: replacing the marked sheet of that name, or
        added after the last sheet. A user's own sheet of that name is never replaced (refused)."""
        existing = self.sheet_names
        if sheet.title in existing:
            if sheet.title not in self.marked_sheets():
                raise WriteRefused(f"“{self.name}”中已有用户自己的工作表“{sheet.title}”，不会覆盖它")
            element = self.sheet_elements()[existing.index(sheet.title)]
            self._mark(existing.index(sheet.title), sheet.title)  # an earlier version's bare marker gets the name
            self.replaced.append(sheet.title)
            rid = element.get(f"{{{self.flavour.relationships}}}id")
            part = self._rel_target(rid)
            old_rels = rels_path(part)
            if self.has(old_rels):  # the old sheet's own drawings etc. go with it
                self._remove_part_tree(part)
                self.removed.discard(self._real(part))
                self._add_override(part, WORKSHEET_TYPE)
        else:
            part = self._new_sheet_part()
            rid = self._add_rel("worksheet", posixpath.relpath(part, posixpath.dirname(self.workbook_part)))
            self._add_override(part, WORKSHEET_TYPE)
            element = etree.SubElement(self._sheets_element(), self._q("sheet"))
            element.set("name", sheet.title)
            element.set("sheetId", str(self._next_sheet_id()))
            element.set(f"{{{self.flavour.relationships}}}id", rid)
            self._mark(len(existing), sheet.title)
        index = self.sheet_names.index(sheet.title)
        self._set_print_titles(index, sheet)
        self._add_charts(self._real(part), sheet)
        self._pending.append((self._real(part), sheet))

    # ---------------------------------------------------------------- charts

    def _add_charts(self, sheet_part: str, sheet: Sheet) -> None:
        """The sheet's charts as chart parts in a drawing related to the sheet (Transitional packages only: a Strict
        workbook keeps its result sheets without charts)."""
        sheet.drawing_rid = None
        if not sheet.charts or self.flavour is STRICT:
            return
        xl = posixpath.dirname(self.workbook_part)
        drawing = self._new_part_name(posixpath.join(xl, "drawings"), "drawing")
        rels, anchors = [], []
        for k, chart in enumerate(sheet.charts, start=1):
            chart_part = self._new_part_name(posixpath.join(xl, "charts"), "chart")
            self._add_part(chart_part, chart.xml, CHART_TYPE)
            rels.append((f"rId{k}", CHART_REL, posixpath.relpath(chart_part, posixpath.dirname(drawing))))
            anchors.append(_anchor_xml(chart.anchor, f"rId{k}", k))
        self._add_part(drawing, _drawing_xml(anchors), DRAWING_TYPE)
        self._add_part(rels_path(drawing), _rels_xml(rels))
        self._add_part(rels_path(sheet_part), _rels_xml(
            [("rId1", DRAWING_REL, posixpath.relpath(drawing, posixpath.dirname(sheet_part)))]))
        sheet.drawing_rid = "rId1"

    def _new_part_name(self, folder: str, stem: str) -> str:
        used = {n.lower() for n in self._all_parts()} | {p.lower() for p, _ in self._pending} | \
            {n.lower() for n in self._new}
        n = 1
        while posixpath.join(folder, f"{stem}{n}.xml").lower() in used:
            n += 1
        return posixpath.join(folder, f"{stem}{n}.xml")

    def _add_part(self, part: str, data: bytes, content_type: str | None = None) -> None:
        self._new[part] = data
        self._actual[part.lower()] = part
        self.removed.discard(part)
        if part not in self._order:
            self._order.append(part)
        if content_type:
            self._add_override(part, content_type)

    def _mark(self, index: int, title: str) -> None:
        """The sheet at `index` is the product's result sheet `title` (its marker added, or rewritten)."""
        names = self._defined_names(create=True)
        for dn in names:
            if isinstance(dn.tag, str) and dn.get("name") == RESULT_MARKER and dn.get("localSheetId") == str(index):
                marker = dn
                break
        else:
            marker = etree.SubElement(names, self._q("definedName"))
            marker.set("name", RESULT_MARKER)
            marker.set("localSheetId", str(index))
            marker.set("hidden", "1")
        marker.text = marker_value(title)

    def _recalculate_on_load(self) -> None:
        """Excel, WPS and LibreOffice recompute every formula when the workbook is opened, so that the user's formulas
        pointing at result sheets (=评分汇总!B4) show the new figures, not those cached before this run."""
        calc = self.workbook.find(self._q("calcPr"))
        if calc is None:
            calc = etree.Element(self._q("calcPr"))
            for i, child in enumerate(self.workbook):
                if isinstance(child.tag, str) and etree.QName(child).localname in AFTER_DEFINED_NAMES[1:]:
                    self.workbook.insert(i, calc)
                    break
            else:
                self.workbook.append(calc)
        calc.set("fullCalcOnLoad", "1")

    def _set_print_titles(self, index: int, sheet: Sheet) -> None:
        names = self._defined_names()
        if names is not None:
            for dn in list(names):
                if dn.get("name") in ("_xlnm.Print_Titles", "_xlnm.Print_Area") and dn.get("localSheetId") == str(index):
                    names.remove(dn)
        setup = sheet.print_setup
        if setup is None:
            return
        quoted = "'" + sheet.title.replace("'", "''") + "'"
        if setup.print_area is not None:
            r1, c1, r2, c2 = setup.print_area
            dn = etree.SubElement(self._defined_names(create=True), self._q("definedName"))
            dn.set("name", "_xlnm.Print_Area")
            dn.set("localSheetId", str(index))
            dn.text = f"{quoted}!${column_letter(c1)}${r1}:${column_letter(c2)}${r2}"
        titles = []
        if setup.title_cols is not None:
            first, last = setup.title_cols
            titles.append(f"{quoted}!${column_letter(first)}:${column_letter(last)}")
        if setup.title_rows is not None:
            first, last = setup.title_rows
            titles.append(f"{quoted}!${first}:${last}")
        if titles:
            dn = etree.SubElement(self._defined_names(create=True), self._q("definedName"))
            dn.set("name", "_xlnm.Print_Titles")
            dn.set("localSheetId", str(index))
            dn.text = ",".join(titles)

    def _next_sheet_id(self) -> int:
        return max([int(s.get("sheetId", "0")) for s in self.sheet_elements() if s.get("sheetId", "").isdigit()],
                   default=0) + 1

    def _new_sheet_part(self) -> str:
        folder = posixpath.join(posixpath.dirname(self.workbook_part), "worksheets")
        used = {n.lower() for n in self._all_parts()} | {p.lower() for p, _ in self._pending}
        n = 1
        while posixpath.join(folder, f"sheet{n}.xml").lower() in used:
            n += 1
        part = posixpath.join(folder, f"sheet{n}.xml")
        self._actual[part.lower()] = part
        return part

    def _add_rel(self, kind: str, target: str) -> str:
        ids = {r.get("Id") for r in self._rels()}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rel = etree.SubElement(self.workbook_rels, f"{{{PKG_RELS_NS}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", self.flavour.rel_type(kind))
        rel.set("Target", target)
        return f"rId{n}"

    def _add_override(self, part: str, content_type: str) -> None:
        self._remove_override(part)
        override = etree.SubElement(self.content_types, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + part)
        override.set("ContentType", content_type)

    def _remove_override(self, part: str) -> None:
        for el in list(self.content_types):
            if isinstance(el.tag, str) and (el.get("PartName") or "").lstrip("/").lower() == part.lower():
                self.content_types.remove(el)

    # ---------------------------------------------------------------- saving

    def save(self, target) -> None:
        """Write the package to `target` (a path or a binary stream): every untouched part as it was."""
        if self._pending or self.removed_sheets:
            self._recalculate_on_load()
        for _, sheet in self._pending:  # every style a sheet uses is registered before styles.xml is written
            for style in [*sheet.styles.values(), *sheet.streamed_styles]:
                self.styles.index(style)
        edited = {
            self._real(CONTENT_TYPES): _serialise(self.content_types),
            self._real(self.workbook_part): _serialise(self.workbook),
            self._real(rels_path(self.workbook_part)): _serialise(self.workbook_rels),
            self._real(self.styles_part): self.styles.to_bytes(),
        }
        sheets = dict(self._pending)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            written = set()
            for name in self._order:
                if name in self.removed or name in written:
                    continue
                written.add(name)
                if name in sheets:
                    self._write_sheet(out, name, sheets[name])
                elif name in edited:
                    out.writestr(self._info(name), edited[name])
                else:
                    self._copy(out, name)
            for name, data in edited.items():
                if name not in written:
                    written.add(name)
                    out.writestr(self._info(name), data)
            for name, sheet in self._pending:
                if name not in written:
                    written.add(name)
                    self._write_sheet(out, name, sheet)

    def _info(self, name: str, level: int = OTHER_PARTS_LEVEL) -> zipfile.ZipInfo:
        info = self._new_info(name)
        if hasattr(info, "compress_level"):  # Python 3.13+
            info.compress_level = level
        else:  # a ZipInfo carries its own level; the ZipFile's applies only to names given as text
            info._compresslevel = level
        return info

    def _new_info(self, name: str) -> zipfile.ZipInfo:
        if self._zip is not None and name in self._actual.values():
            try:
                old = self._zip.getinfo(name)
                info = zipfile.ZipInfo(name, old.date_time)
                info.compress_type = old.compress_type if old.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                    else zipfile.ZIP_DEFLATED
                info.external_attr = old.external_attr
                return info
            except KeyError:
                pass
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def _copy(self, out: zipfile.ZipFile, name: str) -> None:
        if name in self._new:
            out.writestr(self._info(name), self._new[name])
            return
        size = self._zip.getinfo(name).file_size
        with self._zip.open(name) as src, out.open(self._info(name), "w", force_zip64=size > ZIP64_FROM) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)

    def _write_sheet(self, out: zipfile.ZipFile, name: str, sheet: Sheet) -> None:
        with out.open(self._info(name, RESULT_SHEET_LEVEL), "w") as dst:  # a result sheet stays far below 4 GB
            for chunk in sheet_xml(sheet, self.styles, self.flavour.main, self.flavour.relationships):
                dst.write(chunk)


CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rels_xml(rels) -> bytes:
    items = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_RELS_NS}">'
            f"{items}</Relationships>").encode()


def _anchor_xml(anchor, rid: str, k: int) -> str:
    r1, c1, r2, c2 = anchor
    return (f"<xdr:twoCellAnchor><xdr:from><xdr:col>{c1 - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1 - 1}</xdr:row>"
            f"<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{r2}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=\"\">"
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{k + 1}" name="图表 {k}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            f'<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            f'<a:graphicData uri="{_C}"><c:chart xmlns:c="{_C}" xmlns:r="{_R}" r:id="{rid}"/></a:graphicData></a:graphic>'
            f"</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")


def _drawing_xml(anchors) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}">'
            f'{"".join(anchors)}</xdr:wsDr>').encode()


def _skeleton() -> dict[str, bytes]:
    """The parts of a new, empty workbook (sheets are added with `put_sheet`)."""
    main, rel = TRANSITIONAL.main, TRANSITIONAL.relationships
    return {
        CONTENT_TYPES: (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{CT_NS}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{STYLES_TYPE}"/>'
            '</Types>').encode(),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_RELS_NS}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>').encode(),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{rel}">'
            '<bookViews><workbookView/></bookViews><sheets/></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_RELS_NS}">'
            f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
            '</Relationships>').encode(),
        "xl/styles.xml": new_styles_xml(main),
    }


def write_new_workbook(sheets, out_path, force: bool = False) -> Path:
    """A new workbook of the product's result `sheets` at `out_path`, written atomically. An existing file is replaced
    only when it is an earlier result (or with `force`)."""
    target = guard_output(out_path, [], force, replaceable=is_previous_result)
    package = Package(None)
    for sheet in sheets:
        package.put_sheet(sheet)
    try:
        atomic_save(package.save, target)
    except DAMAGED_PACKAGE:
        raise WriteRefused(f"“{target.name}”无法写出：请换一个输出文件名") from None
    return target


def is_previous_result(raw: bytes) -> bool:
    """Whether a workbook holds only result sheets of this product (so an output may replace it without force)."""
    try:
        package = Package(raw)
    except (WriteRefused, zipfile.BadZipFile, OSError):
        return False
    names = package.sheet_names
    return bool(names) and set(names) <= package.marked_sheets()

