"""评分标准 text → a proposed 评分公式: each kind of rule bureaus print is one recogniser, tried in a fixed order;
the first that reads the whole rule wins. Rules that need judgement, or that none reads, stay manual with the reason.
Deterministic and explainable: every draft names its pattern and the phrase it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .conditions import (GE, LE, NUMBER, SUBJECT, UNITS, common_tail, grade_words, is_fallback, literal, name_condition, name_ref,
                         numeric_condition, split_points)
from ..values import normalize_name
from ..words import GRADE_WORDS
from .text import Text, normalize

PERCENT_STEP_NOTE = ("按超出的实际幅度扣分（超出 2.5 个百分点扣 2.5 倍），与多数 Excel 评分表相同；"
                     "如只按整百分点扣，把 (…)*100 改为 INT((…)*100)")


DECLINED = "未能起草"  # the pattern of a rule with a clause draft could not read (or could read two ways)


@dataclass
class Draft:
    """A proposed formula (None: stays manual), the pattern recognised, the phrase it was read from, the data names it
    needs besides the indicator's own figure, and how an ambiguity was read (or why it stays manual). ``clauses``: the
    clauses of the text the formula accounts for, as printed; ``unread``: the clause that kept draft from proposing a
    formula (pattern ``未能起草``)."""

    formula: str | None
    pattern: str
    phrase: str
    names: list[str] = field(default_factory=list)
    note: str = ""
    clauses: list[str] = field(default_factory=list)
    unread: str = ""

    @property
    def manual(self) -> bool:
        return self.formula is None

    @property
    def declined(self) -> bool:
        return self.pattern == DECLINED


@dataclass
class RuleContext:
    """What a rule may need besides its text: the indicator's name and its 目标值 (a parsed Target, or None)."""

    name: str = ""
    target: object = None


@dataclass
class _Reading:
    """What one recogniser made of a text: a formula and the spans of ``Text.normal`` it read; or, with no formula,
    why it declines (``unread``: the clause index)."""

    formula: str | None
    pattern: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    note: str = ""
    unread: int | None = None
    reason: str = ""


JUDGEMENT = re.compile(r"酌情|视(具体)?情况|视.{0,6}(程度|效果)|综合(评定|评价|考虑|判断|评分)|由(专家|评价组|评审组)|专家(评议|打分|评分)|"
                       r"根据.{0,20}(情况|程度|效果).{0,6}(评分|打分|给分|扣分|计分)|主观|自行(评定|打分)")
# a clause that carries a number, a threshold or points: the formula must account for it
_SIGNIFICANT = re.compile(r"\d|[≥≤<>=]|满分|得分|计分|扣分|给分|加分|不得分|以上|以下|以内|超过|超出|低于|高于|不足|不超过|不低于|"
                          r"不少于|少于|多于|达到|按比例|比例计|按.{0,12}(计分|折算)")
_ITEM_MARK = re.compile(r"^(\(\d{1,2}\)|\d{1,2}[.)、](?!\d)|[一二三四五六七八九十]是)")
# clauses every reading accounts for: they only close a rule (扣完为止) or say when it does not apply
_NEUTRAL = re.compile(r"^(扣完为止|扣完即止|直至扣完|扣至0分?为止|扣至0分|最低(为)?0分|最低扣至0分|满分为止|得分不超过(该项|本项|该指标)?分值|"
                      r"最高不超过(该项|本项|该指标)?分值|最多扣完(该项|本项)?分值|扣完该项分值为止)$")
_NOT_APPLICABLE = re.compile(r"(没有|无|未涉及|不涉及|未安排)[^,;]{0,30}?(的|时),?(部门|单位|项目)?[^,;]{0,6}?"
                             r"(按满分(计算|折算)|该项不适用|填?不适用|不参与评分)|^(不计分)?并?按满分(计算|折算)$|^该项不适用$")


