"""`score serve` (issue 17), at the HTTP level: the shipped example scored through the page, Chinese errors with sheet
and cell, the upload limit, two requests at once, drafting, loopback by default."""

import io
import threading

import openpyxl
import pytest
from starlette.testclient import TestClient

from scoring.errors import InputError
from scoring.web.app import bind_address, create_app
from tests.test_examples import BOOKS


@pytest.fixture
def client():
    return TestClient(create_app(max_upload=2 * 1024 * 1024))


def _file(path, field="data"):
    return (field, (path.name, path.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))


def test_the_front_page_is_chinese_and_lists_the_shipped_sets(client):
    r = client.get("/")
    assert r.status_code == 200 and "指标体系工作簿" in r.text and "dept_overall.xlsx" in r.text
    assert "/static/style.css" in r.text and "http" not in r.text.split("<main>")[0].replace("http-equiv", "")
    assert client.get("/static/style.css").status_code == 200  # every asset from the package


def test_scoring_the_shipped_example_through_the_page(client):
    r = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 200, r.text
    assert '<span class="big" id="total">89</span>' in r.text and '<span class="big grade" id="grade">良</span>' in r.text
    token = r.text.split("/download/")[1].split("/")[0]
    result = client.get(f"/download/{token}/评分结果.xlsx")
    assert result.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(result.content))
    assert wb["评分表"]["K29"].value == 89 and wb["评分表"]["L29"].value.startswith("等级：良")
    explain = client.get(f"/explain/{token}", params={"indicator": "过程/预算执行/预算调整率", "unit": "零陵区政务服务中心"})
    assert explain.status_code == 200 and "预算调整率" in explain.text and "41.32%" in explain.text
    report = client.get(f"/report/{token}", params={"unit": "0"})
    assert report.status_code == 200 and report.content[:2] == b"PK"  # the .docx


def test_a_broken_workbook_gives_the_chinese_message_with_sheet_and_cell(client, tmp_path):
    from tests.builders import indicator_book

    broken = indicator_book(tmp_path / "坏的.xlsx", ["一级指标", "分值", "评分公式"], [["投入", 100, "RATIO(完成率, "]])
    r = client.post("/run", files=[_file(broken, "indicators"), _file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 400
    assert "指标体系!C3" in r.text and "评分公式" in r.text and "Traceback" not in r.text


def test_the_upload_limit_is_said_in_chinese(client):
    big = ("data", ("大.xlsx", b"0" * (3 * 1024 * 1024), "application/octet-stream"))
    r = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[big])
    assert r.status_code == 413 and "上传的文件太大：一次最多 2 MB" in r.text


def test_two_requests_at_once_do_not_interfere(client, tmp_path):
    from tests.builders import kv_book

    other = kv_book(tmp_path / "other.xlsx", [("单位名称", "另一个单位"), *[(n, v) for n, v in _lingling_items()
                                                                          if n != "单位名称"]])
    answers = {}

    def post(name, path):
        answers[name] = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(path)]).text

    threads = [threading.Thread(target=post, args=(n, p)) for n, p in (("a", BOOKS / "lingling_2019.xlsx"), ("b", other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert '<b id="unit">零陵区政务服务中心</b>' in answers["a"] and '<b id="unit">另一个单位</b>' in answers["b"]
    assert answers["a"].split("/download/")[1][:20] != answers["b"].split("/download/")[1][:20]


def _lingling_items():
    ws = openpyxl.load_workbook(BOOKS / "lingling_2019.xlsx")["基础数据"]
    return [(r[0], r[1]) for r in ws.iter_rows(min_row=3, max_col=2, values_only=True) if r[0]]


def test_drafting_a_table_without_formulas(client, tmp_path):
    from tests.test_draft_command import HEADER, ROWS
    from tests.builders import indicator_book

    table = indicator_book(tmp_path / "指标表.xlsx", HEADER, ROWS)
    r = client.post("/draft", files=[_file(table, "indicators")])
    assert r.status_code == 200 and "起草 8 个，人工评分 1 个" in r.text
    token = r.text.split("/download/")[1].split("/")[0]
    drafted = client.get(f"/download/{token}/指标表_起草.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(drafted.content))["指标体系"]
    assert ws.cell(2, 7).value == "评分公式" and ws.cell(4, 7).value == "DEDUCT((完成值-100%)*100, 0.5)"


def test_unknown_pages_and_expired_downloads_are_chinese(client):
    assert "没有这个页面" in client.get("/nothing").text
    assert "下载已过期" in client.get("/download/xyz/评分结果.xlsx").text


def test_loopback_by_default_and_a_warning_otherwise():
    assert bind_address(None) == ("127.0.0.1", None)
    assert bind_address("127.0.0.1") == ("127.0.0.1", None)
    host, warning = bind_address("0.0.0.0")
    assert host == "0.0.0.0" and "局域网内的其他电脑也能打开它" in warning
    with pytest.raises(InputError):
        bind_address("not an address")
