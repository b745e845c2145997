"""Native Excel charts on the result sheets, made with openpyxl's chart module (so they stay editable in Excel and WPS)
over cells of the sheet itself: 得分率 by 一级指标 on each 评分表, the grade distribution and the totals by unit on
评分汇总. They sit right of the printed area: on screen, not on the signed paper."""

from __future__ import annotations

from openpyxl.chart import BarChart, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.xml.functions import tostring

from .sheet import ChartPart, Sheet, column_letter
from .styles import HEADER_STYLE, CellStyle

CHART_ROWS, CHART_COLS = 16, 8  # the area a chart covers
TOTALS_CHART_MAX_UNITS = 50  # 评分汇总 charts every unit's total up to this many units
PERCENT = CellStyle(number_format="0%")


def _ref(sheet: Sheet, col: int, first: int, last: int) -> str:
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    letter = column_letter(col)
    return f"{quoted}!${letter}${first}:${letter}${last}"


def bar_chart(title: str, categories: str, values: str, series_title: str, percent: bool = False,
              horizontal: bool = True) -> bytes:
    """A clustered bar (or column) chart of one series, as chartSpace XML."""
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.legend = None
    chart.style = 10
    series = Series(values, title=series_title)
    series.cat = AxDataSource(strRef=StrRef(f=categories))
    chart.series.append(series)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    if percent:
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.y_axis.majorGridlines = None
    return tostring(chart._write())


def add_score_chart(sheet: Sheet, system, unit_result, first_col: int, top_row: int) -> None:
    """得分率 of each 一级指标 (score ÷ the 分值 that applied: 剔除 leaves out what did not) in a small table at
    `first_col`, charted beside it."""
    rows = []
    for root in system.roots:
        result = unit_result.nodes[root.id]
        if result.weight and result.score is not None:
            rows.append((root.name, result.score / float(result.weight)))
    if not rows:
        return
    sheet.set(top_row, first_col, "一级指标", HEADER_STYLE)
    sheet.set(top_row, first_col + 1, "得分率", HEADER_STYLE)
    for k, (name, rate) in enumerate(rows, start=1):
        sheet.set(top_row + k, first_col, name)
        sheet.set(top_row + k, first_col + 1, round(rate, 4), PERCENT)
    sheet.col_widths.setdefault(first_col, 16)
    last = top_row + len(rows)
    xml = bar_chart("得分率（按一级指标）", _ref(sheet, first_col, top_row + 1, last),
                    _ref(sheet, first_col + 1, top_row + 1, last), "得分率", percent=True)
    chart_col = first_col + 3
    sheet.charts.append(ChartPart(xml, (top_row, chart_col, top_row + CHART_ROWS, chart_col + CHART_COLS)))


def add_summary_charts(sheet: Sheet, results, first_col: int, header_row: int, first_unit_row: int) -> None:
    """The number of units of each grade, laid out across the header row and the row under it (the unit rows are
    streamed below; nothing else may take their rows) and charted; and every unit's total when there are at most
    TOTALS_CHART_MAX_UNITS units (straight from the 单位 and 总分/复核分 columns)."""
    grades = [g for g, _ in results.system.settings.grades]
    counts = {g: 0 for g in grades}
    for u in results.units:
        if u.grade in counts:
            counts[u.grade] += 1
    sheet.set(header_row, first_col, "等级", HEADER_STYLE)
    sheet.set(header_row + 1, first_col, "单位数", HEADER_STYLE)
    for k, grade in enumerate(grades, start=1):
        sheet.set(header_row, first_col + k, grade, HEADER_STYLE)
        sheet.set(header_row + 1, first_col + k, counts[grade])
    first, last = column_letter(first_col + 1), column_letter(first_col + len(grades))
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    chart_row = header_row + 3
    sheet.charts.append(ChartPart(
        bar_chart("等级分布", f"{quoted}!${first}${header_row}:${last}${header_row}",
                  f"{quoted}!${first}${header_row + 1}:${last}${header_row + 1}", "单位数", horizontal=False),
        (chart_row, first_col, chart_row + CHART_ROWS, first_col + CHART_COLS)))
    n = len(results.units)
    if 1 < n <= TOTALS_CHART_MAX_UNITS:
        total_col = 3 if any(u.unit.own_scores for u in results.units) else 2  # 复核分 for 自评表, else 总分
        below = chart_row + CHART_ROWS + 2
        sheet.charts.append(ChartPart(
            bar_chart("各单位总分", _ref(sheet, 1, first_unit_row, first_unit_row + n - 1),
                      _ref(sheet, total_col, first_unit_row, first_unit_row + n - 1), "总分"),
            (below, first_col, below + max(CHART_ROWS, n + 4), first_col + CHART_COLS)))
