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


# ---------------------------------------------------------------- 南县行政审批服务局 2020 专项资金（项目支出）

NANXIAN_REPORT = "《南县行政审批服务局2020年度单位项目支出绩效自评报告》（2021-04-08）"
_NANXIAN_YES = [
    ("符合法律法规和发展规划", "项目用于政务服务改革，报告称服务于“政务服务科学化、信息化、规范化、高效化”"),
    ("符合行业发展规划和政策", "推进“互联网+政务服务”“一门式”全覆盖，符合政务服务改革政策"),
    ("与部门职责相符", "行政审批服务局的职责范围"),
    ("属于公共财政支持范围", "县财政批复的部门预算专项经费"),
    ("与其他项目不重复", "五类专项经费用途互不重复（报告分项列示）"),
    ("按规定程序申请设立", "“县财政批复部门预算政务服务专项经费116.79万元”"),
    ("审批文件材料符合要求", "同上，经县财政批复"),
    ("经过可行性研究和集体决策", "报告未涉及，取“是”（假设）"),
    ("有绩效目标", "报告列有绩效目标"),
    ("目标与工作内容相关", "目标与五类专项经费用途一致"),
    ("预期产出效果符合正常业绩水平", "报告未涉及，取“是”（假设）"),
    ("目标与资金量相匹配", "报告未涉及，取“是”（假设）"),
    ("目标细化为绩效指标", "报告按经济性、效率性、效益性分析，取“是”（假设）"),
    ("预算经过科学论证", "报告未涉及，取“是”（假设）"),
    ("预算内容与项目匹配", "各项经费按用途分项列支"),
    ("测算依据充分", "报告未涉及，取“是”（假设）"),
    ("资金量与工作任务匹配", "预算全额支出，无结余"),
    ("分配依据充分", "按五类专项分配"),
    ("分配额度合理", "报告未涉及，取“是”（假设）"),
    ("资金使用符合财经法规", "“严格按照有关规定管理和使用项目经费……按照行政单位会计制度规定使用”"),
    ("拨付有完整审批程序", "“规范资金拨付程序”“成立财务联审会签小组”"),
    ("符合批复用途", "“专款专用”"),
    ("无截留挤占挪用", "“确保资金支出的真实性、安全性、合理性”"),
    ("已制定财务和业务管理制度", "“制定了《南县行政审批服务局财务管理制度》”"),
    ("遵守法规和管理规定", "“严格按照有关规定管理和使用项目经费”"),
    ("调整手续完备", "报告未提项目调整，取“是”（假设）"),
    ("资料齐全及时归档", "报告未涉及，取“是”（假设）"),
    ("实施条件落实到位", "“配备相应的设备、人员，做好相关的培训”"),
]
NANXIAN = [
    ("单位名称", "南县行政审批服务局2020年政务服务专项资金", REPORT, "报告标题与项目范围"),
    *[(name, "是", REPORT if "假设" not in why else ASSUMED, why) for name, why in _NANXIAN_YES],
    ("指标清晰可衡量", "否", REPORT, "报告的绩效目标为定性表述（“科学化、信息化、规范化、高效化”），没有可衡量的指标值"),
    ("指标与计划数相对应", "否", REPORT, "同上，没有任务数或计划数"),
    ("管理制度合法合规完整", "否", REPORT, "“相关的管理制度也需与时俱进、健全完善”"),
    ("预算资金", 116.79, REPORT, "“合计116.79万元”（万元）"),
    ("实际到位资金", 116.79, REPORT, "“实际到位率为100%”（万元）"),
    ("实际支出资金", 116.79, REPORT, "“实际支出专项经费116.79万元”（万元）"),
    ("计划产出数", 5, ASSUMED, "以五类专项经费（互联网+、政务中心、“一门式”、扶贫、其他）各为一项产出"),
    ("实际产出数", 5, REPORT, "“项目实施进度在2020年底完成年度目标”"),
    ("质量达标产出数", 5, REPORT, "“保质保量完成了目标任务”"),
    ("计划完成用时", 12, ASSUMED, "年度项目，按12个月计"),
    ("实际完成用时", 12, REPORT, "“在2020年底完成年度目标”（月）"),
    ("计划成本", 116.79, REPORT, "“预算资金116.79万元”（万元）"),
    ("实际成本", 116.79, REPORT, "“实际支出专项经费116.79万元”（万元）"),
    ("实施效益", 13, ASSUMED, "人工评分：效益描述充分，但报告自认“资金使用效益有待进一步提高”，13/15"),
    ("服务对象满意度", 0.95, ASSUMED, "报告未给满意度调查结果，取95%"),
]


# ---------------------------------------------------------------- 巴中市政务服务中心 2022 整体支出

