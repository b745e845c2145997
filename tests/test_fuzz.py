"""Fuzzing (bounded): random cell values and mutated workbooks through the real CLI.
Only the project's own Chinese messages come out — never a traceback — and inputs stay unchanged."""

import random

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.values import parse_cell_value
from tests.builders import STANDARD_DATA, STANDARD_TOTAL, indicator_book, kv_book, rewrite_package, standard_system

CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["是☑ 否□", "是□ 否☑", "95%", "９５％", "1,234.5", "不适用", "#DIV/0!", "=1/0",
                                          "—", "是", "否", "√", "×", "≥95%", "\x00", "\u202e"]),
)


@settings(max_examples=300, deadline=None)
@given(CELL_VALUES)
def test_value_parser_never_raises(value):
    parse_cell_value(value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CELL_VALUES, min_size=9, max_size=9))
def test_random_data_through_the_cli(tmp_path_factory, cli, values):
    tmp = tmp_path_factory.mktemp("fuzz")
    ind = standard_system(tmp / "ind.xlsx")
    items = [(name, v) for (name, _), v in zip(STANDARD_DATA[1:], values)]
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        data = kv_book(tmp / "d.xlsx", items)
    except (ValueError, TypeError, IllegalCharacterError):  # not storable in a workbook at all: not our input
        return
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code in (0, 1), r.err
    assert "Traceback" not in r.err and "内部错误" not in r.err
    r = cli("check", ind, data)
    assert r.code in (0, 1) and "内部错误" not in r.err


def mutations(path):
    """(label, bytes) of broken versions of a workbook."""
    raw = path.read_bytes()
    yield "truncated-half", raw[: len(raw) // 2]
    yield "truncated-end", raw[:-30]
    yield "empty-file", b""
    yield "not-a-zip", b"PK\x03\x04" + bytes(range(256)) * 4
    yield "text-file", "单位名称,完成率\n甲,90%\n".encode()

    def rewritten(replace):
        return rewrite_package(raw, replace)

    yield "corrupted-sheet-xml", rewritten({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"})
    yield "garbage-sheet-xml", rewritten({"xl/worksheets/sheet1.xml": bytes(random.Random(1).randrange(256) for _ in range(500))})
    yield "no-content-types", rewritten({"[Content_Types].xml": None})
    yield "wrong-content-types", rewritten({"[Content_Types].xml": b"<Types/>"})
    yield "no-workbook-part", rewritten({"xl/workbook.xml": None})
    yield "corrupted-styles", rewritten({"xl/styles.xml": b"<styleSheet><fonts count='1'><font>"})
    yield "corrupted-workbook-rels", rewritten({"xl/_rels/workbook.xml.rels": b"<Relationships><Relationship"})


def _cases(tmp_path):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    return ind, data


@pytest.mark.parametrize("which", ["data", "indicator"])
def test_mutated_workbooks_exit_2_with_a_chinese_message(tmp_path, cli, which):
    ind, data = _cases(tmp_path)
    target = data if which == "data" else ind
    for label, content in list(mutations(target)):
        broken = tmp_path / f"{label}.xlsx"
        broken.write_bytes(content)
        args = (ind, broken) if which == "data" else (broken, data)
        data_before = (args[1].read_bytes())
        for command in (("run",), ("check",)):
            r = cli(*command, *args)
            assert r.code == 2, (label, command, r.out, r.err)
            assert "错误：" in r.err and "Traceback" not in r.err and "内部错误" not in r.err, (label, r.err)
        assert broken.read_bytes() == content and args[1].read_bytes() == data_before


def test_swapped_workbooks(tmp_path, cli):
    ind, data = _cases(tmp_path)
    for command in ("run", "check"):
        r = cli(command, data, ind)
        assert r.code == 2 and f"两个文件是不是放反了？作为指标体系的“{data.name}”里没有指标表，却有单位" in r.err
        assert f"请把“{ind.name}”作为指标体系工作簿、“{data.name}”作为基础数据工作簿" in r.err
        assert "表头改成" not in r.err


def test_merged_range_over_the_header(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    wb = openpyxl.load_workbook(ind)
    wb["指标体系"].merge_cells("A2:I2")
    wb.save(ind)
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    # the header is gone (merged into its first cell): the columns are read by what they hold, and it says so
    r = cli("run", ind, data, "--dry-run", "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == pytest.approx(STANDARD_TOTAL)
    reading = cli("check", ind, "--format", "json").json()["reading"]
    assert "表格没有表头行，按各列内容判断" in reading and "F 列是评分公式" in reading


def test_formulas_in_every_cell(tmp_path, cli):
    header = ["一级指标", "二级指标", "分值", "评分公式"]
    ind = indicator_book(tmp_path / "ind.xlsx", header, [["=A1", "=B1", "=1/0", "=C3"]], title=None)
    data = kv_book(tmp_path / "d.xlsx", [("=1+1", "=A1"), ("完成率", "=SUM(B1:B9)")])
    r = cli("run", ind, data)
    assert r.code == 2 and "Traceback" not in r.err and "内部错误" not in r.err


def test_mutation_fuzzer_sample(tmp_path):
    """A sample of bench/fuzz.py (10,000 cases there, counts in docs/safety.md): mutated workbooks through the
    real command; no traceback, no internal error, no changed input."""
    from bench.fuzz import build_seeds, run_case

    seeds = build_seeds(tmp_path / "seeds")
    folder = tmp_path / "cases"
    folder.mkdir()
    outcomes = [run_case((i, 7, folder, seeds)) for i in range(40)]
    failed = [(n, detail) for n, outcome, detail in outcomes if outcome != "ok"]
    assert not failed, failed
    assert {detail.split()[0] for _, _, detail in outcomes} >= {"dry", "out", "inplace", "check"}
