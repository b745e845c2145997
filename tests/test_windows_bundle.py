"""The Windows bundle's own files, offline (CI builds the bundle itself, see .ci/bundle): batch files as cmd.exe
reads them (GBK, CRLF, every command ASCII so another code page still runs them), the same Python versions looked
for by 安装.bat, install.sh and install.py, and install.py refusing another Python in Chinese."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("windows_bundle", ROOT / "tools" / "windows_bundle.py")
bundle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bundle)

TALK = re.compile(r"^(echo|rem|title|choice|if defined \w+ echo)\b", re.IGNORECASE)


@pytest.mark.parametrize("name", bundle.BATCH_FILES)
def test_batch_files_are_gbk_with_crlf_and_ascii_commands(name):
    raw = bundle.batch_text(name)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.decode("gbk").split("\r\n")
    assert lines[0] == "@echo off" and "chcp 936 >nul" in lines
    for line in lines:  # Chinese only where it is shown, never in a command or a path
        assert line.isascii() or TALK.match(line.strip()), line


def test_every_launcher_uses_the_folder_install_py_makes():
    for name in bundle.BATCH_FILES:
        text = (bundle.TEMPLATES / name).read_text(encoding="utf-8")
        assert 'if not defined SCORE_HOME set "SCORE_HOME=%USERPROFILE%\\score"' in text, name
    install = (bundle.TEMPLATES / "install.py").read_text(encoding="utf-8")
    assert 'os.environ.get("SCORE_HOME") or Path.home() / "score"' in install  # USERPROFILE on Windows


def test_the_same_python_versions_are_looked_for_everywhere():
    versions = [v.removeprefix("3.") for v in bundle.WINDOWS_PYTHONS]
    check = "(3, 11) <= sys.version_info[:2] <= (3, 13)"
    assert versions == ["11", "12", "13"]
    bat = (bundle.TEMPLATES / "安装.bat").read_text(encoding="utf-8")
    assert [f"py -3.{v}" for v in reversed(versions)] == re.findall(r"call :try (py -3\.\d+)", bat)
    for name in ("安装.bat", "install.sh", "install.py"):
        assert check in (bundle.TEMPLATES / name).read_text(encoding="utf-8"), name


def test_the_guide_is_utf8_with_bom_for_notepad():
    raw = bundle.guide_text()
    assert raw.startswith(b"\xef\xbb\xbf") and "安装.bat" in raw.decode("utf-8-sig")


def test_install_py_refuses_another_python_in_chinese(tmp_path):
    """Run as it is in the bundle, by a Python pretending to be 3.10: it says what it needs and makes nothing."""
    fake = tmp_path / "run.py"
    fake.write_text("import runpy, sys\nsys.version_info = (3, 10, 0, 'final', 0)\n"
                    f"runpy.run_path({str(bundle.TEMPLATES / 'install.py')!r}, run_name='__main__')\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(fake)], capture_output=True, text=True, encoding="utf-8",
                       env={"SCORE_HOME": str(tmp_path / "home"), "PATH": "", "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 1
    assert "需要 64 位的 Python 3.11、3.12 或 3.13" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "home").exists()
