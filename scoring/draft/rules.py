"""评分标准 text → a proposed 评分公式: each kind of rule bureaus print is one recogniser, tried in a fixed order;
the first that reads the whole rule wins. Rules that need judgement, or that none reads, stay manual with the reason.
Deterministic and explainable: every draft names its pattern and the phrase it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .conditions import (GE, LE, NUMBER, SUBJECT, UNITS, common_tail, grade_words, is_fallback, literal, name_condition, name_ref,
                         numeric_condition, split_points)
from .text import normalize, split_clauses

PERCENT_STEP_NOTE = ("按超出的实际幅度扣分（超出 2.5 个百分点扣 2.5 倍），与多数 Excel 评分表相同；"
                     "如只按整百分点扣，把 (…)*100 改为 INT((…)*100)")


@dataclass
class Draft:
    """A proposed formula (None: stays manual), the pattern recognised, the phrase it was read from, the data names it
    needs besides the indicator's own figure, and how an ambiguity was read (or why it stays manual)."""

    formula: str | None
    pattern: str
    phrase: str
    names: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def manual(self) -> bool:
        return self.formula is None


@dataclass
class RuleContext:
    """What a rule may need besides its text: the indicator's name and its 目标值 (a parsed Target, or None)."""

    name: str = ""
    target: object = None


JUDGEMENT = re.compile(r"酌情|视(具体)?情况|视.{0,6}(程度|效果)|综合(评定|评价|考虑|判断|评分)|由(专家|评价组|评审组)|专家(评议|打分|评分)|"
                       r"根据.{0,20}(情况|程度|效果).{0,6}(评分|打分|给分|扣分|计分)|主观|自行(评定|打分)")


def draft_rule(text: str, context: RuleContext | None = None) -> Draft:
    """The formula for one indicator's 评分标准 (or 指标解释) text."""
    context = context or RuleContext()
    original = str(text or "").strip()
    if not original:
        return Draft(None, "没有评分标准", "", note="没有评分标准，按人工评分")
    normal = normalize(original)
    if JUDGEMENT.search(normal):
        return Draft(None, "需要判断", original, note=f"“{JUDGEMENT.search(normal)[0]}”需要评价人判断，按人工评分")
    for recognise in (_target, _per_step, _checklist, _per_incident, _proportional, _bands):
        draft = recognise(normal, original, context)
        if draft is not None:
            return draft
    return Draft(None, "未识别", original, note="没有认出评分规则（按比例、每…扣…分、分档、逐项计分……），按人工评分")


# ---------------------------------------------------------------- 达到目标值得满分，未达到按比例


_TARGET_FULL = re.compile(r"(达到|完成|实现|满足)(年度)?(绩效)?(指标值|目标值|目标|计划|预期目标)(的)?,?(得|计|给)?满分")
_TARGET_RATIO = re.compile(r"(未达到|未完成|没有达到|否则|不足的?|低于的?).{0,8}按(实际)?(完成)?(比例|程度|完成率|比率)")
_CAPPED_FULL = re.compile(rf"(≤|小于或等于|小于等于|不超过|不高于|不大于)(?P<v>{NUMBER})(?P<u>%?)(的|时)?,?(计|得|给)(满分|{NUMBER}分)")
_NUMBER_FULL = re.compile(rf"(达到|≥|不低于)(?P<v>{NUMBER})(?P<u>%?)(及以上|以上)?(的)?,?(得|计|给)?满分")


def _target(normal: str, original: str, context: RuleContext) -> Draft | None:
    if _TARGET_FULL.search(normal) and (_TARGET_RATIO.search(normal) or "按比例" in normal):
        return Draft(f"TARGET({SUBJECT}, 目标值)", "达到目标值得满分，未达到按比例", original,
                     note="方向取自目标值的 ≥、≤、=")
    if _TARGET_FULL.search(normal) and re.search(r"(否则|未达到|未完成)[^;,]*?(不得分|0分)", normal):
        return Draft(f"IF(TARGET({SUBJECT}, 目标值)>=分值, 分值, 0)", "达到目标值得满分，否则不得分", original)
    capped = _CAPPED_FULL.search(normal)
    if capped and re.search(r"(否则|超过的?|超出的?|高于的?).{0,6}按(实际)?(比例|比率)", normal):
        return Draft(f"RATIO_INV({SUBJECT}, {literal(capped['v'], capped['u'])})", "不超过标准得满分，超过按比例",
                     original, note="超过时得 分值×标准÷实际")
    number = _NUMBER_FULL.search(normal)
    if number and (_TARGET_RATIO.search(normal) or "按比例" in normal):
        return Draft(f"RATIO({SUBJECT}, {literal(number['v'], number['u'])})", "达到标准得满分，未达到按比例", original)
    return None