def draft_rule(text: str, context: RuleContext | None = None) -> Draft:
    """The formula for one indicator's 评分标准 (or 指标解释) text: proposed only when the reading accounts for every
    clause that carries a number, a threshold or points; otherwise 未能起草 with the clause quoted."""
    context = context or RuleContext()
    original = str(text or "").strip()
    if not original:
        return Draft(None, "没有评分标准", "", note="没有评分标准，按人工评分")
    t = Text(original)
    normal = t.normal
    if JUDGEMENT.search(normal):
        return Draft(None, "需要判断", original, note=f"“{JUDGEMENT.search(normal)[0]}”需要评价人判断，按人工评分")
    explicit, partial = None, None
    for recognise in (_target, _per_step, _checklist, _per_incident, _proportional, _bands):
        reading = recognise(t, context)
        if reading is None:
            continue
        if reading.formula is None:
            if reading.reason:
                explicit = explicit or reading
            else:
                partial = partial or reading
            continue
        used = {k for s, e in reading.spans for k in t.covering(s, e)}
        missing = [k for k in _accountable(t) if k not in used]
        if not missing:
            notes = [reading.note] if reading.note else []
            notes += [f"“{t.clauses[k].raw}”：该单位的数据填“不适用”" for k in _not_applicable(t)]
            return Draft(reading.formula, reading.pattern, original, names=list(dict.fromkeys(reading.names)),
                         note="；".join(notes), clauses=[t.clauses[k].raw for k in sorted(used)])
        partial = partial or _Reading(None, reading.pattern, unread=missing[0])
    if explicit is None and partial is None:
        accountable = _accountable(t)
        if not accountable:
            return Draft(None, "未识别", original, note="没有认出评分规则（按比例、每…扣…分、分档、逐项计分……），按人工评分")
        partial = _Reading(None, "", unread=accountable[0])
    declined = explicit or partial
    clause = t.clauses[declined.unread].raw if declined.unread is not None else ""
    reason = declined.reason or f"没有读懂“{clause}”"
    return Draft(None, DECLINED, original, note=f"未能起草：{reason}，按人工评分", unread=clause)


def _accountable(t: Text) -> list[int]:
    """Indices of the clauses a formula must account for."""
    skip = set(_not_applicable(t))
    return [k for k, c in enumerate(t.clauses)
            if k not in skip and not _NEUTRAL.match(c.text.strip(",;")) and _SIGNIFICANT.search(_ITEM_MARK.sub("", c.text))]


def _not_applicable(t: Text) -> list[int]:
    """Clauses saying when the rule does not apply (没有楼堂馆所项目的部门按满分计算): the unit enters 不适用."""
    found = []
    for k, c in enumerate(t.clauses):
        joined = c.text if k == 0 or t.clauses[k - 1].sentence != c.sentence else t.clauses[k - 1].text + "," + c.text
        if _NOT_APPLICABLE.search(c.text) or (_NOT_APPLICABLE.search(joined) and re.search(r"满分|不适用|不计分", c.text)):
            found.append(k)
    return found


def _span(match, offset: int = 0) -> tuple[int, int]:
    return match.start() + offset, match.end() + offset


