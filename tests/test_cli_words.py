"""The command line speaks Chinese (issue 11): help, -h, --version, bare `score`, usage errors, options that
do not apply."""

import subprocess
import sys

import pytest

from tests.builders import STANDARD_DATA, kv_book, standard_system

ENGLISH = ("Usage:", "Options", "Arguments", "Show this message", "[required]", "<bool>", "Commands", "Error")


def _no_english_words(text):
    for word in ENGLISH:
        assert word not in text, (word, text)


def test_bare_score_shows_the_help(cli):
    r = cli()
    assert r.code == 0
    assert r.out.startswith("用法：score 命令") and "run" in r.out and "示例：" in r.out
    assert "用法错误" not in r.err
    _no_english_words(r.out)


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [None, "run", "check", "explain", "template", "sets"])
def test_help_is_chinese_with_an_example(cli, flag, command):
    r = cli(*([command] if command else []), flag)
    assert r.code == 0
    assert r.out.startswith("用法：score")
    assert "选项：" in r.out and "-h, --help  显示本说明" in r.out.replace("   ", "  ") or "显示本说明" in r.out
    assert "示例：" in r.out and "    score " in r.out
    _no_english_words(r.out)
    if command:
        assert f"用法：score {command}" in r.out


def test_argument_help_is_shown(cli):
    r = cli("run", "-h")
    lines = [" ".join(line.split()) for line in r.out.splitlines()]
    assert "指标体系 指标体系工作簿；或自评表、存放自评表的文件夹 / indicator workbook, 自评表 or folder" in lines
    assert any(line.startswith("基础数据 基础数据工作簿") for line in lines)
    assert any(line.startswith("更多自评表 更多自评表或文件夹，一并汇总") for line in lines)
    assert "--strict" in r.out and "（默认：table）" in r.out


def test_help_after_arguments_still_helps(cli):
    assert cli("run", "a.xlsx", "-h").out.startswith("用法：score run")


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("score ")


@pytest.mark.parametrize("args, expected", [
    (["foo"], "没有命令“foo”"),
    (["run", "a.xlsx", "b.xlsx", "--bogus"], "没有选项 --bogus"),
    (["explain", "a.xlsx", "b.xlsx"], "缺少“指标”"),
    (["explain", "a.xlsx", "b.xlsx", "指标", "c.xlsx"], "多余的参数：c.xlsx"),
    (["check", "a.xlsx", "--format", "csv"], "--format 的值“csv”无效，可选：table、json"),
    (["template", "a.xlsx", "-o", "t.xlsx", "--units", "abc"], "--units 的值“abc”无效，应为数字"),
    (["run", "a.xlsx", "b.xlsx", "-o"], "选项 -o 后面需要一个值"),
])
def test_usage_errors_in_chinese(cli, args, expected):
    r = cli(*args)
    assert r.code == 2
    assert r.err.startswith("用法错误：") and expected in r.err and "-h 查看用法" in r.err
    _no_english_words(r.err)


def test_three_paths_are_a_batch_of_forms_and_a_missing_one_stops_it(cli):
    r = cli("run", "a.xlsx", "b.xlsx", "c.xlsx")
    assert r.code == 2 and r.err.startswith("错误：找不到“a.xlsx”：请给出自评表文件或存放自评表的文件夹")


def test_options_that_do_not_apply_are_refused(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    before = data.read_bytes()
    r = cli("run", ind, data, "--dry-run", "-o", tmp_path / "o.xlsx")
    assert r.code == 2 and "--dry-run 不写任何文件，不能和 -o 同时使用" in r.err
    r = cli("run", ind, data, "--force")
    assert r.code == 2 and "--force 只用于 -o" in r.err
    r = cli("run", ind, data, "--dry-run", "--sheets", "all")
    assert r.code == 2 and "--sheets all" in r.err
    assert data.read_bytes() == before and not (tmp_path / "o.xlsx").exists()


def test_template_onto_an_existing_file_needs_force(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    filled = kv_book(tmp_path / "填报表.xlsx", STANDARD_DATA)
    before = filled.read_bytes()
    r = cli("template", ind, "-o", filled)
    assert r.code == 2 and "已存在" in r.err and "--force" in r.err
    assert filled.read_bytes() == before
    r = cli("template", ind, "-o", filled, "--force")
    assert r.code == 0 and filled.read_bytes() != before


def test_the_installed_command_exits_with_its_status_and_flushes(tmp_path):
    """`score` ends with os._exit after flushing: every line arrives, the status is kept."""
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    done = subprocess.run([sys.executable, "-m", "scoring", "run", str(ind), str(data), "--dry-run"],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and "90.2" in done.stdout and "--dry-run：未写任何文件" in done.stderr
    missing = subprocess.run([sys.executable, "-m", "scoring", "run", str(ind), str(tmp_path / "无.xlsx")],
                             capture_output=True, text=True, encoding="utf-8")
    assert missing.returncode == 2 and "找不到基础数据工作簿" in missing.stderr


def test_an_unknown_command_lists_the_commands_as_they_are_defined(cli):
    """The list comes from the command group itself: a new command needs no second list to be kept."""
    import typer

    from scoring.cli import app

    names = list(typer.main.get_command(app).commands)
    assert "run" in names and "serve" in names
    assert f"没有命令“foo”：可用的命令有 {'、'.join(names)}。" in cli("foo").err