BAZHONG_REPORT = "巴中市政务服务中心《2022年度部门整体支出绩效自评报告》（2023-05-30）"
BAZHONG = [
    ("单位名称", "巴中市政务服务中心", REPORT, "报告（原文中心名称部分被隐去）"),
    ("编制数", 37, REPORT, "中心事业编制26名，下属两单位事业编制7名、4名"),
    ("在职人员数", 34, REPORT, "在编在岗26名，下属两单位现在岗4名、4名"),
    ("“三公经费”变动率", 0, ASSUMED, "报告未给“三公”经费数额，只称预决算和“三公经费”及时公开；取0（不增不减）"),
    ("“三公经费”控制率", 1.0, ASSUMED, "同上，取100%"),
    ("重点支出安排率", 1.0, ASSUMED, "报告列出的项目（网络租赁、12345热线、空调、物业）均为中心重点工作支出，取100%"),
    ("年初预算数", 2100.09, REPORT, "收入2100.09万元=上年结转42.13+当年一般公共预算收入2057.96（含结转作为支出预算）"),
    ("本年调整预算数", 0, ASSUMED, "报告未提年中追加，取0"),
    ("支出决算数", 2100.09, REPORT, "“财政资金支出2100.09万元”"),
    ("结转结余总额", 0, REPORT, "支出等于收入（2100.09万元）；报告另提12345热线项目有跨年度支付，但收支数据中未体现结余"),
    ("公用经费控制率", 1.0, ASSUMED, "报告未给公用经费数额，取100%"),
    ("政府采购执行率", 1.0, REPORT, "“政府采购执行率100%”"),
    ("固定资产利用率", 1.0, ASSUMED, "报告未涉及，取100%"),
    ("计划工作数", 272.65, REPORT, "“全年受理各类政务服务事项272.65万件”"),
    ("实际完成工作数", 272.63, REPORT, "“办结272.63万件”"),
    ("及时完成工作数", 272.63, REPORT, "“按时办结、群众满意率100%”：办结的事项均按时"),
    ("质量达标工作数", 272.63, REPORT, "同上"),
    ("重点工作办结率", 1.0, ASSUMED, "“绩效目标任务全面完成”，取100%"),
    ("目标符合法律法规和发展规划", "是", REPORT, "对照《2023年市级部门整体支出绩效评价指标体系》编制目标"),
    ("目标符合三定职责", "是", REPORT, "报告所列职责与工作一致"),
    ("目标符合中长期规划", "是", ASSUMED, "报告未涉及，取“是”"),
    ("目标细化为具体工作任务", "是", REPORT, "“制定年度工作计划和重点工作任务清单……任务到科室，责任到人头”"),
    ("指标值清晰可衡量", "否", REPORT, "“个别项目绩效指标不够具体、无法量化”"),
    ("指标与年度任务数相对应", "是", REPORT, "“分项目填报绩效目标和评价指标”"),
    ("指标与预算资金相匹配", "是", REPORT, "“预算编制科学、合理”"),
    ("是否制定资金管理办法", "是", REPORT, "“健全完善《财务管理制度》。明确支付范围，规定报账程序”"),
    ("财务管理会计核算制度是否健全", "是", REPORT, "同上，另有公务用车、公务交通费用等制度"),
    ("资金使用问题数", 0, REPORT, "“财政资金收支规范、管理制度健全”"),
    ("预决算信息是否公开", "是", REPORT, "“每年预决算和‘三公经费’……及时完整公开”"),
    ("基础数据和会计信息是否真实完整准确", "是", REPORT, "“会计核算规范”"),
    ("是否制定资产管理制度", "是", ASSUMED, "报告未专门提及，取“是”"),
    ("资产管理保存处置是否合理规范", "是", ASSUMED, "报告未涉及，取“是”"),
    ("账表实卡是否相符", "是", ASSUMED, "报告未涉及，取“是”"),
    ("经济效益", 4, REPORT, "人工评分：完成交易服务事项1146个，成交240.7亿元，节资9.57亿元，4/4"),
    ("社会效益", 4, REPORT, "人工评分：营商环境、“一网通办”，企业群众满意度和获得感明显增强，4/4"),
    ("生态效益", "不适用", ASSUMED, "政务服务中心职责与生态环境无直接关系"),
    ("可持续影响", 4, REPORT, "人工评分：健全五项制度、实行“清单制+责任制”，4/4"),
    ("服务对象满意度", 1.0, REPORT, "“按时办结、群众满意率100%”"),
]


# ---------------------------------------------------------------- 大英县行政审批局 2023 项目（宽表，自评表）

DAYING_REPORT = "大英县行政审批局2023年度专项预算项目绩效评价报告（五个项目）"
DAYING_COLUMNS = ["全年预算数", "全年执行数",
                  "数量指标年度指标值", "数量指标完成值", "质量指标年度指标值", "质量指标完成值",
                  "时效指标年度指标值", "时效指标完成值", "成本指标年度指标值", "成本指标完成值",
                  "社会效益指标年度指标值", "社会效益指标完成值", "经济效益指标年度指标值", "经济效益指标完成值",
                  "生态效益指标年度指标值", "生态效益指标完成值", "可持续影响指标年度指标值", "可持续影响指标完成值",
                  "服务对象满意度指标年度指标值", "服务对象满意度指标完成值"]
