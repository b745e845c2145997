"""Hostile workbooks, each with its refusal: entity expansion, zip bombs, absurd sheets, injection.
(Formula-level attacks are in test_formula_security.py.)"""

import io
import zipfile

import openpyxl
import pytest

from tests.builders import indicator_book, kv_book, rewrite_package

HEADER = ["一级指标", "二级指标", "分值", "评分公式"]


def simple_system(tmp_path):
    return indicator_book(tmp_path / "ind.xlsx", HEADER, [["产出", "完成率", 100, "RATIO(完成率, 1)"]])


def rewrite(path, replace: dict):
    path.write_bytes(rewrite_package(path.read_bytes(), replace))


LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>', b"&lol4;")
EXTERNAL = (b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;")


def with_entity(path, attack):
    """Put a DOCTYPE into the first sheet and an entity reference into its first text cell."""
    doctype, reference = attack
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    head, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    start = rest.index(b"<is><t>") + len(b"<is><t>")
    end = rest.index(b"</t>", start)
    rest = rest[:start] + reference + rest[end:]
    rewrite(path, {"xl/worksheets/sheet1.xml": (head + b"?>" if head else b"") + doctype + rest})


@pytest.mark.parametrize("attack", [LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
@pytest.mark.parametrize("role", ["data", "indicator"])
def test_xml_entities_are_never_expanded(tmp_path, cli, attack, role):
    """An entity is never expanded and never reads a local file: the workbook is refused with a message."""
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    target = data if role == "data" else ind
    with_entity(target, attack)
    before = target.read_bytes()
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert "lollollol" not in r.out + r.err and "root:" not in r.out + r.err
    assert r.code == 2, r.err
    assert "无法读取" in r.err and "Traceback" not in r.err and "内部错误" not in r.err
    assert target.read_bytes() == before


def test_zip_bomb_is_refused_before_parsing(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    bomb = b"<x>" + b"0" * (200 * 1024**2) + b"</x>"  # 200 MB that deflates to ~200 KB
    rewrite(data, {"xl/worksheets/sheet9.xml": bomb})
    r = cli("run", ind, data)
    assert r.code == 2 and "压缩比异常" in r.err and "压缩炸弹" in r.err


def test_merge_over_the_whole_sheet_is_refused_before_loading(tmp_path, cli):
    """openpyxl builds one object per merged cell on load: a merge over A1:XFD1048576 is refused first.
    (The XML is edited directly: openpyxl itself could not even write such a workbook.)"""
    ind = simple_system(tmp_path)
    with zipfile.ZipFile(ind) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    xml = xml.replace(b'<mergeCells count="1">', b'<mergeCells count="2"><mergeCell ref="H1:XFD1048576"/>')
    rewrite(ind, {"xl/worksheets/sheet1.xml": xml})
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    r = cli("run", ind, data)
    assert r.code == 2
    assert "合并区域 H1:XFD1048576" in r.err and "请取消这个合并后再试" in r.err


def test_large_but_sane_merge_is_read(tmp_path, cli):
    ind = simple_system(tmp_path)
    wb = openpyxl.load_workbook(ind)
    wb["指标体系"].merge_cells("H1:J3000")  # 9,000 cells: a real (if odd) merge
    wb.save(ind)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 50


def test_declared_dimension_of_the_whole_sheet(tmp_path, cli):
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    with zipfile.ZipFile(data) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    xml = xml.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
    rewrite(data, {"xl/worksheets/sheet1.xml": xml})
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_injection_in_unit_names_and_notes_stays_text(tmp_path, cli, text):
    import csv

    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "x"), ("完成率", 0.5)])
    wb = openpyxl.load_workbook(data)
    wb["基础数据"]["B2"].value = text
    wb["基础数据"]["B2"].data_type = "s"
    wb.save(data)
    r = cli("run", ind, data, "--format", "csv", "-o", tmp_path / "o.xlsx")
    assert r.code == 0, r.err
    name = text.strip()  # names are read without surrounding blanks
    row = list(csv.reader(io.StringIO(r.out.removeprefix("\ufeff"))))[1]
    assert row[0] == "'" + name  # CSV: a leading apostrophe keeps it text in Excel
    cell = openpyxl.load_workbook(tmp_path / "o.xlsx")["评分汇总"]["A4"]
    assert cell.value == name and cell.data_type == "s"


def test_millions_of_styled_blank_cells_are_refused_before_loading(tmp_path, cli):
    """A sheet of ~6 million formatted empty cells would take gigabytes cell by cell: refused up front."""
    ind = simple_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    with zipfile.ZipFile(data) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    letters = [openpyxl.utils.get_column_letter(c) for c in range(1, 101)]
    rows = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (c.encode(), r) for c in letters) + b"</row>"
        for r in range(10, 61000))
    xml = xml.replace(b"</sheetData>", rows + b"</sheetData>")
    rewrite(data, {"xl/worksheets/sheet1.xml": xml})
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2
    assert "工作表过大" in r.err or "压缩比异常" in r.err
    assert data.read_bytes() == before
