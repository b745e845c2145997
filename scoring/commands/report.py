"""`score report 指标体系.xlsx 基础数据.xlsx [-o 报告.docx | -o 目录/]`: a Word 绩效自评报告 draft per unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine import score
from ..errors import InputError
from ..model import Results
from ..read import Book, read_data, read_indicator_system
from ..write.excel import sheet_title
from ..write.report import write_report
from ..write.safety import atomic_save, check_writable, refuse_onto_inputs


@dataclass
class ReportOutcome:
    results: Results
    written: list[Path] = field(default_factory=list)


def default_output(data: Path, many: bool) -> Path:
    return data.with_name(f"{data.stem}_自评报告" + ("" if many else ".docx"))


def report(indicators, data, output=None, sheet: str | None = None, force: bool = False) -> ReportOutcome:
    """Score the units of `data` and write one report per unit: into `output` (.docx) for one unit, into the folder
    `output` for several (one <单位名称>.docx each). Existing reports are replaced only with `force`."""
    ind_book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    data_book = data if isinstance(data, Book) else Book(data, "基础数据")
    system = read_indicator_system(ind_book)
    results = score(system, read_data(data_book, sheet))
    units = [u for u in results.units]
    many = len(units) > 1
    output = Path(output) if output is not None else default_output(data_book.path, many)
    if output.suffix and output.suffix.lower() != ".docx" and not output.is_dir():
        raise InputError(f"报告应写为 .docx（Word 文档），或给一个文件夹，现为“{output.name}”")
    if many or output.suffix.lower() != ".docx":
        if output.suffix.lower() == ".docx":
            raise InputError(f"有 {len(units)} 个单位，每个单位一份报告：-o 请给一个文件夹，不是“{output.name}”")
        output.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        targets = [output / f"{sheet_title(u.unit.name, taken)}.docx" for u in units]
    else:
        targets = [output]
    for target in targets:
        refuse_onto_inputs(target, [ind_book.path, data_book.path])
        check_writable(target, in_place=False)
        if target.exists() and not force:
            raise InputError(f"“{target.name}”已存在（可能已经改写过），没有覆盖：请换一个输出位置，或加 --force 覆盖")
    outcome = ReportOutcome(results)
    for unit_result, target in zip(units, targets):
        atomic_save(lambda path, u=unit_result: write_report(results, u, path), target)
        outcome.written.append(target)
    return outcome