NA_PAIR = ["不适用", "不适用"]
DAYING = [
    ("大数据运行经费", [100, 100, "≥1257项", 1257, "≥90%", 0.9467, "100%", 1.0, *NA_PAIR, "≥95%", 0.974,
                    *NA_PAIR, *NA_PAIR, *NA_PAIR, "≥90%", 0.95]),
    ("7个镇(街道)便民服务中心建设奖补经费", [80, 80, "=7个", 7, "100%", 1.0, *NA_PAIR, "≤80万元", 80, "100%", 1.0,
                                 *NA_PAIR, *NA_PAIR, *NA_PAIR, "≥90%", 0.95]),
    ("电子政务外网升级改造资金", [15, 15, "=4类", 4, "=1次", 1, *NA_PAIR, "≤15万元", 15, "=1次", 1,
                          *NA_PAIR, *NA_PAIR, *NA_PAIR, "≥90%", 0.95]),
    ("回马镇等3个镇便民服务中心建设经费", [60, 60, "≥1600㎡", 1600, "=3个", 3, *NA_PAIR, "≤60万元", 60, "=3个", 3,
                               *NA_PAIR, *NA_PAIR, *NA_PAIR, "≥90%", 0.95]),
    ("无差别综合窗口“省内通办”试点建设资金", [30, 30, "=1个", 1, *NA_PAIR, *NA_PAIR, "≤30万元", 30, *NA_PAIR,
                                  *NA_PAIR, *NA_PAIR, *NA_PAIR, "≥90%", 0.95]),
]
DAYING_SOURCES = [
    ("大数据运行经费", "全年预算数/全年执行数", "100 / 100", ASSUMED, "报告节选未给金额，只称圆满完成；以100:100表示执行率100%"),
    ("大数据运行经费", "数量指标", "≥1257项 / 1257", REPORT, "“依申请政务服务事项1257项，认领1257项，发布1257项”"),
    ("大数据运行经费", "质量指标", "≥90% / 94.67%", REPORT, "“实现网上办理事项1190项，占比94.67%”；指标值90%为假设"),
    ("大数据运行经费", "时效指标", "100% / 100%", REPORT, "“回复书记、县长信箱留言167条，办结率100%”"),
    ("大数据运行经费", "社会效益指标", "≥95% / 97.4%", REPORT, "“发布上线资源共享目录1685个，上线率97.4%”；指标值95%为假设"),
    ("7个镇(街道)便民服务中心建设奖补经费", "全年预算数/全年执行数", "80 / 80", REPORT, "“项目预算80万元……实际支出80万元”"),
    ("7个镇(街道)便民服务中心建设奖补经费", "数量指标", "=7个 / 7", REPORT, "隆盛镇、象山镇等7个镇（街道）便民服务中心"),
    ("7个镇(街道)便民服务中心建设奖补经费", "质量指标", "100% / 100%", REPORT, "七个中心完成改造升级，金元镇、盐井街道获示范/五星级"),
    ("7个镇(街道)便民服务中心建设奖补经费", "社会效益指标", "100% / 100%", ASSUMED, "“确保便民服务中心正常运转”，以正常运转率100%计"),
    ("电子政务外网升级改造资金", "全年预算数/全年执行数", "15 / 15", REPORT, "“项目预算15万元……实际支出15万元”"),
    ("电子政务外网升级改造资金", "数量指标", "=4类 / 4", REPORT, "下一代防火墙、日志审计、终端安全管理、入侵防御系统"),
    ("电子政务外网升级改造资金", "质量指标/社会效益指标", "=1次 / 1", REPORT, "“电子政务外网达到了二级等保测评要求”"),
    ("回马镇等3个镇便民服务中心建设经费", "全年预算数/全年执行数", "60 / 60", REPORT, "“项目预算60万元……实际支出60万元”"),
    ("回马镇等3个镇便民服务中心建设经费", "数量指标", "≥1600㎡ / 1600", REPORT, "“共计约1600平方米的升级改造”"),
    ("回马镇等3个镇便民服务中心建设经费", "质量指标/社会效益指标", "=3个 / 3", REPORT, "“3个镇便民服务中心均通过省级检查验收，成功创建为省级示范便民服务中心”"),
    ("无差别综合窗口“省内通办”试点建设资金", "全年预算数/全年执行数", "30 / 30", REPORT, "“项目预算30万元……实际支出30万元”"),
    ("无差别综合窗口“省内通办”试点建设资金", "数量指标", "=1个 / 1", REPORT, "“完成大英县无差别综合窗口‘省内通办’省级试点任务”"),
    ("全部项目", "成本指标", "≤预算 / 实际支出", REPORT, "各项目实际支出等于预算，结余0万元（大数据运行经费无成本指标）"),
    ("全部项目", "服务对象满意度指标", "≥90% / 95%", ASSUMED, "报告称“受益对象满意度较高”，未给数值，取95%；指标值90%为假设"),
    ("全部项目", "其余指标", "不适用", ASSUMED, "报告未设置的指标类别填“不适用”，按自评表设置剔除并折算"),
]


def write_daying(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws["A1"] = "大英县行政审批局2023年度项目支出绩效自评基础数据"
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["项目名称"] + DAYING_COLUMNS)
    for c in range(1, len(DAYING_COLUMNS) + 2):
        cell = ws.cell(2, c)
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.border = BOX
        cell.alignment = WRAP
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 36 if c == 1 else 12
    ws.row_dimensions[2].height = 48
    for name, values in DAYING:
        ws.append([name] + values)
        row = ws.max_row
        for c in range(1, len(values) + 2):
            cell = ws.cell(row, c)
            cell.border = BOX
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # "=7个" is a target, not a formula
            if isinstance(cell.value, float) and cell.value <= 1.5 and c > 3:
                cell.number_format = "0.00%"
    ws.freeze_panes = "B3"
    src = wb.create_sheet("来源")
    src["A1"] = f"数据来源：{DAYING_REPORT}"
    src["A1"].font = Font(bold=True)
    src.append(["项目", "数据项", "指标值 / 完成值", "来源", "依据"])
    for c, width in enumerate([36, 22, 18, 10, 80], start=1):
        src.cell(2, c).font = Font(bold=True)
        src.cell(2, c).fill = HEAD
        src.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
    for row in DAYING_SOURCES:
        src.append(list(row))
        src.cell(src.max_row, 5).alignment = WRAP
    wb.save(path)
    return path


