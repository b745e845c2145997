"""Random multipart requests against a running web page (used by tests/test_web_security.py and bench/fuzz_web.py).

Each request is built by hand, byte by byte, so that everything a browser would never send can be sent: field names
and file names that are paths (absolute, `..`, Windows drive paths, pointing into a watched folder), with NUL and
control characters, quotes and semicolons, 300 characters long, in UTF-8, GBK or Latin-1, RFC 5987 `filename*`;
files of 0 bytes to over the limit, a real workbook, a truncated one, random bytes; the page's secret present, missing
or wrong; an Origin of another site; Content-Length or chunked; broken boundaries. A request fails the run when it is
answered 500 or with "程序内部错误" or a traceback; afterwards, no file may exist in the watched folder outside the
server's own `score-serve-*` folder."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import httpx
from urllib.parse import quote

from scoring.web.jobs import ROOT_PREFIX

FIELDS = ["indicators", "data", "shipped", "csrf"]


def _names(escape: Path) -> list[str]:
    return ["data", "indicators", "shipped", "", "..", "../../x", str(escape / "x"), str(escape),
            "C:\\Windows\\x", "\\\\server\\share\\x", "a\x00b", "名\r\n字", "x\";name=\"data", "a;b=c",
            "中" * 300, "data/../../../x", "%2e%2e%2fx", "~$data", "CON", "data\t", " data", "🙂", "\u202etxt.exe"]


def _file_names(escape: Path) -> list[str]:
    return ["零陵.xlsx", "a.xls", "b.xlsm", "..", ".", "", "../../evil.xlsx", str(escape / "evil.xlsx"),
            "C:\\Users\\x\\Desktop\\a.xlsx", "a\x00.xlsx", "中" * 92 + ".xlsx", "2024#1指标体系.xlsx", "a%2F..%2Fb.xlsx",
            "CON.xlsx", "x\".xlsx", "x\r\nContent-Type: text/html\r\n.xlsx", "   .xlsx", "a" * 300, ".hidden", "报告.docx"]


def _encode(text: str, rng: random.Random) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8", "gbk", "latin-1"])
    return text.encode(encoding, "replace")


def _body(rng: random.Random, secret: str, escape: Path, samples: list[bytes], limit: int) -> tuple[bytes, str]:
    boundary = rng.choice(["----fuzz" + str(rng.randrange(10**9)), "x", "a" * 70, "\u4e2d".encode().hex()])
    parts = []
    if rng.random() < 0.7:
        parts.append(("csrf", None, (secret if rng.random() < 0.8 else "wrong").encode()))
    if rng.random() < 0.5:
        parts.append(("shipped", None, _encode(rng.choice(["dept_overall.xlsx", "../README.md", "/etc/passwd",
                                                            "project_self.xlsx", "无", "x" * 2000]), rng)))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        field = rng.choice(FIELDS[:2]) if rng.random() < 0.6 else rng.choice(_names(escape))
        name = rng.choice(_file_names(escape))
        size = rng.choice([0, 10, 1000, limit // 2, limit + 1])
        content = rng.choice(samples)
        if rng.random() < 0.3:
            content = content[: rng.randrange(1, max(2, len(content)))]
        elif rng.random() < 0.3:
            content = rng.randbytes(size)
        parts.append((field, name, content))
    out = b""
    for field, name, content in parts:
        disposition = b'Content-Disposition: form-data; name="' + _encode(field, rng) + b'"'
        if name is not None:
            if rng.random() < 0.2:
                disposition += b"; filename*=UTF-8''" + quote(name).encode()
            else:
                disposition += b'; filename="' + _encode(name, rng) + b'"'
        out += b"--" + boundary.encode() + b"\r\n" + disposition + b"\r\n"
        if name is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + content + b"\r\n"
    if rng.random() < 0.95:
        out += b"--" + boundary.encode() + b"--\r\n"
    return out, boundary


def fuzz(url: str, secret: str, count: int, seed: int, watched: Path, samples: list[bytes], limit: int) -> Counter:
    """Send `count` random requests; return the answers' status codes counted, with "failures" for each bad answer."""
    rng = random.Random(seed)
    escape = watched / "escape"
    escape.mkdir(exist_ok=True)
    counts: Counter = Counter()
    with httpx.Client(base_url=url, timeout=120) as client:
        for _ in range(count):
            body, boundary = _body(rng, secret, escape, samples, limit)
            path = rng.choice(["/run", "/run", "/check", "/draft"])
            headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
            if rng.random() < 0.1:
                headers["Content-Type"] = rng.choice(["multipart/form-data", "application/x-www-form-urlencoded",
                                                      "text/plain", "multipart/form-data; boundary="])
            if rng.random() < 0.1:
                headers["Origin"] = rng.choice(["http://attacker.example", "null", url])
            content = body if rng.random() < 0.7 else iter([body[i:i + 65536] for i in range(0, len(body), 65536)])
            try:
                r = client.post(path, content=content, headers=headers)
            except httpx.TransportError:
                counts["connection closed"] += 1
                continue
            counts[r.status_code] += 1
            if r.status_code >= 500 and r.status_code != 503 or "程序内部错误" in r.text or "Traceback" in r.text:
                counts["failures"] += 1
    return counts


def files_outside(watched: Path) -> list[Path]:
    """Files in `watched` that are not inside a server's own folder (and not the fuzz's empty escape folder)."""
    return [p for p in watched.rglob("*") if p.is_file() and not p.relative_to(watched).parts[0].startswith(ROOT_PREFIX)]


def samples() -> list[bytes]:
    root = Path(__file__).resolve().parents[1]
    return [(root / "workbooks" / "lingling_2019.xlsx").read_bytes(), (root / "indicator_sets" / "dept_overall.xlsx")
            .read_bytes(), b"", b"PK\x03\x04" + bytes(100), "名称,数值\n".encode("gbk")]
