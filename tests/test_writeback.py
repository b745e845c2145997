"""Write-back at the package level: every part of the user's workbook survives byte for byte, result
sheets are recognised by their marker, stale ones go, the file is the one that was read."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from scoring.errors import WriteRefused
from scoring.read import Book, read_data, read_indicator_system
from scoring.engine import score
from scoring.write.excel import write_results
from tests.builders import STANDARD_DATA, STANDARD_TOTAL, standard_system, wide_book

# Parts the product may edit when it adds its sheets; everything else must stay byte for byte.
EDITABLE = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def rich_data_book(path: Path, vba: bool = False) -> Path:
    """A data workbook as Excel users keep them: formulas with cached values, a chart, an image, a
    comment, validation, defined names, a second sheet; optionally with a macro project (.xlsm)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("基础数据")
    ws.write_row(0, 0, ["名称", "数值", "说明"])
    for r, (name, value) in enumerate(STANDARD_DATA, start=1):
        ws.write(r, 0, name)
        if name == "违规次数":
            ws.write_formula(r, 1, "=B7*0", None, 0)  # a formula with its cached value
        else:
            ws.write(r, 1, value)
    ws.write_comment("B2", "来自人事处")
    ws.data_validation("B8", {"validate": "integer", "criteria": ">=", "value": 0})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=基础数据!$B$2:$B$3"})
    ws.insert_chart("E2", chart)
    image = path.with_suffix(".png")
    image.write_bytes(TINY_PNG)
    ws.insert_image("E20", str(image))
    other = wb.add_worksheet("附表")
    other.write("A1", "合计")
    other.write_formula("B1", "=SUM(基础数据!B2:B3)", None, 19)
    wb.define_name("人员合计", "=附表!$B$1")
    if vba:
        wb.add_vba_project(_fake_vba(path))
    wb.close()
    image.unlink()
    return path


def _fake_vba(path: Path) -> str:
    bin_path = path.with_name("vbaProject.bin")
    bin_path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(256)) * 4)
    return str(bin_path)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def assert_kept(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    for name, data in before.items():
        if name not in EDITABLE:
            assert after.get(name) == data, f"{name} changed or lost"


@pytest.fixture
def ind(tmp_path):
    return standard_system(tmp_path / "ind.xlsx")


def test_every_part_survives_and_a_second_run_agrees(ind, tmp_path, cli):
    data = rich_data_book(tmp_path / "data.xlsx")
    before = parts(data)
    assert any(n.startswith("xl/charts/") for n in before) and any(n.startswith("xl/media/") for n in before)
    first = cli("run", ind, data, "--format", "json")
    assert first.code == 0, first.err
    after = parts(data)
    assert_kept(before, after)
    wb = openpyxl.load_workbook(data, data_only=True)
    assert wb.sheetnames == ["基础数据", "附表", "评分汇总", "评分表"]
    assert wb["附表"]["B1"].value == 19  # cached values survive
    assert wb["评分汇总"]["B4"].value == pytest.approx(STANDARD_TOTAL)
    second = cli("run", ind, data, "--format", "json")
    assert second.code == 0 and second.json() == first.json()
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "附表", "评分汇总", "评分表"]
    assert_kept(before, parts(data))


def test_macros_in_xlsm_survive(ind, tmp_path, cli):
    data = rich_data_book(tmp_path / "data.xlsm", vba=True)
    before = parts(data)
    assert "xl/vbaProject.bin" in before
    assert cli("run", ind, data).code == 0
    assert_kept(before, parts(data))


def test_styles_are_appended_never_renumbered(ind, tmp_path, cli):
    data = rich_data_book(tmp_path / "data.xlsx")
    old = parts(data)["xl/styles.xml"]
    assert cli("run", ind, data).code == 0
    new = parts(data)["xl/styles.xml"]
    from lxml import etree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    for section in ("fonts", "fills", "borders", "cellXfs"):
        was = etree.fromstring(old).find(f"m:{section}", ns)
        now = etree.fromstring(new).find(f"m:{section}", ns)
        assert [etree.tostring(e) for e in now][: len(was)] == [etree.tostring(e) for e in was]
        assert int(now.get("count")) == len(now) >= len(was)


def test_a_users_own_sheet_named_like_a_result_is_never_replaced(ind, tmp_path, cli):
    data = tmp_path / "data.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws.append(["名称", "数值"])
    for name, value in STANDARD_DATA:
        ws.append([name, value])
    own = wb.create_sheet("评分表")  # the bureau's own printed form
    own["A1"], own["B1"] = "实际完成率", 0.76
    wb.save(data)
    own_before = parts(data)["xl/worksheets/sheet2.xml"]
    assert cli("run", ind, data).code == 0
    after = openpyxl.load_workbook(data)
    assert after.sheetnames == ["基础数据", "评分表", "评分汇总", "评分表(2)"]
    assert parts(data)["xl/worksheets/sheet2.xml"] == own_before
    assert cli("run", ind, data).code == 0  # the second run replaces 评分表(2), its own sheet
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "评分表", "评分汇总", "评分表(2)"]


def test_stale_per_unit_sheets_are_removed(ind, tmp_path, cli):
    names = [n for n, _ in STANDARD_DATA if n != "单位名称"]
    values = [v for n, v in STANDARD_DATA if n != "单位名称"]
    data = wide_book(tmp_path / "w.xlsx", names, [(u, values) for u in ("甲", "乙", "丙")])
    assert cli("run", ind, data).code == 0
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "评分汇总", "评分表-甲", "评分表-乙", "评分表-丙"]
    wb = openpyxl.load_workbook(data)
    wb["基础数据"].delete_rows(4)  # 丙 leaves
    wb.save(data)
    assert cli("run", ind, data).code == 0
    wb = openpyxl.load_workbook(data)
    assert wb.sheetnames == ["基础数据", "评分汇总", "评分表-甲", "评分表-乙"]
    assert [r[0] for r in wb["评分汇总"].iter_rows(min_row=4, values_only=True)][:3] == ["甲", "乙", None]  # then the signature


