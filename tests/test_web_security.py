"""The web page's security model (docs/safety.md “网页”), tried through the real server on 127.0.0.1 with an HTTP client
and raw sockets: hostile field and file names never become paths, another site can neither post to the page nor read
it through a rebound DNS name, bodies are cut at the limit while they stream, query parameters are checked, job folders
go when the server stops, and kept results are bounded by memory."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import openpyxl
import pytest

from scoring.web.app import create_app, stored_name
from scoring.web.jobs import ROOT_PREFIX, Jobs, remove_stale_roots
from tests.test_examples import BOOKS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `score serve` app (uvicorn) on 127.0.0.1 in a thread, with its own temporary folder."""

    def __init__(self, tmp: Path, **options):
        import uvicorn

        self.tmp = tmp
        tempfile.tempdir = str(tmp)  # the jobs' folders go under tmp for the test to watch
        self.port = free_port()
        self.app = create_app(**options)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.url, timeout=60, follow_redirects=True)
        self.secret = re.search(r'name="csrf" value="([^"]+)"', self.http.get("/").text).group(1)

    def stop(self):
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)
        tempfile.tempdir = None

    def post(self, path, fields=None, files=None, secret=True, **kwargs):
        data = dict(fields or {})
        if secret:
            data.setdefault("csrf", self.secret)
        return self.http.post(path, data=data, files=files, **kwargs)

    def raw(self, request: bytes, timeout: float = 30) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(request)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
            return answer


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path, max_upload=1024 * 1024, inline_wait=60)
    yield running
    running.stop()


def all_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def lingling():
    return ("data", ("零陵.xlsx", (BOOKS / "lingling_2019.xlsx").read_bytes(), XLSX))


def test_a_hostile_field_name_is_refused_and_writes_nothing(server, tmp_path):
    target = tmp_path / "Desktop" / "x"
    target.parent.mkdir()
    before = all_files(tmp_path)
    r = server.post("/run", {"shipped": "dept_overall.xlsx"},
                    files=[(str(target), ("a.xlsx", b"PK-not-really", XLSX)), lingling()])
    assert r.status_code == 400 and "表单中有评分网页没有的内容，已拒绝" in r.text
    assert not list(target.parent.iterdir())
    new = all_files(tmp_path) - before
    assert all(p.relative_to(tmp_path).parts[0].startswith(ROOT_PREFIX) for p in new), new
    assert not [p for p in new if p.is_file() and p.name != "server.lock"]  # nothing of the upload was kept


def test_another_site_cannot_post_to_the_page(server):
    files = [lingling()]
    crossing = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=files,
                           headers={"Origin": "http://attacker.example"})
    assert crossing.status_code == 403 and "请求不是从评分网页本身发出的" in crossing.text
    by_referer = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=files,
                             headers={"Referer": "http://attacker.example/page.html"})
    assert by_referer.status_code == 403
    from_a_file = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=files, headers={"Origin": "null"})
    assert from_a_file.status_code == 403
    # a form POST that sends no Origin or Referer at all (old browsers, some privacy settings) lacks the page's secret
    no_secret = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=files, secret=False)
    assert no_secret.status_code == 403 and "请刷新评分网页" in no_secret.text
    wrong = server.post("/run", {"shipped": "dept_overall.xlsx", "csrf": "guessed"}, files=files)
    assert wrong.status_code == 403
    assert not server.app.state.jobs.items  # no job was made
    own = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=files, headers={"Origin": server.url})
    assert own.status_code == 200 and '<span class="big" id="total">89</span>' in own.text