# ---------------------------------------------------------------- 隆回县行政审批服务局 2022（打印表样式，单元格命名）

LONGHUI_REPORT = "《2022年度部门整体支出绩效自评基础数据表》及自评报告（隆回县行政审批服务局，2023-05-06）"
# (label in the form, defined name, typed value, kind, basis)
LONGHUI_FORM = [
    ("编制人数", "编制数", 35, REPORT, "基础数据表“编制人数 35”"),
    ("实有人数", "在职人员数", 34, REPORT, "基础数据表“实有人数 34”"),
    ("年度收入：县财政预算安排（万元）", "年初预算数", 704.72, REPORT, "“县财政预算安排 704.72”，取为年初预算"),
    ("年度支出：基本支出（万元）", "基本支出", 704.72, REPORT, "“基本支出 704.72”"),
    ("年度支出：项目支出（万元）", "项目支出", 0, REPORT, "“项目支出 0”"),
    ("年度支出：合计（万元）", "支出决算数", 704.72, REPORT, "“合计 704.72”，决算支出704.72万元"),
    ("其中三公经费支出（万元）", "三公经费实际支出数", 1.36, REPORT, "“其中三公经费支出 1.36”"),
    ("是否存在超编超配人员", "是否存在超编超配人员", "是□ 否☑", REPORT, "基础数据表原文"),
    ("是否制定“三公”经费管理办法", "是否制定三公经费管理办法", "是☑ 否□", REPORT, "基础数据表原文"),
    ("三公经费是否比上年度下降", "三公经费是否下降", "是□ 否☑", REPORT, "基础数据表原文“三公经费是否比年度下降: 是□ 否☑”"),
    ("年度是否制定了政府采购计划", "是否制定政府采购计划", "是□ 否☑", REPORT, "基础数据表原文"),
    ("本年度是否追加了预算", "是否追加预算", "是□ 否☑", REPORT, "基础数据表原文"),
    ("本年度是否有结余", "是否有结余", "是□ 否☑", REPORT, "基础数据表原文"),
    ("预决算信息是否公开", "预决算信息是否公开", "是☑ 否□", REPORT, "“预决算信息是否公开: 是☑ 否□ 公开时间：2022年3月15日”"),
    ("部门预算和专项资金是否编制绩效目标", "是否编制绩效目标", "是☑ 否□", REPORT, "基础数据表原文"),
    ("会计核算是否严格执行政府会计制度准则", "基础数据和会计信息是否真实完整准确", "是☑ 否□", REPORT, "基础数据表原文"),
    ("是否制定财务管理、会计核算等制度", "财务管理会计核算制度是否健全", "是☑ 否□", REPORT, "基础数据表原文"),
    ("是否制定资金管理办法", "是否制定资金管理办法", "是☑ 否□", REPORT, "基础数据表原文"),
    ("资金使用是否存在违规使用资金、乱发津补贴奖金现象", "是否存在违规使用资金", "是□ 否☑", REPORT, "基础数据表原文"),
    ("是否制定资产管理制度", "是否制定资产管理制度", "是☑ 否□", REPORT, "基础数据表原文"),
    ("资产管理、保存、处置是否合理规范", "资产管理保存处置是否合理规范", "是☑ 否□", REPORT, "基础数据表原文"),
    ("账、表、实、卡是否相符", "账表实卡是否相符", "是☑ 否□", REPORT, "基础数据表原文"),
    ("重点工作是否全部完成且质量达标", "重点工作是否全部完成且质量达标", "是☑ 否□", REPORT, "基础数据表原文"),
]
LONGHUI_EXTRA = [  # figures the form does not ask for, in a 补充数据 block below it
    ("单位名称", "单位名称", "隆回县行政审批服务局", REPORT, "“单位名称（盖章）：隆回县行政审批服务局”"),
    ("本年调整预算数（万元）", "本年调整预算数", 0, REPORT, "“本年度是否追加了预算：否”→0"),
    ("结转结余总额（万元）", "结转结余总额", 0, REPORT, "“本年度是否有结余：否”→0"),
    ("“三公经费”变动率", "三公经费变动率", 0, ASSUMED, "表中“三公经费是否比上年度下降：否”，未给上年数；取0（未下降的最有利读法）"),
    ("“三公经费”控制率", "三公经费控制率", 1.0, ASSUMED, "表中未给三公预算数，取100%"),
    ("重点支出安排率", "重点支出安排率", "不适用", REPORT, "项目支出为0，无重点项目支出可计算"),
    ("公用经费控制率", "公用经费控制率", 1.0, ASSUMED, "表中未给公用经费数，取100%"),
    ("政府采购执行率", "政府采购执行率", "不适用", REPORT, "“年度是否制定了政府采购计划：否”，无采购可执行"),
    ("固定资产利用率", "固定资产利用率", 1.0, ASSUMED, "报告称资产“核算准确、帐实相符、管理到位”，取100%"),
    ("实际完成率", "实际完成率", 1.0, REPORT, "“重点工作是否全部完成且质量达标：是”"),
    ("完成及时率", "完成及时率", 1.0, ASSUMED, "同上，全部完成，取100%"),
    ("质量达标率", "质量达标率", 1.0, REPORT, "同上，质量达标"),
    ("重点工作办结率", "重点工作办结率", 1.0, REPORT, "同上"),
    ("资金使用问题数", "资金使用问题数", 0, REPORT, "“资金使用是否存在违规……：否”"),
    ("绩效目标符合法律法规和发展规划", "目标符合法律法规和发展规划", "是", ASSUMED, "“部门预算和专项资金是否编制绩效目标：是”，取“是”"),
    ("绩效目标符合三定职责", "目标符合三定职责", "是", ASSUMED, "同上"),
    ("绩效目标符合中长期规划", "目标符合中长期规划", "是", ASSUMED, "同上"),
    ("目标细化为具体工作任务", "目标细化为具体工作任务", "是", REPORT, "报告列出四方面重点工作和量化成果"),
    ("指标值清晰可衡量", "指标值清晰可衡量", "是", REPORT, "报告有大量量化指标（如全程网办比例80.25%）"),
    ("指标与年度任务数相对应", "指标与年度任务数相对应", "是", ASSUMED, "报告未涉及，取“是”"),
    ("指标与预算资金相匹配", "指标与预算资金相匹配", "是", ASSUMED, "未追加预算、无结余，取“是”"),
    ("经济效益（评价组打分）", "经济效益", 4, REPORT, "人工评分：“一件事一次办”46972件、优化营商环境，4/4"),
    ("社会效益（评价组打分）", "社会效益", 4, REPORT, "人工评分：群众诉求办理、“清廉大厅”建设，4/4"),
    ("生态效益（评价组打分）", "生态效益", "不适用", ASSUMED, "行政审批服务局职责与生态环境无直接关系"),
    ("可持续影响（评价组打分）", "可持续影响", 4, REPORT, "人工评分：出台首席事务代表、限时办结等工作制度，4/4"),
    ("服务对象满意度", "服务对象满意度", 0.9907, REPORT, "“‘好差评’得分99.07分”（按百分比计）"),
]


