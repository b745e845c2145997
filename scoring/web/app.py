"""The web page: choose or drop workbooks, see the indicator tree and check findings, score, explain any indicator,
download the result workbook, the 自评报告 and drafted formulas. Every request works in its own temporary folder, deleted
afterwards (results kept for download for RESULT_TTL_SECONDS); the user's own files are never written. Every error the
command line turns into a message is shown the same way, in Chinese — never a traceback or a blank page."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import InputError, ScoreError
from ..read.workbook import EXCEL_SUFFIXES

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024  # bytes, all files of one request together
RESULT_TTL_SECONDS = 3600  # a result stays downloadable this long
MAX_FILES = 200  # files in one upload


@dataclass
class Stored:
    """What one run left for later requests: its folder (deleted on expiry), files to download, the results."""

    folder: Path
    expires: float
    files: dict[str, Path] = field(default_factory=dict)  # download name → file
    results: object = None
    dataset: object = None


class Store:
    """Results by an unguessable token; expired ones and their folders removed on each access. Thread-safe: two tabs
    running at once never share a folder or a token."""

    def __init__(self):
        self.items: dict[str, Stored] = {}
        self.lock = threading.Lock()

    def new(self) -> tuple[str, Stored]:
        self.sweep()
        token = secrets.token_urlsafe(16)
        item = Stored(Path(tempfile.mkdtemp(prefix="score-web-")), time.time() + RESULT_TTL_SECONDS)
        with self.lock:
            self.items[token] = item
        return token, item

    def get(self, token: str) -> Stored | None:
        self.sweep()
        with self.lock:
            return self.items.get(token)

    def drop(self, token: str) -> None:
        with self.lock:
            item = self.items.pop(token, None)
        if item is not None:
            shutil.rmtree(item.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        with self.lock:
            expired = [t for t, item in self.items.items() if item.expires < now]
        for token in expired:
            self.drop(token)


class TooLarge(Exception):
    pass


def create_app(max_upload: int = DEFAULT_MAX_UPLOAD) -> Starlette:
    store = Store()
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(templates.get_template(template).render(max_upload_mb=max_upload // (1024 * 1024), **context),
                            status_code=status)

    def error(message: str, status: int = 400) -> HTMLResponse:
        return page("error.html", status, message=message)

    async def uploads(request: Request, folder: Path) -> dict[str, list[Path]]:
        """The form's files saved into `folder` (names kept, made safe), by field; TooLarge over the limit."""
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
                sub = folder / f"{key}-{len(saved.get(key, []))}"
                sub.mkdir()
                (sub / name).write_bytes(data)
                saved.setdefault(key, []).append(sub / name)
        saved["form"] = form
        return saved

    def too_large() -> HTMLResponse:
        return error(f"上传的文件太大：一次最多 {max_upload // (1024 * 1024)} MB。请分批上传，或只上传需要的工作簿", 413)

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

    async def index(request: Request) -> HTMLResponse:
        from ..commands.sets import describe_sets

        sets = await run_in_threadpool(describe_sets)
        return page("index.html", sets=sets)

    INTERNAL = "程序内部错误（{}）。上传的文件未被改动；请把此信息和工作簿发给维护人员"

    async def handle(request: Request, work, keep: bool) -> HTMLResponse:
        """One upload in its own folder: `work(saved, token, item)` runs in a thread; every error becomes the page the
        command line's message would be; the folder is dropped unless the result is `keep`t for downloads."""
        token, item = store.new()
        kept = False
        try:
            saved = await uploads(request, item.folder)
            response = await run_in_threadpool(work, saved, token, item)
            kept = keep
            return response
        except TooLarge:
            return too_large()
        except (InputError, ScoreError) as exc:
            return error(str(exc))
        except Exception as exc:  # never a traceback on the page
            return error(INTERNAL.format(type(exc).__name__), 500)
        finally:
            if not kept:
                store.drop(token)

    def _score(saved, token: str, item: Stored) -> HTMLResponse:
        """An indicator workbook and a data workbook (or a 自评表 alone); or, without an indicator workbook, one or more
        自评表 gathered as `score run 文件夹` does."""
        from ..commands.forms import run_forms
        from ..commands.run import run

        ind, data = indicator_path(saved), saved.get("data") or []
        out = item.folder / "评分结果.xlsx"
        if ind is None and not data:
            raise InputError("请选择指标体系工作簿（或内置指标体系）和基础数据工作簿；复核自评表时只选自评表")
        if ind is None:
            outcome = run_forms(data, out, force=True)
            item.files["评分结果.xlsx"] = out
            return page("forms.html", token=token, outcome=outcome)
        if len(data) > 1:
            raise InputError("一次只能给一个基础数据工作簿（多个单位请放在同一个工作簿中）；几个自评表一起复核时，不要选指标体系")
        outcome = run(ind, data[0] if data else None, out, force=True)
        item.files["评分结果.xlsx"] = out
        item.results, item.dataset = outcome.results, outcome.dataset
        return page("result.html", token=token, results=outcome.results, units=_tree(outcome.results),
                    warnings=outcome.warnings, bars=_bars(outcome.results))

    def _check(saved, token: str, item: Stored) -> HTMLResponse:
        from ..commands.check import check

        ind = indicator_path(saved)
        if ind is None:
            raise InputError("请选择指标体系工作簿（或内置指标体系）")
        return page("check.html", report=check(ind, (saved.get("data") or [None])[0]))

    def _draft(saved, token: str, item: Stored) -> HTMLResponse:
        from ..commands.draft import draft

        ind = indicator_path(saved)
        if ind is None:
            raise InputError("请选择要起草公式的指标体系工作簿")
        name = f"{ind.stem}_起草.xlsx"
        outcome = draft(ind, item.folder / name)
        item.files[name] = item.folder / name
        return page("draft.html", token=token, outcome=outcome, filename=name)

    async def run_view(request: Request) -> HTMLResponse:
        return await handle(request, _score, keep=True)

    async def check_view(request: Request) -> HTMLResponse:
        return await handle(request, _check, keep=False)

    async def draft_view(request: Request) -> HTMLResponse:
        return await handle(request, _draft, keep=True)

    async def explain_view(request: Request):
        item = store.get(request.path_params["token"])
        if item is None or item.results is None:
            return error("结果已过期（保留 1 小时），请重新上传评分", 404)
        from ..commands.explain import explain

        try:
            text = await run_in_threadpool(explain, item.results.system, item.dataset.units,
                                           request.query_params.get("indicator", ""),
                                           request.query_params.get("unit") or None)
        except (InputError, ScoreError) as exc:
            return error(str(exc))
        return page("explain.html", text=text, token=request.path_params["token"])

    async def report_view(request: Request):
        token = request.path_params["token"]
        item = store.get(token)
        if item is None or item.results is None:
            return error("结果已过期（保留 1 小时），请重新上传评分", 404)
        from ..write.report import write_report

        unit = int(request.query_params.get("unit", "0"))
        units = item.results.units
        if not 0 <= unit < len(units):
            return error("没有这个单位", 404)
        name = f"{units[unit].unit.name}_自评报告.docx".replace("/", "_")
        path = item.folder / name
        await run_in_threadpool(write_report, item.results, units[unit], path)
        item.files[name] = path
        return RedirectResponse(f"/download/{token}/{name}", status_code=303)

    async def download(request: Request):
        item = store.get(request.path_params["token"])
        name = request.path_params["name"]
        if item is None or name not in item.files:
            return error("下载已过期（保留 1 小时），请重新上传评分", 404)
        return FileResponse(item.files[name], filename=name)

    routes = [
        Route("/", index), Route("/run", run_view, methods=["POST"]), Route("/check", check_view, methods=["POST"]),
        Route("/draft", draft_view, methods=["POST"]), Route("/explain/{token}", explain_view),
        Route("/report/{token}", report_view), Route("/download/{token}/{name}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request, exc):
        return error("没有这个页面", 404)

    async def server_error(request, exc):
        return error(INTERNAL.format(type(exc).__name__), 500)

    app = Starlette(routes=routes, exception_handlers={404: not_found, 500: server_error})
    app.state.store = store
    return app


def _bars(results) -> dict:
    """The Excel output's charts as plain bars: 得分率 by 一级指标 for one unit, the grade distribution for several."""
    if len(results.units) == 1:
        u = results.units[0]
        rates = []
        for root in results.system.roots:
            r = u.nodes[root.id]
            if r.score is not None and r.weight:
                rates.append((root.name, round(r.score / r.weight * 100, 1)))
        return {"title": "得分率（按一级指标）", "items": rates, "unit": "%", "max": 100}
    counts = {grade: 0 for grade, _ in results.system.settings.grades}
    for u in results.units:
        if u.grade in counts:
            counts[u.grade] += 1
    return {"title": "等级分布（单位数）", "items": list(counts.items()), "unit": "",
            "max": max(counts.values()) or 1}


def _tree(results) -> list[dict]:
    """The indicator tree of every unit as rows for the page: indent, name, points, score, note, path for explain."""
    from ..model import Status
    from ..values import format_number

    units = []
    for u in results.units[:50]:
        rows = []
        for node in results.system.indicators():
            r = u.nodes[node.id]
            rows.append({"depth": node.depth, "name": node.name, "path": "/".join(node.path),
                         "weight": format_number(node.weight or 0), "note": r.note, "leaf": node.is_leaf,
                         "score": "错误" if r.status is Status.ERROR else ("—" if r.score is None else format_number(r.score))})
        units.append({"name": u.unit.name, "total": "—" if u.total is None else format_number(u.total),
                      "grade": u.grade or "—", "rank": u.rank, "rows": rows, "errors": u.errors,
                      "findings": u.findings})
    return units


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