def _related(a: str, b: str) -> bool:
    a, b = normalize_name(a), normalize_name(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _own(name: str, t: Text, context: RuleContext) -> bool:
    """Whether a figure the text names is the indicator's own (完成值): its name, or the rule's subject when that is."""
    name = re.sub(r"^(有|若|如)|(但|且|而|并)$", "", name)
    subject = _subject(t)
    if _unnamed(context) and not subject:
        return True
    if not name or (subject and _related(name, subject) and (_unnamed(context) or _related(subject, context.name))):
        return True
    return not _unnamed(context) and _related(name, context.name)


def _unnamed(context: RuleContext) -> bool:
    return not context.name or context.name == "本指标"


def _subject(t: Text) -> str:
    """The words before the first clause's operator: 服务对象满意度≥90% → 服务对象满意度."""
    if not t.clauses:
        return ""
    match = re.match(r"^([^\d≥≤<>=]+?)(?=≥|≤|>|<|=|达到|不低于|不超过|低于|高于|超过|小于|大于|为\d|在\d|\d)", t.clauses[0].text)
    return match[1] if match else ""


def _figure(name: str, t: Text, context: RuleContext) -> str:
    """A figure named in the text as the formula reads it: 完成值 when it is the indicator's own, else its name as
    printed."""
    name = re.sub(r"^(按|以|即|则|且|其)", "", name.strip())
    return SUBJECT if _own(name, t, context) else name_ref(t.printed(name))


# ---------------------------------------------------------------- 达到目标值得满分，未达到按比例


_FIGURE = rf"(?P<v>{NUMBER})(?P<u>%?)"  # a number and its %, if any: `literal(found["v"], found["u"])`
_WHEN = "(的|时)?"  # …的 / …时 after a condition
_POINTS_GIVEN = rf"(满分|{NUMBER}分)"
_TARGET_FULL = re.compile(r"(达到|完成|实现|满足)(年度)?(绩效)?(指标值|目标值|目标|计划|预期目标)(的)?,?(得|计|给)?满分")
_TARGET_RATIO = re.compile(r"(未达到|未完成|没有达到|否则|不足的?|低于的?)[^;]{0,8}按(实际)?(完成)?(比例|程度|完成率|比率)[^,;]*")
_TARGET_ZERO = re.compile(r"(否则|未达到|未完成)[^;,]*?(不得分|0分)")
_CAPPED_FULL = re.compile(rf"(≤|小于或等于|小于等于|不超过|不高于|不大于){_FIGURE}{_WHEN},?(计|得|给){_POINTS_GIVEN}")
_CAPPED_RATIO = re.compile(r"(否则|超过的?|超出的?|高于的?)[^;]{0,6}按(实际)?(比例|比率)[^,;]*")
_NUMBER_FULL = re.compile(rf"(达到|≥|不低于){_FIGURE}(及以上|以上)?(的)?,?(得|计|给)?满分")


def _target(t: Text, context: RuleContext) -> _Reading | None:
    normal = t.normal
    full, ratio = _TARGET_FULL.search(normal), _TARGET_RATIO.search(normal)
    if full and (ratio or "按比例" in normal) or full and _TARGET_ZERO.search(normal):
        if context.target is None:
            return _Reading(None, "达到目标值得满分", unread=t.covering(*_span(full))[0],
                            reason="评分标准按目标值计分，但表中没有本指标的目标值（在目标值列填写，如 ≥95%）")
        if ratio or "按比例" in normal:
            read = ratio or re.search(r"[^,;]*按比例[^,;]*", normal)
            return _Reading(f"TARGET({SUBJECT}, 目标值)", "达到目标值得满分，未达到按比例", [_span(full), _span(read)],
                            note="方向取自目标值的 ≥、≤、=")
        zero = _TARGET_ZERO.search(normal)
        return _Reading(f"IF(TARGET({SUBJECT}, 目标值)>=分值, 分值, 0)", "达到目标值得满分，否则不得分",
                        [_span(full), _span(zero)])
    capped, over = _CAPPED_FULL.search(normal), _CAPPED_RATIO.search(normal)
    if capped and over:
        return _Reading(f"RATIO_INV({SUBJECT}, {literal(capped['v'], capped['u'])})", "不超过标准得满分，超过按比例",
                        [_span(capped), _span(over)], note="超过时得 分值×标准÷实际")
    number = _NUMBER_FULL.search(normal)
    if number and ratio:
        return _Reading(f"RATIO({SUBJECT}, {literal(number['v'], number['u'])})", "达到标准得满分，未达到按比例",
                        [_span(number), _span(ratio)])
    return None


# ---------------------------------------------------------------- 每超过（低于）一个百分点扣 N 分


_OVER = "超过|超出|高于|多于|增加|上升|提高|大于|延迟|推迟|延期|滞后|超|多"
_UNDER = "低于|少于|降低|下降|减少|不足|小于|低|少|差"
_STEP = re.compile(rf"每(?P<dir>{_OVER}|{_UNDER})(?P<what>[\u4e00-\u9fff]{{0,6}}?)(?P<step>{NUMBER})?(?P<unit>个百分点|百分点|%|个工作日|工作日|"
                   rf"天|日|个月|月|小时|个|人|次|项|万元|元)[^;,]*?,?(扣|减)(?P<pts>{NUMBER})分")
_REFERENCE = re.compile(rf"以{_FIGURE}为(标准|基准|基数|上限|下限|限|准)")
_FULL_AT = re.compile(rf"(?P<op>≤|<|不超过|不高于|控制在|小于或等于|小于等于|小于|低于|≥|>|不低于|达到|高于|大于|=|为|在)?{_FIGURE}(\(含\))?"
                      rf"(以内|以下|及以下|以上|及以上)?(\(含\))?{_WHEN},?(计|得|给)?{_POINTS_GIVEN}")


def _cut(words: str) -> re.Pattern:
    """Beyond a figure, no points: 超过20%的不得分."""
    return re.compile(rf"({words}){_FIGURE}{_WHEN},?(不得分|得0分|计0分|0分)")


def _lead(words: str) -> re.Pattern:
    """A clause ending just before the step, on the same side of a figure: 比例不足90%时，(每减少5%…)."""
    return re.compile(rf"[^,;]*?({words}){_FIGURE}{_WHEN},$")


_CUT_OVER, _CUT_UNDER = _cut("超过|高于|大于|>"), _cut("低于|小于|不足|<")
# the clause leading into the step (>0时，每超过…; 比例不足90%时，每减少5%…): where the deductions start
_LEAD_OVER, _LEAD_UNDER = _lead(">|超过|超出|高于|大于"), _lead("<|低于|不足|少于|小于|未达到")


def _per_step(t: Text, context: RuleContext) -> _Reading | None:
    normal = t.normal
    match = _STEP.search(normal)
    if not match:
        return None
    over = re.fullmatch(_OVER, match["dir"]) is not None
    percent = match["unit"] in ("个百分点", "百分点", "%")
    spans = [_span(match)]
    reference = _REFERENCE.search(normal)
    full = _FULL_AT.search(normal[:match.start()]) or _FULL_AT.search(normal)
    lead = (_LEAD_OVER if over else _LEAD_UNDER).search(normal[:match.start()])
    if lead and lead.end() != match.start():
        lead = None
    if match["unit"] in ("个", "人", "次", "项") and not reference and not full and not lead:
        return None  # 每少一项扣1分: a count of items, not a distance from a standard
    note = []

    def as_literal(found):
        return literal(found["v"], found["u"] or ("%" if percent and float(found["v"]) > 1 else ""))

    for found in (reference, full, lead):
        if found is not None:
            spans.append(_span(found))
    worded = _FULL_BEFORE.search(normal[:match.start()])  # 按时完成得满分，每延迟1天扣0.5分
    if worded and not full:
        spans.append(_span(worded))
    if reference:
        ref = as_literal(reference)
    elif full:
        ref = as_literal(full)
    elif lead:
        ref = as_literal(lead)
    elif context.target is not None and getattr(context.target, "value", None) is not None:
        value = context.target.value
        ref = f"{value * 100:g}%" if percent else f"{value:g}"
        note.append(f"以目标值 {context.target.describe()} 为基准")
    elif not over:
        return _Reading(None, "每低于…扣分（没有基准）", unread=t.covering(*_span(match))[0],
                        reason="没有写明从多少起扣（如“以95%为标准”）")
    else:
        ref = "0"
        note.append("没有写明基准，从 0 起扣")
    for other in (reference, full, lead):  # two different starting points: which one?
        if other is not None and as_literal(other) != ref:
            return _Reading(None, "每…扣分", unread=t.covering(*_span(other))[0],
                            reason=f"扣分的起点有两个（{ref} 和 {as_literal(other)}）")
    step = float(match["step"]) if match["step"] else 1.0
    scale = "*100" if percent else ""
    if step != 1:
        scale += f"/{step:g}"
    difference = f"({SUBJECT}-{ref})" if over else f"({ref}-{SUBJECT})"
    formula = f"DEDUCT({difference}{scale}, {float(match['pts']):g})"
    cut = (_CUT_OVER if over else _CUT_UNDER).search(normal)
    if cut:
        spans.append(_span(cut))
        formula = f"IF({SUBJECT}{'>' if over else '<'}{as_literal(cut)}, 0, {formula})"
    if percent:
        note.append(PERCENT_STEP_NOTE)
    elif step != 1 or match["unit"] in ("天", "日", "个工作日", "工作日", "个月", "月", "小时", "万元", "元"):
        note.append("按实际幅度扣分（不足一档的部分按比例）")
    pattern = f"每{'超过' if over else '低于'}{'一个百分点' if percent else '一' + match['unit']}扣分，扣完为止"
    return _Reading(formula, pattern, spans, note="；".join(note))


# ---------------------------------------------------------------- 每出现一例扣 N 分


_INCIDENT = re.compile(rf"(每|发现|出现|发生|存在)([\u4e00-\u9fff]{{0,4}}?)(?P<step>{NUMBER})?"
                       rf"(?P<unit>例|次|起|项|个|处|件|人次|笔|条|篇|家|人|份)[^;,]*?(扣|减)(?P<pts>{NUMBER})分")
_FULL_BEFORE = re.compile(rf"(?:^|(?<=;))[^;\d]*?,?(计|得|给)?(满分|{NUMBER}分)[;,]?$")
# 春节前下达…的50%；6月底前…全部下达完。每出现一个专项未按进度完成…扣0.5分: the sentences before state what 按进度 is
_REQUIREMENT_REF = re.compile(r"未按(进度|要求|规定|时限|时间|计划)")


def _per_incident(t: Text, context: RuleContext) -> _Reading | None:
    normal = t.normal
    match = _INCIDENT.search(normal)
    if not match or match[1] != "每" and not re.search(r"扣完为止|扣至0|最低0|直至扣完|扣完|累计扣", normal):
        return None
    spans = [_span(match)]
    full = _FULL_BEFORE.search(normal[:match.start()])  # 资金使用符合…的，计4分；每发现一项问题扣1分
    if full:
        spans.append(_span(full))
    if _REQUIREMENT_REF.search(match[0]):
        sentence = t.clauses[t.covering(*_span(match))[0]].sentence
        spans += [(c.start, c.end) for c in t.clauses
                  if c.sentence < sentence and not split_points(c.text)[1] and not re.search(r"[≥≤<>]|扣|得分|计分", c.text)]
    step = float(match["step"]) if match["step"] else 1.0
    count = SUBJECT if step == 1 else f"{SUBJECT}/{step:g}"
    return _Reading(f"DEDUCT({count}, {float(match['pts']):g})", f"每出现一{match['unit']}扣分，扣完为止", spans,
                    note=f"本指标的数据填{match['unit']}数")


# ---------------------------------------------------------------- ①…1分；②…1分 / 有…得 X 分，否则不得分


_MARKERS = re.compile(r"\(\d{1,2}\)|(?:(?<=^)|(?<=[;,:]))\d{1,2}[.)、](?!\d)|[一二三四五六七八九]是")
_EACH = re.compile(rf"[;,]?每(项|条|个)(计|得|给)?(?P<pts>{NUMBER})分[;,]?$")
_ITEM_POINTS = re.compile(rf"(?P<verb>计|得|给|加|扣|减)?(?P<pts>{NUMBER})分")
_ITEM_TAIL = re.compile(rf"^[,;]*(每(少|缺)(一|1)项扣(?P<pts>{NUMBER})分)?[,;]*(扣完为止)?[,;]*$")
# 县级财政投入达到省级补助资金的10%以上: one figure as a share of another
_SHARE = re.compile(rf"^(?P<a>[^,;\d]{{2,30}}?)(?P<op>达到|不低于|不少于|超过|高于|占|低于|不足|不超过|不高于)(?P<b>[^,;\d]{{2,30}}?)的"
                    rf"(?P<v>{NUMBER})%(?P<suffix>\(含\))?(?P<tail>以上|及以上|以下|及以下|以内)?$")
_SHARE_OPS = {"达到": ">=", "不低于": ">=", "不少于": ">=", "超过": ">", "高于": ">", "低于": "<", "不足": "<", "不超过": "<=",
              "不高于": "<="}


def _checklist(t: Text, context: RuleContext) -> _Reading | None:
    normal = t.normal
    marks = list(_MARKERS.finditer(normal))
    if len(marks) < 2:
        return None
    bounds = [(m.end(), marks[k + 1].start() if k + 1 < len(marks) else len(normal)) for k, m in enumerate(marks)]
    each = _EACH.search(normal[bounds[-1][0]:])
    spans = [(marks[0].start(), marks[0].end())]
    if each:
        spans.append(_span(each, bounds[-1][0]))
        bounds[-1] = (bounds[-1][0], bounds[-1][0] + each.start())
    terms, names, deduct = [], [], None
    for (start, end), mark in zip(bounds, marks):
        item = normal[start:end]
        points = _ITEM_POINTS.search(item)
        if points:
            is_deduction = points["verb"] in ("扣", "减")
            value, condition, used_to = float(points["pts"]), item[:points.start()], start + points.end()
            tail = _ITEM_TAIL.match(item[points.end():])
            if tail and (tail["pts"] is None or float(tail["pts"]) == value):
                used_to = end
        elif each:
            is_deduction, value, condition, used_to = False, float(each["pts"]), item, end
        else:
            return None
        if deduct is None:
            deduct = is_deduction
        elif deduct != is_deduction:
            return None
        condition = re.sub(r"(的|时|者|,|;)+$", "", condition).strip(";,")
        if not condition:
            return None
        spans.append((mark.start(), used_to))
        test, needed = _item_test(condition, t, context)
        if test is None:
            return _Reading(None, "逐项计分", unread=t.covering(start, start + len(condition))[0],
                            reason=f"“{t.printed(condition)}”中的数没有读懂")
        names += needed
        terms.append(f"IF({test}, {value:g}, 0)")
    formula = f"分值-({'+'.join(terms)})" if deduct else "+".join(terms)
    return _Reading(formula, "逐项扣分" if deduct else "逐项计分", spans, names,
                    note="每项的数据填“是/否”" + ("（符合扣分情形填“是”）" if deduct else ""))


def _item_test(condition: str, t: Text, context: RuleContext) -> tuple[str | None, list[str]]:
    """(formula condition, data names) of one checklist item: a yes/no fact named as printed, a figure compared with
    a threshold (资金到位率达到90%以上), or one figure's share of another (…投入达到…资金的10%以上); (None, []) when the
    item has a number that is none of these."""
    share = _SHARE.match(condition)
    if share:
        a, b = t.printed(share["a"]), t.printed(share["b"])
        op = _SHARE_OPS.get(share["op"], ">=")
        if share["tail"] in ("以下", "及以下", "以内"):
            op = "<="
        elif share["tail"] in ("以上", "及以上") and share["op"] == "占":
            op = ">="
        return f"{name_ref(a)}/{name_ref(b)}{op}{float(share['v']):g}%", [a, b]
    subject = _subject_of(condition, context)
    numeric = numeric_condition(condition, subject)
    if numeric:
        return numeric, ([] if subject == SUBJECT else [subject.strip("[]")])
    if re.search(r"\d", condition):
        return None, []
    name = _item_name(condition, t)
    return name_ref(name), [name]


def _item_name(condition: str, t: Text) -> str:
    """A yes/no fact's data name: the item's words as printed, whole (a long name is bracketed in the formula)."""
    return t.printed(condition).strip(" ，,；;。:：")


def _subject_of(condition: str, context: RuleContext) -> str:
    """The figure a numeric item speaks of: the name written before its operator, else the indicator's own."""
    match = re.match(r"([\u4e00-\u9fff]{2,12}?)(≥|≤|>|<|=|达到|不低于|不超过|低于|高于|超过)", condition)
    if match and not _related(match[1], context.name or ""):
        return name_ref(match[1])
    return SUBJECT


# ---------------------------------------------------------------- 按完成比例计分，满分为止


_PROPORTIONAL = re.compile(r"按(实际)?(完成|执行|实施|到位|覆盖|达标)?(比例|比率|进度|率)(计|得|给|折算|计算)?(分|得分)?|"
                           r"(得分|评分)=.{1,30}\*(该项|该指标|本指标|指标)?(分值|权重|满分)|"
                           r"\*(该项|该指标|本指标|指标)?(分值|权重|满分)|乘以(该项|该指标|本指标)?(分值|权重|满分)")
_QUOTIENT = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,14})/(?P<b>[\u4e00-\u9fff]{2,14})")


