"""Every rule about where the product may write, enforced by the library (not the CLI): never onto an
input, never into a workbook open in Excel/WPS/LibreOffice, never where the user made the file or
folder read-only, never over a file that is not an earlier result unless forced (``guard_output``: one order, one wording, for every
command and the web page); always atomically, and every OSError as a message. Messages name no front end's flags:
``WriteRefused.kind`` lets the CLI add its own (--force, -o)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import Refusal, WriteRefused, os_reason

TEMP_PREFIX = ".~score-"

WRITE_BACK_ADVICE = "不指定输出文件即写回基础数据；要另存请换一个文件名"  # run's: without an output it writes into the data
OUTPUT_IS_INPUT = f"输出文件不能是基础数据或指标体系工作簿本身：{WRITE_BACK_ADVICE}"
NOT_A_RESULT = "，且不是评分引擎以前写出的结果"  # why an existing file is not replaced, when only results are


def same_file(a, b) -> bool:
    """The same file however the path is spelled: ./x, a symlink, a hard link."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def guard_output(output, inputs, force: bool = False, *, suffixes=(".xlsx",), what: str = "基础数据或指标体系工作簿",
                 advice: str = WRITE_BACK_ADVICE, replaceable=None, exists_why: str = NOT_A_RESULT,
                 remedy: str = "请换一个文件名", write: bool = True) -> Path:
    """Every check on an output before any work, in one order with one wording each: not one of `inputs` (`what`
    says them in words, `advice` is the command's own way out) → a name ending in one of `suffixes` → (with `write`)
    writable → an existing file is replaced only with `force`, or when `replaceable(its bytes)` says it is an
    earlier result (`exists_why` says why it is kept, `remedy` what to do). Raises WriteRefused; returns the path."""
    output = Path(output)
    if any(same_file(output, path) for path in inputs if path is not None):
        raise WriteRefused(f"输出文件不能是{what}本身：{advice}", Refusal.OUTPUT_IS_INPUT, output, option="output")
    if suffixes and output.suffix.lower() not in suffixes:
        wanted = " 或 ".join(suffixes)
        why = "（新工作簿不含宏）" if ".xlsm" in output.suffix.lower() else ""
        raise WriteRefused(f"输出文件应为 {wanted}{why}，现为“{output.name}”", Refusal.SUFFIX, output, option="output")
    if not write:
        return output
    make_output_folder(output)
    check_writable(output, in_place=False)
    if force or not output.exists():
        return output
    if replaceable is not None:
        try:
            raw = output.read_bytes()
        except OSError as exc:
            raise WriteRefused(f"无法读取已有的“{output.name}”（{os_reason(exc)}）：请换一个输出文件名", path=output) from None
        if replaceable(raw):
            return output
    raise WriteRefused(f"“{output.name}”已存在{exists_why}，没有覆盖：{remedy}", Refusal.EXISTS, output)


