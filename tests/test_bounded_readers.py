"""Readers bounded before they allocate (issue 11): a stray value far away, merges however spelled, under a
memory limit, through the installed command."""

import resource
import subprocess
import sys
import zipfile

import openpyxl
import pytest
import xlsxwriter

from scoring.read.workbook import dense_area, range_size
from tests.builders import STANDARD_DATA, kv_book, rewrite_package, standard_system, wide_book

MEMORY_LIMIT = 1500 * 1024**2
NAMES = [n for n, _ in STANDARD_DATA[1:]]
VALUES = [v for _, v in STANDARD_DATA[1:]]


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(*args, timeout=300):
    """The real command in a child process with 1.5 GB of address space."""
    return subprocess.run([sys.executable, "-m", "scoring", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", preexec_fn=_limited, timeout=timeout)


def _with_stray(path, sheet, ref):
    wb = openpyxl.load_workbook(path)
    wb[sheet][ref] = "远处的备注"
    wb.save(path)
    return path


@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ200000", "XFD1"])
@pytest.mark.parametrize("where", ["kv", "wide", "indicators"])
def test_a_stray_value_far_away_is_read_sparsely(tmp_path, ref, where):
    ind = standard_system(tmp_path / "ind.xlsx", settings={"满分": 100})
    if where == "kv":
        data = _with_stray(kv_book(tmp_path / "d.xlsx", STANDARD_DATA), "基础数据", ref)
    elif where == "wide":
        data = _with_stray(wide_book(tmp_path / "d.xlsx", NAMES, [("甲", VALUES), ("乙", VALUES)]), "基础数据", ref)
    else:
        data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
        for sheet in ("指标体系", "设置", "计算项"):
            _with_stray(ind, sheet, ref)
    done = run_limited("run", ind, data, "-o", tmp_path / "out.xlsx", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "90.2" in done.stdout
    result = openpyxl.load_workbook(tmp_path / "out.xlsx")["评分表" if where != "wide" else "评分汇总"]
    assert result.max_row < 200 and result.max_column < 30  # the stray value is not copied into 评分表


def _big_wide(path, stray=None, units=8000):
    """A wide sheet of ~3 MB of XML (read with calamine unless something is far away)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("基础数据")
    ws.write_row(0, 0, ["单位名称"] + NAMES)
    numbers = [float(v) if isinstance(v, (int, float)) else v for v in VALUES]
    for i in range(units):
        ws.write_row(i + 1, 0, [f"单位{i}"] + numbers)
    wb.close()
    if stray:  # as Excel writes it: one more row at the end (xlsxwriter itself walks every row up to it)
        row = "".join(ch for ch in stray if ch.isdigit())
        xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
        cell = f'<row r="{row}"><c r="{stray}" t="inlineStr"><is><t>远处</t></is></c></row>'.encode()
        path.write_bytes(rewrite_package(path.read_bytes(),
                                         {"xl/worksheets/sheet1.xml": xml.replace(b"</sheetData>", cell + b"</sheetData>")}))
    return path


def test_dense_area_is_measured_from_the_cells_not_the_dimension(tmp_path):
    clean = _big_wide(tmp_path / "clean.xlsx", units=1000)
    far = _big_wide(tmp_path / "far.xlsx", stray="XFD1048576", units=1000)
    assert dense_area(clean, "xl/worksheets/sheet1.xml") == 1001 * 10
    assert dense_area(far, "xl/worksheets/sheet1.xml") == 1048576 * 16384
    raw = clean.read_bytes()
    xml = zipfile.ZipFile(clean).read("xl/worksheets/sheet1.xml")
    lying = xml.replace(b'<dimension ref="A1:J1001"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert lying != xml
    (tmp_path / "lying.xlsx").write_bytes(rewrite_package(raw, {"xl/worksheets/sheet1.xml": lying}))
    assert dense_area(tmp_path / "lying.xlsx", "xl/worksheets/sheet1.xml") == 1001 * 10


@pytest.mark.parametrize("stray", ["XFD1048576", "ZZ200000"])
def test_a_large_sheet_with_a_stray_value_is_not_laid_out_densely(tmp_path, stray):
    """calamine would lay the sheet out densely (549 GB for XFD1048576; the process aborts): it is read
    cell by cell instead, within 1.5 GB."""
    ind = standard_system(tmp_path / "ind.xlsx", settings={"满分": 100})
    data = _big_wide(tmp_path / "d.xlsx", stray=stray)
    assert zipfile.ZipFile(data).getinfo("xl/worksheets/sheet1.xml").file_size > 2 * 1024**2  # calamine's size
    done = run_limited("run", ind, data, "--dry-run")
    assert done.returncode == 0, done.stderr[-500:]
    assert "共 8000 个单位" in done.stdout and "90.2" in done.stdout


@pytest.mark.parametrize("ref", ["H1:XFD1048576", "$H$1:$XFD$1048576", "h1:xfd1048576", "XFD1048576:H1"])
def test_merge_guard_reads_any_spelling(tmp_path, cli, ref):
    ind = standard_system(tmp_path / "ind.xlsx")
    with zipfile.ZipFile(ind) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    xml = xml.replace(b"<mergeCells count=\"6\">", f'<mergeCells count="7"><mergeCell ref="{ref}"/>'.encode())
    assert ref.encode() in xml
    ind.write_bytes(rewrite_package(ind.read_bytes(), {"xl/worksheets/sheet1.xml": xml}))
    r = cli("run", ind, kv_book(tmp_path / "d.xlsx", STANDARD_DATA), "--dry-run")
    assert r.code == 2 and f"合并区域 {ref}" in r.err and "请取消这个合并后再试" in r.err


def test_many_large_merges_together_are_refused(tmp_path, cli):
    """Each under the single-range limit (990,000 cells), together far over it."""
    ind = standard_system(tmp_path / "ind.xlsx")
    with zipfile.ZipFile(ind) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    merges = b"".join(f'<mergeCell ref="{c}1:{c}990000"/>'.encode() for c in ("K", "L", "M", "N", "O"))
    xml = xml.replace(b'<mergeCells count="6">', b'<mergeCells count="11">' + merges)
    ind.write_bytes(rewrite_package(ind.read_bytes(), {"xl/worksheets/sheet1.xml": xml}))
    done = run_limited("run", ind, kv_book(tmp_path / "d.xlsx", STANDARD_DATA), "--dry-run", timeout=120)
    assert done.returncode == 2 and "个合并区域共覆盖" in done.stderr and "请取消不需要的合并" in done.stderr


@pytest.mark.parametrize("ref, size", [("A1:B2", (2, 2)), ("$A$1:$B$2", (2, 2)), ("b2:a1", (2, 2)), ("C3", (1, 1)),
                                       ("A1:XFD1048576", (1048576, 16384)), ("A1:", None), ("1:3", None)])
def test_range_size(ref, size):
    assert range_size(ref) == size