# ---------------------------------------------------------------- 每超过（低于）一个百分点扣 N 分


_OVER = "超过|超出|高于|多于|增加|上升|提高|大于|延迟|推迟|延期|滞后|超|多"
_UNDER = "低于|少于|降低|下降|减少|不足|小于|低|少|差"
_STEP = re.compile(rf"每(?P<dir>{_OVER}|{_UNDER})(?P<what>[\u4e00-\u9fff]{{0,6}}?)(?P<step>{NUMBER})?(?P<unit>个百分点|百分点|%|个工作日|工作日|"
                   rf"天|日|个月|月|小时|个|人|次|项|万元|元)[^;,]*?(扣|减)(?P<pts>{NUMBER})分")
_REFERENCE = re.compile(rf"以(?P<v>{NUMBER})(?P<u>%?)为(标准|基准|基数|上限|下限|限|准)")
_FULL_AT = re.compile(rf"(?P<op>≤|<|不超过|不高于|控制在|小于|低于|≥|>|不低于|达到|高于|大于|=|为|在)?(?P<v>{NUMBER})(?P<u>%?)(\(含\))?"
                      rf"(以内|以下|及以下|以上|及以上)?(\(含\))?(的|时)?,?(计|得|给)?(满分|{NUMBER}分)")
_CUT_OVER = re.compile(rf"(超过|高于|大于|>)(?P<v>{NUMBER})(?P<u>%?)(的|时)?,?(不得分|得0分|计0分|0分)")
_CUT_UNDER = re.compile(rf"(低于|小于|不足|<)(?P<v>{NUMBER})(?P<u>%?)(的|时)?,?(不得分|得0分|计0分|0分)")


def _per_step(normal: str, original: str, context: RuleContext) -> Draft | None:
    match = _STEP.search(normal)
    if not match:
        return None
    over = re.fullmatch(_OVER, match["dir"]) is not None
    percent = match["unit"] in ("个百分点", "百分点", "%")
    reference = _REFERENCE.search(normal)
    full = _FULL_AT.search(normal[:match.start()]) or _FULL_AT.search(normal)
    if match["unit"] in ("个", "人", "次", "项") and not reference and not full:
        return None  # 每少一项扣1分: a count of items, not a distance from a standard
    note = []
    if reference:
        ref = literal(reference["v"], reference["u"] or ("%" if percent and float(reference["v"]) > 1 else ""))
    elif full:
        ref = literal(full["v"], full["u"] or ("%" if percent and float(full["v"]) > 1 else ""))
    elif context.target is not None and getattr(context.target, "value", None) is not None:
        value = context.target.value
        ref = f"{value * 100:g}%" if percent else f"{value:g}"
        note.append(f"以目标值 {context.target.describe()} 为基准")
    elif not over:
        return Draft(None, "每低于…扣分（没有基准）", original, note="没有写明从多少起扣（如“以95%为标准”），按人工评分")
    else:
        ref = "0"
        note.append("没有写明基准，从 0 起扣")
    step = float(match["step"]) if match["step"] else 1.0
    scale = "*100" if percent else ""
    if step != 1:
        scale += f"/{step:g}"
    difference = f"({SUBJECT}-{ref})" if over else f"({ref}-{SUBJECT})"
    formula = f"DEDUCT({difference}{scale}, {float(match['pts']):g})"
    cut = (_CUT_OVER if over else _CUT_UNDER).search(normal)
    if cut:
        bound = literal(cut["v"], cut["u"] or ("%" if percent and float(cut["v"]) > 1 else ""))
        formula = f"IF({SUBJECT}{'>' if over else '<'}{bound}, 0, {formula})"
    if percent:
        note.append(PERCENT_STEP_NOTE)
    elif step != 1 or match["unit"] in ("天", "日", "个工作日", "工作日", "个月", "月", "小时", "万元", "元"):
        note.append("按实际幅度扣分（不足一档的部分按比例）")
    pattern = f"每{'超过' if over else '低于'}{'一个百分点' if percent else '一' + match['unit']}扣分，扣完为止"
    return Draft(formula, pattern, original, note="；".join(note))


# ---------------------------------------------------------------- 每出现一例扣 N 分