def _proportional(t: Text, context: RuleContext) -> _Reading | None:
    normal = t.normal
    found = _PROPORTIONAL.search(normal)
    if not found:
        return None
    spans = [_span(found)]
    capped = re.search(r"超过100%的?按100%(计算|计)", normal)  # 按实际完成率计分，超过100%的按100%计算: RATIO caps
    if capped:
        spans.append(_span(capped))
    quotient = _QUOTIENT.search(normal)
    if quotient and quotient["a"] not in ("分值",) and quotient["b"] not in ("分值",):
        a, b = t.printed(_clean_name(quotient["a"])), t.printed(_clean_name(quotient["b"]))
        spans.append(_span(quotient))
        return _Reading(f"RATIO({name_ref(a)}, {name_ref(b)})", "按比例计分，满分为止", spans, [a, b])
    return _Reading(f"RATIO({SUBJECT}, 1)", "按比例计分，满分为止", spans, note="本指标的数据填完成比例（如 95%）")


def _clean_name(name: str) -> str:
    return re.sub(r"^(得分|评分|完成率|即|为|按|以)=?", "", name)


# ---------------------------------------------------------------- =0计3分；0-10%(含)计2分；…；大于30%不得分


# 按 满意度÷90%×4分 计分, 按 100%÷控制率×4分 计分, 按 10分×（1+成本节约率） 计分, 否则按比例计分
_VALUE_CLAUSE = re.compile(r"^(?P<cond>.*?)(?:的|时|者)?按(?:照)?(?P<expr>.+?)(?:计分|计算|得分|折算|给分|计)$")
_RATIO_WORDS = re.compile(r"^(实际)?(完成)?(比例|比率|程度|完成率|完成程度|完成比例)$")
_TOKEN = re.compile(rf"(?P<num>{NUMBER})(?P<unit>%|分)?|(?P<op>[*/+\-()])|(?P<name>[^\d*/+\-()]+)")
_POINTS_WORDS = ("分值", "该项分值", "该指标分值", "本指标分值", "本项分值", "指标分值", "权重", "满分")


