"""Two workbooks given the wrong way round: the one given as the indicator workbook has no indicator table but holds
units' figures, and the one given as the data workbook has an indicator table. Said as a question naming both files,
for `run` and `check` alike (the command line and the web page), instead of asking to rename headers."""

from __future__ import annotations

from ..errors import InputError
from ..read import Book, load_indicator_system, read_data


def read_indicators(read, indicators: Book, data: Book | None):
    """`read()` (the reading of `indicators`); when it finds no indicator table and the two files look swapped, the
    InputError says so."""
    try:
        return read()
    except InputError as exc:
        if exc.problems:  # a table was read, with problems of its own
            raise
        message = swapped_message(indicators, data)
        if message is None:
            raise
        raise InputError(message) from exc


def swapped_message(indicators: Book, data: Book | None) -> str | None:
    """The question to ask when `indicators` (which has no indicator table) holds units' figures and `data` holds an
    indicator table; None when they do not look swapped."""
    if data is None or data is indicators:
        return None
    units = units_held(indicators)
    if units is None:
        return None
    try:
        system, _ = load_indicator_system(data)
    except InputError:
        return None
    if not system.roots:
        return None
    leaves = sum(1 for _ in system.leaves())
    a, b = indicators.path.name, data.path.name
    return (f"两个文件是不是放反了？作为指标体系的“{a}”里没有指标表，却有{units}的数据，像是基础数据工作簿；"
            f"作为基础数据的“{b}”里却有指标表（工作表“{system.sheet_name}”第 {system.header_row} 行起，"
            f"{leaves} 个末级指标）。请把“{b}”作为指标体系工作簿、“{a}”作为基础数据工作簿，再试一次")


def units_held(book: Book) -> str | None:
    """The units whose figures `book` holds, as said in a message (单位“甲”, 单位“甲”等 3 个单位); None when it does not
    read as a data workbook."""
    try:
        figures = read_data(book)
    except InputError:
        return None
    if not figures.units or not any(figures.units[0].values):
        return None
    first = figures.units[0].name
    return f"单位“{first}”等 {len(figures.units)} 个单位" if len(figures.units) > 1 else f"单位“{first}”"


def data_not_form(path) -> str | None:
    """Why the workbook at `path`, given as a 自评表, is none when it holds units' figures instead; None otherwise."""
    try:
        book = Book(path, "自评表")
    except InputError:
        return None
    units = units_held(book)
    if units is None:
        return None
    return f"不是项目支出绩效自评表：“{book.path.name}”里没有指标表，却有{units}的数据，像是基础数据工作簿"