def write_longhui(path: Path) -> Path:
    """The 基础数据表 as printed: label cells, answers like 是☑ 否□, every answer cell named."""
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据表"
    ws["A1"] = "附件3"
    ws["A2"] = "2022年度部门整体支出绩效自评基础数据表"
    ws["A2"].font = Font(bold=True, size=16)
    ws.merge_cells("A2:D2")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws["A3"] = "单位名称（盖章）：隆回县行政审批服务局"
    ws.merge_cells("A3:D3")
    row = 4
    sections = [("基本情况", LONGHUI_FORM[:7]), ("实施情况", LONGHUI_FORM[7:]), ("补充数据（报告文字整理）", LONGHUI_EXTRA)]
    for title, entries in sections:
        ws.cell(row, 1, title).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + len(entries) - 1, end_column=1)
        ws.cell(row, 1).alignment = Alignment(vertical="center", wrap_text=True)
        for label, name, value, kind, basis in entries:
            ws.cell(row, 2, label).alignment = WRAP
            cell = ws.cell(row, 3, value)
            if isinstance(value, float) and name.endswith(("率", "满意度")):
                cell.number_format = "0.00%"
            ws.cell(row, 4, kind)
            for c in range(1, 5):
                ws.cell(row, c).border = BOX
            wb.defined_names[name] = DefinedName(name, attr_text=f"基础数据表!$C${row}")
            row += 1
    ws.cell(row + 1, 1, "填报人：黄滔　联系电话：（略）　时间：2023年5月6日")
    ws.cell(row + 2, 1, "注：自评结论填“优、良、中、差”。本单位自评结论：优")
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 10
    items = [(name, value, kind, basis) for label, name, value, kind, basis in LONGHUI_FORM + LONGHUI_EXTRA]
    write_sources(wb, items, LONGHUI_REPORT)
    wb.save(path)
    return path


# ---------------------------------------------------------------- 项目支出绩效自评表 (财预〔2020〕10号 附件 样式)

FORMS_FOLDER = "self_evaluation"  # `score run workbooks/self_evaluation -o 汇总.xlsx`
DAYING_DEPARTMENT = "大英县行政审批局"
DAYING_SATISFACTION = ("满意度指标", "服务对象满意度指标", "受益对象满意度", "≥90%", "95%", 10, 10, None)