def test_a_wrong_host_is_refused_so_a_rebound_name_reads_nothing(server):
    page = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=[lingling()])
    job = re.search(r"/download/([\w-]+)/", page.text).group(1)
    from urllib.parse import quote

    for path in ("/", f"/job/{job}", f"/download/{job}/{quote('评分结果.xlsx')}"):
        answer = server.raw(f"GET {path} HTTP/1.1\r\nHost: attacker.example:{server.port}\r\nConnection: close\r\n\r\n"
                            .encode("latin-1"))
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 421"), head
        assert "这个地址不是评分网页的地址" in body.decode("utf-8") and b"PK" not in body[:2]
    for host in ("localhost", f"127.0.0.1:{server.port}", f"[::1]:{server.port}"):
        answer = server.raw(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 200"), host


def test_a_chunked_upload_over_the_limit_is_cut_while_it_streams(server):
    """No Content-Length: the body is counted as it arrives. 120 MB offered against a 1 MB limit: the server answers
    413 long before the client could send it all (it stops reading), and the process does not grow by the body."""
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{server.secret}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"大.xlsx\"\r\n"
            f"Content-Type: {XLSX}\r\n\r\n").encode()
    request = (f"POST /run HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nTransfer-Encoding: chunked\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\nConnection: close\r\n\r\n").encode()
    rss_before = _rss()
    sent = 0
    chunk = b"0" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(request + f"{len(head):x}\r\n".encode() + head + b"\r\n")
        s.settimeout(0.5)
        answer = b""
        try:
            for _ in range(120):
                s.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        s.settimeout(30)
        try:
            while part := s.recv(65536):
                answer += part
        except (ConnectionResetError, socket.timeout):
            pass
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert "上传的文件太大：一次最多 1 MB" in answer.decode("utf-8", "replace")
    assert sent < 40 * 1024 * 1024  # the server stopped taking the body (socket buffers hold a few MB)
    assert _rss() - rss_before < 40 * 1024 * 1024


def test_a_declared_length_over_the_limit_is_refused_before_reading(server):
    answer = server.raw((f"POST /run HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Length: 999999999\r\n"
                         "Content-Type: multipart/form-data; boundary=x\r\nConnection: close\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 413")


def _rss() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))


@pytest.mark.parametrize("name", ["..", ".", "a\x00b.xlsx", "中" * 92 + ".xlsx", "../../零陵.xlsx", "C:\\x\\零陵.xlsx",
                                  "CON.xlsx", "零陵\r\n.xlsx", ""])
def test_upload_names_never_fail_the_page(server, name):
    r = server.post("/run", {"shipped": "dept_overall.xlsx"},
                    files=[("data", (name, (BOOKS / "lingling_2019.xlsx").read_bytes(), XLSX))])
    assert r.status_code in (200, 400), r.text
    assert "程序内部错误" not in r.text
    if r.status_code == 200:
        assert '<span class="big" id="total">89</span>' in r.text


def test_stored_names_are_rebuilt_from_allowed_characters():
    assert stored_name("../../etc/passwd") == "passwd"
    assert stored_name("..") == stored_name(".") == stored_name("") == "工作簿"
    assert stored_name("a\x00b.xlsx") == "a_b.xlsx" and stored_name("CON.xlsx") == "工作簿_CON.xlsx"
    assert stored_name("C:\\Users\\x\\2024#1指标体系.XLSX") == "2024#1指标体系.xlsx"
    long = stored_name("中" * 92 + ".xlsx")
    assert long == "中" * 60 + ".xlsx" and len(long.encode("utf-8")) < 255


def test_a_drafted_workbook_with_a_hash_in_its_name_downloads(server, tmp_path):
    from tests.builders import indicator_book

    table = indicator_book(tmp_path / "t.xlsx", ["一级指标", "二级指标", "分值", "评分标准"],
                           [["投入", "预算执行率", 10, "预算执行率100%得满分，每低1个百分点扣0.5分，扣完为止"]])
    r = server.post("/draft", files=[("indicators", ("2024#1指标体系.xlsx", table.read_bytes(), XLSX))])
    assert r.status_code == 200, r.text
    link = re.search(r'href="(/download/[^"]+)" id="download"', r.text).group(1)
    assert "%23" in link and "#" not in link
    got = server.http.get(link)
    assert got.status_code == 200 and got.content[:2] == b"PK"


@pytest.mark.parametrize("query", ["form=²", "form=-1", "form=1e3", "form=99999999999", "unit=²", "unit=", "unit=x",
                                   "unit=0&form=%00", "indicator=" + "长" * 600])
