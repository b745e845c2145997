"""Every vocabulary the product reads tables by, in one place: the header words of the indicator table and of the data
workbook, level words, grade words, row words (合计, 小计, 择其一, 加分项), year words, rate words, units.
docs/indicator-workbook.md lists them (tests/test_docs.py checks that it lists exactly these); no other module keeps a
word list of its own. Words are compared after `read.headers.header_key` (no spaces, no bracketed suffix, lower case)."""

from __future__ import annotations

import re

# ---------------------------------------------------------------- the indicator table's header

LEVEL_ALIASES = {
    "一级指标": 1, "二级指标": 2, "三级指标": 3, "四级指标": 4,
    "一级": 1, "二级": 2, "三级": 3, "四级": 4,
    "level1": 1, "level2": 2, "level3": 3, "level4": 4,
}
# Indicator-name columns whose header carries no level (published tables: 项目 | 评价指标 | 评价内容): their levels
# follow column order, after any explicit level to their left.
GENERIC_LEVEL_WORDS = {"评价指标", "评价内容", "指标名称", "考核内容", "考核指标", "考核项目", "项目", "内容", "评分指标",
                       "指标", "评价项目", "绩效指标"}
ROLE_ALIASES = {
    "points": ["分值", "权重", "满分", "标准分", "分数", "权数", "标准分值", "指标分值", "weight", "points"],
    "code": ["指标编号", "编号", "指标代码", "代码", "code"],
    "description": ["指标解释", "指标说明", "指标内涵", "description"],
    "criteria": ["评分标准", "评价标准", "评分规则", "评分方法", "评分细则", "考核标准", "计分方法", "评分办法", "评价要点",
                 "criteria"],
    "formula": ["评分公式", "计分公式", "formula"],
    "target": ["目标值", "指标值", "年度指标值", "标准值", "年度工作目标", "年度目标", "年度目标值", "预期目标", "预期指标值",
               "全年目标值", "target"],
    "type": ["指标类型", "类型", "type"],
    "actual": ["实际完成值", "完成值", "全年实际值", "实际值", "实际完成"],
    "score": ["得分", "自评得分", "自评分", "评分", "评价得分", "考核得分", "实际得分", "score"],
    "note": ["扣分说明", "扣分原因", "得分说明", "扣分原因和其他说明", "扣分原因及说明", "偏差原因分析及改进措施", "偏差原因",
             "note"],
}
ROLE_OF = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}
# Header words of columns that are no part of the indicator table's reading (序号 is a row number)
ROW_NUMBER_WORDS = {"序号", "编码序号", "no", "no."}

# Grade words: printed as column headers when criteria are laid out side by side (优 | 良 | 中 | 差), and as the levels
# of one quality in a 评分标准 (优秀 / 良好 / 合格).
GRADE_WORDS = {"优", "优秀", "良", "良好", "中", "中等", "一般", "合格", "基本合格", "及格", "差", "较差", "不合格", "不及格",
               "好", "较好", "很好", "满意", "基本满意", "不满意", "达标", "不达标"}

# ---------------------------------------------------------------- rows of the indicator table

TOTAL_WORDS = ("合计", "总分", "总计")
SUBTOTAL_WORD = "小计"  # 小计, 分项小计, 投入小计: a row inside the table that repeats a sum
MAX_SUBTOTAL_LABEL = 12  # longer text containing 小计 is an indicator's name, not a subtotal label
CHOICE_WORDS = re.compile(r"[择选]其一|择一|二选一|三选一|任选一|选择一项")  # 二者择其一, 选择其一 …
BONUS_NAMES = {"加分项", "加分指标", "加分"}
PENALTY_NAMES = {"扣分项", "扣分指标", "扣分"}
# Rows of a 自评表 below its indicators that end the table (其他需要说明事项 | 无 after 总分)
CLOSING_WORDS = ("其他需要说明事项", "其他需说明事项", "其他说明事项", "偏差大或目标未完成原因分析", "改进措施及结果应用方案")
# Rows of a 自评表 template that hold no indicator: a breakdown of the row above (其中：…) or a placeholder left in
# the form (指标1, ……)
BREAKDOWN_PREFIX = ("其中",)
PLACEHOLDER = re.compile(r"^(?:指标\d+[：:]?|…+|\.{3,}|—+|-+|／|/)$")

