"""How the reader reads each published table today: `python -m tests.published.report` prints one line per
table; `--write` rewrites the section "## 已收集的公开指标表" of docs/indicator-workbook.md with them."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scoring.cli import main as score_main
from scoring.errors import InputError
from scoring.read import read_indicator_system
from scoring.read.indicators import split_points
from scoring.values import normalize_name, without_numbering

from ..builders import kv_book
from .build import build, load_all

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicator-workbook.md"
SECTION = "## 已收集的公开指标表"
INTRO = ("tests/published/ 中每张表按页面原样转录（地址、原文、单元格、合并、分值），下面是读取器今天读这些表的结果："
         "“是”表示末级指标的路径、分值和总分与原表一致；“否”写出报错的第一行或第一处不同。"
         "本节由 `python -m tests.published.report --write` 生成，`tests/test_published_corpus.py` 核对它与读取结果一致。")


def name_key(name) -> str:
    """An indicator name as compared: no points, no numbering, spaces and full-width folded."""
    return normalize_name(without_numbering(split_points(str(name))[0]))


def _points(value):
    return None if value is None else round(float(value), 6)


@dataclass
class Reading:
    system: object = None
    leaves: list | None = None  # [(path keys tuple, points)]
    total: float | None = None
    levels: int = 0
    error: str = ""  # why it could not be read


def read(spec: dict, folder: Path, stem: str) -> Reading:
    """Build the table and read it with the real reader; never raises."""
    path = build(spec, folder / f"{stem}.xlsx")
    try:
        system = read_indicator_system(path)
    except InputError as e:
        first = e.message.splitlines()[0]
        if e.problems:
            first += " " + e.problems[0].splitlines()[0]
        return Reading(error=first)
    except Exception as e:  # a crash of the reader is a finding too, not a broken corpus
        return Reading(error=f"读取器异常 {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    leaves = [(tuple(name_key(n.name) for n in _path(leaf)), _points(leaf.weight)) for leaf in system.leaves()]
    total = sum(r.weight or 0 for r in system.roots)
    return Reading(system, leaves, round(total, 6), max((len(p) for p, _ in leaves), default=0))


def _path(leaf):
    out = []
    node = leaf
    while node is not None:
        out.append(node)
        node = node.parent
    return list(reversed(out))


def expected_leaves(spec: dict) -> list:
    return [(tuple(name_key(n) for n in leaf["path"]), _points(leaf["points"])) for leaf in spec["expected"]["leaves"]]


def difference(spec: dict, reading: Reading) -> str:
    """The first difference between the reading and the table as printed; "" when none."""
    if reading.error:
        return reading.error
    want, got = expected_leaves(spec), reading.leaves
    for i, (w, g) in enumerate(zip(want, got), start=1):
        if w != g:
            return (f"第 {i} 个末级指标应为 {'/'.join(w[0])}（{_fmt(w[1])} 分），"
                    f"读到 {'/'.join(g[0])}（{_fmt(g[1])} 分）")
    if len(want) != len(got):
        more = got[len(want)] if len(got) > len(want) else want[len(got)]
        return (f"末级指标应为 {len(want)} 个，读到 {len(got)} 个（"
                f"{'多出' if len(got) > len(want) else '缺少'} {'/'.join(more[0])}）")
    total = _points(spec["expected"]["total"])
    if total != reading.total:
        return f"总分应为 {_fmt(total)}，读到 {_fmt(reading.total)}"
    if spec["expected"].get("levels") and spec["expected"]["levels"] != reading.levels:
        return f"应为 {spec['expected']['levels']} 级，读到 {reading.levels} 级"
    return ""


def _fmt(x):
    if x is None:
        return "无"
    return str(int(x)) if float(x).is_integer() else str(x)


MAX_WHY = 160  # characters of a reason kept in the docs line


def _short(text: str) -> str:
    return text if len(text) <= MAX_WHY else text[:MAX_WHY - 1] + "…"


def unit_books(spec: dict, folder: Path, stem: str) -> tuple[Path, Path]:
    """The table as printed and a kv data workbook with its unit's figures."""
    ind = build(spec, folder / f"{stem}.xlsx")
    data = kv_book(folder / f"{stem}_data.xlsx", [("单位名称", "示例单位"), *spec["unit"]["figures"].items()])
    return ind, data


def run_unit(spec: dict, folder: Path, stem: str) -> tuple[int, dict | None, str]:
    """`score run --format json --dry-run` on the unit's books: (exit code, the JSON, stderr)."""
    ind, data = unit_books(spec, folder, stem)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = score_main(["run", str(ind), str(data), "--format", "json", "--dry-run"])
    try:
        result = json.loads(out.getvalue())
    except ValueError:
        result = None
    return code, result, err.getvalue()


def unit_difference(spec: dict, folder: Path, stem: str) -> str:
    """"" when `score run` gives every hand score of the table's unit; else the first difference."""
    code, result, err = run_unit(spec, folder, stem)
    if result is None:
        return err.strip().splitlines()[0] if err.strip() else f"退出码 {code}"
    unit = result["units"][0]
    got = {name_key(i["path"][-1]): i["score"] for i in unit.get("indicators", [])}
    for leaf, score in spec["unit"]["scores"].items():
        if got.get(name_key(leaf)) is None or abs(got[name_key(leaf)] - score) > 1e-9:
            errors = unit.get("errors") or []
            extra = f"（{errors[0]}）" if errors else ""
            return f"“{leaf}”手算 {_fmt(score)}，读到 {_fmt(got.get(name_key(leaf)))}{extra}"
    return ""


def results(folder: Path | None = None) -> list[tuple[str, dict, Reading, str]]:
    """(file, spec, reading, first difference) for every table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(folder or tmp)
        out = []
        for name, spec in load_all():
            reading = read(spec, folder, Path(name).stem)
            out.append((name, spec, reading, difference(spec, reading)))
        return out


def lines() -> list[str]:
    """One line per table: file, kind, read as printed 是/否, why not; for a table with a unit, whether `score run`
    gives the hand scores (checked only when the table is read as printed)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec, _, why in results():
            place = spec.get("place") or spec.get("province") or ""
            line = f"- `{name}` {spec['kind']}{('，' + place) if place else ''}："
            line += "按原样读出 是" if not why else f"按原样读出 否——{_short(why)}"
            if "unit" in spec:
                if why:
                    line += "；单位手算得分：未核对（表没有按原样读出）"
                else:
                    diff = unit_difference(spec, Path(tmp), Path(name).stem)
                    line += "；单位手算得分：score run 一致" if not diff else f"；单位手算得分：不一致——{_short(diff)}"
            out.append(line)
    return out


def section(report_lines: list[str]) -> str:
    return "\n".join([SECTION, "", INTRO, "", *report_lines]) + "\n"


def current_section(text: str) -> str:
    """The section as it stands in the doc (up to the next level-2 heading or the end)."""
    start = text.find(SECTION)
    if start < 0:
        return ""
    end = text.find("\n## ", start + len(SECTION))
    return text[start:] if end < 0 else text[start:end + 1]


def write(report_lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    old = current_section(text)
    new = section(report_lines)
    if old:
        text = text.replace(old, new)
    else:
        text = text.rstrip("\n") + "\n\n" + new
    DOC.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report_lines = lines()
    print("\n".join(report_lines))
    if "--write" in argv:
        write(report_lines)
        print(f"已写入 {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
