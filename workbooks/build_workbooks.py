"""Builds the example data workbooks of the seed reports. Run: python workbooks/build_workbooks.py

Every figure is listed in the workbook's 来源 sheet as either 报告原文 (quoted from the report) or
假设 (not in the report, with why it is consistent with the report's text).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HERE = Path(__file__).resolve().parent
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="E2EFDA")
WRAP = Alignment(vertical="center", wrap_text=True)
REPORT, ASSUMED = "报告原文", "假设"


def _header(ws, titles, widths):
    for c, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = ws.cell(ws.max_row if ws.max_row > 1 else 1, c, title)
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.border = BOX
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width


def _percent(name: str, value) -> bool:
    return isinstance(value, float) and name.endswith("率")


def write_kv(path: Path, title: str, items, report: str) -> Path:
    """items: (name, value, kind, basis). A 基础数据 sheet (名称 | 数值 | 说明) and a 来源 sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:C1")
    ws.append(["名称", "数值", "说明"])
    for c in range(1, 4):
        ws.cell(2, c).font = Font(bold=True)
        ws.cell(2, c).fill = HEAD
        ws.cell(2, c).border = BOX
    for name, value, kind, basis in items:
        ws.append([name, value, kind])
        row = ws.max_row
        if _percent(name, value):
            ws.cell(row, 2).number_format = "0.00%"
        for c in range(1, 4):
            ws.cell(row, c).border = BOX
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = "A3"
    write_sources(wb, items, report)
    wb.save(path)
    return path


def write_sources(wb, items, report: str):
    src = wb.create_sheet("来源")
    src["A1"] = f"数据来源：{report}"
    src["A1"].font = Font(bold=True)
    src.append(["名称", "数值", "来源", "依据"])
    for c, width in enumerate([30, 18, 10, 90], start=1):
        src.cell(2, c).font = Font(bold=True)
        src.cell(2, c).fill = HEAD
        src.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
    for name, value, kind, basis in items:
        src.append([name, value, kind, basis])
        src.cell(src.max_row, 4).alignment = WRAP


# ---------------------------------------------------------------- 零陵区政务服务中心 2019 部门整体支出

LINGLING_REPORT = "《2019年度零陵区政务服务中心部门整体支出绩效评价报告》（零陵区行政审批服务局，2020-03-10）"
LINGLING = [
    ("单位名称", "零陵区政务服务中心", REPORT, "报告标题"),
    ("编制数", 12, REPORT, "“本部门核定编制数12名”"),
    ("在职人员数", 7, REPORT, "“实有人数7名，其中：在职人员7人”"),
    ("本年度三公经费预算数", 1.5, REPORT, "“三公经费预算安排1.5万元”（万元）"),
    ("上年度三公经费预算数", 1.5, ASSUMED,
     "报告未给上年数；报告称“三公”经费“呈逐年递减趋势”，取与本年相同（变动率0）是对单位最不利的一致取值"),
    ("三公经费实际支出数", 0.18, REPORT, "“三公经费实际支出0.18万元”（万元）"),
    ("重点项目支出", 146, ASSUMED, "报告列出的5类项目支出均为保障中心运转的重点支出，取项目支出全额（万元）"),
    ("项目总支出", 146, REPORT, "“项目支出。2019年年初预算数为146万元”（万元）"),
    ("年初预算数", 242, REPORT, "“2019年年初预算数总收入242万元”（万元）"),
    ("本年调整预算数", 100, ASSUMED,
     "报告称“年内预算追加较大，使预算调整率很高”，未给金额；取100万元（调整率41%，超过30%档）"),
    ("支出决算数", 342, ASSUMED, "报告未给决算数；报告未提结余，取年初预算加追加全额支出（万元）"),
    ("结转结余总额", 0, ASSUMED, "报告未提结转结余，取0"),
    ("公用经费预算数", 8, REPORT, "“商品和服务支出8万元，包括办公费……日常公用经费”（万元）"),
    ("公用经费实际支出数", 8, ASSUMED, "报告未给实际数；“达到了年初制定目标数”，取与预算相同"),
    ("政府采购执行率", 1.0, ASSUMED, "报告称“严格落实政府采购和工程项目招投标制度”，未给金额；取100%"),
    ("固定资产利用率", 1.0, ASSUMED, "报告未涉及，取100%"),
    ("实际完成率", 1.0, ASSUMED, "“按时完成区委区政府交给的工作任务”"),
    ("完成及时率", 1.0, ASSUMED, "同上，“按时完成”"),
    ("质量达标率", 1.0, ASSUMED, "“提高办事质量，提升服务水平”，无质量问题记载，取100%"),
    ("重点工作办结率", 1.0, ASSUMED, "列出的四项重点工作（装修工程、大厅保障、“一件事一次办”首批100项梳理、“六城同创”）均已开展或完成"),
    ("目标符合法律法规和发展规划", "是", ASSUMED, "报告未评价目标设定，按一般情况取“是”"),
    ("目标符合三定职责", "是", ASSUMED, "报告列出的职能与工作计划一致"),
    ("目标符合中长期规划", "是", ASSUMED, "报告未评价，取“是”"),
    ("目标细化为具体工作任务", "是", ASSUMED, "报告列出了分项工作计划"),
    ("指标值清晰可衡量", "否", ASSUMED, "报告的工作计划无量化指标值"),
    ("指标与年度任务数相对应", "是", ASSUMED, "报告未评价，取“是”"),
    ("指标与预算资金相匹配", "否", ASSUMED, "年中大额追加说明年初目标与预算不匹配"),
    ("是否制定资金管理办法", "是", ASSUMED, "报告称“加强资金监督检查……管理制度的建设、执行”"),
    ("财务管理会计核算制度是否健全", "否", REPORT, "“相关的管理制度还不够健全，影响单位评分”"),
    ("资金使用问题数", 1, ASSUMED, "报告称支出“一定程度上符合部门预算批复的用途”，按一项问题计"),
    ("预决算信息是否公开", "是", REPORT, "“本单位2019年度预算信息及时网上公开”"),
    ("基础数据和会计信息是否真实完整准确", "是", REPORT, "“基础数据信息和会计信息资料真实、完整”"),
    ("是否制定资产管理制度", "是", ASSUMED, "报告未涉及，取“是”"),
    ("资产管理保存处置是否合理规范", "是", ASSUMED, "报告未涉及，取“是”"),
    ("账表实卡是否相符", "是", ASSUMED, "报告未涉及，取“是”"),
    ("经济效益", 3, ASSUMED, "人工评分：政务服务改革便利企业办事，间接经济效益，酌情3/4"),
    ("社会效益", 4, ASSUMED, "人工评分：“让群众满意让百姓放心”，4/4"),
    ("生态效益", "不适用", ASSUMED, "政务服务中心职责与生态环境无直接关系"),
    ("可持续影响", 3, ASSUMED, "人工评分：已开展“一件事一次办”改革，长效机制尚在建设，3/4"),
    ("服务对象满意度", 0.95, ASSUMED, "报告未给满意度调查结果；“让群众满意”，取95%"),
]


def build(out: Path = HERE) -> list[Path]:
    return [
        write_kv(out / "lingling_2019.xlsx", "2019年度零陵区政务服务中心部门整体支出基础数据", LINGLING, LINGLING_REPORT),
    ]


if __name__ == "__main__":
    for p in build():
        print(p)
