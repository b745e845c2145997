"""Batch scoring benchmark: `score run` against LibreOffice recalculating the same rules as formulas.

    python bench/bench.py                      # 1,000 and 10,000 units × 50 indicators, 3 runs each
    python bench/bench.py --units 100000 --repeat 1
    python bench/bench.py --single             # also: single-unit `score run` on a shipped example

For each size it generates (in bench/out/) an indicator workbook, a wide data workbook (N units ×
100 variables) and the equivalent formula workbook (the same rules as cell formulas, ROUND to 2
decimals per indicator and for the total). It then alternates `score run IND DATA -o out.xlsx` and
LibreOffice headless recalculation (`soffice --convert-to csv`, recalculation forced on load), takes
medians, prints the ratio, peak memory (/usr/bin/time -v) and score's own per-stage timings, and
checks that every unit's total equals LibreOffice's. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from tests.oracle import make_profile, soffice_path  # noqa: E402

VARS = 100
WEIGHT = 2  # 50 indicators × 2 points = 100


def rules(k: int, rng: random.Random):
    """The k-th indicator's rule as (engine formula, Excel formula template with {v<i>} and {w})."""
    a, b = rng.randrange(1, VARS + 1), rng.randrange(1, VARS + 1)
    kind = k % 5
    if kind == 0:
        return f"IF(v{a}>=v{b}, 分值, 分值*v{a}/v{b})", f"IF({{v{a}}}>={{v{b}}},{{w}},{{w}}*{{v{a}}}/{{v{b}}})"
    if kind == 1:
        return f"MAX(0, 分值-ROUNDUP(v{a}/10, 0)*0.25)", f"MAX(0,{{w}}-ROUNDUP({{v{a}}}/10,0)*0.25)"
    if kind == 2:
        return f"MIN(分值, v{a}/v{b}*分值)", f"MIN({{w}},{{v{a}}}/{{v{b}}}*{{w}})"
    if kind == 3:
        return (f"IF(v{a}>50, 分值, IF(v{a}>25, 分值*0.5, 0))",
                f"IF({{v{a}}}>50,{{w}},IF({{v{a}}}>25,{{w}}*0.5,0))")
    return f"ROUND(分值*v{a}/100, 1)+v{b}/1000", f"ROUND({{w}}*{{v{a}}}/100,1)+{{v{b}}}/1000"


def col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def generate(units: int, indicators: int, folder: Path, seed: int = 7):
    import xlsxwriter

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ind_path, data_path, formula_path = folder / "ind.xlsx", folder / "data.xlsx", folder / "formulas.xlsx"
    leaf_rules = [rules(k, rng) for k in range(indicators)]

    wb = xlsxwriter.Workbook(str(ind_path))
    ws = wb.add_worksheet("指标体系")
    ws.write_row(0, 0, ["基准测试指标体系"])
    ws.write_row(1, 0, ["一级指标", "二级指标", "三级指标", "分值", "评分公式"])
    per_l1 = max(1, indicators // 5)
    for k, (formula, _) in enumerate(leaf_rules):
        ws.write_row(2 + k, 0, [f"一级{k // per_l1 + 1}", f"二级{k // 5 + 1}", f"指标{k + 1}", WEIGHT])
        ws.write_string(2 + k, 4, formula)
    sheet = wb.add_worksheet("设置")
    sheet.write_row(0, 0, ["项目", "值"])
    sheet.write_row(1, 0, ["满分", WEIGHT * indicators])
    wb.close()

    values = [[round(rng.uniform(1, 100), 2) if rng.random() > 0.05 else rng.choice([50, 25, 12.5, 2.5])
               for _ in range(VARS)] for _ in range(units)]
    names = [f"单位{i + 1:06d}" for i in range(units)]

    wb = xlsxwriter.Workbook(str(data_path), {"constant_memory": True})
    ws = wb.add_worksheet("基础数据")
    ws.write_row(0, 0, ["单位名称"] + [f"v{i + 1}" for i in range(VARS)])
    for r, (name, row) in enumerate(zip(names, values), start=1):
        ws.write_string(r, 0, name)
        ws.write_row(r, 1, row)
    wb.close()

    wb = xlsxwriter.Workbook(str(formula_path), {"constant_memory": True})
    calc = wb.add_worksheet("calc")  # first sheet: the one exported to CSV
    data = wb.add_worksheet("data")
    data.write_row(0, 0, ["unit"] + [f"v{i + 1}" for i in range(VARS)])
    for r, (name, row) in enumerate(zip(names, values), start=1):
        data.write_string(r, 0, name)
        data.write_row(r, 1, row)
    calc.write_row(0, 0, ["unit"] + [f"k{k + 1}" for k in range(indicators)] + ["total"])
    last = col_letter(indicators + 1)
    for r in range(1, units + 1):
        cells = {f"v{i + 1}": f"data!${col_letter(i + 2)}${r + 1}" for i in range(VARS)}
        cells["w"] = str(WEIGHT)
        calc.write_string(r, 0, names[r - 1])
        for k, (_, template) in enumerate(leaf_rules):
            expr = template.format(**cells)
            calc.write_formula(r, k + 1, f"=ROUND(MIN(MAX({expr},0),{WEIGHT}),2)")
        calc.write_formula(r, indicators + 1, f"=ROUND(SUM(B{r + 1}:{last}{r + 1}),2)")
    wb.close()
    return ind_path, data_path, formula_path


def timed(cmd, env=None):
    """Wall seconds and peak RSS (MB) of a command, via /usr/bin/time -v when present."""
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.run(timer + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return wall, (int(peak.group(1)) / 1024 if peak else float("nan")), proc


def run_score(ind, data, out):
    env = dict(os.environ, SCORE_PROFILE="1")
    score = shutil.which("score") or str(Path(sys.executable).parent / "score")
    wall, peak, proc = timed([score, "run", str(ind), str(data), "-o", str(out)], env)
    stages = dict(re.findall(r"阶段 (\S+) ([\d.]+) 秒", proc.stderr))
    return wall, peak, stages


def run_libreoffice(formula_path, outdir, profile):
    cmd = [soffice_path(), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--calc", "--convert-to",
           "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
           str(formula_path), "--outdir", str(outdir)]
    return timed(cmd)[:2]


def lo_totals(outdir) -> dict:
    path = next(Path(outdir).glob("*.csv"))
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return {row[0]: float(row[-1]) for row in rows[1:] if row}


def score_totals(out_xlsx) -> dict:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out_xlsx)).get_sheet_by_name("评分汇总").to_python()
    return {str(r[0]): float(r[1]) for r in rows[3:] if r and r[0]}  # title, header and 分值 rows first