def _expression(expr: str, t: Text, context: RuleContext) -> tuple[str, list[str]] | None:
    """满意度/90%*4分 → (完成值/90%*4, []); None unless every part is a number, an operator or a figure's name."""
    out, names, at = [], [], 0
    for token in _TOKEN.finditer(expr):
        if token.start() != at:
            return None
        at = token.end()
        if token["num"] is not None:
            out.append(f"{float(token['num']):g}%" if token["unit"] == "%" else f"{float(token['num']):g}")
        elif token["op"]:
            out.append(token["op"])
        else:
            name = token["name"]
            if name in _POINTS_WORDS:
                out.append("分值")
                continue
            figure = _figure(name, t, context)
            if figure != SUBJECT:
                names.append(figure.strip("[]"))
            out.append(figure)
    if at != len(expr) or not any(c in expr for c in "*/") or not names and SUBJECT not in out:
        return None
    return "".join(out), names


def _bands(t: Text, context: RuleContext) -> _Reading | None:
    scored = _scored_clauses(t, context)
    if not scored:
        return None
    if isinstance(scored, _Reading):
        return scored
    bare = _bare_direction([c for c, _, _ in scored])
    branches, names, fallback, spans = [], [], None, []  # branches: (formula condition, value, kind, clause condition)
    ratio_fallback = None
    for condition, value, used in scored:
        spans += [(t.clauses[k].start, t.clauses[k].end) for k in used]
        kind, points, needed = value
        names += needed
        if is_fallback(condition):
            if kind == "ratio":
                ratio_fallback = used
            fallback = points
            continue
        numeric = numeric_condition(condition, bare=bare)
        if numeric:
            branches.append((numeric, points, "number", condition, used, kind))
            continue
        compared = name_condition(condition, lambda left: _figure(left, t, context))
        if compared:
            branches.append((compared[0], points, "name" if compared[1] else "none", condition, used, kind))
            if compared[1]:
                names.append(compared[1])
            continue
        if re.search(r"\d", condition) or len(condition) > 40:
            return _Reading(None, "分档计分", unread=used[0])
        branches.append((None, points, "word", condition, used, kind))
    if ratio_fallback is not None:  # 否则按比例计分: proportional to the one threshold, when only one reading exists
        resolved = _ratio_rest(branches, t, ratio_fallback[0])
        if isinstance(resolved, _Reading):
            return resolved
        fallback = resolved
    if any(kind == "ratio" for *_, kind in branches):
        return None
    kinds = [b[2] for b in branches]
    if kinds == ["word", "word"] and branches[1][1] == "0" and fallback is None \
            and re.match(r"(未|没有|不|无)", branches[1][3]):  # 制定了…得3分；未制定不得分: the second is the rest
        fallback = "0"
        branches.pop()
        kinds.pop()
    if not branches:
        return None
    pattern, note = "分档计分", []
    words = [b[3] for b in branches if b[2] == "word"]
    if len(words) == 1 and len(branches) == 1:  # 有…得2分，否则不得分: a yes/no figure
        if _same_as_indicator(words[0], context):
            name = SUBJECT
        else:
            printed = _item_name(words[0], t)
            name = name_ref(printed)
            names.append(printed)
        branches = [(name, branches[0][1], "word", words[0], branches[0][4], branches[0][5])]
        pattern = "符合得分，否则不得分"
        note.append("数据填“是/否”")
    elif words:
        if not all(kind in ("word", "none") for kind in kinds):
            return None
        texts = [b[3] for b in branches]
        if all(k == "word" for k in kinds) and fallback is None and "0" not in [b[1] for b in branches] \
                and not _graded(texts):  # 制定…，得1分；有…，得1分：items written without ①②③
            items = [_item_name(text, t) for text in texts]
            formula = "+".join(f"IF({name_ref(n)}, {b[1]}, 0)" for n, b in zip(items, branches))
            return _Reading(formula, "逐项计分", spans, items, note="每项的数据填“是/否”")
        filled = grade_words(texts)  # 明显提升 / 有所提升 / 没有提升: all grade words
        branches = [(f'{SUBJECT}="{word}"', *b[1:]) for word, b in zip(filled, branches)]
        pattern = "按等级计分"
        note.append("本指标的数据填：" + "、".join(f"“{w}”" for w in filled))
    if pattern == "分档计分":
        branches = _zero_band(branches)
    if fallback is None:
        fallback = "0"
        if pattern == "分档计分":
            note.append("其余情况不得分")
    if len(branches) == 1:
        formula = f"IF({branches[0][0]}, {branches[0][1]}, {fallback})"
        if pattern == "分档计分" and not names:
            pattern = "达到标准得分，否则不得分"
    else:
        formula = "IFS(" + ", ".join(f"{b[0]}, {b[1]}" for b in branches) + f", TRUE, {fallback})"
    if any(b[5] == "expr" for b in branches) or ratio_fallback is not None or not re.fullmatch(r"[\d.]+|分值", fallback):
        pattern = "分档计分，按比例计分"
    return _Reading(formula, pattern, spans, list(dict.fromkeys(names)), note="；".join(note))


