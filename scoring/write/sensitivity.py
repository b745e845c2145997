"""The workbook of `score sensitivity`: 排名稳健性 (each unit's nominal, median and 5–95 % rank, and the chance of
keeping its grade, with a chart of the rank intervals) and 敏感度 (which indicators' weights move ranks most), each
measure explained in a line under its table."""

from __future__ import annotations

from pathlib import Path

from openpyxl.chart import BarChart, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.xml.functions import tostring

from .charts import CHART_COLS
from .excel import display_width, explained_below, titled_header
from .package import write_new_workbook
from .sheet import ChartPart, Sheet, column_letter
from .styles import GRID_STYLE, CellStyle

ROBUST_HEADER = ["单位", "总分", "等级", "现有排名", "中位排名", "最好排名（5%）", "最差排名（95%）", "排名浮动",
                 "保持等级的概率"]
INTERVAL_CHART_MAX_UNITS = 50
PERCENT = CellStyle(number_format="0%", border=GRID_STYLE.border)
SHARE = CellStyle(number_format="0.00", border=GRID_STYLE.border)
INDICATOR_HEADER = ["指标", "对排名的影响（0～1）"]


def robustness_notes(outcome) -> list[str]:
    """One line a clerk reads for each measure of 排名稳健性."""
    return [
        "现有排名：按指标体系现在的分值计分、排名。",
        f"中位排名：把各指标的分值在 ±{outcome.range:.0%} 内随机改动 {outcome.samples} 次，每次重新计分、排名，"
        "各次排名居中的那个名次。",
        "最好排名（5%）、最差排名（95%）：随机改动的各次中，九成的排名落在这两个名次之间。",
        "排名浮动：最差排名减最好排名；越大，排名越取决于分值怎么定。",
        "保持等级的概率：随机改动后等级与现在相同的次数占全部次数的比例。",
    ]


INDICATOR_NOTES = [
    "对排名的影响：分值随机改动时各单位排名的变动，有多大比例是这一项指标的分值改动造成的；0 表示不影响排名，"
    "越接近 1 影响越大（统计上称“一阶敏感度指数”）。从大到小排列。",
]



def build_robustness_sheet(outcome) -> Sheet:
    sheet = Sheet("排名稳健性")
    rows = sorted(outcome.units, key=lambda u: (u.nominal_rank is None, u.nominal_rank or 0))
    names = [u.unit for u in rows]
    titled_header(sheet, f"排名稳健性（分值在 ±{outcome.range:.0%} 内随机变动 {outcome.samples} 次"
                   f"{'，随机种子 ' + str(outcome.seed) if outcome.seed is not None else ''}）",
                  ROBUST_HEADER, [max([10.0] + [display_width(n) + 2 for n in names[:2000]])] + [10.0] * 8, frozen_cols=2)
    for r, u in enumerate(rows, start=3):
        width = None if u.low_rank is None else u.high_rank - u.low_rank
        values = [u.unit, u.total, u.grade, u.nominal_rank, u.median_rank, u.low_rank, u.high_rank, width]
        for col, value in enumerate(values, start=1):
            sheet.set(r, col, "错误" if value is None and col > 1 else value, GRID_STYLE)
        sheet.set(r, 9, u.keeps_grade, PERCENT)
    last = 2 + len(rows)
    notes_end = explained_below(sheet, last + 2, robustness_notes(outcome), len(ROBUST_HEADER))
    sheet.grow_rows(first_row=2)
    sheet.print_setup.print_area = (1, 1, notes_end, len(ROBUST_HEADER))
    if 0 < len(rows) <= INTERVAL_CHART_MAX_UNITS:
        sheet.charts.append(ChartPart(_interval_chart(sheet, 3, last), (2, 11, 2 + max(16, len(rows) + 4), 11 + CHART_COLS)))
    return sheet


def _interval_chart(sheet: Sheet, first: int, last: int) -> bytes:
    """Floating bars from the 5 % to the 95 % rank: an invisible bar up to 排名（5%）, then the 区间宽度 on top."""
    quoted = "'" + sheet.title.replace("'", "''") + "'"

    def ref(col):
        letter = column_letter(col)
        return f"{quoted}!${letter}${first}:${letter}${last}"

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "排名区间（5%–95%）"
    chart.legend = None
    for col, title in ((6, ROBUST_HEADER[5]), (8, ROBUST_HEADER[7])):
        series = Series(ref(col), title=title)
        series.cat = AxDataSource(strRef=StrRef(f=ref(1)))
        chart.series.append(series)
    chart.series[0].graphicalProperties.noFill = True
    chart.series[0].graphicalProperties.line.noFill = True
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # the first unit on top
    chart.y_axis.scaling.min = 0
    return tostring(chart._write())


def build_indicator_sheet(outcome) -> Sheet:
    sheet = Sheet("敏感度")
    titled_header(sheet, "各指标分值对排名的影响", INDICATOR_HEADER, [50.0, 22.0], frozen_cols=2)
    for r, (name, index) in enumerate(outcome.indicators, start=3):
        sheet.set(r, 1, name, GRID_STYLE)
        sheet.set(r, 2, index, SHARE)
    notes_end = explained_below(sheet, 2 + len(outcome.indicators) + 2, INDICATOR_NOTES, len(INDICATOR_HEADER))
    sheet.grow_rows(first_row=2)
    sheet.print_setup.print_area = (1, 1, notes_end, len(INDICATOR_HEADER))
    return sheet


def write_sensitivity(outcome, out_path, force: bool = False) -> Path:
    return write_new_workbook([build_robustness_sheet(outcome), build_indicator_sheet(outcome)], out_path, force)
