"""Mutation fuzzing of whole workbooks through the real command (issue 11).

    python bench/fuzz.py --cases 10000            # ~10 minutes on 2 cores
    python bench/fuzz.py --cases 200 --seed 3     # a quick look

Each case takes one of the seed workbooks (indicator systems and data workbooks as this project's tests,
the shipped examples and other programs write them), mutates it at the package level (XML elements
deleted, duplicated or truncated, attribute values replaced — cell references far away, merges in any
spelling, numbers like 1e309 or NaN —, parts removed, bytes flipped) or at the cell level, and runs
`score run` (dry run, -o, or in place), `check` or `explain` on it in-process. A case fails when the
command raises, prints "程序内部错误" or a traceback, exits with another status than 0/1/2, runs over
CASE_SECONDS, or changes an input: with -o, --dry-run, check and explain both inputs must be
byte-identical; in place, the indicator workbook must be, and the data workbook either unchanged or
rewritten keeping every original part except those the write-back edits. Prints the counts; exits 1
when any case failed (the failing inputs are kept in bench/out/fuzz-failures/).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import multiprocessing
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASE_SECONDS = 60
MODE_NAMES = {"dry": "run --dry-run", "out": "run -o", "inplace": "run 写回", "check": "check", "explain": "explain"}
MEMORY_BYTES = 3 * 1024**3
# parts the write-back edits (besides the result sheets it owns)
EDITED_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}

ODD_VALUES = [b"1e309", b"-1e309", b"NaN", b"inf", b"", b"1E999", b"\xe2\x88\x925", b"99999999999999999999",
              b"1.234,5", b"#DIV/0!", b"=1/0", b"10:30", b"2020-01-01", b"-0", b"0x10", b"1" * 400]
ODD_REFS = [b"XFD1048576", b"ZZ200000", b"A0", b"A1048577", b"XFE1", b"$A$1", b"a1", b"", b"A", b"1",
            b"H1:XFD1048576", b"$H$1:$XFD$1048576", b"h1:xfd1048576", b"A1:A1", b"B2:A1"]
ODD_TEXT = ["评分表", "评分汇总", "", " ", "≥95%", "不适用", "是☑ 否□", "合计", "小计", "单位名称", "名称", "数值",
            "一级指标", "分值", "评分公式", "=A1", "IF(", "\u202e", "x" * 300, "1e309", "−5", "12,5", "10:30"]


# ---------------------------------------------------------------- seeds


def build_seeds(folder: Path) -> list[tuple[str, Path, Path]]:
    """(label, indicator workbook, data workbook) pairs to mutate."""
    from tests.builders import STANDARD_DATA, kv_book, standard_system, wide_book

    folder.mkdir(parents=True, exist_ok=True)
    ind = standard_system(folder / "ind.xlsx", settings={"满分": 100})
    kv = kv_book(folder / "kv.xlsx", STANDARD_DATA)
    names = [n for n, _ in STANDARD_DATA[1:]]
    values = [v for _, v in STANDARD_DATA[1:]]
    wide = wide_book(folder / "wide.xlsx", names, [(f"单位{i}", values) for i in range(30)])
    seeds = [("standard-kv", ind, kv), ("standard-wide", ind, wide)]
    for book in sorted((ROOT / "workbooks").glob("*.xlsx"))[:3]:
        seeds.append((f"shipped-{book.stem}", ROOT / "indicator_sets" / "dept_overall.xlsx", book))
    return seeds


# ---------------------------------------------------------------- mutations


def _elements(xml: bytes) -> list[tuple[int, int]]:
    """(start, end) of leaf-ish elements: <c …>…</c>, <row …>, <mergeCell …/>, <v>…</v>, <sheet …/> …"""
    spans = []
    for m in re.finditer(rb"<(c|v|f|t|row|mergeCell|sheet|definedName|dimension|col|xf|font|si|is)\b[^>]*?(/>|>)", xml):
        if m.group(2) == b"/>":
            spans.append((m.start(), m.end()))
        else:
            close = xml.find(b"</" + m.group(1) + b">", m.end())
            if close != -1 and close - m.end() < 20000:
                spans.append((m.start(), close + len(m.group(1)) + 3))
    return spans


def mutate_xml(xml: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(9)
    spans = _elements(xml)
    if kind == 0 and spans:  # delete an element
        a, b = rng.choice(spans)
        return xml[:a] + xml[b:]
    if kind == 1 and spans:  # duplicate an element
        a, b = rng.choice(spans)
        return xml[:b] + xml[a:b] + xml[b:]
    if kind == 2:  # replace an attribute value
        attrs = list(re.finditer(rb'\b(r|ref|s|t|name|sheetId|count|spans|min|max)="([^"]*)"', xml))
        if attrs:
            m = rng.choice(attrs)
            new = rng.choice(ODD_REFS) if m.group(1) in (b"r", b"ref") else str(rng.choice([0, -1, 1, 2, 99, 10**9])).encode()
            if m.group(1) == b"t":
                new = rng.choice([b"s", b"n", b"b", b"e", b"str", b"inlineStr", b"d", b"x"])
            return xml[:m.start(2)] + new + xml[m.end(2):]
    if kind == 3:  # replace a value
        values = list(re.finditer(rb"<v>([^<]*)</v>", xml))
        if values:
            m = rng.choice(values)
            return xml[:m.start(1)] + rng.choice(ODD_VALUES) + xml[m.end(1):]
    if kind == 4:  # truncate
        return xml[: rng.randrange(len(xml) + 1)]
    if kind == 5:  # a stray cell far away
        stray = rng.choice([b"XFD1048576", b"ZZ200000", b"AAA5", b"A1048576"])
        row = re.sub(rb"[A-Z]", b"", stray)
        cell = b'<row r="' + row + b'"><c r="' + stray + b'" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", cell + b"</sheetData>", 1)
    if kind == 6:  # merges
        ref = rng.choice(ODD_REFS)
        merge = b'<mergeCells count="1"><mergeCell ref="' + ref + b'"/></mergeCells>'
        if b"</mergeCells>" in xml:
            return xml.replace(b"</mergeCells>", b'<mergeCell ref="' + ref + b'"/></mergeCells>', 1)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    if kind == 7:  # text replaced
        texts = list(re.finditer(rb"<t(?: [^>]*)?>([^<]*)</t>", xml))
        if texts:
            m = rng.choice(texts)
            return xml[:m.start(1)] + rng.choice(ODD_TEXT).encode("utf-8") + xml[m.end(1):]
    if kind == 8:  # bytes flipped
        data = bytearray(xml)
        for _ in range(rng.randrange(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    return xml


def mutate_package(raw: bytes, rng: random.Random) -> bytes:
    from tests.builders import rewrite_package

    kind = rng.random()
    if kind < 0.05:  # bytes of the zip itself flipped or cut
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data[: len(data) if rng.random() < 0.7 else rng.randrange(len(data))])
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
        if kind < 0.1 and names:  # a part removed
            return rewrite_package(raw, {rng.choice(names): None})
        sheets = [n for n in names if n.startswith("xl/worksheets/")]
        pool = sheets * 4 + names  # sheets most often
        changes = {}
        for _ in range(rng.randrange(1, 4)):
            name = rng.choice(pool)
            changes[name] = mutate_xml(changes.get(name) or zf.read(name), rng)
    return rewrite_package(raw, changes)


def mutate_cells(path: Path, out: Path, rng: random.Random) -> None:
    """Random values in random cells of a random sheet (openpyxl): what a clerk may type."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = rng.choice(wb.worksheets)
    for _ in range(rng.randrange(1, 6)):
        row, col = rng.randrange(1, 40), rng.randrange(1, 12)
        value = rng.choice([rng.choice(ODD_TEXT), rng.uniform(-1e6, 1e6), rng.choice([0, 85, 1e27, -1e30, 1.5]),
                            None, True])
        try:
            ws.cell(row, col).value = value
        except (ValueError, TypeError, AttributeError):  # an illegal character, a merged cell
            pass
    if rng.random() < 0.3:
        ws.title = rng.choice(["评分表", "评分汇总", "基础数据", "指标体系", "设置", "计算项", "Sheet"])[:31] + (
            str(rng.randrange(3)) if rng.random() < 0.5 else "")
    try:
        wb.save(out)
    except Exception:
        shutil.copy(path, out)


