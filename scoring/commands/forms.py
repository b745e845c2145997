"""`score run 目录/` (or several 自评表 files): every 项目支出绩效自评表 scored as one project, audited, and gathered
into one workbook — 评分汇总, 审核意见 with file and cell, a 评分表 per project. A form that cannot be read is listed
with its reason; the others are scored. The forms themselves are never written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..audit import SELF_EVALUATION_COLUMNS, SelfEvaluationRow, audit, self_evaluation_row
from ..engine import competition_ranks, score
from ..errors import InputError
from ..model import Results
from ..read import Book, form_dataset, read_indicator_system
from ..read.workbook import EXCEL_SUFFIXES
from .swapped import data_not_form
from ..write.forms import FormSummary, write_forms
from ..write.package import is_previous_result
from ..write.safety import guard_output

NOT_A_FORM = ("不是项目支出绩效自评表：工作表“{sheet}”中没有“实际完成值”列，表头上方也没有“项目资金”的全年预算数、全年执行数；"
              "如果它是自评表，请检查表头文字")
LOCK_PREFIXES = ("~$", ".")  # Office lock files (~$自评表.xlsx), hidden and temporary files (.~lock…, .~score-…)
DEFAULT_OUTPUT_NAME = "自评表评分汇总.xlsx"
FORM_COLUMNS = ("文件", "项目", *SELF_EVALUATION_COLUMNS)  # a batch's summary row: the file, then the 自评 row


@dataclass
class FormOutcome:
    """One file of the batch: its results, or why it could not be scored."""

    path: Path
    label: str  # the file as shown: relative to the folder given, else its name
    results: Results | None = None
    problem: str | None = None


@dataclass
class FormsOutcome:
    forms: list[FormOutcome]
    written: Path | None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) not taken as a form

    @property
    def scored(self) -> list[FormOutcome]:
        return [f for f in self.forms if f.results is not None]

    @property
    def failed(self) -> list[FormOutcome]:
        return [f for f in self.forms if f.results is None]

    @property
    def has_errors(self) -> bool:
        return bool(self.failed) or any(f.results.has_errors for f in self.scored)


def form_row(form: FormOutcome) -> SelfEvaluationRow | None:
    """The file's 自评 summary row (``audit.self_evaluation_row``, as in 评分汇总); None when it could not be scored."""
    if form.results is None or not form.results.units:
        return None
    return self_evaluation_row(form.results, form.results.units[0])


def is_form(source) -> bool:
    """Whether `source` (a path or an opened ``Book``) reads as a 自评表; used to tell `score run 自评表1 自评表2` from
    `score run 指标体系 基础数据`. Given the ``Book`` the run goes on with, the workbook is parsed once."""
    try:
        return read_indicator_system(source if isinstance(source, Book) else Book(source, "自评表")).form is not None
    except InputError:
        return False


def is_batch(paths: list, first: Book | None = None, system_given: bool = False) -> bool:
    """The one rule of `score run` and the web page's 评分: several 自评表 rather than an indicator workbook and a data
    workbook (or one 自评表 alone) — a folder, more than two files, or two files that are both forms (`first`: the
    first file, already opened). `system_given`: the caller knows the first file is an indicator workbook (the page's
    指标体系 field): never a batch, and only one data workbook may follow."""
    paths = [Path(p) for p in paths]
    if system_given:
        if len(paths) > 2 or any(p.is_dir() for p in paths):
            raise InputError("一次只能给一个基础数据工作簿（多个单位请放在同一个工作簿中）；几个自评表一起复核时，不要选指标体系")
        return False
    if any(p.is_dir() for p in paths) or len(paths) > 2:
        return True
    return len(paths) == 2 and is_form(first or paths[0]) and is_form(paths[1])


