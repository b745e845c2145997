"""Every rule about where the product may write, enforced by the library (not the CLI): never onto an
input, never into a workbook open in Excel/WPS/LibreOffice, never where the user made the file or
folder read-only, never over a file that is not an earlier result unless forced; always atomically,
and every OSError as a message."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import WriteRefused, os_reason

TEMP_PREFIX = ".~score-"

WRITE_BACK_ADVICE = "不加 -o 即写回基础数据；要另存请换一个文件名"  # run's: without an output it writes into the data
OUTPUT_IS_INPUT = f"-o 不能指向基础数据或指标体系工作簿本身：{WRITE_BACK_ADVICE}"


def same_file(a, b) -> bool:
    """The same file however the path is spelled: ./x, a symlink, a hard link."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def refuse_onto_inputs(output, inputs, advice: str = WRITE_BACK_ADVICE, what: str = "基础数据或指标体系工作簿") -> None:
    """Refuse an output that is one of `inputs`. The message says what is wrong (`what`: the inputs, in words);
    `advice` is the caller's own, as each command writes somewhere else when given no output."""
    if any(same_file(output, path) for path in inputs if path is not None):
        raise WriteRefused(f"-o 不能指向{what}本身：{advice}")


def lock_files(path: Path) -> list[Path]:
    """Lock files of a workbook open in Excel/WPS (~$name) or LibreOffice (.~lock.name#)."""
    return [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def _read_only(path: Path) -> bool:
    """Read-only as the user set it (mode bits), also when running as root, or not writable for us."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def check_writable(path: Path, in_place: bool) -> None:
    """Refuse to write where Excel/WPS/LibreOffice holds the file or where we may not write."""
    path = Path(path)
    try:
        _check_writable(path)
    except OSError as exc:  # a name too long: the path cannot even be looked at
        raise WriteRefused(f"不能写入“{path}”（{os_reason(exc)}）：{_remedy(exc)}") from None


def _check_writable(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            raise WriteRefused(f"“{path.name}”正在 Excel/WPS/LibreOffice 中打开（发现锁文件 {lock.name}）：请先关闭该文件再评分")
    if path.is_dir():
        raise WriteRefused(f"“{path}”是文件夹：请在 -o 后给出要写的工作簿文件名，例如 -o 结果.xlsx")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused(f"输出文件夹“{folder}”不存在：请先建立该文件夹，或换一个位置")
    if _read_only(folder):
        raise WriteRefused(f"文件夹“{folder}”是只读的，不能写入：请换一个位置，或用 -o 指定输出文件")
    if path.exists() and _read_only(path):
        raise WriteRefused(f"“{path.name}”是只读文件：请取消只读，或用 -o 写到新文件")


def check_output_file(path: Path, force: bool, is_previous_result) -> None:
    """-o onto an existing file: only an earlier result of this product is replaced without --force."""
    path = Path(path)
    if force or not path.exists():
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WriteRefused(f"无法读取已有的“{path.name}”（{os_reason(exc)}）：请换一个输出文件名") from None
    if not is_previous_result(raw):
        raise WriteRefused(f"“{path.name}”已存在，且不是评分引擎以前写出的结果，为免覆盖别的内容，没有写入："
                           f"请换一个文件名，或加 --force 覆盖它")


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
                           f"{_remedy(exc)}") from None
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
        return "请腾出磁盘空间，或用 -o 写到另一个磁盘"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "请检查文件和文件夹的权限，或用 -o 写到别处"
    if exc.errno == errno.ENAMETOOLONG:
        return "请换一个短一些的文件名或路径"
    return "请检查磁盘和路径后重试，或用 -o 写到别处"


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
