"""Fuzz the web page's form handling (issue 25): random multipart requests against a real server on 127.0.0.1.

    python bench/fuzz_web.py --requests 3000 --seed 1

Field names, file names, sizes, encodings, secrets and framings as tests/web_fuzz.py builds them. Prints the answers
counted by status, the failures (500 or "程序内部错误"), and the files found outside the server's own folder in the
watched temporary folder; exits 1 when either is not 0. docs/safety.md quotes the last run."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_web_security import Server  # noqa: E402
from tests.web_fuzz import files_outside, fuzz, samples  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    limit = 256 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        watched = Path(tmp)
        server = Server(watched, max_upload=limit, inline_wait=0)
        start = time.perf_counter()
        try:
            counts = fuzz(server.url, server.secret, args.requests, args.seed, watched, samples(), limit)
        finally:
            server.stop()
        outside = files_outside(watched)
        seconds = time.perf_counter() - start
    failures = counts.pop("failures", 0)
    print(f"{args.requests} requests in {seconds:.1f} s (seed {args.seed})")
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))
    print(f"failures (500 or 程序内部错误): {failures}")
    print(f"files written outside the server's folder: {len(outside)}")
    return 1 if failures or outside else 0


if __name__ == "__main__":
    sys.exit(main())
