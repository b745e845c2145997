"""`score run` as a library call: read both workbooks (each parsed once), score, write the result sheets."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..audit import audit
from ..engine import score
from ..errors import InputError
from ..model import Results
from ..read import Book, DataSet, form_dataset, read_data, read_indicator_system
from .swapped import read_indicators
from ..write.excel import SheetChanges, write_result_sheets
from ..write.package import is_previous_result
from ..write.safety import check_writable, guard_output

STAGES = ("读取指标体系", "读取数据", "评分", "写出")


@dataclass
class RunOutcome:
    results: Results
    dataset: DataSet
    written: Path | None  # the workbook written, None with dry_run
    stage_seconds: list[tuple[str, float]] = field(default_factory=list)
    sheet_changes: SheetChanges | None = None  # what the write did to the workbook's sheets

    @property
    def warnings(self) -> list[str]:
        return self.results.system.warnings + self.dataset.warnings


def split_sheet(sheet: str | None, indicators: Book, data: Book) -> tuple[str | None, str | None]:
    """--sheet names the data sheet; if only the indicator workbook has it, the indicator sheet."""
    if sheet is None:
        return None, None
    try:
        if sheet in data.sheetnames:
            return None, sheet
        if sheet in indicators.sheetnames:
            return sheet, None
    except InputError:
        pass
    return None, sheet


def run(indicators, data=None, output=None, sheet: str | None = None, dry_run: bool = False,
        all_sheets: bool = False, force: bool = False, on_stage: Callable[[str], None] | None = None,
        strict: bool = False, columns: dict | None = None) -> RunOutcome:
    """Score the units of `data` against the system in `indicators` and write 评分表 / 评分汇总 into the
    data workbook, or into `output`. Raises InputError (WriteRefused) before anything is written.
    Without `data`, `indicators` must be a 项目支出绩效自评表: system and project at once, its own scores audited
    (审核意见), the results written into it (or `output`).
    `strict`: a figure that looks like a percentage typed without % is an error, not a warning.
    `columns`: roles chosen for some columns of the indicator table (``read_indicator_system``'s `columns`)."""
    indicator_path = Path(indicators.path if isinstance(indicators, Book) else indicators)
    ind_book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    if data is None:
        data = ind_book  # a 自评表 is its own data
    data_path = Path(data.path if isinstance(data, Book) else data)
    if output is not None:  # refused before the work, not after it
        output = guard_output(output, [data_path, indicator_path], force, replaceable=is_previous_result,
                              write=not dry_run)
    data_book = data if isinstance(data, Book) else Book(data, "基础数据")
    one_workbook = data_book is ind_book
    ind_sheet, data_sheet = (sheet, None) if one_workbook else split_sheet(sheet, ind_book, data_book)
    in_place = not dry_run and output is None and not data_book.is_xls
    if in_place:  # refuse before the work, not after it; an unreadable package is said first
        data_book.check_package(for_openpyxl=False)
        check_writable(data_book.real_path, in_place=True)

    timings: list[tuple[str, float]] = []

    def stage(name, work):
        if on_stage is not None:
            on_stage(name)
        start = time.perf_counter()
        try:
            return work()
        finally:
            timings.append((name, time.perf_counter() - start))

    with collector_paused():
        system = stage(STAGES[0], lambda: read_indicators(lambda: read_indicator_system(ind_book, ind_sheet, columns),
                                                          ind_book, None if one_workbook else data_book))
        name, seconds = timings[-1]
        timings[-1:] = [(name, max(0.0, seconds - system.compile_seconds)), ("编译公式", system.compile_seconds)]
        dataset = stage(STAGES[1], lambda: form_dataset(system) if one_workbook else read_data(data_book, data_sheet))
        results = stage(STAGES[2], lambda: score(system, dataset, strict=strict))
        audit(results)
        written = changes = None
        if not dry_run:
            written, changes = stage(STAGES[3], lambda: write_result_sheets(results, data_book, output,
                                                                            all_sheets=all_sheets, force=force))
    return RunOutcome(results, dataset, written, timings, changes)


@contextmanager
def collector_paused():
    """Python's cycle collector off while a run builds its millions of long-lived objects (100,000 units:
    it re-scanned them for 2 s and found next to nothing); back on, as it was, afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