# each form: file, project, 主管部门, 实施单位, year, (年初预算数, 全年预算数, 全年执行数, own 得分), (预期目标, 实际完成情况),
# rows (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施), own total, report, sources
FORMS = [
    dict(
        file="南县_政务服务专项经费_2020.xlsx", project="2020年政务服务专项经费", department="南县行政审批服务局",
        implementer="南县行政审批服务局", year=2020, funding=(116.79, 116.79, 116.79, 10),
        goals=("实现政务服务科学化、信息化、规范化、高效化，提高行政效能、综合管理水平、政府公信力和透明度、人民群众满意度",
               "政务服务目标稳步推进与落实，转变政府职能，提高服务水平，为人民群众提供优质高效的政务服务"),
        rows=[
            ("产出指标", "数量指标", "专项经费保障事项", "5类", 5, 15, 15, None),
            (None, "质量指标", "目标任务完成质量", "保质保量完成", "保质保量完成", 15, 15, None),
            (None, "时效指标", "年度任务完成时间", "2020年12月底前", "2020年底完成", 10, 10, None),
            (None, "成本指标", "项目成本", "≤116.79万元", 116.79, 10, 10, None),
            ("效益指标", "社会效益指标", "政务服务水平", "提升", "智慧政务深度发展，政务服务水平提升", 15, 15, None),
            (None, "可持续影响指标", "专项资金管理制度", "健全完善", "已制定财务管理制度，尚需健全完善", 15, 13,
             "相关的管理制度需与时俱进、健全完善，确保项目资金使用更加规范、安全、高效"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10, None),
        ],
        own_total=98, report=NANXIAN_REPORT,
        sources=[
            ("项目资金", "116.79 / 116.79 / 116.79", REPORT, "“县财政批复部门预算政务服务专项经费116.79万元”“实际支出专项经费116.79万元”"),
            ("专项经费保障事项", "5类 / 5", REPORT, "互联网+政务服务、政务中心、“一门式”服务工作、扶贫、其他五类专项经费，均已支出"),
            ("目标任务完成质量", "保质保量完成", REPORT, "“保质保量完成了目标任务”"),
            ("年度任务完成时间", "2020年底完成", REPORT, "“项目实施进度在2020年底完成年度目标”"),
            ("项目成本", "≤116.79 / 116.79", REPORT, "“预算资金116.79万元，实际支出专项经费116.79万元”"),
            ("政务服务水平", "提升", REPORT, "“推进智慧政务深度发展，提升政务服务水平”"),
            ("专项资金管理制度", "健全完善 / 尚需健全完善", REPORT, "“制定了《南县行政审批服务局财务管理制度》”；“相关的管理制度也需与时俱进、健全完善”"),
            ("服务对象满意度", "≥90% / 95%", ASSUMED, "报告未给满意度调查结果，取95%；指标值90%为常用值"),
            ("各指标分值", "产出50、效益30、满意度10", ASSUMED, "报告未附自评表；按财预〔2020〕10号 附件的常用分配（预算执行率10分）"),
            ("自评得分", "98（专项资金管理制度 13/15）", ASSUMED, "报告未给分数；报告自认管理制度需健全完善，取该项扣2分"),
        ]),
    dict(
        file="大英_大数据运行经费_2023.xlsx", project="大数据运行经费", department=DAYING_DEPARTMENT,
        implementer="大英县政务服务和大数据中心", year=2023, funding=(100, 100, 100, 10),
        goals=("保障大数据机构正常运转，推进大数据普及应用，加快数据资源开放共享，推进政府管理和社会治理模式创新",
               "圆满完成年度工作目标任务，政府网站通过全省和全市普查并进入第一梯队"),
        rows=[
            ("产出指标", "数量指标", "依申请政务服务事项认领发布数", "≥1257项", 1257, 20, 20, None),
            (None, "质量指标", "网上可办事项占比", "≥90%", "94.67%", 15, 15, None),
            (None, "时效指标", "书记、县长信箱留言办结率", "100%", "100%", 15, 15, None),
            ("效益指标", "社会效益指标", "资源共享目录上线率", "≥95%", "97.4%", 30, 30, None),
            DAYING_SATISFACTION,
        ],
        own_total=100, report=DAYING_REPORT,
        sources=[
            ("项目资金", "100 / 100 / 100", ASSUMED, "报告节选未给金额，只称圆满完成；以100:100表示执行率100%"),
            ("依申请政务服务事项认领发布数", "≥1257项 / 1257", REPORT, "“依申请政务服务事项1257项，认领1257项，发布1257项”"),
            ("网上可办事项占比", "≥90% / 94.67%", REPORT, "“实现网上办理事项1190项，占比94.67%”；指标值90%为假设"),
            ("书记、县长信箱留言办结率", "100% / 100%", REPORT, "“回复书记、县长信箱留言167条，办结率100%”"),
            ("资源共享目录上线率", "≥95% / 97.4%", REPORT, "“发布上线资源共享目录1685个，上线率97.4%”；指标值95%为假设"),
        ]),
    dict(
        file="大英_便民服务中心建设奖补经费_2023.xlsx", project="7个镇(街道)便民服务中心建设奖补经费",
        department=DAYING_DEPARTMENT, implementer=DAYING_DEPARTMENT, year=2023, funding=(80, 80, 80, 10),
        goals=("确保镇(街道)便民服务中心正常运转，巩固“示范便民服务中心”创建成果",
               "7个镇(街道)便民服务中心完成改造升级，金元镇、盐井街道获评示范/五星级中心"),
        rows=[
            ("产出指标", "数量指标", "奖补镇(街道)便民服务中心数", "=7个", 7, 20, 20, None),
            (None, "质量指标", "改造升级完成率", "100%", "100%", 15, 15, None),
            (None, "成本指标", "项目成本", "≤80万元", 80, 15, 15, None),
            ("效益指标", "社会效益指标", "便民服务中心正常运转率", "100%", "100%", 30, 30, None),
            DAYING_SATISFACTION,
        ],
        own_total=100, report=DAYING_REPORT,
        sources=[
            ("项目资金", "80 / 80 / 80", REPORT, "“项目预算80万元……实际支出80万元”"),
            ("奖补镇(街道)便民服务中心数", "=7个 / 7", REPORT, "隆盛镇、象山镇等7个镇（街道）便民服务中心"),
            ("改造升级完成率", "100% / 100%", REPORT, "七个中心完成改造升级"),
            ("便民服务中心正常运转率", "100% / 100%", ASSUMED, "“确保便民服务中心正常运转”，以正常运转率100%计"),
        ]),
    dict(
        file="大英_电子政务外网升级改造_2023.xlsx", project="电子政务外网升级改造资金", department=DAYING_DEPARTMENT,
        implementer="大英县政务服务和大数据中心", year=2023, funding=(15, 15, 15, 10),
        goals=("按二级等保要求部署安全设施设备并完成二级等保测评，提升网络安全和运维服务水平",
               "部署下一代防火墙、日志审计、终端安全管理、入侵防御系统，外网达到二级等保测评要求"),
        rows=[
            ("产出指标", "数量指标", "部署安全设备种类", "=4类", 4, 20, 20, None),
            (None, "质量指标", "二级等保测评", "=1次", 1, 15, 15, None),
            (None, "成本指标", "项目成本", "≤15万元", 15, 15, 15, None),
            ("效益指标", "社会效益指标", "电子政务外网安全运行", "安全稳定运行", "安全稳定运行", 30, 30, None),
            DAYING_SATISFACTION,
        ],
        own_total=100, report=DAYING_REPORT,
        sources=[
            ("项目资金", "15 / 15 / 15", REPORT, "“项目预算15万元……实际支出15万元”"),
            ("部署安全设备种类", "=4类 / 4", REPORT, "下一代防火墙、日志审计、终端安全管理、入侵防御系统"),
            ("二级等保测评", "=1次 / 1", REPORT, "“电子政务外网达到了二级等保测评要求”"),
            ("电子政务外网安全运行", "安全稳定运行", REPORT, "“为……安全、可靠、稳定、高效运行提供良好的基础”（定性）"),
        ]),
    dict(
        file="大英_回马镇等3个镇便民服务中心_2023.xlsx", project="回马镇等3个镇便民服务中心建设经费",
        department=DAYING_DEPARTMENT, implementer=DAYING_DEPARTMENT, year=2023, funding=(60, 60, 60, 10),
        goals=("强化便民服务标准化规范化便利化建设，完成镇(街道)便民服务体系“三化”建设省级试点镇任务并通过省级验收",
               "完成约1600平方米升级改造，3个镇便民服务中心均通过省级验收，创建为省级示范便民服务中心"),
        rows=[
            ("产出指标", "数量指标", "升级改造面积", "≥1600㎡", 1600, 20, 20, None),
            (None, "质量指标", "通过省级验收的中心数", "=3个", 3, 15, 15, None),
            (None, "成本指标", "项目成本", "≤60万元", 60, 15, 15, None),
            ("效益指标", "社会效益指标", "创建省级示范便民服务中心数", "=3个", 3, 30, 30, None),
            DAYING_SATISFACTION,
        ],
        own_total=100, report=DAYING_REPORT,
        sources=[
            ("项目资金", "60 / 60 / 60", REPORT, "“项目预算60万元……实际支出60万元”"),
            ("升级改造面积", "≥1600㎡ / 1600", REPORT, "“共计约1600平方米的升级改造”"),
            ("通过省级验收的中心数 / 创建省级示范便民服务中心数", "=3个 / 3", REPORT,
             "“3个镇便民服务中心均通过省级检查验收，成功创建为省级示范便民服务中心”"),
        ]),
    dict(
        file="大英_省内通办试点建设资金_2023.xlsx", project="无差别综合窗口“省内通办”试点建设资金",
        department=DAYING_DEPARTMENT, implementer=DAYING_DEPARTMENT, year=2023, funding=(30, 30, 30, 10),
        goals=("提升政务服务能力、扩大政务服务覆盖面，优化营商环境，完成无差别综合窗口“省内通办”省级试点任务",
               "完成大英县无差别综合窗口“省内通办”省级试点任务"),
        rows=[
            ("产出指标", "数量指标", "完成省级试点任务", "=1个", 1, 35, 35, None),
            (None, "成本指标", "项目成本", "≤30万元", 30, 15, 15, None),
            ("效益指标", "社会效益指标", "跨地区办事便利程度", "明显提升", "明显提升", 30, 30, None),
            DAYING_SATISFACTION,
        ],
        own_total=100, report=DAYING_REPORT,
        sources=[
            ("项目资金", "30 / 30 / 30", REPORT, "“2023年项目预算30万元……实际支出30万元，结余0万元，预算执行率为100%”"),
            ("完成省级试点任务", "=1个 / 1", REPORT, "“完成大英县无差别综合窗口‘省内通办’省级试点任务”"),
            ("跨地区办事便利程度", "明显提升", ASSUMED, "报告的实施目的“扩大政务服务覆盖面”，未给效益指标；以定性指标表示"),
        ]),
]
for _form in FORMS[1:]:
    _form["sources"] = [*_form["sources"],
                        ("受益对象满意度", "≥90% / 95%", ASSUMED, "报告称“受益对象满意度较高”，未给数值，取95%；指标值90%为假设"),
                        ("各指标分值", "预算执行率10、产出50、效益30、满意度10", ASSUMED, "报告未附自评表；按县级专项预算项目常用分配"),
                        ("自评得分", "100", REPORT, "“项目自评得分100分”")]

