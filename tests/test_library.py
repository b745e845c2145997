"""The library on its own enforces the product's rules: output never onto an input however the path is
spelled, and each workbook is parsed once per `run`."""

import os
from pathlib import Path

import openpyxl
import pytest

from scoring import WriteRefused, read_data, read_indicator_system, run, score, write_results
from scoring.write.safety import OUTPUT_IS_INPUT
from tests.builders import STANDARD_DATA, kv_book, standard_system, wide_book


@pytest.fixture
def scored(tmp_path):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    return ind, data, score(read_indicator_system(ind), read_data(data))


def spellings(tmp_path, target: Path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    hard = tmp_path / "hard.xlsx"
    os.link(target, hard)
    cwd = os.getcwd()
    os.chdir(target.parent)
    try:
        yield Path(target.name)  # relative
        yield Path(".") / target.name  # ./x
    finally:
        os.chdir(cwd)
    yield target
    yield tmp_path / "sub" / ".." / target.name
    yield link
    yield hard


@pytest.mark.parametrize("which", ["data", "indicators"])
def test_write_results_refuses_output_onto_an_input(tmp_path, scored, which):
    ind, data, results = scored
    (tmp_path / "sub").mkdir()
    target = data if which == "data" else ind
    before = {p: p.read_bytes() for p in (ind, data)}
    count = 0
    for spelling in spellings(tmp_path, target):
        with pytest.raises(WriteRefused) as refused:
            write_results(results, data, spelling)
        assert str(refused.value) == OUTPUT_IS_INPUT
        count += 1
    assert count == 6
    assert {p: p.read_bytes() for p in (ind, data)} == before
    assert openpyxl.load_workbook(data).sheetnames == ["基础数据", "附表"]


def test_run_refuses_the_same_way_and_the_cli_says_the_same(tmp_path, scored, cli):
    ind, data, _ = scored
    with pytest.raises(WriteRefused, match=OUTPUT_IS_INPUT):
        run(ind, data, output=tmp_path / "." / "data.xlsx")
    r = cli("run", ind, data, "-o", tmp_path / "." / "data.xlsx")
    assert r.code == 2 and f"{OUTPUT_IS_INPUT}（-o）" in r.err  # the CLI names its flag


def test_library_write_to_a_new_workbook_still_works(tmp_path, scored):
    _, data, results = scored
    out = write_results(results, data, tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(out).sheetnames == ["评分汇总", "评分表"]


class Openings:
    """Counts every parse of a workbook file by the three parsers the product uses (they are handed the
    file's bytes; which file is told by comparing the bytes with the files in `folder`)."""

    def __init__(self, monkeypatch, folder):
        import openpyxl.reader.excel as excel
        import python_calamine
        import xlrd

        self.files = {p.read_bytes(): p.name for p in Path(folder).iterdir() if p.is_file()}
        self.counts: dict[str, int] = {}
        for owner, attr in ((openpyxl, "load_workbook"), (excel, "load_workbook"),
                            (xlrd, "open_workbook")):
            monkeypatch.setattr(owner, attr, self.counting(getattr(owner, attr)))
        for attr in ("from_path", "from_filelike"):
            original = getattr(python_calamine.CalamineWorkbook, attr)
            monkeypatch.setattr(python_calamine.CalamineWorkbook, attr, staticmethod(self.counting(original)))

    def counting(self, fn):
        def wrapper(source=None, *args, **kwargs):
            if hasattr(source, "getvalue"):
                name = self.files.get(source.getvalue(), "?")
            elif source is None:  # xlrd.open_workbook(file_contents=...)
                name = self.files.get(kwargs.get("file_contents"), "?")
            else:
                name = Path(str(source)).name
            self.counts[name] = self.counts.get(name, 0) + 1
            return fn(source, *args, **kwargs) if source is not None else fn(*args, **kwargs)
        return wrapper


@pytest.mark.parametrize("layout", ["kv", "wide", "wide-large"])
@pytest.mark.parametrize("in_place", [True, False])
def test_each_workbook_is_parsed_once_per_run(tmp_path, monkeypatch, layout, in_place):
    ind = standard_system(tmp_path / "ind.xlsx")
    if layout == "kv":
        data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    else:
        names = [n for n, _ in STANDARD_DATA if n != "单位名称"]
        rows = [(f"单位{i}", [v for n, v in STANDARD_DATA if n != "单位名称"]) for i in range(3)]
        data = wide_book(tmp_path / "data.xlsx", names, rows)
        if layout == "wide-large":
            monkeypatch.setattr("scoring.read.data.FAST_READ_FROM", 0)  # read as a large sheet is: calamine
    openings = Openings(monkeypatch, tmp_path)
    outcome = run(ind, data, output=None if in_place else tmp_path / "out.xlsx", sheet="基础数据")
    assert outcome.written is not None and outcome.results.units[0].total is not None
    assert openings.counts == {"ind.xlsx": 1, "data.xlsx": 1}
