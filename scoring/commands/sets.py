"""`score sets`: the shipped indicator systems (indicator_sets/)."""

from __future__ import annotations

import os
from pathlib import Path

from tabulate import tabulate

from ..errors import InputError
from ..read import Book, read_indicator_system
from ..read.workbook import cell_value
from ..values import format_number


def sets_dir() -> Path:
    """SCORE_SETS_DIR if set; else the copy an installed wheel carries (scoring/indicator_sets, put there by
    setup.py); else indicator_sets/ of the source tree."""
    env = os.environ.get("SCORE_SETS_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "indicator_sets"
    return packaged if packaged.is_dir() else here.parents[2] / "indicator_sets"


def shipped_files() -> list[str]:
    """File names of the shipped indicator systems."""
    return sorted(p.name for p in sets_dir().glob("*.xlsx") if not p.name.startswith("~$"))


def describe_sets() -> list[dict]:
    rows = []
    for path in (sets_dir() / name for name in shipped_files()):
        book = Book(path, "指标体系")
        try:
            system = read_indicator_system(book)
        except InputError as exc:
            rows.append({"file": path.name, "title": "（无法读取）", "max_total": None, "levels": str(exc).splitlines()[0], "source": ""})
            continue
        counts = {}
        for node in system.indicators():
            counts[node.level] = counts.get(node.level, 0) + 1
        wb = book.workbook
        source, title = "", system.sheet_name
        if "说明" in wb.sheetnames:
            ws = wb["说明"]
            info = {str(r[0].value).strip(): cell_value(ws, r[1].row, r[1].column)
                    for r in ws.iter_rows(max_col=2) if r[0].value}
            source = str(info.get("来源", "") or "")
            title = str(info.get("名称", title) or title)
        rows.append({
            "file": path.name, "title": title, "max_total": system.settings.max_total,
            "levels": " / ".join(f"{lv}级 {n} 个" for lv, n in sorted(counts.items())), "source": source,
        })
    return rows


def list_sets() -> str:
    rows = describe_sets()
    if not rows:
        return f"{sets_dir()} 中没有指标体系（.xlsx）"
    table = [[r["file"], r["title"], format_number(r["max_total"]) if r["max_total"] else "—", r["levels"],
              _short(r["source"], 40)] for r in rows]
    return tabulate(table, headers=["文件", "名称", "满分", "指标数", "来源"], tablefmt="simple", disable_numparse=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
