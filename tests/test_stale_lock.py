"""A lock file older than the workbook's last save, or one whose owner is gone (no Excel, WPS or LibreOffice runs on this
computer), is explained as what a crashed program leaves (it may be deleted); a fresh one while such a program runs is
the usual refusal. Writing is refused either way: the lock is explained, never deleted."""

import os
import time

import pytest

from tests.builders import STANDARD_DATA, kv_book, standard_system


@pytest.fixture
def standard(tmp_path):
    return standard_system(tmp_path / "ind.xlsx"), kv_book(tmp_path / "data.xlsx", STANDARD_DATA)


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.parametrize("lock_name", ["~$data.xlsx", ".~lock.data.xlsx#"])
def test_a_lock_older_than_the_last_save_is_explained_as_a_leftover(standard, cli, lock_name, excel_running):
    ind, data = standard
    lock = data.parent / lock_name
    lock.write_bytes(b"lock")
    _age(lock, 3600)  # Excel opened the file an hour ago; the workbook was saved after that
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2
    assert f"“data.xlsx”旁有锁文件 {lock_name}，它比工作簿最后一次保存还早：可能是 Excel 异常退出留下的，可删除 {lock_name}" in r.err
    assert "如果该文件确实正在 Excel/WPS/LibreOffice 中打开，请先关闭该文件再评分" in r.err
    assert data.read_bytes() == before and lock.exists()  # explained, never deleted for the user


def test_a_fresh_lock_is_the_usual_refusal(standard, cli, excel_running):
    ind, data = standard
    _age(data, 3600)  # saved an hour ago, opened in Excel just now
    (data.parent / "~$data.xlsx").write_bytes(b"lock")
    r = cli("run", ind, data)
    assert r.code == 2
    assert "“data.xlsx”正在 Excel/WPS/LibreOffice 中打开（发现锁文件 ~$data.xlsx）：请先关闭该文件再评分" in r.err
    assert "异常退出" not in r.err


def test_a_lock_whose_owner_is_gone_is_explained(standard, cli, monkeypatch):
    """A fresh ~$ file, but no spreadsheet program runs here: left by a crash (or by another computer on a share)."""
    import scoring.write.safety as safety

    monkeypatch.setattr(safety, "running_spreadsheet_programs", lambda: set())
    ind, data = standard
    _age(data, 3600)
    lock = data.parent / "~$data.xlsx"
    lock.write_bytes(b"lock")
    before = data.read_bytes()
    r = cli("run", ind, data)
    assert r.code == 2
    assert ("“data.xlsx”旁有锁文件 ~$data.xlsx，但本机没有正在运行的 Excel、WPS 或 LibreOffice：它多半是异常退出留下的"
            "（工作簿在共享文件夹时，也可能是别人的电脑正打开着它）。确认没有人打开这个工作簿后，可删除 ~$data.xlsx") in r.err
    assert data.read_bytes() == before and lock.exists()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="lists processes through /proc")
def test_running_programs_are_found_among_the_processes(tmp_path):
    """The real listing: a process named soffice.bin is found; none is found once it has ended."""
    import shutil
    import subprocess

    from scoring.write.safety import running_spreadsheet_programs

    before = running_spreadsheet_programs()
    if before is None or "soffice.bin" in before:
        pytest.skip("LibreOffice is running on this computer: a second one could not be told apart")
    program = tmp_path / "soffice.bin"
    shutil.copy(shutil.which("sleep"), program)
    process = subprocess.Popen([str(program), "30"])
    try:
        deadline = time.monotonic() + 10
        while "soffice.bin" not in running_spreadsheet_programs() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running_spreadsheet_programs() == before | {"soffice.bin"}
    finally:
        process.kill()
        process.wait()
    assert running_spreadsheet_programs() == before
