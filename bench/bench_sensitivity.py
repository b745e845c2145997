"""`score sensitivity` at the size issue 16 names: 1,000 samples × 1,000 units × 50 indicators (target: under 30 s).
Reference in the same script: one nominal scoring of the same units. Prints medians and the ratio.
Run: python bench/bench_sensitivity.py [--units 1000] [--indicators 50] [--samples 1000] [--repeat 3]"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import generate  # noqa: E402

from scoring.engine import score  # noqa: E402
from scoring.read import read_data, read_indicator_system  # noqa: E402
from scoring.sensitivity import sensitivity  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ind, data, _ = generate(args.units, args.indicators, Path(tmp))
        system, units = read_indicator_system(ind), read_data(data)
        nominal, runs = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            results = score(system, units)
            nominal.append(time.perf_counter() - start)
            start = time.perf_counter()
            outcome = sensitivity(results, 0.2, args.samples, seed=1)
            runs.append(time.perf_counter() - start)
    s, n = statistics.median(runs), statistics.median(nominal)
    print(f"{args.samples} 次抽样 × {args.units} 个单位 × {args.indicators} 个指标，{args.repeat} 次中位数：")
    print(f"  sensitivity {s:.2f} 秒；参照：一次正常评分 {n:.2f} 秒；比值 {s / n:.1f}")
    print(f"  （目标 30 秒以内）最敏感的指标：{outcome.indicators[0][0]}（{outcome.indicators[0][1]}）")


if __name__ == "__main__":
    main()