def _scored_clauses(t: Text, context: RuleContext):
    """(condition, (kind, value, names), clause indices) of each clause that gives points — a number, 分值, an
    expression (按 满意度÷90%×4分 计分) or the rest in proportion (否则按比例计分). Within a sentence, clauses without
    points lead into the next (预算调整率=0，得5分); a new sentence starts afresh; what leads nowhere is not read."""
    scored, skip = [], set(_not_applicable(t))
    pending, used, sentence = "", [], None
    for k, clause in enumerate(t.clauses):
        if clause.sentence != sentence:
            pending, used, sentence = "", [], clause.sentence
        if k in skip or _NEUTRAL.match(clause.text.strip(",;")):
            continue
        condition, points = split_points(clause.text)
        if points is not None:
            scored.append((pending + condition, ("points", points, []), used + [k]))
            pending, used = "", []
            continue
        valued = _VALUE_CLAUSE.match(clause.text)
        if valued:
            head = re.sub(r"(的|时|者|,)$", "", valued["cond"])
            if _RATIO_WORDS.match(valued["expr"]):
                scored.append((pending + head, ("ratio", None, []), used + [k]))
            elif valued["expr"] in ("满分",):
                scored.append((pending + head, ("points", "分值", []), used + [k]))
            else:
                expression = _expression(valued["expr"], t, context)
                if expression is None:
                    return _Reading(None, "分档计分", unread=k, reason=f"“{clause.raw}”中的算式没有读懂")
                scored.append((pending + head, ("expr", expression[0], expression[1]), used + [k]))
            pending, used = "", []
            continue
        pending += re.sub(r"(的|者)$", "", condition)
        used.append(k)
    return scored


