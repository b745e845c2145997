"""A lock file older than the workbook's last save is explained as what a crashed Excel leaves (it may be deleted);
a fresh one is the usual refusal."""

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
def test_a_lock_older_than_the_last_save_is_explained_as_a_leftover(standard, cli, lock_name):
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


def test_a_fresh_lock_is_the_usual_refusal(standard, cli):
    ind, data = standard
    _age(data, 3600)  # saved an hour ago, opened in Excel just now
    (data.parent / "~$data.xlsx").write_bytes(b"lock")
    r = cli("run", ind, data)
    assert r.code == 2
    assert "“data.xlsx”正在 Excel/WPS/LibreOffice 中打开（发现锁文件 ~$data.xlsx）：请先关闭该文件再评分" in r.err
    assert "异常退出" not in r.err
