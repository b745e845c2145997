"""The `score` command: parses arguments, calls the library, renders. No scoring logic here."""

from __future__ import annotations

import gc
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .commands.run import STAGES, run, split_sheet
from .errors import InputError, Refusal, ScoreError, user_message
from .read import Book
from .write.safety import same_file
from .write.text import ranking_table, to_csv, to_json, unit_table

# The other commands' modules are imported inside their command functions: `score run`, the command
# run most, starts without them (start-up time is a product figure, see bench/README.md).

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="评分引擎：按 Excel 指标体系为单位评分，并把评分表写回 Excel。\n\n"
    "Scoring engine: scores units against an indicator system kept in Excel.",
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class CheckFormat(str, Enum):  # a check report is a list of problems: no CSV form
    table = "table"
    json = "json"


class SheetsMode(str, Enum):
    auto = "auto"
    all = "all"


# Characters a legacy console code page (GBK on Chinese Windows) may lack, in plain form.
PLAIN_TEXT = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ",
                            "\u200b": "", "\ufeff": "", "\u2009": " "})


def printable(text: str, stream) -> str:
    """`text` as `stream`'s encoding can show it: plain stand-ins first, then '?' for the rest."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        plain = text.translate(PLAIN_TEXT)
        try:
            return plain.encode(encoding, "replace").decode(encoding)
        except LookupError:
            return plain


def _out(message: str, nl: bool = True) -> None:
    typer.echo(printable(message, sys.stdout), nl=nl)


def _err(message: str) -> None:
    typer.echo(printable(message, sys.stderr), err=True)


@app.command("run", help="评分并把评分表写回基础数据工作簿。 Score units and write the results into Excel.")
def run_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿；或自评表、存放自评表的文件夹 / indicator workbook, 自评表 or folder"),
    data: Optional[Path] = typer.Argument(None, help="基础数据工作簿；评自评表时不用给 / data workbook (none for a 自评表)"),
    more: Optional[list[Path]] = typer.Argument(None, help="更多自评表或文件夹，一并汇总 / more 自评表 or folders"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写到新工作簿，不改动基础数据 / write to a new workbook"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据（或指标体系）工作表名 / data (or indicator) sheet"),
    fmt: Format = typer.Option(Format.table, "--format", help="终端输出格式 / output format: table, json, csv"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只评分，不写文件 / write nothing"),
    sheets: SheetsMode = typer.Option(SheetsMode.auto, "--sheets", help="auto：最多 20 个单位的评分表；all：全部 / per-unit sheets"),
    force: bool = typer.Option(False, "--force", help="-o 指向已有的其他工作簿时也覆盖它 / overwrite an existing -o file"),
    strict: bool = typer.Option(False, "--strict", help="疑似漏了 % 的比率（如满意度填 85）作为错误，不只是警告 / implausible rates are errors"),
):
    if dry_run and (output is not None or force or sheets == SheetsMode.all):
        given = [o for o, on in (("-o", output is not None), ("--force", force), ("--sheets all", sheets == SheetsMode.all)) if on]
        raise InputError(f"--dry-run 不写任何文件，不能和 {'、'.join(given)} 同时使用：去掉其中一个")
    if force and output is None:
        raise InputError("--force 只用于 -o（覆盖已有的输出工作簿）；写回基础数据时不需要它：去掉 --force，或加 -o 输出文件")
    from .commands.forms import is_batch

    given = [indicators, *([data] if data is not None else []), *(more or [])]
    first = Book(indicators, "指标体系") if len(given) == 2 and not indicators.is_dir() else None  # parsed once
    if is_batch(given, first):
        if sheet is not None:
            raise InputError("--sheet 不能用于多个自评表（每个自评表的工作表自动识别）：去掉 --sheet")
        return _run_forms(given, output, fmt, dry_run, sheets == SheetsMode.all, force, strict)
    written_into = data if data is not None else indicators  # a 自评表 is its own data workbook
    progress = _Progress(enabled=_wants_progress(fmt, written_into))
    try:
        outcome = run(first or indicators, data, output, sheet, dry_run, sheets == SheetsMode.all, force=force,
                      on_stage=progress.stage, strict=strict)
    finally:
        progress.stop()
    if os.environ.get("SCORE_PROFILE"):
        for name, seconds in outcome.stage_seconds:
            _err(f"阶段 {name} {seconds:.3f} 秒")
    results = outcome.results
    for warning in outcome.warnings:
        _err(f"警告：{warning}")

    if fmt == Format.json:
        _out(to_json(results))
    elif fmt == Format.csv:
        _out(to_csv(results), nl=False)
    elif len(results.units) == 1:
        _out(unit_table(results, results.units[0]))
    else:
        _out(ranking_table(results))
    single = len(results.units) == 1
    shown = 0
    flagged = [u for u in results.units if u.warnings]
    for u in flagged:
        for warning in u.warnings:
            if shown < UNIT_WARNINGS_SHOWN:
                _err(f"警告：{warning}" if single else f"警告：{u.unit.name}：{warning}")
            shown += 1
    if shown > UNIT_WARNINGS_SHOWN:
        _err(f"……共 {shown} 条警告（{len(flagged)} 个单位），其余见“评分汇总”的说明列")
    if flagged:
        _err("请核对上面的数值；确认无误可忽略，用 --strict 可把它们作为错误")
    for u in results.units:
        for finding in u.findings:
            _err(f"审核：{finding.cell} {finding.message}" if single else f"审核：{u.unit.name}：{finding.cell} {finding.message}")
    for u in results.units:
        for error in u.errors:
            _err(f"错误：{u.unit.name}：{error}")
    if outcome.written is not None:
        where = "写回" if same_file(outcome.written, written_into) else "写入新工作簿"
        _err(f"评分结果已{where}：{outcome.written}")
        for line in outcome.sheet_changes.lines() if outcome.sheet_changes else ():
            _err(f"　{line}")
        if written_into.suffix.lower() == ".xls" and output is None:
            _err("（.xls 工作簿不能写回，结果另存为上面的 .xlsx 文件）")
    elif dry_run:
        _err("--dry-run：未写任何文件")
    if results.has_errors:
        bad = sum(1 for u in results.units if u.errors)
        _err(f"{bad} 个单位有错误（其余单位已正常评分）" if len(results.units) > 1 else "该单位有错误，见上面的说明")
        raise typer.Exit(1)


def _run_forms(paths, output, fmt, dry_run, all_sheets, force, strict):
    """`score run 目录/`: every 自评表 scored and gathered into one workbook; the forms are never written."""
    from .commands.forms import run_forms
    from .write.text import forms_csv, forms_json, forms_table

    progress = _FormProgress(enabled=fmt != Format.json and sys.stderr.isatty())
    try:
        outcome = run_forms(paths, output, dry_run, all_sheets, force=force, strict=strict, on_form=progress.step)
    finally:
        progress.stop()
    if fmt == Format.json:
        _out(forms_json(outcome))
    elif fmt == Format.csv:
        _out(forms_csv(outcome), nl=False)
    else:
        _out(forms_table(outcome))
    for label, why in outcome.skipped:
        _err(f"跳过：{label}（{why}）")
    shown = 0
    for form in outcome.scored:
        for finding in form.results.units[0].findings if form.results.units else []:
            if shown < FINDINGS_SHOWN:
                _err(f"审核：{form.label}：{finding.cell} {finding.message}")
            shown += 1
    if shown > FINDINGS_SHOWN:
        _err(f"……共 {shown} 条审核意见，其余见“审核意见”表")
    for form in outcome.scored:
        for error in form.results.units[0].errors if form.results.units else []:
            _err(f"错误：{form.label}：{error}")
    for form in outcome.failed:
        _err(f"无法评分：{form.label}：{form.problem}")
    if outcome.written is not None:
        _err(f"{len(outcome.scored)} 个自评表已评分，汇总写入：{outcome.written}（各自评表未改动）")
    elif dry_run:
        _err("--dry-run：未写任何文件")
    if outcome.has_errors:
        _err(f"{len(outcome.failed)} 个文件无法评分，"
             f"{sum(1 for f in outcome.scored if f.results.has_errors)} 个自评表有错误（其余已正常评分）")
        raise typer.Exit(1)


FINDINGS_SHOWN = 100  # 审核意见 lines printed for a batch; all of them are in the 审核意见 sheet


class _FormProgress:
    """Progress over a batch of 自评表: one step per file, on stderr, only on a terminal."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("评分"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("", total=None)
            self.bar.start()

    def step(self, done: int, count: int, label: str):
        if self.bar is not None:
            self.bar.update(self.task, total=count, completed=done, description=label)

    def stop(self):
        if self.bar is not None:
            self.bar.stop()


