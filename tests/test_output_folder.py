"""An output file's folder that does not exist is made when its parent exists (one level), for every command that
writes a new file; a chain of missing folders is refused and nothing is made."""

import openpyxl
import pytest

from tests.builders import STANDARD_DATA, STANDARD_TOTAL, kv_book, standard_system


@pytest.fixture
def standard(tmp_path):
    return standard_system(tmp_path / "ind.xlsx"), kv_book(tmp_path / "data.xlsx", STANDARD_DATA)


def test_run_makes_the_output_folder_when_its_parent_exists(standard, cli, tmp_path):
    ind, data = standard
    target = tmp_path / "评分 结果" / "结果.xlsx"
    r = cli("run", ind, data, "-o", target)
    assert r.code == 0, r.err
    totals = [row[1] for row in openpyxl.load_workbook(target)["评分汇总"].iter_rows(values_only=True)]
    assert STANDARD_TOTAL in totals


@pytest.mark.parametrize("command", [["template", "{ind}"], ["draft", "{ind}"], ["sensitivity", "{ind}", "{data}"]])
def test_other_commands_make_it_too(standard, cli, tmp_path, command):
    ind, data = standard
    target = tmp_path / "新文件夹" / "输出.xlsx"
    r = cli(*[a.format(ind=ind, data=data) for a in command], "-o", target)
    assert r.code == 0, r.err
    assert target.is_file()


def test_a_chain_of_missing_folders_is_refused(standard, cli, tmp_path):
    ind, data = standard
    r = cli("run", ind, data, "-o", tmp_path / "没有" / "新" / "结果.xlsx")
    assert r.code == 2 and "输出文件夹" in r.err and "新”不存在：请先建立该文件夹，或换一个位置" in r.err
    assert not (tmp_path / "没有").exists()
