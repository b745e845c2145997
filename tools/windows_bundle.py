"""Build the Windows bundle: `python tools/windows_bundle.py` → dist/score-windows-<version>.zip.

The zip holds score's wheel and every dependency as win_amd64 wheels for CPython 3.11, 3.12 and 3.13 (pip fetches
them with --platform win_amd64 --only-binary=:all:; a requirement without such a wheel for one of the three fails
the build, naming the version), uv.exe taken from uv's own win_amd64 wheel (a way to get Python where none is
installed), 安装.bat / 打开评分网页.bat / 评分命令行.bat (GBK, CRLF: what cmd.exe reads), 使用说明.txt (UTF-8 with
BOM: what Notepad reads), the web page's screenshots, and install.py, which 安装.bat runs.

`--platform linux` builds the Linux twin the same way (manylinux wheels for the running Python, install.sh
instead of the .bat files), which CI installs offline and scores an example with (.ci/bundle)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "bundle"
WINDOWS_PYTHONS = ("3.11", "3.12", "3.13")
BATCH_FILES = ("安装.bat", "打开评分网页.bat", "评分命令行.bat")
GUIDE = "使用说明.txt"
SCREENSHOTS = ROOT / "docs" / "web"


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--quiet"]
    if subprocess.run(command).returncode != 0:
        raise SystemExit(f"failed: pip {' '.join(args)}")


def build_wheel(wheels: Path) -> Path:
    """From a clean copy of the sources: setuptools reuses build/lib, where a module deleted since would linger."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "score"
        skip = shutil.ignore_patterns("__pycache__", "*.pyc", "~$*")
        shutil.copytree(ROOT / "scoring", source / "scoring", ignore=skip)
        shutil.copytree(ROOT / "indicator_sets", source / "indicator_sets", ignore=skip)
        for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
            shutil.copy2(ROOT / name, source / name)
        pip("wheel", str(source), "--no-deps", "--wheel-dir", str(wheels))
    return next(wheels.glob("score-*.whl"))


def windows_wheels(project: Path, wheels: Path) -> None:
    """Every requirement as a win_amd64 (or pure) wheel for each CPython the bundle supports: pip resolves
    once per version, so one version without a wheel fails here."""
    for python in WINDOWS_PYTHONS:
        command = [sys.executable, "-m", "pip", "download", str(project), "--dest", str(wheels), "--platform",
                   "win_amd64", "--python-version", python, "--implementation", "cp", "--only-binary=:all:",
                   "--disable-pip-version-check", "--quiet"]
        if subprocess.run(command).returncode != 0:
            raise SystemExit(f"a requirement has no win_amd64 wheel for CPython {python} (see pip's message above)")
    check_windows_tags(wheels)


def check_windows_tags(wheels: Path) -> None:
    """No wheel for another platform slipped in (pip download keeps what an earlier run left in --dest)."""
    for wheel in wheels.glob("*.whl"):
        platform = wheel.stem.split("-")[-1]
        if not ({"win_amd64", "any"} & set(platform.split("."))):
            raise SystemExit(f"{wheel.name} is not a win_amd64 wheel")


def linux_wheels(project: Path, wheels: Path) -> None:
    pip("download", str(project), "--dest", str(wheels), "--only-binary=:all:")


def uv_exe(target: Path) -> None:
    """uv.exe out of uv's win_amd64 wheel on PyPI (the wheel carries the binary under uv-*.data/scripts/)."""
    with tempfile.TemporaryDirectory() as tmp:
        pip("download", "uv", "--no-deps", "--dest", tmp, "--platform", "win_amd64", "--only-binary=:all:")
        with zipfile.ZipFile(next(Path(tmp).glob("uv-*.whl"))) as wheel:
            name = next(n for n in wheel.namelist() if n.endswith("/scripts/uv.exe"))
            target.mkdir(parents=True, exist_ok=True)
            (target / "uv.exe").write_bytes(wheel.read(name))


def batch_text(name: str) -> bytes:
    """cmd.exe reads a batch file in the console's code page (936 on Chinese Windows; each file also says
    chcp 936): GBK bytes, CRLF lines, and its commands ASCII."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gbk")


def guide_text() -> bytes:
    text = (TEMPLATES / GUIDE).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig")


def lay_out(folder: Path, platform: str, with_uv: bool) -> None:
    wheels = folder / "wheels"
    wheels.mkdir(parents=True)
    project = build_wheel(wheels)
    shutil.copy2(TEMPLATES / "install.py", folder / "install.py")
    (folder / GUIDE).write_bytes(guide_text())
    shots = folder / "网页截图"
    shots.mkdir()
    for png in SCREENSHOTS.glob("*.png"):
        shutil.copy2(png, shots / png.name)
    if platform == "windows":
        windows_wheels(project, wheels)
        for name in BATCH_FILES:
            (folder / name).write_bytes(batch_text(name))
        if with_uv:
            uv_exe(folder / "uv")
    else:
        linux_wheels(project, wheels)
        shutil.copy2(TEMPLATES / "install.sh", folder / "install.sh")


def build(out: Path, platform: str = "windows", with_uv: bool = True) -> Path:
    name = f"score-{platform}-{version()}"
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"{name}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        lay_out(folder, platform, with_uv)
        archive.unlink(missing_ok=True)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:  # names stored as UTF-8 (flag bit 11)
            for path in sorted(folder.rglob("*")):
                info = zipfile.ZipInfo.from_file(path, path.relative_to(Path(tmp)).as_posix())
                if path.is_dir():
                    zf.writestr(info, b"")
                    continue
                info.compress_type = zipfile.ZIP_STORED if path.suffix in (".whl", ".png") else zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return archive


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=["windows", "linux"], default="windows")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-uv", action="store_true", help="leave uv.exe out (about 20 MB smaller)")
    args = parser.parse_args(argv)
    archive = build(args.out, args.platform, not args.no_uv)
    print(f"{archive} ({archive.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
