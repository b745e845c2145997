"""Install `score` from this bundle's wheels, offline. Run by 安装.bat (Windows) and install.sh (its Linux twin),
with a Python 3.11-3.13 they found. Steps: a venv in the user's folder (SCORE_HOME, default ~/score), pip from
wheels/ only (--no-index), the launchers copied beside the venv, desktop shortcuts (Windows), a trial run.
Messages in Chinese: the person running it is a clerk."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
LAUNCHERS = ["打开评分网页.bat", "评分命令行.bat", "使用说明.txt"] if WINDOWS else ["使用说明.txt"]
SHORTCUTS = {"评分网页": "打开评分网页.bat", "评分命令行": "评分命令行.bat"}


def home() -> Path:
    return Path(os.environ.get("SCORE_HOME") or Path.home() / "score")


def scripts(env: Path) -> Path:
    return env / ("Scripts" if WINDOWS else "bin")


def fail(message: str) -> None:
    print(f"\n安装没有完成：{message}", file=sys.stderr)
    sys.exit(1)


def make_venv(env: Path) -> None:
    try:
        if env.exists():
            shutil.rmtree(env)  # a clean venv each time: an upgrade never mixes two versions
        venv.EnvBuilder(with_pip=True).create(env)
    except OSError as exc:
        fail(f"不能在“{env}”建立程序文件夹（{exc.strerror or exc}）。如果评分网页或评分命令行窗口还开着，"
             f"请先关闭它们再重新安装；否则请检查该文件夹的权限。")
    except subprocess.CalledProcessError:
        fail(f"Python 不能在“{env}”安装 pip（ensurepip 失败）。请重新安装 Python（python.org 的安装包自带 pip）。")


def install_wheels(env: Path) -> None:
    python = scripts(env) / ("python.exe" if WINDOWS else "python")
    wheels = BUNDLE / "wheels"
    if not any(wheels.glob("score-*.whl")):
        fail(f"“{wheels}”中没有 score 的安装文件：请重新解压完整的安装包。")
    command = [str(python), "-m", "pip", "install", "--no-index", "--find-links", str(wheels),
               "--disable-pip-version-check", "--no-warn-script-location", "--quiet", "score"]
    # Never the network, whatever pip.ini or PIP_* variables say.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    clean["PIP_CONFIG_FILE"] = os.devnull
    if subprocess.run(command, env=clean).returncode != 0:
        fail("从安装包安装失败（上面是 pip 的说明）。请确认 Python 是 3.11、3.12 或 3.13 的 64 位版本。")


def copy_launchers(target: Path) -> None:
    for name in LAUNCHERS:
        if (BUNDLE / name).exists():
            shutil.copy2(BUNDLE / name, target / name)


def desktop_shortcuts(target: Path) -> list[str]:
    """.lnk files on the desktop (wherever Windows keeps it, OneDrive too), made through PowerShell's
    WScript.Shell; the script travels as -EncodedCommand so spaces and Chinese in paths need no quoting."""
    if not WINDOWS:
        return []
    lines = ["$d = [Environment]::GetFolderPath('Desktop')", "$s = New-Object -ComObject WScript.Shell"]
    for name, bat in SHORTCUTS.items():
        path = str(target / bat).replace("'", "''")
        lines += [f"$l = $s.CreateShortcut((Join-Path $d '{name}.lnk'))", f"$l.TargetPath = '{path}'",
                  f"$l.WorkingDirectory = '{str(target).replace(chr(39), chr(39) * 2)}'", "$l.Save()"]
    script = base64.b64encode("\r\n".join(lines).encode("utf-16-le")).decode("ascii")
    try:
        done = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                               "-EncodedCommand", script], capture_output=True).returncode == 0
    except OSError:
        done = False
    return list(SHORTCUTS) if done else []


def trial_run(env: Path) -> None:
    score = scripts(env) / ("score.exe" if WINDOWS else "score")
    result = subprocess.run([str(score), "sets"], capture_output=True)
    if result.returncode != 0 or b"dept_overall.xlsx" not in result.stdout:
        fail(f"安装后试运行“score sets”失败：{result.stderr.decode(errors='replace')[-500:]}")


def main() -> None:
    if not ((3, 11) <= sys.version_info[:2] <= (3, 13)) or sys.maxsize < 2**32:
        fail(f"需要 64 位的 Python 3.11、3.12 或 3.13，找到的是 {sys.version.split()[0]}"
             f"（{'64' if sys.maxsize > 2**32 else '32'} 位）。")
    target = home()
    print(f"安装到：{target}")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"不能建立文件夹“{target}”（{exc.strerror or exc}）。")
    env = target / "venv"
    print("1/3 建立程序文件夹 …")
    make_venv(env)
    print("2/3 从安装包安装（不联网）…")
    install_wheels(env)
    copy_launchers(target)
    print("3/3 试运行 …")
    trial_run(env)
    made = desktop_shortcuts(target)
    print("\n安装完成。")
    if WINDOWS:
        if made:
            print("桌面上有“评分网页”和“评分命令行”两个图标：双击“评分网页”即打开评分网页。")
        else:
            print(f"没能在桌面建立图标：请打开文件夹“{target}”，双击其中的“打开评分网页.bat”。")
    else:
        print(f"命令：{scripts(env) / 'score'}")


if __name__ == "__main__":
    main()