UNIT_WARNINGS_SHOWN = 50  # per-unit warnings printed; all of them are in 评分汇总

PROGRESS_MIN_BYTES = 2_000_000  # a data workbook this large takes seconds: show progress


class _Progress:
    """A progress bar over the run's stages, on stderr, only when asked for."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("评分", total=len(STAGES))
            self.bar.start()

    def stage(self, name: str):
        if self.bar is not None:
            self.bar.update(self.task, description=name, completed=STAGES.index(name) if name in STAGES else 0)

    def stop(self):
        if self.bar is not None:
            self.bar.stop()


def _wants_progress(fmt, data: Path) -> bool:
    """A progress bar only for large workbooks, only on a terminal, never with --format json."""
    try:
        return fmt != Format.json and sys.stderr.isatty() and data.stat().st_size >= PROGRESS_MIN_BYTES
    except OSError:
        return False


@app.command("check", help="检查指标体系（和基础数据），列出所有问题，不写文件。 Check the system (and data); writes nothing.")
def check_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    data: Optional[Path] = typer.Argument(None, help="基础数据工作簿（可选） / data workbook (optional)"),
    strict: bool = typer.Option(False, "--strict", help="警告也算错误 / warnings count as errors"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据（或指标体系）工作表名 / sheet name"),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", help="输出格式 / output format: table, json"),
):
    from .commands.check import check
    from .write.text import check_text

    ind_book = Book(indicators, "指标体系")
    data_book = Book(data, "基础数据") if data is not None else None
    ind_sheet, data_sheet = split_sheet(sheet, ind_book, data_book) if data_book is not None else (sheet, None)
    report = check(ind_book, data_book, ind_sheet, data_sheet)
    if fmt == CheckFormat.json:
        _out(json.dumps({**report.to_dict(), "ok": not report.failed(strict)}, ensure_ascii=False, indent=1))
    else:
        _out(check_text(report))
    if report.failed(strict):
        raise typer.Exit(1)


@app.command("explain", help="说明一个指标的得分是怎样算出来的。 Explain how one indicator's score came about.")
def explain_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    data: Path = typer.Argument(..., help="基础数据工作簿 / data workbook"),
    indicator: str = typer.Argument(..., help="指标名称、路径（过程/预算执行/预算执行率）或编号 / name, path or code"),
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称（多单位时） / unit name"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据（或指标体系）工作表名 / sheet name"),
):
    from .commands.explain import explain
    from .read import read_data, read_indicator_system

    ind_book, data_book = Book(indicators, "指标体系"), Book(data, "基础数据")
    ind_sheet, data_sheet = split_sheet(sheet, ind_book, data_book)
    system = read_indicator_system(ind_book, ind_sheet)
    dataset = read_data(data_book, data_sheet)
    _out(explain(system, dataset.units, indicator, unit))


class Layout(str, Enum):
    kv = "kv"
    wide = "wide"


@app.command("template", help="生成本指标体系的基础数据填报表。 Write a data-entry workbook for this system.")
def template_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    output: Path = typer.Option(..., "-o", "--output", help="要生成的填报表 / workbook to write (.xlsx)"),
    units: int = typer.Option(1, "--units", min=1, max=100000, help="单位个数（宽表的空行数） / number of units"),
    layout: Optional[Layout] = typer.Option(None, "--layout", help="kv：名称|数值（一个单位）；wide：每行一个单位"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="指标体系工作表名 / indicator sheet"),
    force: bool = typer.Option(False, "--force", help="-o 指向已有文件时也覆盖它 / overwrite an existing file"),
):
    from .commands.template import write_template

    chosen = write_template(indicators, output, layout.value if layout else None, units, sheet, force=force)
    _err(f"已生成填报表：{output}（{'每行一个单位，' + str(units) + ' 行' if chosen == 'wide' else '名称|数值'}）")


@app.command("draft", help="由评分标准起草公式，写到新工作簿待核对。 Draft formulas from criteria text.")
def draft_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="起草结果（默认：原名_起草.xlsx） / drafted copy"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="指标体系工作表名 / indicator sheet"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示起草结果，不写文件 / write nothing"),
    force: bool = typer.Option(False, "--force", help="-o 指向已有文件时也覆盖它 / overwrite an existing file"),
):
    from .commands.draft import draft
    from .write.text import draft_table

    if dry_run and (output is not None or force):
        raise InputError("--dry-run 不写任何文件，不能和 -o、--force 同时使用：去掉其中一个")
    outcome = draft(indicators, output, sheet, force=force, dry_run=dry_run)
    _out(draft_table(outcome))
    if outcome.written is not None:
        where = f"{outcome.sheet_name} 第 {outcome.formula_col} 列（评分公式{'，新加的列' if outcome.added_column else ''}）"
        _err(f"起草结果已写入新工作簿：{outcome.written}（{where}；起草的格标黄并附批注，核对后删除批注；原工作簿未改动）")


@app.command("report", help="为每个单位起草 Word 绩效自评报告。 Draft a Word self-evaluation report per unit.")
def report_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    data: Path = typer.Argument(..., help="基础数据工作簿 / data workbook"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="报告 .docx（一个单位）或文件夹（多个单位） / .docx or folder"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据工作表名 / data sheet"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的报告 / overwrite existing reports"),
):
    from .commands.report import report

    outcome = report(indicators, data, output, sheet, force=force)
    for path in outcome.written:
        _err(f"已写出报告草稿：{path}（【待填写】处请补充）")
    if outcome.results.has_errors:
        _err("有单位评分出错，报告中相应处写明“错误”，请先用 score check 核对")
        raise typer.Exit(1)


@app.command("diff", help="比较两个版本的指标体系，以及对各单位得分的影响。 Compare two versions of a system.")
def diff_command(
    old: Path = typer.Argument(..., help="旧指标体系工作簿 / the old system"),
    new: Path = typer.Argument(..., help="新指标体系工作簿 / the new system"),
    data: Optional[Path] = typer.Argument(None, help="基础数据工作簿：看各单位得分怎样变化 / data workbook"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写出“变更”“影响”两张表 / write 变更 and 影响"),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", help="终端输出格式 / output format: table, json"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据工作表名 / data sheet"),
    force: bool = typer.Option(False, "--force", help="-o 指向已有的其他工作簿时也覆盖它 / overwrite an existing -o file"),
):
    from .commands.diff import diff
    from .write.text import diff_json, diff_text

    outcome = diff(old, new, data, output, sheet, force=force)
    _out(diff_json(outcome) if fmt == CheckFormat.json else diff_text(outcome))
    if outcome.written is not None:
        _err(f"对比结果已写入：{outcome.written}")


@app.command("sensitivity", help="分值在一定范围内变动时，各单位排名和等级的稳健程度。 Rank robustness to the weights.")
def sensitivity_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook"),
    data: Path = typer.Argument(..., help="基础数据工作簿 / data workbook"),
    spread: str = typer.Option("20%", "--range", help="分值变动范围（±），如 20% / relative range of the points"),
    samples: int = typer.Option(1000, "--samples", help="随机抽样次数 / number of samples"),
    seed: Optional[int] = typer.Option(None, "--seed", help="随机种子：同一种子结果相同 / random seed"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写出“排名稳健性”“敏感度”两张表 / workbook to write"),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", help="终端输出格式 / output format: table, json"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据工作表名 / data sheet"),
    force: bool = typer.Option(False, "--force", help="-o 指向已有的其他工作簿时也覆盖它 / overwrite an existing -o file"),
):
    from .commands.sensitivity import parse_range, run_sensitivity
    from .write.text import sensitivity_json, sensitivity_text

    outcome, written = run_sensitivity(indicators, data, parse_range(spread), samples, seed, output, sheet, force=force)
    _out(sensitivity_json(outcome, written) if fmt == CheckFormat.json else sensitivity_text(outcome))
    if written is not None:
        _err(f"结果已写入：{written}")


@app.command("serve", help="在本机打开评分网页（不用命令行）。 Serve a local web page.")
def serve_command(
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="端口 / port"),
    host: Optional[str] = typer.Option(None, "--host", help="监听地址，默认只有本机（127.0.0.1） / address to bind"),
    open_page: bool = typer.Option(False, "--open", help="启动后用浏览器打开 / open the page in a browser"),
    max_upload: int = typer.Option(50, "--max-upload", min=1, max=2048, help="一次上传的上限（MB） / upload limit, MB"),
):
    import threading
    import webbrowser

    import uvicorn

    from .web.app import create_app

    address, warning = bind_address(host)
    check_port(address, port)
    if warning:
        _err(warning)
    url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{port}/"
    _err(f"评分网页：{url}（按 Ctrl+C 停止）")
    if open_page:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(create_app(max_upload * 1024 * 1024, host=address), host=address, port=port, log_level="warning")


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
    return host, (f"注意：网页监听在 {host}，同一网络中的其他电脑都能打开这个评分网页：上传工作簿、用内置指标体系评分，"
                  f"并查看和下载他们自己这次的评分结果（别人的结果要知道随机生成的地址才能看到）。文件只在本机处理，"
                  f"处理完即删除；本机的其他文件不会被读取或改动。只给自己用时请去掉 --host")


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


@app.command("sets", help="列出内置的指标体系。 List the shipped indicator systems.")
def sets_command():
    from .commands.sets import list_sets

    _out(list_sets())


def _kind(exc: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


HELP_FLAGS = ("-h", "--help")


def _answer_without_running(args: list[str]) -> str | None:
    """Help and version, in Chinese, without starting a command: bare `score`, `-h`/`--help` anywhere,
    `--version`."""
    before_separator = args[:args.index("--")] if "--" in args else args
    if not args:
        from .clihelp import command_help

        return command_help(typer.main.get_command(app), None)
    if args[0] in ("--version", "-V"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"score {version('score')}\n"
        except PackageNotFoundError:
            return "score（未安装的开发版本）\n"
    if any(a in HELP_FLAGS for a in before_separator):
        from .clihelp import command_help

        group = typer.main.get_command(app)
        name = next((a for a in before_separator if not a.startswith("-")), None)
        return command_help(group, name if name in group.commands else None)
    return None


# How this command line gives what a library message is about (InputError.option) and its own ways out of a refused
# write (WriteRefused.kind): the library's messages name no flag.
FLAGS = {"output": "-o", "spread": "--range", "samples": "--samples", "seed": "--seed", "unit": "--unit",
         "layout": "--layout"}
REFUSAL_HINTS = {Refusal.EXISTS: "，或加 --force 覆盖它", Refusal.ELSEWHERE: "，或用 -o 写到别处"}


def cli_message(exc: ScoreError) -> str:
    """A library error as this command line says it: the message, its way out with a flag, the flag it is about."""
    if not isinstance(exc, InputError):
        return user_message(exc)
    hint = REFUSAL_HINTS.get(getattr(exc, "kind", None), "")
    flag = FLAGS.get(exc.option or "")
    return exc.text(hint + (f"（{flag}）" if flag else ""))


def main(argv=None) -> int:
    """Entry point: every failure becomes a Chinese message and an exit status, never a traceback."""
    for stream in (sys.stdout, sys.stderr):  # a code page that lacks a character never stops the run
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    args = list(sys.argv[1:] if argv is None else argv)
    answer = _answer_without_running(args)
    if answer is not None:
        _out(answer, nl=False)
        return 0
    try:
        result = app(args=args, standalone_mode=False, prog_name="score")
    except ScoreError as exc:
        _err(f"错误：{cli_message(exc)}")
        return 2
    except KeyboardInterrupt:
        _err("已中止")
        return 2
    except Exception as exc:  # never a traceback for a finance user
        kinds = _kind(exc)
        if "Exit" in kinds:
            return getattr(exc, "exit_code", 0)
        if "Abort" in kinds:
            _err("已中止")
            return 2
        if "UsageError" in kinds:
            from .clihelp import usage_message

            _err(f"用法错误：{usage_message(exc, kinds)}")
            return 2
        _err(f"错误：程序内部错误（{type(exc).__name__}: {exc}）。输入文件未被改动；请把此信息和工作簿发给维护人员")
        return 2
    return result if isinstance(result, int) else 0


def entry() -> None:
    """The `score` process. A command-line run is short: the cycle collector stays off (it would re-scan a
    100,000-unit run's millions of objects for nothing), and the process ends without tearing them down one
    by one once its output is flushed and its files are closed."""
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
