"""A finance bureau's batch of 项目支出绩效自评表: `score run 文件夹 -o 汇总.xlsx` on N forms, against the reference of
scoring the same forms one by one with `score run 自评表.xlsx -o 复核.xlsx` in one process (the batch's work without the
gathering). Prints medians, the ratio and peak memory. Run: python bench/bench_forms.py [--forms 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.commands.forms import run_forms  # noqa: E402
from scoring.commands.run import run  # noqa: E402

SHIPPED = ROOT / "workbooks" / "self_evaluation"


def make_forms(folder: Path, count: int) -> list[Path]:
    """`count` forms: the shipped ones in turn, each with its own 项目名称 and a varied 全年执行数."""
    folder.mkdir(parents=True)
    sources = sorted(SHIPPED.glob("*.xlsx"))
    paths = []
    for i in range(count):
        wb = openpyxl.load_workbook(sources[i % len(sources)])
        ws = wb["自评表"]
        ws["B3"] = f"{ws['B3'].value}（{i + 1:04d}）"
        ws["E6"] = round(ws["D6"].value * (0.6 + 0.4 * ((i * 37) % 100) / 100), 2)  # 60 %…100 % executed
        path = folder / f"{i + 1:04d}_{sources[i % len(sources)].name}"
        wb.save(path)
        paths.append(path)
    return paths


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-forms-"))
    try:
        forms = make_forms(work / "forms", args.forms)
        out = work / "汇总.xlsx"
        batch, single = [], []
        for _ in range(args.repeat):
            batch.append(timed(lambda: run_forms([work / "forms"], out, force=True)))
            single.append(timed(lambda: [run(p, None, work / "复核.xlsx", force=True) for p in forms]))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        b, s = statistics.median(batch), statistics.median(single)
        print(f"{args.forms} 个自评表，{args.repeat} 次中位数：")
        print(f"  score run 文件夹 -o 汇总.xlsx   {b:.2f} 秒（每个 {b / args.forms * 1000:.1f} 毫秒）")
        print(f"  逐个 score run 自评表 -o（参照） {s:.2f} 秒（每个 {s / args.forms * 1000:.1f} 毫秒）")
        print(f"  比值 {b / s:.2f}；进程峰值内存 {peak_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
