"""The web page: choose or drop workbooks, see the indicator tree and check findings, score, explain any indicator,
download the result workbook, the 自评报告 and drafted formulas. Every upload is a job (jobs.py) in its own temporary
folder, shown with its progress while it runs; the user's own files are never written. Every error the command line
turns into a message is shown the same way, in Chinese — never a traceback or a blank page."""

from __future__ import annotations

import asyncio
import time
import zipfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import InputError, ScoreError
from ..read.workbook import EXCEL_SUFFIXES
from . import views
from .jobs import FINISHED, QUEUED, RESULT_TTL_SECONDS, Busy, Job, Jobs

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024  # bytes, all files of one request together
MAX_FILES = 200  # files in one upload
INLINE_WAIT_SECONDS = 2.0  # a job finished this soon is shown at once; a longer one shows its progress page
MAX_REPORTS = 200  # 自评报告 written into one zip
INTERNAL = "程序内部错误（{}）。上传的文件未被改动；请把此信息和工作簿发给维护人员"
EXPIRED = f"结果已过期（保留 {RESULT_TTL_SECONDS // 3600} 小时），请重新上传评分"


class TooLarge(Exception):
    pass


def create_app(max_upload: int = DEFAULT_MAX_UPLOAD, inline_wait: float = INLINE_WAIT_SECONDS,
               jobs: Jobs | None = None) -> Starlette:
    jobs = jobs or Jobs()
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    def render(template: str, status: int = 200, **context) -> tuple[bytes, int]:
        html = templates.get_template(template).render(max_upload_mb=max_upload // (1024 * 1024), **context)
        return html.encode("utf-8"), status

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        body, status = render(template, status, **context)
        return HTMLResponse(body, status_code=status)

    def error(message: str, status: int = 400) -> HTMLResponse:
        return page("error.html", status, message=message)

    def failed(exc: BaseException) -> tuple[bytes, int]:
        """A job's exception as the page the command line's message would be."""
        if isinstance(exc, (InputError, ScoreError)):
            return render("error.html", 400, message=str(exc))
        return render("error.html", 500, message=INTERNAL.format(type(exc).__name__))

    async def uploads(request: Request, job: Job) -> dict:
        """The form's files saved into the job's folder (names kept, made safe), by field; TooLarge over the limit."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_upload:
            raise TooLarge()
        try:
            form = await request.form(max_files=MAX_FILES, max_part_size=max_upload)
        except MultiPartException:
            raise TooLarge() from None
        saved: dict = {}
        total = 0
        for key, value in form.multi_items():
            if hasattr(value, "read") and getattr(value, "filename", None):
                data = await value.read()
                total += len(data)
                if total > max_upload:
                    raise TooLarge()
                name = Path(value.filename).name.replace("/", "_").replace("\\", "_") or "工作簿.xlsx"
                sub = job.folder / f"{key}-{len(saved.get(key, []))}"
                sub.mkdir()
                job.inputs.append(sub)
                (sub / name).write_bytes(data)
                saved.setdefault(key, []).append(sub / name)
        saved["form"] = form
        return saved

    def indicator_path(saved) -> Path | None:
        files = saved.get("indicators") or []
        if files:
            return files[0]
        chosen = str(saved["form"].get("shipped") or "").strip()
        if chosen:
            from ..commands.sets import sets_dir

            path = sets_dir() / Path(chosen).name
            if path.suffix.lower() in EXCEL_SUFFIXES and path.exists():
                return path
            raise InputError(f"没有内置指标体系“{chosen}”")
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

    async def submitted(request: Request, work):
        """One upload: saved into a new job's folder, then `work(saved, token, job)` runs as the job."""
        token, job = jobs.new()
        try:
            saved = await uploads(request, job)
        except TooLarge:
            jobs.drop(token)
            return error(f"上传的文件太大：一次最多 {max_upload // (1024 * 1024)} MB。请分批上传，或只上传需要的工作簿", 413)
        except Exception as exc:
            jobs.drop(token)
            return error(INTERNAL.format(type(exc).__name__), 500)
        return await start(token, job, lambda j: work(saved, token, j))

    def _score(saved, token: str, job: Job):
        """An indicator workbook and a data workbook (or a 自评表 alone); or, without an indicator workbook, one or more
        自评表 reviewed as `score run 文件夹` does."""
        from ..commands.forms import run_forms
        from ..commands.run import STAGES, run

        ind, data = indicator_path(saved), saved.get("data") or []
        out = job.folder / "评分结果.xlsx"
        progress = job.progress
        if ind is None and not data:
            raise InputError("请选择指标体系工作簿（或内置指标体系）和基础数据工作簿；复核自评表时只选自评表")
        if ind is None:
            def on_form(done: int, count: int, label: str):
                progress.set(done / count if count else 1.0,
                             f"已复核 {done}/{count} 个自评表" + (f"，正在复核 {label}" if done < count else f"，{label}"))

            outcome = run_forms(data, out, force=True, on_form=on_form)
            job.files["评分结果.xlsx"], job.forms = out, outcome.forms
            header, rows = views.form_rows(outcome)
            return render("forms.html", token=token, outcome=outcome, header=header, rows=rows)
        if len(data) > 1:
            raise InputError("一次只能给一个基础数据工作簿（多个单位请放在同一个工作簿中）；几个自评表一起复核时，不要选指标体系")

        def on_stage(name: str):
            step = STAGES.index(name) if name in STAGES else 0
            progress.set(step / len(STAGES), f"第 {step + 1}/{len(STAGES)} 步：{name}")

        outcome = run(ind, data[0] if data else None, out, force=True, on_stage=on_stage)
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
            raise InputError("请选择指标体系工作簿（或内置指标体系）")
        job.progress.set(0.0, "正在读取并检查指标体系")
        report = check(ind, (saved.get("data") or [None])[0])
        tree = views.indicator_rows(report.system) if report.system is not None else []
        return render("check.html", report=report, tree=tree, system=report.system)

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
        """(job, results) the request names: a run's, or the `form`-th 自评表's; (None, None) when gone."""
        job = jobs.get(request.path_params["token"])
        if job is None:
            return None, None
        form = request.query_params.get("form", request.path_params.get("form"))
        if form is None or form == "":
            return job, job.results
        index = int(form) if str(form).isdigit() else -1
        return job, job.forms[index].results if 0 <= index < len(job.forms) else None

    async def form_view(request: Request):
        job, results = results_of(request)
        if results is None:
            return error(EXPIRED if job is None else "没有这个自评表的评分结果", 404)
        body, status = result_page(request.path_params["token"], results, form=int(request.path_params["form"]))
        return HTMLResponse(body, status_code=status)

    def chosen_unit(request: Request):
        """(job, results, unit index) the request names, or the error page to answer with."""
        job, results = results_of(request)
        if results is None:
            return error(EXPIRED, 404)
        try:
            unit = int(request.query_params.get("unit", "0"))
        except ValueError:
            unit = -1
        if not 0 <= unit < len(results.units):
            return error("没有这个单位", 404)
        return job, results, unit

    async def explain_view(request: Request):
        chosen = chosen_unit(request)
        if isinstance(chosen, HTMLResponse):
            return chosen
        from ..commands.explain import explain

        _, results, unit = chosen
        try:
            text = await run_in_threadpool(explain, results.system, [results.units[unit].unit],
                                           request.query_params.get("indicator", ""))
        except (InputError, ScoreError) as exc:
            return error(str(exc))
        return page("explain.html", text=text)

    async def report_view(request: Request):
        """One unit's 自评报告 (.docx), written once and kept with the job."""
        chosen = chosen_unit(request)
        if isinstance(chosen, HTMLResponse):
            return chosen
        from ..write.report import write_report
        from ..write.safety import atomic_save

        job, results, unit = chosen
        name = f"{_safe(results.units[unit].unit.name)}_自评报告.docx"
        path = job.folder / f"report-{request.query_params.get('form', '')}-{unit}" / name
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            await run_in_threadpool(atomic_save, lambda target: write_report(results, results.units[unit], target), path)
        return FileResponse(path, filename=name)

    async def reports_view(request: Request):
        """Every unit's 自评报告 in one zip, as a job with its progress."""
        _, results = results_of(request)
        if results is None:
            return error(EXPIRED, 404)
        if len(results.units) > MAX_REPORTS:
            return error(f"有 {len(results.units)} 个单位，网页一次最多生成 {MAX_REPORTS} 份自评报告；"
                         f"更多单位请用命令 score report 指标体系 基础数据 -o 文件夹")
        token, job = jobs.new()

        def work(job: Job):
            from ..write.excel import sheet_title
            from ..write.report import write_report

            units, taken = results.units, set()
            name = "自评报告.zip"
            with zipfile.ZipFile(job.folder / name, "w", zipfile.ZIP_DEFLATED) as bundle:
                for done, u in enumerate(units):
                    job.progress.set(done / len(units), f"已生成 {done}/{len(units)} 份自评报告，正在生成 {u.unit.name}")
                    path = job.folder / "report.docx"
                    write_report(results, u, path)
                    bundle.write(path, f"{sheet_title(u.unit.name, taken)}.docx")
                    path.unlink()
            job.files[name] = job.folder / name
            return render("reports.html", token=token, count=len(units), filename=name)

        return await start(token, job, work)

    async def download(request: Request):
        job = jobs.get(request.path_params["token"])
        name = request.path_params["name"]
        if job is None or name not in job.files:
            return error(f"下载已过期（保留 {RESULT_TTL_SECONDS // 3600} 小时），请重新上传评分", 404)
        return FileResponse(job.files[name], filename=name)

    routes = [
        Route("/", index), Route("/run", run_view, methods=["POST"]), Route("/check", check_view, methods=["POST"]),
        Route("/draft", draft_view, methods=["POST"]), Route("/job/{token}", job_view),
        Route("/job/{token}/status", status_view), Route("/job/{token}/form/{form:int}", form_view),
        Route("/explain/{token}", explain_view), Route("/report/{token}", report_view),
        Route("/reports/{token}", reports_view, methods=["POST"]), Route("/download/{token}/{name}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request, exc):
        return error("没有这个页面", 404)

    async def server_error(request, exc):
        return error(INTERNAL.format(type(exc).__name__), 500)

    app = Starlette(routes=routes, exception_handlers={404: not_found, 500: server_error})
    app.state.jobs = jobs
    return app


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name)[:60] or "单位"


LOOPBACK = "127.0.0.1"


def bind_address(host: str | None) -> tuple[str, str | None]:
    """(address to bind, a warning to show): loopback unless `host` is given explicitly; a non-loopback address is
    bound only then, and said."""
    import ipaddress

    if not host:
        return LOOPBACK, None
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        raise InputError(f"--host “{host}”不是 IP 地址：本机用 127.0.0.1，局域网共享用本机的 IP 或 0.0.0.0") from None
    if loopback:
        return host, None
    return host, (f"注意：网页监听在 {host}，局域网内的其他电脑也能打开它并上传文件（只在本机处理、处理完删除）；"
                  f"只给自己用时去掉 --host")


def check_port(address: str, port: int) -> None:
    """InputError in Chinese when the port cannot be bound (already in use: perhaps the page is already running)."""
    import socket

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            raise InputError(f"端口 {port} 已被占用：评分网页可能已经开着（直接在浏览器打开 http://127.0.0.1:{port}/ ），"
                             f"或用 --port 换一个端口，如 score serve --port {port + 1}") from None
