"""The `score` command: parses arguments, calls the library, renders. No scoring logic here."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="评分引擎：按 Excel 指标体系为单位评分，并把评分表写回 Excel。\n\n"
    "Scoring engine: scores units against an indicator system kept in Excel.",
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class SheetsMode(str, Enum):
    auto = "auto"
    all = "all"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@app.command("run", help="评分并把评分表写回基础数据工作簿。 Score units and write the results into Excel.")
def run_command(
    indicators: Path = typer.Argument(..., help="指标体系工作簿 / indicator workbook (.xlsx/.xlsm/.xls)"),
    data: Path = typer.Argument(..., help="基础数据工作簿 / data workbook"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写到新工作簿，不改动基础数据 / write to a new workbook"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="基础数据（或指标体系）工作表名 / data (or indicator) sheet"),
    fmt: Format = typer.Option(Format.table, "--format", help="终端输出格式 / output format: table, json, csv"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只评分，不写文件 / write nothing"),
    sheets: SheetsMode = typer.Option(SheetsMode.auto, "--sheets", help="auto：最多 20 个单位的评分表；all：全部 / per-unit sheets"),
):
    from .data import read_data
    from .engine import score
    from .errors import InputError
    from .indicators import read_indicator_system
    from .render import ranking_table, to_csv, to_json, unit_table
    from .writer import write_results

    if output is not None and (_same_file(output, data) or _same_file(output, indicators)):
        raise InputError("-o 不能指向基础数据或指标体系工作簿本身：不加 -o 即写回基础数据；要另存请换一个文件名")
    if output is not None and output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"-o 的输出文件应为 .xlsx，现为“{output.name}”")
    ind_sheet, data_sheet = _split_sheet(sheet, indicators, data)
    system = read_indicator_system(indicators, ind_sheet)
    dataset = read_data(data, data_sheet)
    results = score(system, dataset)

    for warning in system.warnings + dataset.warnings:
        _err(f"警告：{warning}")
    written = None
    if not dry_run:
        written = write_results(results, data, output, all_sheets=sheets == SheetsMode.all)

    if fmt == Format.json:
        typer.echo(to_json(results))
    elif fmt == Format.csv:
        typer.echo(to_csv(results), nl=False)
    else:
        if len(results.units) == 1:
            typer.echo(unit_table(results, results.units[0]))
        else:
            typer.echo(ranking_table(results))
    for u in results.units:
        for error in u.errors:
            _err(f"错误：{u.unit.name}：{error}")
    if written is not None:
        where = "写回" if _same_file(written, data) else "写入新工作簿"
        _err(f"评分结果已{where}：{written}")
        if data.suffix.lower() == ".xls" and output is None:
            _err("（.xls 工作簿不能写回，结果另存为上面的 .xlsx 文件）")
    elif dry_run:
        _err("--dry-run：未写任何文件")
    if results.has_errors:
        bad = sum(1 for u in results.units if u.errors)
        _err(f"{bad} 个单位有错误（其余单位已正常评分）")
        raise typer.Exit(1)


def _split_sheet(sheet, indicators: Path, data: Path):
    """--sheet names the data sheet; if only the indicator workbook has it, the indicator sheet."""
    if sheet is None:
        return None, None
    from .workbook_io import open_workbook

    try:
        data_names = open_workbook(data, "基础数据").sheetnames
    except Exception:
        return None, sheet
    if sheet in data_names:
        return None, sheet
    try:
        if sheet in open_workbook(indicators, "指标体系").sheetnames:
            return sheet, None
    except Exception:
        pass
    return None, sheet


@app.command("sets", help="列出内置的指标体系。 List the shipped indicator systems.")
def sets_command():
    from .catalog import list_sets

    typer.echo(list_sets())


_USAGE_MESSAGES = {  # click's exception classes (typer vendors click), matched by name
    "MissingParameter": "缺少参数",
    "NoSuchOption": "没有这个选项",
    "BadParameter": "参数值无效",
    "BadOptionUsage": "选项用法不对",
    "BadArgumentUsage": "参数用法不对",
}


def _kind(exc: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


def main(argv=None) -> int:
    """Entry point: every failure becomes a Chinese message and an exit status, never a traceback."""
    from .errors import InputError

    try:
        result = app(args=argv, standalone_mode=False, prog_name="score")
    except InputError as exc:
        _err(f"错误：{exc}")
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
            label = next((_USAGE_MESSAGES[k] for k in kinds if k in _USAGE_MESSAGES), "用法错误")
            detail = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            _err(f"用法错误：{label}（{detail}）。用 score --help 查看用法")
            return 2
        _err(f"错误：程序内部错误（{type(exc).__name__}: {exc}）。输入文件未被改动；请把此信息和工作簿发给维护人员")
        return 2
    return result if isinstance(result, int) else 0


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