def collect_forms(paths: list[Path], output: Path | None) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """([(file, label)], [(label, why skipped)]): the workbooks named, and those in folders named (sub-folders too,
    sorted by path); lock and hidden files, the output itself and earlier result workbooks are skipped."""
    found: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for given in (Path(p) for p in paths):
        if given.is_dir():
            inside = sorted((p for p in given.rglob("*") if p.suffix.lower() in EXCEL_SUFFIXES and p.is_file()),
                            key=lambda p: p.relative_to(given).parts)
            workbooks = [p for p in inside if not any(part.startswith(LOCK_PREFIXES) for part in p.relative_to(given).parts)]
            if not workbooks:
                raise InputError(f"文件夹“{given}”中没有 .xlsx / .xls 工作簿：请把各项目的自评表放进这个文件夹")
            found += [(p, p.relative_to(given).as_posix()) for p in workbooks]
        elif given.is_file():
            found.append((given, given.name))
        else:  # a mistyped path stops the batch before anything is written, as a missing workbook does in `run`
            raise InputError(f"找不到“{given}”：请给出自评表文件或存放自评表的文件夹")
    kept, seen = [], set()
    for path, label in found:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        if path.suffix.lower() != ".xls" and _is_result_workbook(path):  # an output that is a form stays: refused
            skipped.append((label, "是本次的输出工作簿" if output is not None and key == output.resolve()
                            else "是评分引擎写出的评分结果"))
        else:
            kept.append((path, label))
    if not kept:
        raise InputError("没有可评分的自评表：" + "；".join(f"{label}{why}" for label, why in skipped))
    return kept, skipped


def _is_result_workbook(path: Path) -> bool:
    try:
        return is_previous_result(path.read_bytes())
    except OSError:
        return False


def default_output(paths: list[Path]) -> Path:
    """Beside the folder given (<文件夹>_评分汇总.xlsx), else beside the first file."""
    first = Path(paths[0])
    if first.is_dir():
        folder = first.resolve()
        return folder.parent / f"{folder.name}_评分汇总.xlsx"
    return first.parent / DEFAULT_OUTPUT_NAME


def score_form(path: Path, strict: bool = False) -> Results:
    """One 自评表: read, score its project with the form's rules, audit its own scores. InputError when it is not a
    form or cannot be read."""
    book = Book(path, "自评表")
    system = read_indicator_system(book)
    if system.form is None:
        raise InputError(NOT_A_FORM.format(sheet=system.sheet_name))
    results = score(system, form_dataset(system), strict=strict)
    audit(results)
    return results


def run_forms(paths, output=None, dry_run: bool = False, all_sheets: bool = False, force: bool = False,
              strict: bool = False, on_form: Callable[[int, int, str], None] | None = None) -> FormsOutcome:
    """Score every 自评表 in `paths` (files and folders) and write 评分汇总 / 审核意见 / 评分表-项目 into `output`
    (default: ``default_output``). `on_form(done, count, label)` is called before each form.
    Raises InputError (WriteRefused) before anything is read when the output cannot be written."""
    paths = [Path(p) for p in paths]
    output = Path(output) if output is not None else (None if dry_run else default_output(paths))
    files, skipped = collect_forms(paths, output)
    if output is not None:
        guard_output(output, [p for p, _ in files], force, what="自评表", replaceable=is_previous_result,
                     advice=f"请换一个输出文件名，或不指定输出文件（写到 {default_output(paths).name}）", write=not dry_run)
    forms: list[FormOutcome] = []
    summary = FormSummary(all_sheets=all_sheets)
    for done, (path, label) in enumerate(files):  # the cycle collector stays on: each form's workbook is freed
        if on_form is not None:
            on_form(done, len(files), label)
        form = FormOutcome(path, label)
        try:
            form.results = score_form(path, strict)
        except InputError as exc:
            form.problem = (None if exc.problems else data_not_form(path)) or str(exc)
        forms.append(form)
        summary.add(form.label, form.results, form.problem)  # builds its 评分表 while the workbook is open
        if form.results is not None:
            form.results.system.source.release()
    _rank([f.results.units[0] for f in forms if f.results is not None and f.results.units])
    if on_form is not None:
        on_form(len(files), len(files), "写出汇总工作簿" if not dry_run else "")
    written = None
    if not dry_run:
        written = write_forms(summary, output, force=force)
    return FormsOutcome(forms, written, skipped)


def _rank(unit_results) -> None:
    """Projects ranked by their recomputed totals across the batch (1, 2, 2, 4)."""
    for unit_result, rank in zip(unit_results, competition_ranks([u.total for u in unit_results])):
        unit_result.rank = rank