def _ratio_rest(branches, t: Text, clause: int):
    """The points of 否则按比例计分 after one threshold: ≥100% → 完成值÷100%×分数, ≤X → X÷完成值×分数; a threshold
    the figure can pass either way (=100%), or ≥90% (完成值×分数 or 完成值÷90%×分数), reads two ways: declined."""
    numbers = [b for b in branches if b[2] == "number"]
    if len(branches) != 1 or len(numbers) != 1:
        return _Reading(None, "分档计分", unread=clause, reason="“按比例计分”前有不止一档，不知按哪一档的标准折算")
    condition, points = numbers[0][0], numbers[0][1]
    match = re.fullmatch(rf"{SUBJECT}(>=|<=|>|<|=)(-?{NUMBER}%?)", condition)
    if not match:
        return _Reading(None, "分档计分", unread=clause, reason="“按比例计分”的标准没有读懂")
    op, bound = match[1], match[2]
    if op in ("<=", "<"):
        return f"{bound}/{SUBJECT}*{points}"
    if op in (">=", ">") and bound in ("100%", "1"):
        return f"{SUBJECT}/{bound}*{points}"
    if op == "=":
        reason = (f"“{t.clauses[clause].raw}”有两种读法：完成值高于 {bound} 时，可以是 {bound}÷完成值，也可以按完成值÷{bound} 封顶"
                  "得满分——请写明算式（如“超过的，按 100%÷实际×分值 计分”）")
    else:
        reason = (f"“{t.clauses[clause].raw}”有两种读法：低于 {bound} 时，可以是 完成值÷{bound}×分数，也可以是 完成值×分数"
                  "——请写明算式（如“低于90%的，按 实际÷90%×分值 计分”）")
    return _Reading(None, "分档计分", unread=clause, reason=reason)