def lock_files(path: Path) -> list[Path]:
    """Lock files of a workbook open in Excel/WPS (~$name) or LibreOffice (.~lock.name#)."""
    return [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def lock_left_behind(path: Path, lock: Path) -> bool:
    """A lock file older than the workbook's last save (by more than a file system's 2-second mtime step). Excel
    and LibreOffice write it when they open the file and remove it when they close it, so such a lock was most
    likely left by one that crashed; it may also belong to a copy still open that was saved since, hence the
    message only explains it."""
    try:
        return lock.stat().st_mtime < path.stat().st_mtime - 2
    except OSError:
        return False


# The programs whose lock files (~$name, .~lock.name#) say a workbook is open, as the system lists their processes
SPREADSHEET_PROGRAMS = frozenset({"excel.exe", "et.exe", "wps.exe", "wpp.exe", "soffice.exe", "soffice.bin", "scalc.exe",
                                  "soffice", "scalc", "microsoft excel"})


def running_spreadsheet_programs() -> set[str] | None:
    """The spreadsheet programs running on this computer (process names, lower case); None when that cannot be told."""
    import subprocess

    try:
        if os.name == "nt":
            listing = subprocess.run(["tasklist", "/FO", "CSV", "/NH"], capture_output=True, timeout=10).stdout
            names = {line.split('","')[0].strip('"').lower()
                     for line in listing.decode("ascii", "replace").splitlines() if line.strip()}
        elif Path("/proc/self/comm").exists():
            names = set()
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        names.add((entry / "comm").read_text().strip().lower())
                    except OSError:
                        continue
        else:
            listing = subprocess.run(["ps", "-A", "-o", "comm="], capture_output=True, timeout=10).stdout
            names = {Path(line.strip()).name.lower() for line in listing.decode("utf-8", "replace").splitlines()}
    except (OSError, subprocess.SubprocessError):
        return None
    return names & SPREADSHEET_PROGRAMS


def _lock_message(path: Path, lock: Path) -> str:
    if running_spreadsheet_programs() == set():  # the owner is gone, at least from this computer
        return (f"“{path.name}”旁有锁文件 {lock.name}，但本机没有正在运行的 Excel、WPS 或 LibreOffice：它多半是异常退出留下的"
                f"（工作簿在共享文件夹时，也可能是别人的电脑正打开着它）。确认没有人打开这个工作簿后，可删除 {lock.name}"
                f"（与工作簿在同一文件夹，可能是隐藏文件）再评分")
    if lock_left_behind(path, lock):
        return (f"“{path.name}”旁有锁文件 {lock.name}，它比工作簿最后一次保存还早：可能是 Excel 异常退出留下的，"
                f"可删除 {lock.name}（与工作簿在同一文件夹，可能是隐藏文件）后再评分；"
                f"如果该文件确实正在 Excel/WPS/LibreOffice 中打开，请先关闭该文件再评分")
    return f"“{path.name}”正在 Excel/WPS/LibreOffice 中打开（发现锁文件 {lock.name}）：请先关闭该文件再评分"


def make_output_folder(output: Path) -> None:
    """A new output's folder that does not exist is made when its own parent exists: one level, never a chain."""
    folder = Path(output).parent
    if str(folder) in ("", ".") or folder.is_dir() or not folder.parent.is_dir():
        return
    try:
        folder.mkdir()
    except FileExistsError:
        pass
    except OSError as exc:
        raise WriteRefused(f"不能建立输出文件夹“{folder}”（{os_reason(exc)}）：{_remedy(exc)}", _refusal(exc), output) from None


def _read_only(path: Path) -> bool:
    """Read-only as the user set it (mode bits), also when running as root, or not writable for us."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def check_writable(path: Path, in_place: bool = False) -> None:
    """Refuse to write where Excel/WPS/LibreOffice holds the file or where we may not write."""
    path = Path(path)
    try:
        _check_writable(path)
    except OSError as exc:  # a name too long: the path cannot even be looked at
        raise WriteRefused(f"不能写入“{path}”（{os_reason(exc)}）：{_remedy(exc)}", _refusal(exc), path) from None


def _check_writable(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            raise WriteRefused(_lock_message(path, lock), path=path)
    if path.is_dir():
        raise WriteRefused(f"“{path}”是文件夹：请给出要写的工作簿文件名，例如 结果.xlsx", path=path, option="output")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused(f"输出文件夹“{folder}”不存在：请先建立该文件夹，或换一个位置", path=path)
    if _read_only(folder):
        raise WriteRefused(f"文件夹“{folder}”是只读的，不能写入：请换一个位置", Refusal.ELSEWHERE, path)
    if path.exists() and _read_only(path):
        raise WriteRefused(f"“{path.name}”是只读文件：请取消只读", Refusal.ELSEWHERE, path)


def atomic_save(save, target: Path) -> None:
    """`save(temporary_path)` writes the file beside `target`; fsync, then replace: never a half-written file.
    Any OSError (disk full, no permission, name too long) becomes a WriteRefused; the temporary is removed."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = None
    try:
        remove_stale_temporaries(folder)
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix or ".xlsx",
                                        dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        save(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:
            pass
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise WriteRefused(f"写入“{target.name}”失败（{os_reason(exc)}），{'原文件没有改动' if target.exists() else '没有写出文件'}："
                           f"{_remedy(exc)}", _refusal(exc), target) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _remedy(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "请腾出磁盘空间"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "请检查文件和文件夹的权限"
    if exc.errno == errno.ENAMETOOLONG:
        return "请换一个短一些的文件名或路径"
    return "请检查磁盘和路径后重试"


def _refusal(exc: OSError) -> Refusal:
    """A name too long is fixed by another name; anything else also by writing somewhere else."""
    return Refusal.OTHER if exc.errno == errno.ENAMETOOLONG else Refusal.ELSEWHERE


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of a run that was killed (its process is gone) are removed."""
    for tmp in folder.glob(TEMP_PREFIX + "*"):
        pid = tmp.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
