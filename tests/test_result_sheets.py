"""Which sheets are the product's: a result sheet the user copied or renamed (as Excel and LibreOffice copy them,
sheet-local names included) is the user's and is never replaced or removed; the output says what was replaced and
what was kept; the workbook asks to be recalculated on opening, so the user's formulas see the new figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import STANDARD_DATA, STANDARD_TOTAL, kv_book, rewrite_package, standard_system

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"


def has_uno() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.fixture
def ind(tmp_path):
    return standard_system(tmp_path / "ind.xlsx")


@pytest.fixture
def scored(ind, tmp_path, cli):
    """A data workbook with the result sheets of one run in it."""
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    assert cli("run", ind, data).code == 0
    return data


def workbook_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/workbook.xml").decode("utf-8")


def put_workbook_xml(path: Path, xml: str) -> None:
    """The workbook's xl/workbook.xml replaced, as a program that renames sheets writes it."""
    path.write_bytes(rewrite_package(path.read_bytes(), {"xl/workbook.xml": xml.encode("utf-8")}))


def sheet_part(path: Path, title: str) -> tuple[str, bytes]:
    """(part name, bytes) of the sheet titled `title`."""
    xml = workbook_xml(path)
    with zipfile.ZipFile(path) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(\w+)"', xml).group(1)
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        part = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
        return part, zf.read(part)


def excel_copy(path: Path, title: str, copy_title: str, marker_text: str | None = None) -> None:
    """Copy a sheet the way Excel does ("Move or Copy… / Create a copy"): a new sheet part with the same cells, and
    every sheet-local defined name of the original repeated for the copy (so the copy carries the marker)."""
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i) for i in zf.infolist()}
    part, data = sheet_part(path, title)
    new_part = "xl/worksheets/sheet_copy.xml"
    items[new_part] = data
    wb = items["xl/workbook.xml"].decode("utf-8")
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', wb).index(title)
    count = len(re.findall(r"<sheet ", wb))
    sheet_ids = [int(i) for i in re.findall(r'<sheet [^>]*sheetId="(\d+)"', wb)]
    wb = wb.replace("</sheets>", f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                                 f'name="{copy_title}" sheetId="{max(sheet_ids) + 1}" r:id="rIdCopy"/></sheets>')
    copies = []
    for m in re.finditer(r'<definedName [^>]*localSheetId="(\d+)"[^>]*>.*?</definedName>', wb):
        if int(m.group(1)) == index:
            copy = m.group(0).replace(f'localSheetId="{index}"', f'localSheetId="{count}"')
            copy = copy.replace(f"'{title}'!", f"'{copy_title}'!")
            if marker_text is not None and "_ScoreResult" in copy:
                copy = re.sub(r">.*?</definedName>", f">{marker_text}</definedName>", copy)
            copies.append(copy)
    wb = wb.replace("</definedNames>", "".join(copies) + "</definedNames>")
    items["xl/workbook.xml"] = wb.encode("utf-8")
    rels = items["xl/_rels/workbook.xml.rels"].decode("utf-8")
    items["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rIdCopy" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet_copy.xml"/>'
        "</Relationships>").encode("utf-8")
    ct = items["[Content_Types].xml"].decode("utf-8")
    items["[Content_Types].xml"] = ct.replace("</Types>", '<Override PartName="/xl/worksheets/sheet_copy.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in items.items():
            zf.writestr(name, blob)


def test_sheets_copied_as_excel_copies_them_are_kept(ind, scored, cli):
    excel_copy(scored, "评分汇总", "评分汇总 (2)")
    excel_copy(scored, "评分表", "2019年评分表（已上报）")
    kept_summary = sheet_part(scored, "评分汇总 (2)")[1]
    r = cli("run", ind, scored)
    assert r.code == 0, r.err
    names = openpyxl.load_workbook(scored).sheetnames
    assert names == ["基础数据", "附表", "评分汇总", "评分表", "评分汇总 (2)", "2019年评分表（已上报）"]
    assert sheet_part(scored, "评分汇总 (2)")[1] == kept_summary  # byte for byte
    assert "已更新评分引擎上次写出的工作表：“评分汇总”、“评分表”" in r.err
    assert "保留未动：“评分汇总 (2)”、“2019年评分表（已上报）”（由评分结果复制或改名而来，已是您自己的工作表）" in r.err


def test_a_copy_of_a_sheet_an_earlier_version_wrote_is_kept(ind, scored, cli):
    """Earlier versions marked a sheet with the bare value "score": a copy under Excel's or LibreOffice's copy name,
    or under any name the product never gives, is the user's; the product's own names are still replaced."""
    xml = workbook_xml(scored)
    for title in ("评分汇总", "评分表"):
        excel_copy(scored, title, {"评分汇总": "评分汇总 (2)", "评分表": "评分表_2"}[title], marker_text='"score"')
    excel_copy(scored, "评分表", "上报版", marker_text='"score"')
    legacy = re.sub(r'"score\|[^<]*"', '"score"', workbook_xml(scored).replace("&quot;", '"'))
    assert xml.count("_ScoreResult") == 2
    put_workbook_xml(scored, legacy)
    r = cli("run", ind, scored)
    assert r.code == 0, r.err
    assert openpyxl.load_workbook(scored).sheetnames == ["基础数据", "附表", "评分汇总", "评分表", "评分汇总 (2)",
                                                         "评分表_2", "上报版"]
    assert "保留未动：“评分汇总 (2)”、“评分表_2”、“上报版”" in r.err
    assert '"score|评分汇总"' in workbook_xml(scored).replace("&quot;", '"')  # the marker now names its sheet


def test_a_renamed_result_sheet_is_the_users(ind, tmp_path, cli):
    """Several units: 评分表-甲 renamed by the user is not a stale result sheet to delete."""
    from tests.builders import wide_book

    names = [n for n, _ in STANDARD_DATA if n != "单位名称"]
    values = [v for n, v in STANDARD_DATA if n != "单位名称"]
    data = wide_book(tmp_path / "w.xlsx", names, [(u, values) for u in ("甲", "乙")])
    assert cli("run", ind, data).code == 0
    wb_xml = workbook_xml(data).replace('name="评分表-甲"', 'name="甲（2019年上报）"')
    wb_xml = wb_xml.replace("'评分表-甲'!", "'甲（2019年上报）'!")
    put_workbook_xml(data, wb_xml)
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "评分汇总", "甲（2019年上报）", "评分表-乙", "评分表-甲"]
    assert "保留未动：“甲（2019年上报）”" in r.err


