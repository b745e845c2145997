"""How fast an indicator workbook is read (issue 27): a 500-leaf system, with its header words and without a header
row at all (read by what the columns hold), median of several reads, against reading the workbook with openpyxl alone
(the part every reading needs) in the same run.

    python bench/bench_read.py [--leaves 500] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.read import Book, read_indicator_system  # noqa: E402


def build(path: Path, leaves: int, header: bool) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws.append(["某部门整体支出绩效评价指标体系"])
    if header:
        ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评分公式"])
    points = 100 / leaves
    for k in range(leaves):
        ws.append([f"一级指标{k // 50 + 1}", f"二级指标{k // 10 + 1}", f"三级指标{k + 1}", points,
                   f"完成率100%得满分，每低1个百分点扣{points / 10:g}分，扣完为止", "DEDUCT((1-完成值)*100, 分值/10)"])
    wb.save(path)
    return path


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for header in (True, False):
            path = build(Path(tmp) / f"ind-{header}.xlsx", args.leaves, header)
            system = read_indicator_system(path)
            assert len(system.leaves()) == args.leaves
            read = median_seconds(lambda: read_indicator_system(Book(path, "指标体系")), args.repeat)
            parse = median_seconds(lambda: Book(path, "指标体系").workbook, args.repeat)
            label = "header words" if header else "no header row (content)"
            print(f"{args.leaves} leaves, {label}: read {read:.3f} s (median of {args.repeat}); "
                  f"of which parsing the workbook {parse:.3f} s; reading the table {read - parse:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
