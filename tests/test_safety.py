"""Never lose a workbook: atomic write-back under SIGKILL, preservation of the user's sheets,
refusals (lock file, read-only), the indicator workbook never touched. Package-level details: test_writeback."""

import errno
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile

import openpyxl
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.write.package import Package
from tests.builders import STANDARD_DATA, indicator_book, kv_book, standard_system, wide_book

HEADER = ["一级指标", "二级指标", "分值", "评分公式"]


def rich_workbook(path):
    """A data workbook with everything openpyxl round-trips."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws.append(["名称", "数值", "说明"])
    ws.append(["完成率", 0.9, "按年度计划"])
    ws["B2"].number_format = "0.00%"
    ws["A1"].font = Font(name="黑体", bold=True, color="FF0000", size=13)
    ws["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["A1"].border = Border(bottom=Side(style="double"))
    ws["C2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["C2"].comment = Comment("财务科填写", "张三")
    ws.merge_cells("D1:F2")
    ws["D1"] = "合并的标题"
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("B5:B9")
    ws.conditional_formatting.add("B2:B9", CellIsRule(operator="lessThan", formula=["0.6"], fill=PatternFill("solid", fgColor="FFC7CE")))
    ws.column_dimensions["A"].width = 31.5
    ws.column_dimensions["C"].width = 44
    ws.row_dimensions[2].height = 33
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.gridLines = True
    ws.print_title_rows = "1:1"
    other = wb.create_sheet("台账")
    other["A1"] = "=SUM(B1:B3)"
    other["B1"], other["B2"] = 1, 2
    wb.defined_names["年度"] = DefinedName("年度", attr_text="台账!$B$1")
    wb.save(path)
    return path


def describe(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "names": sorted((k, v.attr_text) for k, v in wb.defined_names.items())}
    for ws in wb.worksheets:
        if ws.title.startswith("评分"):
            continue
        cells = {c.coordinate: (c.value, repr(c.font), repr(c.fill), repr(c.border), repr(c.alignment), c.number_format,
                                c.comment.text if c.comment else None)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(map(str, ws.merged_cells.ranges)),
            "validations": sorted((str(d.sqref), d.formula1) for d in ws.data_validations.dataValidation),
            "conditional": sorted((str(r.sqref), [x.formula for x in r.rules]) for r in ws.conditional_formatting),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "freeze": ws.freeze_panes,
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_options.gridLines, ws.print_title_rows),
        }
    return out


def test_everything_openpyxl_keeps_survives_write_back(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = rich_workbook(tmp_path / "d.xlsx")
    before = describe(data)
    r = cli("run", ind, data)
    assert r.code == 0, r.err
    after = describe(data)
    assert after.pop("sheets") == before.pop("sheets") + ["评分汇总", "评分表"]
    assert after == before
    assert openpyxl.load_workbook(data)["评分汇总"]["B4"].value == 90


def test_the_indicator_workbook_is_never_touched(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    stamp = (ind.read_bytes(), os.stat(ind).st_mtime_ns)
    for args in ([], ["-o", tmp_path / "o.xlsx"], ["--format", "json"]):
        assert cli("run", ind, data, *args).code == 0
    cli("check", ind, data)
    cli("explain", ind, data, "预算执行率")
    cli("template", ind, "-o", tmp_path / "t.xlsx")
    assert (ind.read_bytes(), os.stat(ind).st_mtime_ns) == stamp


def test_read_only_file_and_folder_are_refused(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    data.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        r = cli("run", ind, data)
        assert r.code == 2 and "“d.xlsx”是只读文件" in r.err
    finally:
        data.chmod(0o644)
    folder = tmp_path / "locked"
    folder.mkdir()
    try:
        folder.chmod(0o555)
        r = cli("run", ind, data, "-o", folder / "o.xlsx")
        assert r.code == 2 and "是只读的，不能写入" in r.err
    finally:
        folder.chmod(0o755)
    assert not list(folder.iterdir())


def test_no_temporary_files_after_an_error(tmp_path, cli, monkeypatch):
    import scoring.write.safety as writer

    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    before = data.read_bytes()

    def failing_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Package, "save", failing_save)
    r = cli("run", ind, data)
    assert r.code == 2 and "Traceback" not in r.err
    assert "磁盘空间不足" in r.err and "原文件没有改动" in r.err
    assert data.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xlsx", "ind.xlsx"]
    assert writer.TEMP_PREFIX == ".~score-"


def test_stale_temporary_of_a_killed_run_is_removed(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, [["产出", "完成率", 100, "RATIO(完成率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("完成率", 0.5)])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".~score-{dead.pid}-abc.xlsx"
    stale.write_bytes(b"left by a killed run")
    assert cli("run", ind, data).code == 0
    assert not stale.exists()


def test_sigkill_during_write_back_leaves_old_or_new_workbook(tmp_path):
    """Kill `score run` at many points of an in-place write of a large workbook."""
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "二级指标", "分值", "评分公式"],
                         [["产出", f"指标{k}", 10, f"RATIO(v{k}, 100)"] for k in range(10)])
    columns = [f"v{k}" for k in range(10)] + [f"备注{k}" for k in range(20)]
    units = [(f"单位{i:05d}", [float(i % 97)] * 10 + [f"说明文字{i}"] * 20) for i in range(1500)]
    original = wide_book(tmp_path / "orig.xlsx", columns, units)
    score = [sys.executable, "-m", "scoring", "run", str(ind)]
    # how long a full in-place run takes here
    probe = tmp_path / "probe.xlsx"
    probe.write_bytes(original.read_bytes())
    start = time.perf_counter()
    subprocess.run(score + [str(probe), "--format", "json"], check=True, capture_output=True)
    duration = time.perf_counter() - start
    outcomes = set()
    for k in range(8):
        target = tmp_path / f"t{k}.xlsx"
        target.write_bytes(original.read_bytes())
        proc = subprocess.Popen(score + [str(target), "--format", "json"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.3 + 0.75 * k / 8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with zipfile.ZipFile(target) as zf:
            assert zf.testzip() is None
        names = openpyxl.load_workbook(target, read_only=True).sheetnames
        if names == ["基础数据"]:
            assert target.read_bytes() == original.read_bytes()
            outcomes.add("old")
        else:
            assert names == ["基础数据", "评分汇总"] + [f"评分表-单位{i:05d}" for i in range(20)]
            outcomes.add("new")
    assert outcomes <= {"old", "new"}


