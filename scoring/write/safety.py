"""Every rule about where the product may write, enforced by the library (not the CLI): never onto an
input, never into a workbook open in Excel/WPS, never where the user made the file or folder
read-only, never over parts that would be lost; and always atomically."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from ..errors import WriteRefused
from ..read.workbook import largest_sheet_xml

TEMP_PREFIX = ".~score-"
MAX_SHEET_XML_IN_PLACE = 60 * 1024**2  # larger data sheets are not rewritten in place (memory)

# Package parts openpyxl does not write back (comments' VML drawings are kept, so not listed).
DROPPED_PARTS = [
    (re.compile(r"^xl/charts/"), "图表"),
    (re.compile(r"^xl/drawings/drawing\d+\.xml$"), "图形或图片"),
    (re.compile(r"^xl/media/"), "图片"),
    (re.compile(r"^xl/pivotTables/"), "数据透视表"),
    (re.compile(r"^xl/pivotCache/"), "数据透视表缓存"),
    (re.compile(r"^xl/externalLinks/"), "外部链接"),
    (re.compile(r"^xl/ctrlProps/"), "表单控件"),
    (re.compile(r"^xl/activeX/"), "ActiveX 控件"),
    (re.compile(r"^xl/embeddings/"), "嵌入对象"),
    (re.compile(r"^xl/slicers/"), "切片器"),
    (re.compile(r"^xl/timelines/"), "日程表"),
]

OUTPUT_IS_INPUT = "-o 不能指向基础数据或指标体系工作簿本身：不加 -o 即写回基础数据；要另存请换一个文件名"


def same_file(a, b) -> bool:
    """The same file however the path is spelled: ./x, a symlink, a hard link."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def refuse_onto_inputs(output, inputs, message: str = OUTPUT_IS_INPUT) -> None:
    if any(same_file(output, path) for path in inputs if path is not None):
        raise WriteRefused(message)


def lock_file(path: Path) -> Path:
    return path.with_name("~$" + path.name)


def _read_only(path: Path) -> bool:
    """Read-only as the user set it (mode bits), also when running as root, or not writable for us."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def check_writable(path: Path, in_place: bool) -> None:
    """Refuse to write where Excel/WPS holds the file, where we may not write, or where parts would be lost."""
    path = Path(path)
    if lock_file(path).exists():
        raise WriteRefused(
            f"“{path.name}”正在 Excel/WPS 中打开（发现锁文件 {lock_file(path).name}）：请先关闭该文件再评分"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused(f"输出文件夹“{folder}”不存在")
    if _read_only(folder):
        raise WriteRefused(f"文件夹“{folder}”是只读的，不能写入：请换一个位置，或用 -o 指定输出文件")
    if path.exists() and _read_only(path):
        raise WriteRefused(f"“{path.name}”是只读文件：请取消只读，或用 -o 写到新文件")
    if in_place and path.exists():
        lost = parts_that_would_be_lost(path)
        if lost:
            raise WriteRefused(
                f"“{path.name}”含有{'、'.join(lost)}，写回后会丢失，因此没有改动它：请用 -o 结果.xlsx 把评分结果写到新文件"
            )
        if largest_sheet_xml(path) > MAX_SHEET_XML_IN_PLACE:
            raise WriteRefused(
                f"“{path.name}”很大，写回时需要整本重写、占用大量内存，因此没有改动它：请用 -o 结果.xlsx 写到新文件"
            )


def parts_that_would_be_lost(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return []
    found = []
    for pattern, label in DROPPED_PARTS:
        if any(pattern.match(n) for n in names) and label not in found:
            found.append(label)
    if path.suffix.lower() == ".xlsx" and "xl/vbaProject.bin" in names:
        found.append("宏")
    return found


def atomic_save(save, target: Path) -> None:
    """`save(temporary_path)` writes the file beside `target`; fsync, then replace: never a half-written file."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix or ".xlsx", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        save(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            try:
                os.chmod(tmp, target.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(target.parent or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


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
