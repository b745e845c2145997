"""`score serve` (issue 17), at the HTTP level: the shipped example scored through the page, Chinese errors with sheet
and cell, the upload limit, two requests at once, drafting, loopback by default."""

import io
import threading
import time

import openpyxl
import pytest
from tests.web_client import PageClient

from scoring.errors import InputError
from scoring.cli import bind_address
from scoring.web.app import create_app
from tests.test_examples import BOOKS


@pytest.fixture
def client():
    return PageClient(create_app(max_upload=2 * 1024 * 1024, inline_wait=120))


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
    explain = client.get(f"/explain/{token}", params={"indicator": "过程/预算执行/预算调整率", "unit": "0"})
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
    assert host == "0.0.0.0" and "同一网络中的其他电脑都能打开这个评分网页" in warning
    with pytest.raises(InputError):
        bind_address("not an address")


def _poll(client, token, finished=True, rounds=600):
    """The job's status, polled (bounded) until it is `finished` (or, with finished=False, returned at once)."""
    for _ in range(rounds):
        status = client.get(f"/job/{token}/status").json()
        if status["finished"] or not finished:
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {token} did not finish")


def _token(response) -> str:
    return response.headers["location"].rsplit("/", 1)[1]


def test_a_long_run_shows_its_progress_and_later_jobs_wait_their_turn(monkeypatch):
    """Job A is held inside its 评分 stage: its page shows the step and the bar; B (one job at a time) is queued behind
    it; when A may go on, both finish with their results."""
    import scoring.commands.run as run_module
    from scoring.web.jobs import Jobs

    gate, scoring_started = threading.Event(), threading.Event()
    real_score = run_module.score

    def held_score(*args, **kwargs):
        scoring_started.set()
        assert gate.wait(timeout=60)
        return real_score(*args, **kwargs)

    monkeypatch.setattr(run_module, "score", held_score)
    client = PageClient(create_app(inline_wait=0, jobs=Jobs(running=1)), follow_redirects=False)
    a = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert a.status_code == 303 and a.headers["location"].startswith("/job/")
    assert scoring_started.wait(timeout=60)
    b = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    token_a, token_b = _token(a), _token(b)
    assert token_a != token_b

    running = client.get(f"/job/{token_a}")
    assert running.status_code == 200 and 'id="progress"' in running.text and "/static/progress.js" in running.text
    assert "第 3/4 步：评分" in running.text and 'style="width:50%"' in running.text
    status = _poll(client, token_a, finished=False)
    assert status.pop("seconds") >= 0 and status == {"finished": False, "queued": False, "line": "第 3/4 步：评分",
                                                     "percent": 50}
    queued = _poll(client, token_b, finished=False)
    assert queued["queued"] and queued["line"] == "排队等候：前面还有 1 个任务"
    assert client.get("/static/progress.js").status_code == 200

    gate.set()
    for token in (token_a, token_b):
        assert _poll(client, token)["finished"]
        done = client.get(f"/job/{token}")
        assert done.status_code == 200 and '<span class="big" id="total">89</span>' in done.text


def test_a_full_queue_is_refused_in_chinese(monkeypatch):
    import scoring.commands.run as run_module
    from scoring.web.jobs import Jobs

    gate = threading.Event()
    real_score = run_module.score
    monkeypatch.setattr(run_module, "score", lambda *a, **k: (gate.wait(timeout=60), real_score(*a, **k))[1])
    client = PageClient(create_app(inline_wait=0, jobs=Jobs(running=1, waiting=1)), follow_redirects=False)
    post = lambda: client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    first = post()
    for _ in range(600):  # bounded: until the first job has left the queue and is working
        if not _poll(client, _token(first), finished=False)["queued"]:
            break
        time.sleep(0.05)
    second, third = post(), post()
    assert second.status_code == 303
    assert third.status_code == 503 and "服务器正忙：已有 1 个任务在等候" in third.text
    gate.set()
    assert _poll(client, _token(first))["finished"] and _poll(client, _token(second))["finished"]


def test_uploads_are_deleted_when_the_job_ends_and_results_when_they_expire(client):
    r = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    token = str(r.url).rsplit("/", 1)[1]
    jobs = client.app.state.jobs
    job = jobs.get(token)
    assert job.inputs and not any(folder.exists() for folder in job.inputs)  # the uploaded workbook is gone
    assert (job.folder / "评分结果.xlsx").exists()  # the result stays for download
    job.expires = 0
    assert jobs.get(token) is None and not job.folder.exists()
    assert "结果已过期" in client.get(f"/job/{token}").text