def test_bad_query_parameters_are_chinese_pages_never_500(server, query):
    page = server.post("/run", {"shipped": "dept_overall.xlsx"}, files=[lingling()])
    job = re.search(r"/download/([\w-]+)/", page.text).group(1)
    for path in (f"/report/{job}?{query}", f"/explain/{job}?{query}"):
        r = server.http.get(path)
        assert r.status_code in (200, 400, 404), (path, r.status_code)
        assert "程序内部错误" not in r.text and "Traceback" not in r.text
    assert server.http.get(f"/job/{job}/form/99999999999").status_code == 404
    assert server.http.get("/job/%00/status").status_code == 404


def test_a_get_to_a_form_address_is_chinese(server):
    r = server.http.get("/run")
    assert r.status_code == 405 and "这个地址不能这样打开" in r.text


def test_kept_results_are_bounded_by_memory_downloads_stay(tmp_path):
    """Three runs of 零陵 (1 unit × 38 indicators each) with room for two tables: the oldest run's table is released;
    its result page and its download stay; explain on it says why and what to do."""
    from tests.web_client import PageClient

    client = PageClient(create_app(inline_wait=60, jobs=Jobs(kept_cells=80)))
    tokens = []
    for _ in range(3):
        r = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[lingling()])
        tokens.append(re.search(r"/download/([\w-]+)/", r.text).group(1))
    jobs = client.app.state.jobs
    assert [jobs.get(t).released for t in tokens] == [True, False, False]
    old = client.get(f"/explain/{tokens[0]}", params={"indicator": "预算调整率", "unit": "0"})
    assert old.status_code == 410 and "评分结果工作簿仍可下载" in old.text
    assert client.get(f"/download/{tokens[0]}/评分结果.xlsx").status_code == 200
    assert '<span class="big" id="total">89</span>' in client.get(f"/job/{tokens[0]}").text
    assert client.get(f"/explain/{tokens[2]}", params={"indicator": "预算调整率", "unit": "0"}).status_code == 200
    client.app.state.jobs.close()


def test_folders_go_when_the_server_stops_and_stale_ones_on_start(tmp_path):
    """`score serve` as a process: Ctrl+C (SIGINT) removes its folder with every result; a folder a killed server
    left (its lock free) is removed when the next one starts; one whose server still runs is not touched."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    stale = tmp_path / f"{ROOT_PREFIX}killed"
    (stale / "job-x").mkdir(parents=True)
    (stale / "job-x" / "评分结果.xlsx").write_bytes(b"old")
    (stale / "server.lock").write_bytes(b"")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "scoring.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60, follow_redirects=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                front = http.get("/")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, proc.stderr.read1().decode()
                time.sleep(0.1)
        assert not stale.exists()
        secret = re.search(r'name="csrf" value="([^"]+)"', front.text).group(1)
        r = http.post("/run", data={"shipped": "dept_overall.xlsx", "csrf": secret}, files=[lingling()])
        assert r.status_code == 200
        roots = [p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]
        assert len(roots) == 1 and list(roots[0].rglob("评分结果.xlsx"))
        assert remove_stale_roots(tmp_path) == [] and roots[0].exists()  # a running server's folder stays
        http.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]


def test_a_lan_address_is_answered_under_its_own_name_only(tmp_path):
    from starlette.testclient import TestClient

    app = create_app(host="192.0.2.10")
    lan = TestClient(app, base_url="http://192.0.2.10:8765")
    assert lan.get("/").status_code == 200
    assert TestClient(app, base_url="http://attacker.example:8765").get("/").status_code == 421
    r = lan.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[lingling()])
    assert r.status_code == 403  # the same rules: no secret, no job


def test_random_multipart_requests_never_fail_or_write_outside(tmp_path):
    """300 random requests here (bench/fuzz_web.py runs thousands; docs/safety.md has the count)."""
    from tests.web_fuzz import files_outside, fuzz, samples

    server = Server(tmp_path, max_upload=256 * 1024, inline_wait=0)
    try:
        counts = fuzz(server.url, server.secret, 300, seed=7, watched=tmp_path, samples=samples(), limit=256 * 1024)
    finally:
        server.stop()
    assert counts["failures"] == 0, counts
    assert sum(counts[s] for s in (200, 303)) > 0 and counts[403] > 0 and counts[400] > 0, counts
    assert files_outside(tmp_path) == []