# ---------------------------------------------------------------- one case


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


class CaseTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CaseTimeout()


def run_case(args) -> tuple[int, str, str]:
    """(case number, outcome, detail); outcome is ok / failed."""
    number, seed, folder, seeds = args
    from scoring.cli import main

    rng = random.Random(seed * 1_000_003 + number)
    label, ind_seed, data_seed = rng.choice(seeds)
    work = Path(tempfile.mkdtemp(prefix=f"case{number}-", dir=folder))
    try:
        ind, data = work / "指标体系.xlsx", work / "基础数据.xlsx"
        shutil.copy(ind_seed, ind)
        shutil.copy(data_seed, data)
        target = data if rng.random() < 0.6 else ind
        if rng.random() < 0.25:
            mutate_cells(target, target, rng)
        else:
            target.write_bytes(mutate_package(target.read_bytes(), rng))
        mode = rng.choice(["dry", "out", "inplace", "inplace", "check", "explain"])
        command = {"dry": ["run", ind, data, "--dry-run", "--format", rng.choice(["table", "json", "csv"])],
                   "out": ["run", ind, data, "-o", work / "结果.xlsx"],
                   "inplace": ["run", ind, data] + (["--sheets", "all"] if rng.random() < 0.3 else []),
                   "check": ["check", ind, data],
                   "explain": ["explain", ind, data, rng.choice(["预算执行率", "实际完成率", "1.1.1", "无此指标"])]}[mode]
        before = {p: digest(p) for p in (ind, data)}
        original = _parts(data) if mode == "inplace" else None
        out, err = io.StringIO(), io.StringIO()
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(CASE_SECONDS)
        started = time.perf_counter()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main([str(c) for c in command])
        except CaseTimeout:
            return number, "failed", _keep(folder, work, f"timeout after {CASE_SECONDS} s: {label} {mode}")
        except BaseException as exc:  # noqa: BLE001 - what the fuzzer is looking for
            return number, "failed", _keep(folder, work, f"raised {type(exc).__name__}: {exc} ({label} {mode})")
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - started
        text = out.getvalue() + err.getvalue()
        if code not in (0, 1, 2) or "Traceback" in text or "内部错误" in text:
            return number, "failed", _keep(folder, work, f"exit {code}: {text[-300:]} ({label} {mode})")
        if digest(ind) != before[ind]:
            return number, "failed", _keep(folder, work, f"indicator workbook changed ({label} {mode})")
        if mode != "inplace" or code == 2:
            if digest(data) != before[data]:
                return number, "failed", _keep(folder, work, f"data workbook changed ({label} {mode}, exit {code})")
        else:
            after = _parts(data)
            lost = [n for n, body in (original or {}).items()
                    if n not in EDITED_PARTS and after.get(n) != body and not n.startswith("xl/worksheets/")]
            changed_sheets = [n for n, body in (original or {}).items() if n.startswith("xl/worksheets/")
                              and after.get(n) != body]
            if after is None or lost or len(changed_sheets) > _result_sheet_count(original):
                return number, "failed", _keep(folder, work, f"write-back lost parts {lost or changed_sheets} ({label})")
        return number, "ok", f"{mode} exit {code} {seconds:.2f}s"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parts(path: Path) -> dict | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    except Exception:
        return None