_INCIDENT = re.compile(rf"(每|发现|出现|发生|存在)([\u4e00-\u9fff]{{0,4}}?)(?P<step>{NUMBER})?"
                       rf"(?P<unit>例|次|起|项|个|处|件|人次|笔|条|篇|家|人|份)[^;,]*?(扣|减)(?P<pts>{NUMBER})分")


def _per_incident(normal: str, original: str, context: RuleContext) -> Draft | None:
    match = _INCIDENT.search(normal)
    if not match or match[1] != "每" and not re.search(r"扣完为止|扣至0|最低0|直至扣完|扣完|累计扣", normal):
        return None
    step = float(match["step"]) if match["step"] else 1.0
    count = SUBJECT if step == 1 else f"{SUBJECT}/{step:g}"
    return Draft(f"DEDUCT({count}, {float(match['pts']):g})", f"每出现一{match['unit']}扣分，扣完为止", original,
                 note=f"本指标的数据填{match['unit']}数")


# ---------------------------------------------------------------- ①…1分；②…1分 / 有…得 X 分，否则不得分


_MARKERS = re.compile(r"\(\d{1,2}\)|(?:(?<=^)|(?<=[;,:]))\d{1,2}[.)、](?!\d)|[一二三四五六七八九]是")


def _checklist(normal: str, original: str, context: RuleContext) -> Draft | None:
    marks = list(_MARKERS.finditer(normal))
    if len(marks) < 2:
        return None
    items = [normal[m.end():(marks[k + 1].start() if k + 1 < len(marks) else len(normal))].strip(";,")
             for k, m in enumerate(marks)]
    terms, names, deduct = [], [], None
    for item in items:
        points = re.search(rf"(?P<verb>计|得|给|加|扣|减)?(?P<pts>{NUMBER})分", item)
        if not points:
            return None
        is_deduction = points["verb"] in ("扣", "减")
        if deduct is None:
            deduct = is_deduction
        elif deduct != is_deduction:
            return None
        condition = re.sub(r"(的|时|者|,)+$", "", item[:points.start()]).strip(";,")
        if not condition:
            return None
        if numeric := numeric_condition(condition, _subject_of(condition, context)):
            terms.append(f"IF({numeric}, {float(points['pts']):g}, 0)")
        else:
            name = _item_name(condition)
            names.append(name)
            terms.append(f"IF({name_ref(name)}, {float(points['pts']):g}, 0)")
    formula = f"分值-({'+'.join(terms)})" if deduct else "+".join(terms)
    kind = "逐项扣分" if deduct else "逐项计分"
    return Draft(formula, kind, original, names=[n for n in names if n],
                 note="每项的数据填“是/否”" + ("（符合扣分情形填“是”）" if deduct else ""))


def _item_name(condition: str) -> str:
    """A data name for a checklist item: its words without punctuation, at most 20 characters."""
    name = re.sub(r"[()（）\[\]“”\"'。,;:、]", "", condition)
    return name[:20]


def _subject_of(condition: str, context: RuleContext) -> str:
    """The figure a numeric item speaks of: the name written before its operator, else the indicator's own."""
    match = re.match(r"([\u4e00-\u9fff]{2,12}?)(≥|≤|>|<|=|达到|不低于|不超过|低于|高于|超过)", condition)
    if match and match[1] not in (context.name,):
        return name_ref(match[1])
    return SUBJECT


# ---------------------------------------------------------------- 按完成比例计分，满分为止


_PROPORTIONAL = re.compile(r"按(实际)?(完成|执行|实施|到位|覆盖|达标)?(比例|比率|进度|率)(计|得|给|折算|计算)?(分|得分)?|"
                           r"(得分|评分)=.{1,30}\*(该项|该指标|本指标|指标)?(分值|权重|满分)|"
                           r"\*(该项|该指标|本指标|指标)?(分值|权重|满分)|乘以(该项|该指标|本指标)?(分值|权重|满分)")
_QUOTIENT = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,14})/(?P<b>[\u4e00-\u9fff]{2,14})")


def _proportional(normal: str, original: str, context: RuleContext) -> Draft | None:
    if not _PROPORTIONAL.search(normal):
        return None
    quotient = _QUOTIENT.search(normal)
    if quotient and quotient["a"] not in ("分值",) and quotient["b"] not in ("分值",):
        a, b = _clean_name(quotient["a"]), _clean_name(quotient["b"])
        return Draft(f"RATIO({name_ref(a)}, {name_ref(b)})", "按比例计分，满分为止", original, names=[a, b])
    return Draft(f"RATIO({SUBJECT}, 1)", "按比例计分，满分为止", original, note="本指标的数据填完成比例（如 95%）")