def bench_size(units, indicators, repeat, with_lo, reuse=False):
    folder = OUT / f"{units}x{indicators}"
    t0 = time.perf_counter()
    files = [folder / "ind.xlsx", folder / "data.xlsx", folder / "formulas.xlsx"]
    if reuse and all(f.exists() for f in files):
        ind, data, formulas = files
    else:
        ind, data, formulas = generate(units, indicators, folder)
    print(f"  生成 {units}×{indicators} 用时 {time.perf_counter() - t0:.1f} 秒", file=sys.stderr)
    score_runs, lo_runs, stages_all = [], [], []
    tmp = Path(tempfile.mkdtemp(prefix="score-bench-"))
    profile = make_profile(tmp / "profile")
    out_xlsx = folder / "out.xlsx"
    for i in range(repeat):
        wall, peak, stages = run_score(ind, data, out_xlsx)
        score_runs.append((wall, peak))
        stages_all.append(stages)
        if with_lo:
            lo_out = tmp / f"lo{i}"
            lo_out.mkdir()
            lo_runs.append(run_libreoffice(formulas, lo_out, profile))
    agree = "—"
    if with_lo:
        ours, theirs = score_totals(out_xlsx), lo_totals(tmp / "lo0")
        bad = [u for u in theirs if abs(ours.get(u, float("nan")) - theirs[u]) > 1e-9]
        agree = "全部一致" if not bad and len(ours) == len(theirs) == units else f"{len(bad)} 个不一致"
    shutil.rmtree(tmp, ignore_errors=True)
    med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
    s_wall, s_peak = med([w for w, _ in score_runs]), max(p for _, p in score_runs)
    l_wall = med([w for w, _ in lo_runs]) if lo_runs else float("nan")
    l_peak = max((p for _, p in lo_runs), default=float("nan"))
    stage_med = {k: med([float(s[k]) for s in stages_all if k in s]) for k in stages_all[0]} if stages_all else {}
    return {"units": units, "score": s_wall, "lo": l_wall, "ratio": s_wall / l_wall if lo_runs else float("nan"),
            "score_mb": s_peak, "lo_mb": l_peak, "stages": stage_med, "agree": agree}


def single_unit(repeat):
    score = shutil.which("score") or str(Path(sys.executable).parent / "score")
    tmp = Path(tempfile.mkdtemp(prefix="score-single-"))
    book = tmp / "unit.xlsx"
    times = []
    for _ in range(max(repeat, 7)):
        shutil.copy(ROOT / "workbooks" / "lingling_2019.xlsx", book)
        times.append(timed([score, "run", str(ROOT / "indicator_sets" / "dept_overall.xlsx"), str(book)])[0])
    shutil.rmtree(tmp, ignore_errors=True)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default="1000,10000", help="comma-separated unit counts")
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--single", action="store_true", help="also time single-unit score run (interpreter start included)")
    parser.add_argument("--reuse", action="store_true", help="reuse the workbooks already generated in bench/out/")
    args = parser.parse_args()
    # measure the package as installed: bytecode compiled once (read even under PYTHONDONTWRITEBYTECODE)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "scoring")], check=True)
    with_lo = not args.no_libreoffice and soffice_path() is not None
    rows = []
    for n in [int(x) for x in args.units.split(",")]:
        r = bench_size(n, args.indicators, args.repeat, with_lo, args.reuse)
        rows.append(r)
        print(f"  {n}: score {r['score']:.2f}s, LibreOffice {r['lo']:.2f}s", file=sys.stderr)
    from tabulate import tabulate

    table = [[r["units"], args.indicators, f"{r['score']:.2f}", f"{r['lo']:.2f}", f"{r['ratio']:.2f}",
              f"{r['score_mb']:.0f}", f"{r['lo_mb']:.0f}",
              " ".join(f"{k}={v:.2f}" for k, v in r["stages"].items()), r["agree"]] for r in rows]
    print(f"机器：{os.cpu_count()} 核；每项取 {args.repeat} 次运行的中位数（score 与 LibreOffice 交替运行）")
    print(tabulate(table, headers=["单位数", "指标数", "score 秒", "LibreOffice 秒", "比值", "score 峰值 MB",
                                   "LibreOffice 峰值 MB", "score 各阶段（秒）", "总分核对"]))
    if args.single:
        print(f"\n单个单位 score run（含解释器启动，写回工作簿）：中位数 {single_unit(args.repeat):.2f} 秒")


if __name__ == "__main__":
    main()