def test_output_onto_another_workbook_needs_force(ind, tmp_path, cli):
    data = rich_data_book(tmp_path / "data.xlsx")
    other = rich_data_book(tmp_path / "other.xlsx")
    before = other.read_bytes()
    r = cli("run", ind, data, "-o", other)
    assert r.code == 2 and "已存在" in r.err and "--force" in r.err
    assert other.read_bytes() == before
    assert cli("run", ind, data, "-o", other, "--force").code == 0
    assert openpyxl.load_workbook(other).sheetnames == ["评分汇总", "评分表"]
    assert cli("run", ind, data, "-o", other).code == 0  # an earlier result is replaced without asking


def test_symlinked_data_updates_the_real_workbook(ind, tmp_path, cli):
    real = rich_data_book(tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    assert cli("run", ind, link).code == 0
    assert link.is_symlink()
    assert "评分表" in openpyxl.load_workbook(real).sheetnames


def test_workbook_changed_since_it_was_read_is_not_written(ind, tmp_path):
    data = rich_data_book(tmp_path / "data.xlsx")
    book = Book(data, "基础数据")
    results = score(read_indicator_system(ind), read_data(book))
    replaced = rich_data_book(tmp_path / "data2.xlsx")
    os.replace(replaced, data)  # another program saved the file meanwhile
    before = data.read_bytes()
    with pytest.raises(WriteRefused, match="评分期间被修改或替换过"):
        write_results(results, book)
    assert data.read_bytes() == before


def test_full_disk_leaves_the_workbook_untouched(ind, tmp_path):
    data = rich_data_book(tmp_path / "data.xlsx")
    before = data.read_bytes()
    limit = len(before) + 2000  # bytes any file may grow to: the rewritten workbook needs more
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from scoring.cli import main\n"
        f"sys.exit(main(['run', {str(ind)!r}, {str(data)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "原文件没有改动" in done.stderr
    assert data.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.xlsx", "ind.xlsx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
def test_workbook_written_by_libreoffice_survives(ind, tmp_path, cli):
    source = rich_data_book(tmp_path / "src.xlsx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   capture_output=True, timeout=180, check=True)
    data = out / "src.xlsx"
    before = parts(data)
    r = cli("run", ind, data, "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == pytest.approx(STANDARD_TOTAL)
    assert_kept(before, parts(data))
    assert cli("run", ind, data).code == 0
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "附表", "评分汇总", "评分表"]


def strict_copy(path: Path, target: Path) -> Path:
    """The workbook as Excel saves it in "Strict Open XML Spreadsheet" form (Strict namespaces)."""
    from scoring.read.workbook import STRICT_TO_TRANSITIONAL

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in STRICT_TO_TRANSITIONAL:
                    data = data.replace(transitional, strict)
                if info.filename == "xl/workbook.xml":
                    data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            dst.writestr(info, data)
    return target


def test_strict_ooxml_is_read_and_written_back_as_strict(ind, tmp_path, cli):
    data = strict_copy(rich_data_book(tmp_path / "t.xlsx"), tmp_path / "strict.xlsx")
    before = parts(data)
    assert b"purl.oclc.org/ooxml/spreadsheetml/main" in before["xl/workbook.xml"]
    r = cli("run", ind, data, "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == pytest.approx(STANDARD_TOTAL)
    after = parts(data)
    assert_kept(before, after)
    new_sheets = [n for n in after if n.startswith("xl/worksheets/") and n not in before]
    assert len(new_sheets) == 2
    for name in new_sheets + ["xl/workbook.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"]:
        assert b"schemas.openxmlformats.org/spreadsheetml" not in after[name], name  # no mixed namespaces
    again = cli("run", ind, data, "--format", "json")  # read back: the result sheets are recognised
    assert again.code == 0 and again.json() == r.json()
    book = Book(data, "基础数据")
    assert book.result_sheets == {"评分汇总", "评分表"}
    wb = openpyxl.load_workbook(book.stream(), data_only=True)
    assert wb["评分汇总"]["B4"].value == pytest.approx(STANDARD_TOTAL)


def test_no_zip64_records_where_none_are_needed(ind, tmp_path, cli):
    """Excel refuses a package whose small parts carry Zip64 extra fields (minizip-ng #894, XlsxWriter #656)."""
    data = rich_data_book(tmp_path / "data.xlsx")
    assert cli("run", ind, data).code == 0
    assert cli("run", ind, data, "-o", tmp_path / "new.xlsx").code == 0
    for path in (data, tmp_path / "new.xlsx"):
        raw = path.read_bytes()
        assert b"PK\x06\x06" not in raw  # no Zip64 end-of-central-directory record
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():  # local headers: the 2-byte tag of each extra field
                at = info.header_offset
                name_len, extra_len = struct.unpack("<HH", raw[at + 26: at + 30])
                extra = raw[at + 30 + name_len: at + 30 + name_len + extra_len]
                tags = []
                while len(extra) >= 4:
                    tag, size = struct.unpack("<HH", extra[:4])
                    tags.append(tag)
                    extra = extra[4 + size:]
                assert 0x0001 not in tags, info.filename