def test_check_shows_the_indicator_tree_and_findings_by_level(client):
    r = client.post("/check", data={"shipped": "dept_overall.xlsx"})
    assert r.status_code == 200 and "检查结果：0 个错误" in r.text
    assert 'id="tree"' in r.text and "部门整体支出绩效评价指标" in r.text
    assert "<h3>提示（2）</h3>" in r.text and "人工评分指标（4 个" in r.text
    tree = r.text.split('id="tree"')[1]  # the indicator tree (the table's first rows are shown above it as read)
    row = tree.split(">预算调整率<")[1].split("</tr>")[0]
    assert '<td class="num">5</td>' in row and "IFS(预算调整率&lt;=0, 5, 预算调整率&lt;=10%, 4" in row
    assert '<td class="criteria">预算调整率=0，计5分；0-10%（含），计4分' in row
    row = tree.split(">服务对象满意度<")[1].split("</tr>")[0]
    assert "TARGET(服务对象满意度, 目标值)</td><td>≥90%</td>" in row
    assert tree.split(">经济效益<")[1].split("</tr>")[0].count("人工评分") == 1


def test_many_units_ranking_charts_and_every_report_in_one_zip(client):
    import zipfile

    r = client.post("/run", data={"shipped": "project_self.xlsx"}, files=[_file(BOOKS / "daying_2023.xlsx")])
    assert r.status_code == 200 and 'id="ranking"' in r.text
    assert "等级分布（单位数）" in r.text and "各单位总分" in r.text
    assert r.text.count('<div class="bar" style="width:100.0%">') == 1 + 5  # 优: 5 of 5 units; five totals of 100
    token = str(r.url).rsplit("/", 1)[1]
    assert r.text.count(f'href="/report/{token}?unit=') == 5
    one = client.get(f"/report/{token}", params={"unit": "4"})
    assert one.status_code == 200 and one.content[:2] == b"PK"
    assert "没有这个单位" in client.get(f"/report/{token}", params={"unit": "5"}).text
    zipped = client.post(f"/reports/{token}")
    assert zipped.status_code == 200 and "已生成 5 份自评报告" in zipped.text
    reports_token = zipped.text.split("/download/")[1].split("/")[0]
    bundle = client.get(f"/download/{reports_token}/自评报告.zip")
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as z:
        names = z.namelist()
        assert len(names) == 5 and all(n.endswith(".docx") for n in names) and len(set(names)) == 5
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(z.read(names[0]))).paragraphs)
        assert "综合得分 100 分" in text