# Numbering printed before names, highest rank first: 一、 > （一） > 1、 / 1. > （1） > ①. A name column holding two
# ranks holds two levels (一、投入 over 1、预算编制).
NUMBERING_RANKS = (
    re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]"),
    re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]"),
    re.compile(r"^\s*\d+\s*[、.．](?!\d)"),
    re.compile(r"^\s*[（(]\s*\d+\s*[）)]"),
    re.compile(r"^\s*[①-⑳]"),
)

# ---------------------------------------------------------------- the data workbook's header

KV_NAME = {"名称", "项目", "数据项", "指标", "变量", "name", "数据名称", "指标名称"}
KV_VALUE = {"数值", "值", "数据", "填报值", "value", "实际值", "完成值"}
WIDE_UNIT = {"单位名称", "单位", "部门", "部门名称", "项目名称", "项目", "unit"}
UNIT_KEYS = {"单位名称", "单位", "部门名称", "项目名称"}
NOTE_SHEETS = ("来源", "说明", "填表说明")  # notes about the data, never the data itself

# ---------------------------------------------------------------- years, rates

YEAR_NAMES = ("评价年度", "年度")  # data names (or 设置 keys) that give the year evaluated
# Names ending in 率 or 度 are rates (执行率, 满意度, 知晓度) — except these words for amounts and periods.
NOT_RATES = ("额度", "年度", "季度", "月度", "长度", "宽度", "高度", "深度", "温度", "密度", "强度", "力度", "角度",
             "经度", "纬度", "维度", "制度", "调度", "幅度", "热度", "湿度", "厚度", "速度", "浓度")

# ---------------------------------------------------------------- values as typed

TRUE_WORDS = {"是", "√", "☑", "✓", "✔", "有", "y", "yes", "true", "对", "真"}
FALSE_WORDS = {"否", "×", "□", "☐", "n", "no", "false", "错", "假", "x", "✗", "✘", "✕", "✖", "❌", "╳"}
NONE_WORDS = {"无", "没有"}  # 否 as a yes/no answer; where a figure is needed, 0 or 不适用 may be meant (NoneWord)
NA_WORDS = {"不适用", "n/a", "na", "#n/a", "—", "——", "-", "--", "/", "／", "无此项"}

# ---------------------------------------------------------------- units

# Units a figure or a target may carry (SPEC §4.3): unit → (the unit it is counted in, how many of those it is).
# Figures typed with one of these are converted; `%` and 个百分点 are hundredths and read as such everywhere.
UNITS = {
    "元": ("元", 1.0), "千元": ("元", 1e3), "万元": ("元", 1e4), "百万元": ("元", 1e6), "亿元": ("元", 1e8),
    "人": ("人", 1.0), "万人": ("人", 1e4), "人次": ("人次", 1.0), "万人次": ("人次", 1e4),
    "个": ("个", 1.0), "项": ("个", 1.0), "万个": ("个", 1e4), "件": ("件", 1.0), "万件": ("件", 1e4),
    "户": ("户", 1.0), "万户": ("户", 1e4), "次": ("次", 1.0), "万次": ("次", 1e4),
}
PERCENT_UNITS = ("%", "百分比", "个百分点", "百分点")
# Units written after a number in a 评分标准 sentence (score draft), longest first where one is the start of another
RULE_UNIT_WORDS = ("个百分点", "百分点", "个工作日", "工作日", "万人次", "人次", "平方米", "万元", "亿元", "小时", "分钟", "个月", "%",
                   "天", "日", "个", "人", "次", "件", "项", "家", "户", "条", "所", "台", "套", "篇", "场", "期", "份", "批",
                   "座", "公里", "米", "㎡", "元", "月", "年", "周", "类", "种", "张", "页", "名", "位", "处", "间", "例", "起",
                   "笔")

# ---------------------------------------------------------------- the 自评表's 项目资金 block

FUNDING_WORDS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUNDING_ROW_WORDS = ("年度资金总额", "资金总额", "合计")  # the block's first row, the one that is scored
PROJECT_WORDS = ("项目名称",)