def _clean_name(name: str) -> str:
    return re.sub(r"^(得分|评分|完成率|即|为|按|以)=?", "", name)


# ---------------------------------------------------------------- =0计3分；0-10%(含)计2分；…；大于30%不得分


def _scored_clauses(normal: str) -> list[tuple[str, str]]:
    """(condition, points) of each clause that gives points. Within a sentence, clauses without points lead into the
    next (预算调整率=0，得5分; 通过清晰、可衡量的指标值予以体现计0.5分); a new sentence starts afresh."""
    scored = []
    for sentence in split_clauses(normal):
        pending = ""
        for clause in sentence:
            condition, points = split_points(clause)
            if points is None:
                pending += re.sub(r"(的|者)$", "", condition)
                continue
            scored.append((pending + condition, points))
            pending = ""
    return scored


def _bands(normal: str, original: str, context: RuleContext) -> Draft | None:
    scored = _scored_clauses(normal)
    if not scored:
        return None
    bare = _bare_direction([c for c, _ in scored])
    branches, names, fallback = [], [], None  # branches: (formula condition, points, kind, clause condition)
    for condition, points in scored:
        if is_fallback(condition):
            fallback = points
            continue
        numeric = numeric_condition(condition, bare=bare)
        if numeric:
            branches.append((numeric, points, "number", condition))
            continue
        compared = name_condition(condition)
        if compared:
            branches.append((compared[0], points, "name" if compared[1] else "none", condition))
            if compared[1]:
                names.append(compared[1])
            continue
        if re.search(r"\d", condition) or len(condition) > 24:
            return None
        branches.append((None, points, "word", condition))
    kinds = [kind for _, _, kind, _ in branches]
    if kinds == ["word", "word"] and branches[1][1] == "0" and fallback is None \
            and re.match(r"(未|没有|不|无)", branches[1][3]):  # 制定了…得3分；未制定不得分: the second is the rest
        fallback = "0"
        branches.pop()
        kinds.pop()
    if not branches:
        return None
    pattern, note = "分档计分", []
    words = [text for *_, kind, text in branches if kind == "word"]
    if len(words) == 1 and len(branches) == 1:  # 有…得2分，否则不得分: a yes/no figure
        name = SUBJECT if _same_as_indicator(words[0], context) else name_ref(words[0])
        branches = [(name, branches[0][1], "word", words[0])]
        if name != SUBJECT:
            names.append(words[0])
        pattern = "符合得分，否则不得分"
        note.append("数据填“是/否”")
    elif words:
        if not all(kind in ("word", "none") for kind in kinds):
            return None
        texts = [text for *_, text in branches]
        if all(k == "word" for k in kinds) and fallback is None and "0" not in [p for _, p, _, _ in branches] \
                and not _graded(texts):  # 符合…计1分；符合…计0.5分：items written without ①②③
            items = [_item_name(t) for t in texts]
            formula = "+".join(f"IF({name_ref(n)}, {p}, 0)" for n, (_, p, _, _) in zip(items, branches))
            return Draft(formula, "逐项计分", original, names=items, note="每项的数据填“是/否”")
        filled = grade_words([text for *_, text in branches])  # 明显提升 / 有所提升 / 没有提升: all grade words
        branches = [(f'{SUBJECT}="{word}"', points, "word", text) for word, (_, points, _, text) in zip(filled, branches)]
        pattern = "按等级计分"
        note.append("本指标的数据填：" + "、".join(f"“{w}”" for w in filled))
    if fallback is None:
        fallback = "0"
        if pattern == "分档计分":
            note.append("其余情况不得分")
    if len(branches) == 1:
        formula = f"IF({branches[0][0]}, {branches[0][1]}, {fallback})"
        if pattern == "分档计分" and not names:
            pattern = "达到标准得分，否则不得分"
    else:
        formula = "IFS(" + ", ".join(f"{c}, {p}" for c, p, _, _ in branches) + f", TRUE, {fallback})"
    return Draft(formula, pattern, original, names=list(dict.fromkeys(names)), note="；".join(note))


GRADE_WORDS = {"优", "良", "中", "差", "优秀", "良好", "中等", "合格", "不合格", "较好", "一般", "较差", "好", "及格", "不及格",
               "满意", "基本满意", "不满意", "达标", "不达标"}


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


__all__ = ["Draft", "RuleContext", "draft_rule", "GE", "LE"]
