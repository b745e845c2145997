"""The web page: choose or drop workbooks, see the indicator tree and check findings, score, explain any indicator,
download the result workbook, the 自评报告 and drafted formulas. Every upload is a job (jobs.py) in its own temporary
folder, shown with its progress while it runs; the user's own files are never written. Every error the command line
turns into a message is shown the same way, in Chinese — never a traceback or a blank page."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import time
import unicodedata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..commands.reading import MAX_COLUMNS, OTHER_ROLES, ROLES
from ..errors import InputError, ScoreError, column_letter, user_message
from . import views
from .guard import (FORM_SECRET_FIELD, STALE_PAGE, BodyTooLarge, Guard, host_names, new_secret, same_secret,
                    too_large)
from .jobs import FINISHED, QUEUED, RESULT_TTL_SECONDS, Busy, Job, Jobs, remove_stale_roots

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024  # bytes, all files of one request together
MAX_FILES = 200  # files in one upload
INLINE_WAIT_SECONDS = 2.0  # a job finished this soon is shown at once; a longer one shows its progress page
MAX_REPORTS = 200  # 自评报告 written into one zip
INTERNAL = "程序内部错误（{}）。上传的文件未被改动；请把此信息和工作簿发给维护人员"
EXPIRED = f"结果已过期（保留 {RESULT_TTL_SECONDS // 3600} 小时），请重新上传评分"
RELEASED = "这次评分的明细已从内存中释放（之后又有很多单位评分）：评分结果工作簿仍可下载；要查看计算过程或生成自评报告，请重新上传评分"
# The only fields the page's forms send: name → "file" or "text". Anything else is refused, never stored.
FORM_FIELDS = {FORM_SECRET_FIELD: "text", "shipped": "text", "mode": "text", "indicators": "file", "data": "file",
               "token": "text", "column": "text"}
# Text fields with a fixed set of values: any other value is refused. `mode`: what 评分 does, chosen on the page.
SCORE, FORMS = "score", "forms"
MODES = {SCORE: "按指标体系评分", FORMS: "复核自评表"}
FIELD_VALUES = {"mode": {"": "", **MODES}}
BAD_VALUE = {"mode": "评分方式只能是“按指标体系评分”或“复核自评表”：请打开评分网页，在网页上选择后提交"}
# `column`: "<column number>:<role>", one per column of the table shown (commands.reading); `token`: the job whose
# indicator workbook is read again.
BAD_COLUMN = "列的读法不对（{}）：请在评分网页的读表结果上，从每列上方的列表中选择后提交"
KEPT_FOLDER = "指标体系"  # the job's indicator upload, kept (not in job.inputs) until the job's folder goes
MAX_TEXT_FIELD = 1024 * 1024  # bytes of one text field
MAX_QUERY_TEXT = 500  # characters of a text query parameter (an indicator's name or path)
STORED_NAME_CHARS = 60  # an upload is stored under at most this many characters of its own name
_INDEX = re.compile(r"[0-9]{1,7}")
# What the page says when a file its mode needs is missing, or one it does not use is given.
SWITCH_TO_FORMS = "如果要复核项目支出绩效自评表，请在第 1 步选“复核自评表”"
NO_SYSTEM = ("按指标体系评分需要指标体系：请在“指标体系工作簿”一栏选择文件，或从“内置指标体系”中选一个。"
             + SWITCH_TO_FORMS)
NO_SYSTEM_TO_CHECK = "检查需要指标体系：请在“指标体系工作簿”一栏选择文件，或从“内置指标体系”中选一个"
NO_DATA = ("还没有选基础数据工作簿：按指标体系评分要给出填好各单位数据的工作簿，请在“基础数据工作簿”一栏选择。"
           + SWITCH_TO_FORMS)
MANY_DATA = ("选了 {count} 个基础数据工作簿，一次只能评一个（多个单位请放在同一个工作簿中，每个单位一列或一行）。"
             + SWITCH_TO_FORMS)
FORMS_WITH_SYSTEM = ("复核自评表不用指标体系（自评表自带指标和分值）：请去掉“指标体系工作簿”一栏的文件和“内置指标体系”的选择；"
                     "如果要用指标体系给单位评分，请在第 1 步选“按指标体系评分”")
NO_FORMS = "还没有选自评表：请在“项目支出绩效自评表”一栏选择一个或多个自评表"
NOT_FORMS = ("{which}不是项目支出绩效自评表，没有可复核的。如果是基础数据工作簿，要按指标体系给单位评分，"
             "请在第 1 步选“按指标体系评分”，再选指标体系和基础数据工作簿：")


class TooLarge(Exception):
    pass


class BadForm(Exception):
    """A form the page never sends: the message says what to do."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def create_app(max_upload: int = DEFAULT_MAX_UPLOAD, inline_wait: float = INLINE_WAIT_SECONDS,
               jobs: Jobs | None = None, host: str = "127.0.0.1") -> Starlette:
    """The page for a server bound to `host`: requests must name it (or loopback) in their Host header."""
    jobs = jobs or Jobs()
    secret = new_secret()  # in every form of the page; a state-changing request without it is refused
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    def render(template: str, status: int = 200, **context) -> tuple[bytes, int]:
        html = templates.get_template(template).render(max_upload_mb=max_upload // (1024 * 1024), secret=secret,
                                                       secret_field=FORM_SECRET_FIELD, **context)
        return html.encode("utf-8"), status

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        body, status = render(template, status, **context)
        return HTMLResponse(body, status_code=status)

    def error(message: str, status: int = 400) -> HTMLResponse:
        return page("error.html", status, message=message)

    def failed(exc: BaseException) -> tuple[bytes, int]:
        """A job's exception as the page the command line's message would be."""
        message = user_message(exc)  # the command line's boundary rule
        if message is not None:
            return render("error.html", 400, message=message)
        return render("error.html", 500, message=INTERNAL.format(type(exc).__name__))

    async def read_form(request: Request):
        """The request's form, checked: only the page's fields, of their kinds, with the page's secret."""
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=len(FORM_FIELDS) + 8 + MAX_COLUMNS,
                                      max_part_size=MAX_TEXT_FIELD)
        except BodyTooLarge:
            raise TooLarge() from None
        except (MultiPartException, HTTPException) as exc:  # Starlette raises the latter for a form it cannot parse
            if "files" in str(getattr(exc, "detail", exc)).lower():
                raise BadForm(f"一次最多上传 {MAX_FILES} 个文件：请分批上传") from None
            raise BadForm("上传的内容不完整或格式不对：请在评分网页上重新选择文件提交") from None
        for key, value in form.multi_items():
            kind, is_file = FORM_FIELDS.get(key), hasattr(value, "read")
            empty = not (value.filename if is_file else value)  # a file box left empty is sent either way
            if kind is None or (kind == "file") != is_file and not empty:
                await form.close()
                raise BadForm("表单中有评分网页没有的内容，已拒绝：请打开评分网页，在网页上选择文件后提交")
        if not same_secret(form.get(FORM_SECRET_FIELD), secret):
            await form.close()
            raise BadForm(STALE_PAGE, 403)
        for key, allowed in FIELD_VALUES.items():
            if any(value not in allowed for value in form.getlist(key)) or len(form.getlist(key)) > 1:
                await form.close()
                raise BadForm(BAD_VALUE[key])
        return form

    async def uploads(request: Request, job: Job) -> dict:
        """The form's files saved into the job's folder, each in a numbered folder under a name rebuilt from its own
        (stored_name), by field; TooLarge over the limit."""
        form = await read_form(request)
        saved: dict = {}
        total = 0
        try:
            for key, value in form.multi_items():
                if not (hasattr(value, "read") and value.filename):
                    continue
                if key == "indicators" and not saved.get(key):  # kept for reading again with other roles
                    sub = job.folder / KEPT_FOLDER
                else:
                    sub = job.folder / str(len(job.inputs))
                    job.inputs.append(sub)
                sub.mkdir()
                path = sub / stored_name(value.filename)
                with open(path, "wb") as out:
                    while chunk := await value.read(1024 * 1024):
                        total += len(chunk)
                        if total > max_upload:
                            raise TooLarge()
                        out.write(chunk)
                saved.setdefault(key, []).append(path)
        finally:
            await form.close()
        saved["form"] = form
        return saved

    def indicator_path(saved) -> Path | None:
        if "reread" in saved:  # the workbook another job read, copied into this job's folder
            return saved["reread"]
        files = saved.get("indicators") or []
        if files:
            return files[0]
        chosen = str(saved["form"].get("shipped") or "").strip()
        if chosen:
            from ..commands.sets import sets_dir, shipped_files

            if chosen in shipped_files():  # only a shipped set's own name, never a path
                return sets_dir() / chosen
            raise InputError(f"没有内置指标体系“{chosen[:60]}”：请在网页上从列表中选择")
        return None

    async def start(token: str, job: Job, work) -> HTMLResponse | RedirectResponse:
        """Queue the job; wait a moment so that a short one comes back at once, then go to its page."""
        try:
            jobs.start(token, job, work, failed)
        except Busy:
            jobs.drop(token)
            return error(f"服务器正忙：已有 {jobs.max_waiting} 个任务在等候。请过几分钟再试", 503)
        deadline = time.monotonic() + inline_wait
        while not job.finished.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return RedirectResponse(f"/job/{token}", status_code=303)

    def reread(saved, job: Job) -> None:
        """A form naming another job (`token`): its indicator workbook copied into `job`, with the roles it was read
        with and those the form chooses (`column`); BadForm when the job is gone or a choice is not one of the page's."""
        form = saved["form"]
        tokens = form.getlist("token")
        if not tokens:
            if form.getlist("column"):
                raise BadForm(BAD_COLUMN.format("没有指明哪个指标体系"))
            return
        source = jobs.get(tokens[0]) if len(tokens) == 1 and isinstance(tokens[0], str) else None
        if source is None or source.indicators is None or not source.indicators.exists():
            raise BadForm(EXPIRED, 404)
        choices: dict[int, str] = {}
        for value in form.getlist("column"):
            number, _, role = str(value).partition(":")
            col = int(number) if _INDEX.fullmatch(number) else 0
            if not 1 <= col <= source.column_count:
                raise BadForm(BAD_COLUMN.format(f"表中没有第 {number[:10]} 列"))
            if role not in ROLES and role not in OTHER_ROLES:
                raise BadForm(BAD_COLUMN.format(f"{column_letter(col)} 列没有“{role[:20]}”这种读法"))
            if col in choices:
                raise BadForm(BAD_COLUMN.format(f"{column_letter(col)} 列选了两次"))
            choices[col] = role
        from ..commands.reading import chosen_columns

        kept = job.folder / KEPT_FOLDER
        kept.mkdir(exist_ok=True)
        saved["reread"] = Path(shutil.copy2(source.indicators, kept / source.indicators.name))
        job.columns = chosen_columns(choices, source.shown, source.columns)

    async def submitted(request: Request, work):
        """One upload: saved into a new job's folder, then `work(saved, token, job)` runs as the job."""
        token, job = jobs.new()
        try:
            saved = await uploads(request, job)
            await run_in_threadpool(reread, saved, job)
        except TooLarge:
            jobs.drop(token)
            return error(too_large(max_upload), 413)
        except BadForm as exc:
            jobs.drop(token)
            return error(str(exc), exc.status)
        except Exception as exc:
            jobs.drop(token)
            return error(INTERNAL.format(type(exc).__name__), 500)
        return await start(token, job, lambda j: work(saved, token, j))

    def _score(saved, token: str, job: Job):
        """评分 as the page's mode says — never guessed from the files given: an indicator system (uploaded or
        shipped) and one data workbook; or 自评表 reviewed one by one as `commands.forms.run_forms` does."""
        from ..commands.forms import run_forms
        from ..commands.run import STAGES, run

        ind, data = indicator_path(saved), saved.get("data") or []
        out = job.folder / "评分结果.xlsx"
        progress = job.progress
        if (saved["form"].get("mode") or SCORE) == FORMS:
            if ind is not None:
                raise InputError(FORMS_WITH_SYSTEM)
            if not data:
                raise InputError(NO_FORMS)

            def on_form(done: int, count: int, label: str):
                progress.set(done / count if count else 1.0,
                             f"已复核 {done}/{count} 个自评表" + (f"，正在复核 {label}" if done < count else f"，{label}"))

            outcome = run_forms(data, out, force=True, on_form=on_form)
            if not outcome.scored:
                which = "选的文件" if len(outcome.forms) == 1 else f"选的 {len(outcome.forms)} 个文件都"
                raise InputError(NOT_FORMS.format(which=which),
                                 [f"{f.label}：{f.problem}" for f in outcome.forms])
            job.files["评分结果.xlsx"], job.forms = out, outcome.forms
            header, rows = views.form_rows(outcome)
            return render("forms.html", token=token, outcome=outcome, header=header, rows=rows)
        if ind is None:
            raise InputError(NO_SYSTEM)
        if not data:
            raise InputError(NO_DATA)
        if len(data) > 1:
            raise InputError(MANY_DATA.format(count=len(data)))

        def on_stage(name: str):
            step = STAGES.index(name) if name in STAGES else 0
            progress.set(step / len(STAGES), f"第 {step + 1}/{len(STAGES)} 步：{name}")

        job.indicators = ind
        outcome = run(ind, data[0], out, force=True, on_stage=on_stage, columns=job.columns or None)
        job.files["评分结果.xlsx"], job.results = out, outcome.results
        return result_page(token, outcome.results, warnings=outcome.warnings)

    def result_page(token: str, results, warnings=(), form: int | None = None, status: int = 200):
        return render("result.html", status, token=token, results=results, units=views.scored_units(results),
                      ranking=views.ranking(results), charts=views.charts(results), warnings=warnings, form=form,
                      max_reports=MAX_REPORTS)

    def _check(saved, token: str, job: Job):
        from ..commands.check import check

        ind = indicator_path(saved)
        if ind is None:
            raise InputError(NO_SYSTEM_TO_CHECK)
        from ..commands.reading import preview, roles_of

        job.progress.set(0.0, "正在读取并检查指标体系")
        job.indicators = ind
        report = check(ind, (saved.get("data") or [None])[0], columns=job.columns or None)
        tree = views.indicator_rows(report.system) if report.system is not None else []
        table = preview(report.system) if report.system is not None else None
        if table is not None:
            job.shown, job.column_count = roles_of(report.system), len(table.columns)
        return render("check.html", report=report, tree=tree, system=report.system, table=table, token=token,
                      chosen=bool(job.columns))

    def _draft(saved, token: str, job: Job):
        from ..commands.draft import draft

        ind = indicator_path(saved)
        if ind is None:
            raise InputError("请选择要起草公式的指标体系工作簿")
        name = f"{ind.stem}_起草.xlsx"
        job.progress.set(0.0, "正在由评分标准起草公式")
        outcome = draft(ind, job.folder / name)
        job.files[name] = job.folder / name
        return render("draft.html", token=token, outcome=outcome, filename=name)

    async def index(request: Request) -> HTMLResponse:
        from ..commands.sets import describe_sets

        sets = await run_in_threadpool(describe_sets)
        return page("index.html", sets=sets)

    async def run_view(request: Request):
        return await submitted(request, _score)

    async def check_view(request: Request):
        return await submitted(request, _check)

    async def reread_view(request: Request):
        """The indicator workbook a job read, read again with the roles chosen for its columns: the check page."""
        return await submitted(request, _check)

    async def draft_view(request: Request):
        return await submitted(request, _draft)

    async def job_view(request: Request):
        """The finished job's page, or its progress while it runs."""
        token = request.path_params["token"]
        job = jobs.get(token)
        if job is None:
            return error(EXPIRED, 404)
        if job.finished.is_set():
            body, status = job.page or failed(RuntimeError())
            return HTMLResponse(body, status_code=status)
        return page("progress.html", token=token, **_status(token, job))

    def _status(token: str, job: Job) -> dict:
        p = job.progress
        if p.state == QUEUED:
            line = f"排队等候：前面还有 {jobs.ahead(token)} 个任务"
        else:
            line = p.line or "正在处理"
        seconds = int(time.time() - p.started) if p.started else 0
        return {"finished": p.state == FINISHED, "queued": p.state == QUEUED, "line": line,
                "percent": round(p.fraction * 100), "seconds": seconds}

    async def status_view(request: Request):
        token = request.path_params["token"]
        job = jobs.get(token)
        if job is None:
            return JSONResponse({"finished": True, "line": EXPIRED}, status_code=404)
        return JSONResponse(_status(token, job))

    def results_of(request: Request):
        """(job, results) the request names: a run's, or the `form`-th 自评表's; (None, None) when gone or named
        wrongly; (job, None) when the job's tables were released."""
        job = jobs.get(request.path_params["token"])
        if job is None:
            return None, None
        form = request.query_params.get("form", request.path_params.get("form"))
        if form is None or form == "":
            return job, job.results
        index = int(form) if _INDEX.fullmatch(str(form)) else -1
        return job, job.forms[index].results if 0 <= index < len(job.forms) else None

    def gone(job) -> HTMLResponse:
        if job is not None and job.released:
            return error(RELEASED, 410)
        return error(EXPIRED if job is None else "没有这个自评表的评分结果", 404)

    async def form_view(request: Request):
        job, results = results_of(request)
        if results is None:
            return gone(job)
        body, status = result_page(request.path_params["token"], results, form=int(request.path_params["form"]))
        return HTMLResponse(body, status_code=status)

    def chosen_unit(request: Request):
        """(job, results, unit index) the request names, or the error page to answer with."""
        job, results = results_of(request)
        if results is None:
            return gone(job) if job is not None else error(EXPIRED, 404)
        given = request.query_params.get("unit", "0")
        unit = int(given) if _INDEX.fullmatch(given) else -1
        if not 0 <= unit < len(results.units):
            return error("没有这个单位", 404)
        return job, results, unit

    async def explain_view(request: Request):
        chosen = chosen_unit(request)
        if isinstance(chosen, HTMLResponse):
            return chosen
        from ..commands.explain import explain

        _, results, unit = chosen
        indicator = request.query_params.get("indicator", "")
        if len(indicator) > MAX_QUERY_TEXT:
            return error("指标名称太长：请在评分结果页上点击指标名", 400)
        try:
            text = await run_in_threadpool(explain, results.system, [results.units[unit].unit], indicator)
        except ScoreError as exc:
            return error(user_message(exc))
        return page("explain.html", text=text)

    async def report_view(request: Request):
        """One unit's 自评报告 (.docx), written once and kept with the job."""
        chosen = chosen_unit(request)
        if isinstance(chosen, HTMLResponse):
            return chosen
        from ..commands.report import write_unit_report

        job, results, unit = chosen
        name = f"{_safe(results.units[unit].unit.name)}_自评报告.docx"
        form = request.query_params.get("form", "")
        path = job.folder / f"report-{form if _INDEX.fullmatch(form) else ''}-{unit}" / name
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            await run_in_threadpool(write_unit_report, results, results.units[unit], path)
        return FileResponse(path, filename=name)

    async def reports_view(request: Request):
        """Every unit's 自评报告 in one zip, as a job with its progress."""
        try:
            await (await read_form(request)).close()
        except TooLarge:
            return error(too_large(max_upload), 413)
        except BadForm as exc:
            return error(str(exc), exc.status)
        job, results = results_of(request)
        if results is None:
            return gone(job) if job is not None else error(EXPIRED, 404)
        if len(results.units) > MAX_REPORTS:
            return error(f"有 {len(results.units)} 个单位，网页一次最多生成 {MAX_REPORTS} 份自评报告：请在评分结果页上"
                         f"逐个点击下载")
        token, job = jobs.new()

        def work(job: Job):
            from ..commands.report import write_reports

            def on_report(done: int, count: int, unit: str):
                job.progress.set(done / count, f"已生成 {done}/{count} 份自评报告，正在生成 {unit}")

            name = "自评报告.zip"
            write_reports(results, job.folder / name, on_report)
            job.files[name] = job.folder / name
            return render("reports.html", token=token, count=len(results.units), filename=name)

        return await start(token, job, work)

    async def download(request: Request):
        job = jobs.get(request.path_params["token"])
        name = request.path_params["name"]
        if job is None or name not in job.files:
            return error(f"下载已过期（保留 {RESULT_TTL_SECONDS // 3600} 小时），请重新上传评分", 404)
        return FileResponse(job.files[name], filename=name)

    routes = [
        Route("/", index), Route("/run", run_view, methods=["POST"]), Route("/check", check_view, methods=["POST"]),
        Route("/draft", draft_view, methods=["POST"]), Route("/reread", reread_view, methods=["POST"]), Route("/job/{token}", job_view),
        Route("/job/{token}/status", status_view), Route("/job/{token}/form/{form:int}", form_view),
        Route("/explain/{token}", explain_view), Route("/report/{token}", report_view),
        Route("/reports/{token}", reports_view, methods=["POST"]), Route("/download/{token}/{name}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request, exc):
        return error("没有这个页面", 404)

    async def server_error(request, exc):
        return error(INTERNAL.format(type(exc).__name__), 500)

    async def method_not_allowed(request, exc):
        return error("这个地址不能这样打开：请从评分网页上点击", 405)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(remove_stale_roots)  # folders of servers that were killed
        try:
            yield
        finally:
            jobs.close()  # the server stops: every job's folder goes with it

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: not_found, 405: method_not_allowed, 500: server_error})
    app.state.jobs = jobs
    app.state.secret = secret
    app.add_middleware(Guard, allowed_hosts=host_names(host), max_body=max_upload,
                       reject=lambda status, message: render("error.html", status, message=message)[0])
    return app


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' or unicodedata.category(c)[0] == "C" else c for c in name)[:60] or "单位"


_NAME_PUNCTUATION = set(" -_.,+&#@()（）[]【】《》、，。“”‘’·~！!")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def stored_name(filename: str) -> str:
    """The name an upload is stored under, rebuilt character by character from the name the browser sent (its last
    path component): letters and digits of any script and a few punctuation marks are kept, everything else (path
    separators, control characters, quotes, …) becomes "_"; no leading or trailing dots or spaces, at most
    STORED_NAME_CHARS characters before the suffix, never empty or a device name. The folder around it is numbered by
    the job, so no part of a request ever chooses where a file goes."""
    base = re.split(r"[\\/]", str(filename))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,8}", suffix):
        stem, suffix = base, ""
    kept = "".join(c if c.isalnum() or c in _NAME_PUNCTUATION else "_" for c in unicodedata.normalize("NFC", stem))
    kept = kept[:STORED_NAME_CHARS].strip(" .")
    if not kept.strip("_") or _WINDOWS_RESERVED.match(kept):
        kept = "工作簿" + ("_" + kept if kept.strip("_") else "")
    return kept + ("." + suffix.lower() if suffix else "")