@pytest.mark.skipif(not has_uno(), reason="需要 LibreOffice（soffice）和系统 python3 的 uno 模块（python3-uno）")
def test_sheets_copied_and_renamed_by_libreoffice_are_kept(ind, scored, tmp_path, cli):
    saved = tmp_path / "lo.xlsx"
    subprocess.run([SYSTEM_PYTHON, str(HERE / "lo_copy_sheet.py"), str(scored), str(saved), str(tmp_path / "profile"),
                    "copy:评分汇总:评分汇总_2", "rename:评分表:2019年评分表"], check=True, timeout=240,
                   capture_output=True)
    assert "_ScoreResult" in workbook_xml(saved)  # LibreOffice carried the marker along with both sheets
    r = cli("run", ind, saved)
    assert r.code == 0, r.err
    names = openpyxl.load_workbook(saved).sheetnames
    assert names == ["基础数据", "附表", "评分汇总", "2019年评分表", "评分汇总_2", "评分表"]
    assert "保留未动：“2019年评分表”、“评分汇总_2”" in r.err or "保留未动：“评分汇总_2”、“2019年评分表”" in r.err
    wb = openpyxl.load_workbook(saved, data_only=True)
    assert wb["评分汇总_2"]["B4"].value == pytest.approx(STANDARD_TOTAL)


def test_a_users_sheet_holding_the_name_is_said(ind, tmp_path, cli):
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    wb = openpyxl.load_workbook(data)
    wb.create_sheet("评分汇总")["A1"] = "局里自己的汇总"
    wb.save(data)
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    assert "工作簿中已有您自己的工作表“评分汇总”，没有改动它；这次的结果写在“评分汇总(2)”" in r.err
    assert openpyxl.load_workbook(data)["评分汇总"]["A1"].value == "局里自己的汇总"


def test_the_workbook_is_recalculated_on_opening(ind, scored):
    assert re.search(r'<calcPr [^>]*fullCalcOnLoad="1"', workbook_xml(scored))


def test_a_users_formula_on_the_results_is_named_with_how_to_refresh_it(ind, tmp_path, cli):
    """=评分汇总!B4 in the user's own sheet: Excel and WPS recompute it on opening (fullCalcOnLoad); LibreOffice's default
    is never to recalculate .xlsx on loading, whatever the file asks, so the output names the cell and says how."""
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    wb = openpyxl.load_workbook(data)
    mine = wb.create_sheet("我的")
    mine["A1"], mine["C3"], mine["D4"] = "=评分汇总!B4", "='评分表'!K5*2", "=SUM(基础数据!B2:B3)"
    wb.save(data)
    first = cli("run", ind, data)
    assert first.code == 0, first.err
    second = cli("run", ind, data)
    assert re.search(r'<calcPr [^>]*fullCalcOnLoad="1"', workbook_xml(data))
    for r in (first, second):
        assert ("我的!A1、我的!C3 的公式引用了评分结果：Excel、WPS 打开时会重新计算；"
                "LibreOffice 请按 Ctrl+Shift+F9 重新计算") in r.err
        assert "D4" not in r.err