FORM_TITLES = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
FORM_WIDTHS = [9, 12, 14, 24, 14, 14, 8, 8, 30]
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_form(path: Path, form: dict) -> Path:
    """A filled 项目支出绩效自评表 as units file it: title, year and 单位：万元, 项目名称, 主管部门/实施单位, the 项目资金
    block, 年度总体目标, the indicator table under a merged 绩效指标 label, 总分, signature lines; a 来源 sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws["A1"].font = Font(name="宋体", bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:I1")
    ws["A2"] = f"（{form['year']}年度）"
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:H2")
    ws["I2"] = "单位：万元"
    ws["A3"], ws["B3"] = "项目名称", form["project"]
    ws.merge_cells("B3:I3")
    ws["A4"], ws["B4"], ws["E4"], ws["F4"] = "主管部门", form["department"], "实施单位", form["implementer"]
    ws.merge_cells("B4:D4")
    ws.merge_cells("F4:I4")
    ws["A5"] = "项目资金（万元）"
    ws.merge_cells("A5:A9")
    for c, text in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=3):
        ws.cell(5, c, text)
    initial, budget, spent, own = form["funding"]
    for r, label in enumerate(["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"], start=6):
        ws.cell(r, 2, label)
        figures = {6: [initial, budget, spent, 10, spent / budget, own], 7: [initial, budget, spent, "—", "—", "—"]}
        for c, v in enumerate(figures.get(r, [None, None, None, "—", "—", "—"]), start=3):
            ws.cell(r, c, v)
    ws["G6"].number_format = "0.00%"
    ws["A10"], ws["B10"], ws["F10"] = "年度总体目标", "预期目标", "实际完成情况"
    ws.merge_cells("A10:A11")
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:I10")
    ws["B11"], ws["F11"] = form["goals"]
    ws.merge_cells("B11:E11")
    ws.merge_cells("F11:I11")
    ws.row_dimensions[11].height = 60
    ws["A12"] = "绩效指标"
    for c, text in enumerate(FORM_TITLES, start=2):
        ws.cell(12, c, text)
    first_of = {}
    for r, row in enumerate(form["rows"], start=13):
        for c, value in enumerate(row, start=2):
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # "=7个" is a target, not a formula
        if row[0] is not None:
            first_of[r] = row[0]
    last = 12 + len(form["rows"])
    starts = sorted(first_of) + [last + 1]
    for a, b in zip(starts, starts[1:]):
        if b - 1 > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b - 1, end_column=2)
    ws.merge_cells(f"A12:A{last}")
    total = last + 1
    ws.cell(total, 1, "总分")
    ws.merge_cells(f"A{total}:F{total}")
    ws.cell(total, 7, 100)
    ws.cell(total, 8, form["own_total"])
    for row in ws.iter_rows(min_row=3, max_row=total, max_col=9):
        for cell in row:
            cell.border = BOX
            cell.alignment = CENTER if cell.column != 9 or cell.row < 12 else WRAP
            cell.font = Font(name="宋体", size=10, bold=cell.row in (5, 10, 12) or cell.column == 1)
    ws["I2"].alignment = Alignment(horizontal="right")
    ws.cell(total + 2, 1, "填表人：              联系电话：              填报日期：")
    ws.cell(total + 3, 1, "单位负责人（签字）：              财务负责人（签字）：              （单位盖章）")
    for c, width in enumerate(FORM_WIDTHS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    src = wb.create_sheet("来源")
    src["A1"] = f"数据来源：{form['report']}（本表为据报告填写的自评表示例，标“假设”的数报告中没有）"
    src["A1"].font = Font(bold=True)
    src.append(["项目", "指标值 / 完成值", "来源", "依据"])
    for c, width in enumerate([30, 26, 10, 90], start=1):
        src.cell(2, c).font = Font(bold=True)
        src.cell(2, c).fill = HEAD
        src.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
    for item in form["sources"]:
        src.append(list(item))
        src.cell(src.max_row, 4).alignment = WRAP
    wb.save(path)
    return path


def write_forms(out: Path) -> list[Path]:
    folder = out / FORMS_FOLDER
    folder.mkdir(exist_ok=True)
    return [write_form(folder / form["file"], form) for form in FORMS]


def build(out: Path = HERE) -> list[Path]:
    return [
        write_kv(out / "lingling_2019.xlsx", "2019年度零陵区政务服务中心部门整体支出基础数据", LINGLING, LINGLING_REPORT),
        write_kv(out / "nanxian_2020.xlsx", "南县行政审批服务局2020年度政务服务专项资金基础数据", NANXIAN, NANXIAN_REPORT),
        write_kv(out / "bazhong_2022.xlsx", "巴中市政务服务中心2022年度部门整体支出基础数据", BAZHONG, BAZHONG_REPORT),
        write_daying(out / "daying_2023.xlsx"),
        write_longhui(out / "longhui_2022.xlsx"),
        *write_forms(out),
    ]


if __name__ == "__main__":
    for p in build():
        print(p)
