"""`score report 指标体系.xlsx 基础数据.xlsx [-o 报告.docx | -o 目录/]`: a Word 绩效自评报告 draft per unit; also the
web page's reports (``write_unit_report``, ``write_reports`` into a zip)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import score
from ..errors import InputError, WriteRefused, os_reason
from ..model import Results
from ..read import Book, read_data, read_indicator_system
from ..write.excel import data_year, sheet_title
from ..write.report import write_report
from ..write.safety import atomic_save, check_writable, guard_output


@dataclass
class ReportOutcome:
    results: Results
    written: list[Path] = field(default_factory=list)


def default_output(data: Path, many: bool) -> Path:
    return data.with_name(f"{data.stem}_自评报告" + ("" if many else ".docx"))


def report(indicators, data, output=None, sheet: str | None = None, force: bool = False) -> ReportOutcome:
    """Score the units of `data` and write one report per unit: into `output` (.docx) for one unit, into the folder
    `output` for several (one <单位名称>.docx each; the folder is made, its parent must exist). Existing reports are
    replaced only with `force`."""
    ind_book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    data_book = data if isinstance(data, Book) else Book(data, "基础数据")
    system = read_indicator_system(ind_book)
    results = score(system, read_data(data_book, sheet))
    units = [u for u in results.units]
    many = len(units) > 1
    default = default_output(data_book.path, many)
    output = Path(output) if output is not None else default
    try:
        targets, new_folder = _targets(output, [u.unit.name for u in units])
        if new_folder:  # where the folder will be made: its parent exists and may be written
            check_writable(output, in_place=False)
        for target in targets:
            guard_output(target, [ind_book.path, data_book.path], force, suffixes=(".docx",),
                         advice=f"请换一个输出位置，或不指定输出（写到 {default.name}）", exists_why="（可能已经改写过）",
                         remedy="请换一个输出位置", write=not new_folder)
        if new_folder:
            output.mkdir()
    except OSError as exc:
        raise WriteRefused(f"不能写入“{output}”（{os_reason(exc)}）：请换一个输出位置") from None
    outcome = ReportOutcome(results)
    year = data_year(data_book)  # the year the data file names: used when neither the data nor 设置 gives one
    for unit_result, target in zip(units, targets):
        write_unit_report(results, unit_result, target, year)
        outcome.written.append(target)
    return outcome


def write_unit_report(results: Results, unit_result, target: Path, year: str = "") -> Path:
    """One unit's report at `target`, written atomically."""
    atomic_save(lambda path: write_report(results, unit_result, path, year), target)
    return target


def write_reports(results: Results, bundle: Path, on_report: Callable[[int, int, str], None] | None = None) -> Path:
    """Every unit's report in one zip `bundle`, each named as in a report folder (<单位名称>.docx);
    `on_report(done, count, unit name)` before each."""
    units, names = results.units, report_names([u.unit.name for u in results.units])
    scratch = bundle.with_name(bundle.stem + ".docx")
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (unit_result, name) in enumerate(zip(units, names)):
            if on_report is not None:
                on_report(done, len(units), unit_result.unit.name)
            write_report(results, unit_result, scratch)
            archive.write(scratch, name)
            scratch.unlink()
    return bundle


def report_names(names: list[str]) -> list[str]:
    """One file name per unit, as Excel would allow a sheet title (distinct, no forbidden characters)."""
    taken: set[str] = set()
    return [f"{sheet_title(name, taken)}.docx" for name in names]


def _targets(output: Path, names: list[str]) -> tuple[list[Path], bool]:
    """The report files: `output` itself (a .docx, one unit) or one <单位名称>.docx per unit in the folder `output`;
    and whether that folder is still to be made."""
    docx = output.suffix.lower() == ".docx"
    folder = output.is_dir()
    if not folder and output.suffix and not docx:
        raise InputError(f"报告应写为 .docx（Word 文档），或给一个文件夹，现为“{output.name}”")
    if not folder and not docx and output.exists():  # 报告: a file without a suffix, not a folder
        raise InputError(f"“{output.name}”是已有的文件，不是文件夹，也不是 Word 文档，没有写入："
                         + (f"{len(names)} 个单位的报告写到一个文件夹中，请换一个文件夹名" if len(names) > 1
                            else f"报告请写为 .docx，如 {output.name}.docx"))
    if docx and not folder:
        if len(names) > 1:
            raise InputError(f"有 {len(names)} 个单位，每个单位一份报告：输出请给一个文件夹，不是“{output.name}”", option="output")
        return [output], False
    return [output / name for name in report_names(names)], not folder
