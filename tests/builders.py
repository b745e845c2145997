"""Workbooks built by the tests, in the layouts bureaus really use."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def indicator_book(path: Path, header, rows, merges=(), title="部门整体支出绩效评价指标表",
                   derived=None, settings=None, notes_below=None, styled=True) -> Path:
    """An indicator sheet: optional title row, header, rows, merges; 计算项 and 设置 sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    offset = 0
    if title:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.cell(1, 1).font = Font(bold=True, size=16)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        offset = 1
    for c, h in enumerate(header, start=1):
        cell = ws.cell(offset + 1, c, h)
        if styled:
            cell.font = Font(bold=True, name="宋体")
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
            cell.border = BOX
    for r, row in enumerate(rows, start=offset + 2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            if styled:
                cell.border = BOX
    for rng in merges:
        ws.merge_cells(rng)
    if notes_below:
        start = offset + 2 + len(rows) + 1
        for i, text in enumerate(notes_below):
            ws.cell(start + i, 1, text)
    ws.column_dimensions["C"].width = 24
    ws.column_dimensions["E"].width = 36
    ws.row_dimensions[offset + 1].height = 30
    if derived:
        d = wb.create_sheet("计算项")
        d.append(["名称", "公式", "说明"])
        for item in derived:
            d.append(list(item) + [""] * (3 - len(item)))
    if settings:
        s = wb.create_sheet("设置")
        s.append(["项目", "值"])
        for key, value in settings.items():
            s.append([key, value])
    wb.save(path)
    return path


def kv_book(path: Path, items, title=None, sheet="基础数据", extra_sheets=True, percent_cells=()) -> Path:
    """A key-value data workbook: 名称 | 数值 (| 说明)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(["名称", "数值", "说明"])
    for name, value in items:
        ws.append([name, value])
        if name in percent_cells:
            ws.cell(ws.max_row, 2).number_format = "0.00%"
    if extra_sheets:
        other = wb.create_sheet("附表")
        other["A1"] = "单位自有的表"
        other["A1"].font = Font(italic=True, color="FF0000")
        other["B2"] = 12345.678
        other["B2"].number_format = "#,##0.00"
        other["C3"] = "=B2*2"
        other.merge_cells("A5:C6")
        other.column_dimensions["A"].width = 33
    wb.save(path)
    return path


def wide_book(path: Path, columns, units, title=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    if title:
        ws.append([title])
    ws.append(["单位名称"] + list(columns))
    for name, values in units:
        ws.append([name] + list(values))
    wb.save(path)
    return path


STANDARD_HEADER = ["一级指标", "二级指标", "三级指标", "分值(分)", "评分标准", "评分公式", "目标值", "得分（分）", "扣分说明"]


def standard_system(path: Path, **kwargs) -> Path:
    """A small three-level system in the usual merged layout, 100 points."""
    rows = [
        ["投入", "预算配置", "在职人员控制率", 5, "≤100%得满分，每超1个百分点扣0.5分",
         "IF(在职人员控制率<=100%, 分值, DEDUCT((在职人员控制率-1)*100, 0.5))", None],
        [None, None, "“三公经费”变动率", 5, "≤0得满分，否则按比例扣分",
         "IF([“三公经费”变动率]<=0, 分值, MAX(0, 分值*(1-[“三公经费”变动率])))", None],
        [None, "预算执行", "预算执行率", 10, "按完成比例计分", "RATIO(预算执行率, 1)", None],
        ["过程", "资金管理", "管理制度健全性", 10, "健全得满分，不健全酌情扣分", None, None],
        [None, None, "资金使用合规性", 20, "合规得满分", "IF(违规金额=0, 分值, DEDUCT(违规次数, 5))", None],
        ["产出", "产出数量", "实际完成率", 25, "按比例", "TARGET(实际完成率, 目标值)", "≥95%"],
        [None, "产出时效", "完成及时率", 25, "按比例", "TARGET(完成及时率, 目标值)", "100%"],
        ["合计", None, None, 100, None, None, None],
    ]
    merges = ["A3:A5", "B3:B4", "A6:A7", "B6:B7", "A8:A9"]
    derived = [("在职人员控制率", "在职人员数/编制数", "在职人员数÷编制数")]
    return indicator_book(path, STANDARD_HEADER, rows, merges, derived=derived, **kwargs)


STANDARD_DATA = [
    ("单位名称", "零陵区政务服务中心"),
    ("在职人员数", 7),
    ("编制数", 12),
    ("“三公经费”变动率", "-88%"),
    ("预算执行率", "92%"),
    ("管理制度健全性", 6),
    ("违规金额", 0),
    ("违规次数", 0),
    ("实际完成率", 0.76),
    ("完成及时率", "100%"),
]
# 5 + 5 + 9.2 + 6 + 20 + 25*0.76/0.95=20 + 25 = 90.2
STANDARD_TOTAL = 90.2


def rewrite_package(raw: bytes, replace: dict) -> bytes:
    """A workbook package with some parts replaced (bytes), removed (None) or added."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info, src.read(info.filename))
        for name, content in replace.items():
            if name not in src.namelist() and content is not None:
                dst.writestr(name, content)
    return buf.getvalue()


FORM_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def self_evaluation_form(path: Path, project: str, funding, rows, merges=(), own_total=None, year="2023",
                         unit_note: str | None = None) -> Path:
    """A 项目支出绩效自评表 as the 财预〔2020〕10号 form prints it (columns A–I): title and year rows, 项目名称,
    主管部门/实施单位, the 项目资金（万元） block (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, 年度资金总额
    first), 年度总体目标, then 绩效指标 merged down the left of 一级/二级/三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
    偏差原因分析及改进措施, a 总分 row and signature lines. `funding`: (年初预算数, 全年预算数, 全年执行数, 分值, 得分);
    `rows`: lists of the eight columns B–I; `merges` in sheet coordinates; `unit_note` (单位：万元) at the right of
    the year row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = f"（{year}年度）"
    ws.merge_cells("A2:H2" if unit_note else "A2:I2")
    if unit_note:
        ws["I2"] = unit_note
    ws["A3"], ws["B3"] = "项目名称", project
    ws.merge_cells("B3:I3")
    ws["A4"], ws["B4"], ws["E4"], ws["F4"] = "主管部门", "某县行政审批服务局", "实施单位", "某县政务服务中心"
    ws.merge_cells("B4:D4")
    ws.merge_cells("F4:I4")
    ws["A5"] = "项目资金（万元）"
    ws.merge_cells("A5:A9")
    for c, text in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=3):
        ws.cell(5, c, text)
    initial, budget, spent, points, own = funding
    for r, label in enumerate(["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"], start=6):
        ws.cell(r, 2, label)
        if r == 6:
            for c, v in enumerate([initial, budget, spent, points, f"=E6/D6", own], start=3):
                ws.cell(r, c, v)
        elif r == 7:
            for c, v in enumerate([initial, budget, spent, "—", "—", "—"], start=3):
                ws.cell(r, c, v)
    ws["A10"], ws["B10"], ws["F10"] = "年度总体目标", "预期目标", "实际完成情况"
    ws.merge_cells("A10:A11")
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:I10")
    ws["B11"], ws["F11"] = "按计划完成项目建设任务", "已按计划完成"
    ws.merge_cells("B11:E11")
    ws.merge_cells("F11:I11")
    ws["A12"] = "绩效指标"
    for c, text in enumerate(FORM_HEADER, start=2):
        ws.cell(12, c, text)
    for r, row in enumerate(rows, start=13):
        for c, value in enumerate(row, start=2):
            ws.cell(r, c, value)
    last = 12 + len(rows)
    ws.merge_cells(f"A12:A{last}")
    total = last + 1
    ws.cell(total, 1, "总分")
    ws.merge_cells(f"A{total}:F{total}")
    ws.cell(total, 7, 100)
    ws.cell(total, 8, own_total)
    for rng in merges:
        ws.merge_cells(rng)
    for row in ws.iter_rows(min_row=3, max_row=total, max_col=9):
        for cell in row:
            cell.border = BOX
    ws.cell(total + 2, 1, "填表人：张三    联系电话：0737-1234567    填报日期：2024年3月15日")
    ws.cell(total + 3, 1, "单位负责人（签字）：          财务负责人（签字）：          （单位盖章）")
    ws.column_dimensions["D"].width = 24
    ws.column_dimensions["I"].width = 30
    wb.save(path)
    return path