def _result_sheet_count(parts: dict | None) -> int:
    """Sheets of an earlier result (marked) that a write-back may replace: at most all marked ones."""
    if not parts:
        return 0
    workbook = parts.get("xl/workbook.xml", b"")
    return workbook.count(b"_ScoreResult")


def _keep(folder: Path, work: Path, detail: str) -> str:
    kept = folder.parent / "fuzz-failures" / work.name
    shutil.copytree(work, kept, dirs_exist_ok=True)
    (kept / "what.txt").write_text(detail, encoding="utf-8")
    return detail


def _worker_init():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def fuzz(cases: int, seed: int, processes: int, folder: Path, report=print) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = build_seeds(folder / "seeds")
    tasks = [(i, seed, folder, seeds) for i in range(cases)]
    counts = {"ok": 0, "failed": 0}
    kinds: dict[str, int] = {}  # "run in place, exit 0" …
    failures = []
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes, initializer=_worker_init, maxtasksperchild=200) as pool:
        for number, outcome, detail in pool.imap_unordered(run_case, tasks, chunksize=4):
            counts[outcome] += 1
            if outcome == "failed":
                failures.append((number, detail))
                report(f"  失败 #{number}: {detail}")
            else:
                mode, _, code = detail.split()[:3]
                kinds[f"{MODE_NAMES[mode]}，退出码 {code}"] = kinds.get(f"{MODE_NAMES[mode]}，退出码 {code}", 0) + 1
            done = counts["ok"] + counts["failed"]
            if done % 1000 == 0:
                report(f"  {done}/{cases} 个用例，{time.perf_counter() - started:.0f} 秒，失败 {counts['failed']}")
    counts["seconds"] = time.perf_counter() - started
    counts["failures"] = failures
    counts["kinds"] = kinds
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=max(1, multiprocessing.cpu_count()))
    args = parser.parse_args()
    folder = ROOT / "bench" / "out" / "fuzz"
    shutil.rmtree(folder, ignore_errors=True)
    counts = fuzz(args.cases, args.seed, args.processes, folder)
    print(f"变异工作簿 {args.cases} 个（种子 {args.seed}）：通过 {counts['ok']}，失败 {counts['failed']}，"
          f"用时 {counts['seconds']:.0f} 秒（{args.processes} 个进程）")
    for kind, number in sorted(counts["kinds"].items()):
        print(f"  {kind}：{number}")
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main()
