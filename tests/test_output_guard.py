"""One output guard (issue 28): every command refuses an output in the same order with one wording per refusal;
the library's messages name no flag, the CLI adds its own (-o, --force) at its boundary."""

import pytest

from scoring.cli import cli_message
from scoring.errors import Refusal, WriteRefused, user_message
from scoring.write.safety import guard_output
from tests.builders import STANDARD_DATA, kv_book, standard_system


def refusal(*args, **kwargs) -> WriteRefused:
    with pytest.raises(WriteRefused) as refused:
        guard_output(*args, **kwargs)
    return refused.value


def test_the_guard_checks_input_then_suffix_then_writable_then_an_existing_file(tmp_path):
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    onto = refusal(tmp_path / "." / "data.xlsx", [data], what="基础数据工作簿", advice="请换一个文件名")
    assert (onto.kind, str(onto)) == (Refusal.OUTPUT_IS_INPUT, "输出文件不能是基础数据工作簿本身：请换一个文件名")
    suffix = refusal(tmp_path / "结果.xlsm", [data])  # before anything about the place
    assert (suffix.kind, str(suffix)) == (Refusal.SUFFIX, "输出文件应为 .xlsx（新工作簿不含宏），现为“结果.xlsm”")
    assert str(refusal(tmp_path / "没有" / "结果.csv", [data], suffixes=(".docx",))) == "输出文件应为 .docx，现为“结果.csv”"
    assert "子”不存在" in str(refusal(tmp_path / "没有" / "子" / "结果.xlsx", [data]))  # one folder made, never a chain
    assert not (tmp_path / "没有").exists()
    other = tmp_path / "别人的.xlsx"
    other.write_bytes(b"not a result")
    exists = refusal(other, [data], exists_why="（可能是已填好的填报表）")
    assert (exists.kind, exists.path) == (Refusal.EXISTS, other)
    assert str(exists) == "“别人的.xlsx”已存在（可能是已填好的填报表），没有覆盖：请换一个文件名"
    assert guard_output(other, [data], force=True) == other
    assert guard_output(other, [data], replaceable=lambda raw: raw == b"not a result") == other
    assert guard_output(tmp_path / "新.xlsx", [data]) == tmp_path / "新.xlsx"
    assert guard_output(tmp_path / "没有" / "新.xlsx", [data], write=False) == tmp_path / "没有" / "新.xlsx"  # dry run


def test_the_cli_adds_its_flags_and_the_library_message_names_none():
    exists = WriteRefused("“a.xlsx”已存在，没有覆盖：请换一个文件名", Refusal.EXISTS)
    assert user_message(exists) == "“a.xlsx”已存在，没有覆盖：请换一个文件名"
    assert cli_message(exists) == "“a.xlsx”已存在，没有覆盖：请换一个文件名，或加 --force 覆盖它"
    read_only = WriteRefused("“a.xlsx”是只读文件：请取消只读", Refusal.ELSEWHERE)
    assert cli_message(read_only) == "“a.xlsx”是只读文件：请取消只读，或用 -o 写到别处"
    suffix = WriteRefused("输出文件应为 .xlsx，现为“a.csv”", Refusal.SUFFIX, option="output")
    assert cli_message(suffix) == "输出文件应为 .xlsx，现为“a.csv”（-o）"
    assert user_message(ValueError("x")) is None  # a defect, not a message: each front end says 程序内部错误


@pytest.mark.parametrize("command", ["run", "template", "draft", "diff", "sensitivity"])
def test_every_command_refuses_an_existing_file_in_one_wording_with_the_cli_flag(tmp_path, cli, command):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "data.xlsx", STANDARD_DATA)
    other = tmp_path / "别人的.xlsx"
    other.write_bytes(b"someone's file")
    args = {"run": ["run", ind, data], "template": ["template", ind], "draft": ["draft", ind],
            "diff": ["diff", ind, ind], "sensitivity": ["sensitivity", ind, data]}[command]
    r = cli(*args, "-o", other)
    assert r.code == 2 and "“别人的.xlsx”已存在" in r.err and "，没有覆盖：请换一个文件名，或加 --force 覆盖它" in r.err, r.err
    assert other.read_bytes() == b"someone's file"