def _zero_band(branches):
    """=0 as the best band of rising bands (=0 计5分；0-10%(含) 计4分…): a figure below 0 (a cut) scores as 0 does."""
    if len(branches) < 2 or branches[0][0] != f"{SUBJECT}=0" or not str(branches[1][0]).startswith(f"AND({SUBJECT}>0"):
        return branches
    values = [float(b[1]) for b in branches if re.fullmatch(NUMBER, str(b[1]))]
    if len(values) != len(branches) or values[0] < max(values):
        return branches
    return [(f"{SUBJECT}<=0", *branches[0][1:]), *branches[1:]]




def _graded(texts: list[str]) -> bool:
    """Levels of one quality (健全 / 基本健全, 优秀 / 良好) rather than separate items: grade words, or a shared ending."""
    if all(t in GRADE_WORDS for t in texts):
        return True
    return len(common_tail(texts)) >= 2


def _bare_direction(conditions: list[str]) -> str:
    """A bare threshold (100%计5分；90%计4分) means ≥ when the thresholds fall, ≤ when they rise."""
    values = []
    for c in conditions:
        match = re.fullmatch(rf"\D*?({NUMBER}){UNITS}", c)
        if match:
            values.append(float(match[1]))
    return LE if len(values) >= 2 and values == sorted(values) and values[0] != values[-1] else GE


def _same_as_indicator(word: str, context: RuleContext) -> bool:
    name = re.sub(r"^(是否|有无|有|已)", "", context.name or "")
    return bool(name) and (name in word or word in name)


__all__ = ["Draft", "RuleContext", "draft_rule", "DECLINED", "GE", "LE"]