def test_self_evaluation_forms_each_with_its_tree_explain_and_report(client):
    forms = sorted((BOOKS / "self_evaluation").glob("*.xlsx"))[:2]
    r = client.post("/run", data={"mode": "forms"}, files=[_file(p) for p in forms])
    assert r.status_code == 200 and "自评表复核：2 个已评分" in r.text
    token = str(r.url).rsplit("/", 1)[1]
    detail = client.get(f"/job/{token}/form/1")
    assert detail.status_code == 200 and 'id="total"' in detail.text and "自评表复核" in detail.text
    assert f'href="/job/{token}" id="back"' in detail.text
    link = detail.text.split('class="explain" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "&form=1" in link
    explain = client.get(link)
    assert explain.status_code == 200 and "指标：" in explain.text
    report = client.get(f"/report/{token}", params={"unit": "0", "form": "1"})
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert "没有这个自评表" in client.get(f"/job/{token}/form/7").text


def test_forms_with_findings_and_an_unreadable_file(client, tmp_path):
    from tests.test_self_evaluation_batch import _forms

    folder = _forms(tmp_path / "自评表")
    (folder / "说明.xlsx").write_bytes(b"this is not a workbook")
    files = sorted(folder.rglob("*.xlsx"))
    r = client.post("/run", data={"mode": "forms"}, files=[_file(p) for p in files])
    assert r.status_code == 200 and "自评表复核：3 个已评分，1 个无法评分" in r.text
    row = r.text.split("<td>01培训项目.xlsx</td>")[1].split("</tr>")[0]  # as in 评分汇总, by hand in that test
    cells = [c.split(">", 1)[1] for c in row.split("</td>")[:8]]
    assert cells == ["农村实用技术培训项目", "100", "90.72", "-9.28", "优", "3", "75%", "7"]
    assert "审核意见：自评表!H14 “养护合格率”自评得分 20，按规则 19.58" in r.text
    assert "<td>说明.xlsx</td>" in r.text and "无法评分：自评表“说明.xlsx”无法打开" in r.text


def test_a_port_in_use_is_said_in_chinese(cli):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli("serve", "--port", str(port))
    assert r.code == 2 and f"端口 {port} 已被占用" in r.err and "score serve --port" in r.err and "Traceback" not in r.err


def test_only_the_newest_finished_jobs_are_kept():
    from scoring.web.jobs import Jobs

    jobs = Jobs(kept=2)
    made = []
    for n in range(4):
        token, job = jobs.new()
        jobs.start(token, job, lambda j: (b"ok", 200), lambda exc: (b"failed", 500))
        assert job.finished.wait(timeout=30)
        made.append((token, job))
    jobs.sweep()
    assert [jobs.get(t) is not None for t, _ in made] == [False, False, True, True]
    assert not made[0][1].folder.exists() and made[3][1].folder.exists()
    for token, _ in made:
        jobs.drop(token)


def test_a_large_batch_lists_the_first_ranks_and_leaves_out_the_total_chart(client, tmp_path, monkeypatch):
    """60 units: the ranking is cut at RANKING_SHOWN (here 10) and said; 各单位总分 is drawn only up to 50 units, as in
    the Excel output; the totals are the engine's (实际完成率 n% of 95% → 25 × n/95)."""
    from scoring.web import views
    from tests.builders import STANDARD_DATA, standard_system, wide_book

    monkeypatch.setattr(views, "RANKING_SHOWN", 10)
    columns = [n for n, _ in STANDARD_DATA[1:]]
    base = dict(STANDARD_DATA[1:])
    units = [(f"单位{n:02d}", [(n / 100 if c == "实际完成率" else base[c]) for c in columns]) for n in range(36, 96)]
    data = wide_book(tmp_path / "六十个单位.xlsx", columns, units)
    r = client.post("/run", files=[_file(standard_system(tmp_path / "指标.xlsx"), "indicators"), _file(data)])
    assert r.status_code == 200
    assert "60 个单位，下表列出前 10 名" in r.text and "页面下方是前 50 个单位的评分表" in r.text
    ranking = r.text.split('id="ranking">')[1].split("</table>")[0]
    assert ranking.count("<tr>") == 1 + 10
    first = ranking.split("</tr>")[1]
    assert "单位95" in first and ">95.2<" in first  # 5 + 5 + 9.2 + 6 + 20 + 25 + 25 (95% meets ≥95%)
    assert "等级分布（单位数）" in r.text and "各单位总分" not in r.text
    assert 'id="reports"' in r.text  # 60 reports in one zip: within MAX_REPORTS
    monkeypatch.setattr("scoring.web.app.MAX_REPORTS", 50)
    r = client.post("/run", files=[_file(tmp_path / "指标.xlsx", "indicators"), _file(data)])
    assert 'id="reports"' not in r.text and "单位超过 50 个，网页不一次生成全部自评报告" in r.text
    refused = client.post(f"/reports/{str(r.url).rsplit('/', 1)[1]}")
    assert refused.status_code == 400 and "有 60 个单位，网页一次最多生成 50 份自评报告" in refused.text


def test_an_unexpected_failure_is_a_chinese_page_not_a_traceback(client, monkeypatch):
    import scoring.commands.run as run_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(run_module, "score", broken)
    r = client.post("/run", data={"shipped": "dept_overall.xlsx"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 500 and "程序内部错误（RuntimeError）" in r.text and "上传的文件未被改动" in r.text
    assert "Traceback" not in r.text and "boom" not in r.text


def test_a_file_that_is_no_workbook_is_named_in_the_message(client):
    r = client.post("/run", data={"shipped": "dept_overall.xlsx"},
                    files=[("data", ("说明.docx", b"PK\x03\x04 not really", "application/octet-stream"))])
    assert r.status_code == 400 and "说明.docx" in r.text and "Traceback" not in r.text


def _message(response) -> str:
    return response.text.split('<pre id="message">')[1].split("</pre>")[0]


def test_the_front_page_offers_the_two_modes_as_an_explicit_choice(client):
    page = client.get("/").text
    assert 'name="mode" value="score" id="mode-score" checked' in page and 'name="mode" value="forms"' in page
    assert "按指标体系评分" in page and "复核自评表" in page and "/static/modes.js" in page
    assert client.get("/static/modes.js").status_code == 200
    assert "score run" not in page and "score report" not in page


def test_scoring_without_an_indicator_system_says_so_instead_of_reviewing_forms(client):
    """Before issue 30 a data workbook alone was taken as a 自评表 (0 个已评分，1 个无法评分)."""
    r = client.post("/run", data={"mode": "score"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 400 and "自评表复核" not in r.text
    assert _message(r).startswith("按指标体系评分需要指标体系：请在“指标体系工作簿”一栏选择文件") and "选“复核自评表”" in r.text
    # a request without the field (the page always sends it) is the page's default: 按指标体系评分
    r = client.post("/run", files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 400 and "按指标体系评分需要指标体系" in r.text


def test_scoring_without_a_data_workbook_names_the_field_not_a_command(client):
    r = client.post("/run", data={"mode": "score", "shipped": "dept_overall.xlsx"})
    assert r.status_code == 400
    assert _message(r).startswith("还没有选基础数据工作簿：") and "“基础数据工作簿”一栏" in r.text
    assert "score" not in _message(r) and "-o" not in r.text and "--" not in _message(r)
    two = client.post("/run", data={"mode": "score", "shipped": "dept_overall.xlsx"},
                      files=[_file(BOOKS / "lingling_2019.xlsx"), _file(BOOKS / "nanxian_2020.xlsx")])
    assert two.status_code == 400 and _message(two).startswith("选了 2 个基础数据工作簿，一次只能评一个")


def test_swapped_files_are_asked_about(client):
    from scoring.commands.sets import sets_dir

    for action in ("/run", "/check"):
        r = client.post(action, data={"mode": "score"}, files=[_file(BOOKS / "lingling_2019.xlsx", "indicators"),
                                                               _file(sets_dir() / "dept_overall.xlsx")])
        assert r.status_code == 400, action
        assert _message(r) == ("两个文件是不是放反了？作为指标体系的“lingling_2019.xlsx”里没有指标表，却有单位“零陵区政务服务中心”的数据，"
                               "像是基础数据工作簿；作为基础数据的“dept_overall.xlsx”里却有指标表（工作表“指标体系”第 2 行起，"
                               "26 个末级指标）。请把“dept_overall.xlsx”作为指标体系工作簿、“lingling_2019.xlsx”作为基础数据工作簿，"
                               "再试一次"), action
        assert "表头改成" not in r.text


def test_reviewing_forms_says_what_is_wrong_with_the_files_given(client):
    r = client.post("/run", data={"mode": "forms"}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 400 and "0 个已评分" not in r.text
    message = _message(r)
    assert message.startswith("选的文件不是项目支出绩效自评表，没有可复核的。如果是基础数据工作簿，要按指标体系给单位评分，"
                              "请在第 1 步选“按指标体系评分”")
    assert "lingling_2019.xlsx：不是项目支出绩效自评表：“lingling_2019.xlsx”里没有指标表，却有单位“零陵区政务服务中心”的数据" in message
    with_system = client.post("/run", data={"mode": "forms", "shipped": "project_self.xlsx"},
                              files=[_file(sorted((BOOKS / "self_evaluation").glob("*.xlsx"))[0])])
    assert with_system.status_code == 400 and _message(with_system).startswith("复核自评表不用指标体系")
    nothing = client.post("/run", data={"mode": "forms"})
    assert nothing.status_code == 400 and _message(nothing).startswith("还没有选自评表")


@pytest.mark.parametrize("fields", [{"mode": "auto"}, {"mode": "../forms"}, {"mode": ["score", "forms"]}])
def test_a_mode_the_page_does_not_offer_is_refused_in_chinese(client, fields):
    r = client.post("/run", data={"shipped": "dept_overall.xlsx", **fields}, files=[_file(BOOKS / "lingling_2019.xlsx")])
    assert r.status_code == 400 and "评分方式只能是“按指标体系评分”或“复核自评表”" in r.text
    assert not list(client.app.state.jobs.items)  # no job was kept


def _two_points_columns(folder):
    """A table with last year's 分值 (C) beside this year's (D, headed 2024年分值): the reader takes C; the data scores
    预算执行率 90%, 资金到位率 100%, 完成率 50% — with C's points 18 + 30 + 25 = 73, with D's 36 + 20 + 20 = 76."""
    from tests.builders import indicator_book, kv_book

    rows = [["投入", "预算执行率", 20, 40, "RATIO(预算执行率, 100%)"], ["投入", "资金到位率", 30, 20, "RATIO(资金到位率, 100%)"],
            ["产出", "完成率", 50, 40, "RATIO(完成率, 100%)"]]
    ind = indicator_book(folder / "指标体系.xlsx", ["一级指标", "二级指标", "分值", "2024年分值", "评分公式"], rows)
    data = kv_book(folder / "基础数据.xlsx", [("单位名称", "甲单位"), ("预算执行率", 0.9), ("资金到位率", 1), ("完成率", 0.5)])
    return ind, data


def _selected(page: str) -> list[str]:
    import re

    return re.findall(r'<option value="(\d+:\w+)" selected>', page)


def _page_token(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_the_check_page_shows_each_columns_role_and_reads_the_same_workbook_again(client, tmp_path):
    ind, data = _two_points_columns(tmp_path)
    r = client.post("/check", files=[_file(ind, "indicators")])
    assert r.status_code == 200 and 'id="preview"' in r.text
    assert "分值=C 列“分值”" in r.text and _selected(r.text) == ["1:level1", "2:level2", "3:points", "4:ignored", "5:formula"]
    preview = r.text.split('id="preview">')[1].split("</table>")[0]
    assert "<th>2024年分值</th>" in preview and "<td>预算执行率</td>" in preview and "<td>40</td>" in preview
    token = _page_token(r.text)
    again = client.post("/reread", data={"token": token, "column": ["1:level1", "2:level2", "3:ignored", "4:points",
                                                                     "5:formula"]})
    assert again.status_code == 200 and "（按您选的读法）" in again.text
    assert "分值=D 列“2024年分值”" in again.text and "末级分值合计 100" in again.text
    assert _selected(again.text) == ["1:level1", "2:level2", "3:ignored", "4:points", "5:formula"]
    chosen = client.post("/run", data={"token": _page_token(again.text), "mode": "score"}, files=[_file(data)])
    assert chosen.status_code == 200 and '<span class="big" id="total">76</span>' in chosen.text
    as_read = client.post("/run", data={"token": token, "mode": "score"}, files=[_file(data)])
    assert as_read.status_code == 200 and '<span class="big" id="total">73</span>' in as_read.text
    # from the result page, the reading it was scored with
    shown = client.post("/reread", data={"token": str(chosen.url).rsplit("/", 1)[1]})
    assert shown.status_code == 200 and "分值=D 列“2024年分值”" in shown.text


@pytest.mark.parametrize("columns, said", [
    (["9:points"], "表中没有第 9 列"), (["x:points"], "表中没有第 x 列"), (["3:evil"], "C 列没有“evil”这种读法"),
    (["3:points", "3:ignored"], "C 列选了两次"), (["0:points"], "表中没有第 0 列")])
def test_role_choices_the_page_does_not_offer_are_refused_in_chinese(client, tmp_path, columns, said):
    ind, _ = _two_points_columns(tmp_path)
    token = _page_token(client.post("/check", files=[_file(ind, "indicators")]).text)
    kept = len(client.app.state.jobs.items)
    r = client.post("/reread", data={"token": token, "column": columns})
    assert r.status_code == 400 and f"列的读法不对（{said}）" in r.text
    assert len(client.app.state.jobs.items) == kept  # nothing kept


def test_a_reading_of_a_job_that_is_gone_is_refused(client):
    r = client.post("/reread", data={"token": "not-a-job", "column": ["3:points"]})
    assert r.status_code == 404 and "结果已过期" in r.text
    r = client.post("/reread", data={"column": ["3:points"]})
    assert r.status_code == 400 and "列的读法不对（没有指明哪个指标体系）" in r.text


def test_the_indicator_upload_is_kept_with_its_job_and_goes_with_it(client, tmp_path):
    ind, data = _two_points_columns(tmp_path)
    r = client.post("/run", data={"mode": "score"}, files=[_file(ind, "indicators"), _file(data)])
    job = client.app.state.jobs.get(str(r.url).rsplit("/", 1)[1])
    assert job.indicators.read_bytes() == ind.read_bytes() and job.folder in job.indicators.parents
    assert job.inputs and not any(folder.exists() for folder in job.inputs)  # the data workbook is gone
    job.expires = 0
    client.app.state.jobs.sweep()
    assert not job.indicators.exists()
