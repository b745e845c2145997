"""Conditions and points inside one clause of a 评分标准 (already ``text.normalize``d): `≥90%`, `80%(含)-90%`,
`80%≤X<90%`, `低于60%`, `90%以上`, `无结余`, `不超过上年结转`, `基本健全` → a formula condition on the indicator's own
figure (`完成值`); `计5分`, `得满分`, `不得分` → points."""

from __future__ import annotations

import re

from ..words import RULE_UNIT_WORDS

SUBJECT = "完成值"
NUMBER = r"\d+(?:\.\d+)?"
UNITS = "(?:" + "|".join(re.escape(u) for u in RULE_UNIT_WORDS) + ")?"
_VALUE = re.compile(rf"(?P<num>{NUMBER})(?P<unit>{UNITS})")

# operator words, longest first; a suffix word follows the number
GE, GT, LE, LT, EQ = ">=", ">", "<=", "<", "="
_PREFIX_OPS = sorted([
    ("≥", GE), ("不低于", GE), ("不少于", GE), ("不小于", GE), ("达到", GE), ("大于等于", GE), ("大于或等于", GE), ("高于等于", GE),
    ("至少", GE), ("在", None),
    (">", GT), ("大于", GT), ("高于", GT), ("超过", GT), ("多于", GT), ("超出", GT),
    ("≤", LE), ("不超过", LE), ("不高于", LE), ("不多于", LE), ("不大于", LE), ("小于等于", LE), ("小于或等于", LE), ("控制在", LE),
    ("<", LT), ("小于", LT), ("低于", LT), ("少于", LT), ("不足", LT), ("不到", LT), ("未达到", LT), ("未到", LT),
    ("=", EQ), ("等于", EQ), ("为", EQ),
], key=lambda p: -len(p[0]))
_SUFFIX_OPS = sorted([("及以上", GE), ("或以上", GE), ("以上", GE), ("及以下", LE), ("或以下", LE), ("以下", LE), ("以内", LE),
                      ("之内", LE), ("(含)以上", GE), ("(含)以下", LE)], key=lambda p: -len(p[0]))
_FALLBACK = re.compile(r"^(否则|其他|其它|其余|以外|反之|其他情况|其余情况|其他的|未达到|未完成|没有|无|"
                       r"超过|超出|高于|大于|低于|不足|小于|未达标|不达标|不符合|达不到|超支|超支时)$")  # 超过不得分: the rest
_POINTS = re.compile(rf"(?:计|得|给|加|赋)?(?P<pts>{NUMBER})分$|(?P<full>(?:计|得|给)?满分)$|(?P<zero>不得分|不计分|不给分|得0分|计0分|0分|零分)$")
_QUALIFIERS = ("基本", "较为", "比较", "较", "不", "未", "部分", "一般", "完全", "非常", "明显", "有所", "没有", "显著", "稍有",
               "略有", "无", "很")


def literal(number: str, unit: str) -> str:
    """A threshold as the formula writes it: 90% stays 90% (the figure is a fraction), 30天 → 30."""
    number = f"{float(number):g}"
    return f"{number}%" if unit in ("%", "个百分点", "百分点") else number


def name_ref(name: str) -> str:
    """A data name in a formula: bare when it is made of letters, digits and hanzi, else in brackets."""
    name = re.sub(r"[\[\]]", "", name).strip()
    return name if re.fullmatch(r"[^\W\d]\w*", name) else f"[{name}]"


def split_points(clause: str) -> tuple[str, str | None]:
    """(condition text, points as a formula literal or 分值) of a clause ending in its points; points None when the
    clause has none (扣完为止, 以100%为标准)."""
    match = _POINTS.search(clause)
    if not match:
        return clause, None
    condition = re.sub(r"(的|者|即|可)$", "", clause[:match.start()])
    if re.search(r"[\d<>≤≥=]", condition):  # 低于60%时 — but not 及时
        condition = re.sub(r"时$", "", condition)
    if match["pts"] is not None:
        return condition, f"{float(match['pts']):g}"
    return condition, ("分值" if match["full"] else "0")


def is_fallback(condition: str) -> bool:
    return bool(_FALLBACK.match(condition)) or condition == ""


def _strip_subject(condition: str) -> str:
    """The part from the first operator word or number on (完成率达到90% → 达到90%)."""
    starts = [condition.find(word) for word, _ in _PREFIX_OPS if word not in ("为", "在") and word in condition]
    digit = re.search(r"\d", condition)
    if digit:
        starts.append(digit.start())
    return condition[min(starts):] if starts else condition


def numeric_condition(condition: str, subject: str = SUBJECT, bare: str = GE) -> str | None:
    """A formula condition for a numeric clause condition, None when it is not one. A bare number (100%计5分) is
    `bare` (≥ unless the bands run upwards), 0 alone is = 0."""
    text = _strip_subject(condition).rstrip("的")
    chain = re.fullmatch(rf"({NUMBER})({UNITS})(\(含\))?(<|≤)\D*?(<|≤)({NUMBER})({UNITS})(\(含\))?", text)
    if chain:  # 80%≤X<90%
        low, high = literal(chain[1], chain[2]), literal(chain[6], chain[7])
        return f"AND({subject}{'>=' if chain[4] == '≤' else '>'}{low}, {subject}{'<=' if chain[5] == '≤' else '<'}{high})"
    rng = re.fullmatch(rf"({NUMBER})({UNITS})(\((?:含|不含)\))?-({NUMBER})({UNITS})(\((?:含|不含)\))?(之间)?", text)
    if rng:  # 0-10%(含), 80%(含)-90%: a unit on one end is the other's too
        unit_low = rng[2] or rng[5]
        low, high = literal(rng[1], unit_low), literal(rng[4], rng[5] or unit_low)
        low_mark, high_mark = rng[3] or "", rng[6] or ""
        low_op = ">" if low_mark == "(不含)" or (not low_mark and high_mark == "(含)") else ">="
        high_op = "<" if high_mark == "(不含)" or (not high_mark and low_mark == "(含)") else "<="
        return f"AND({subject}{low_op}{low}, {subject}{high_op}{high})"
    op = None
    for word, word_op in _PREFIX_OPS:
        if text.startswith(word):
            op, text = word_op, text[len(word):]
            break
    if op is not None:  # 不超过预算5%: the words between the operator and the number name what it is of
        text = re.sub(r"^[\u4e00-\u9fff]{1,6}(?=\d)", "", text)
    value = _VALUE.match(text)
    if not value:
        return None
    rest = text[value.end():]
    inclusive = rest.startswith("(含)")
    if inclusive:
        rest = rest[len("(含)"):]
    for word, word_op in _SUFFIX_OPS:
        if rest.startswith(word):
            op, rest = (op if op not in (None, EQ) else word_op), rest[len(word):]
            break
    if rest.rstrip("的时") not in ("", "(含)"):
        return None
    if op is None:
        op = EQ if float(value["num"]) == 0 else bare
    return f"{subject}{op}{literal(value['num'], value['unit'])}"


def name_condition(condition: str, subject=SUBJECT) -> tuple[str, str] | None:
    """无结余 → (完成值=0, ""); 结余不超过上年结转 → (完成值<=上年结转, 上年结转): a comparison with another figure.
    `subject` may be a function of the words before the operator (实际用时不超过计划用时: 实际用时) giving the
    formula's name for them."""
    left_ref = subject if callable(subject) else (lambda _left: subject)
    if re.fullmatch(r"(无|没有|未发生|未出现|零)[^\d]{1,12}", condition):
        return f"{left_ref('')}=0", ""
    for word, op in _PREFIX_OPS:
        if op is None or word in ("为", "=", "在"):
            continue
        at = condition.find(word)
        if at > 0:
            other = re.sub(r"的$", "", condition[at + len(word):])
            if other and not re.search(r"\d", other) and re.fullmatch(r"[\w\u4e00-\u9fff()]{2,40}", other):
                return f"{left_ref(condition[:at])}{op}{name_ref(other)}", other
    return None


def common_tail(texts: list[str]) -> str:
    """The longest ending all `texts` share (健全 of 制度健全 / 基本健全 / 不健全)."""
    tail = texts[0]
    for text in texts[1:]:
        k = 0
        while k < min(len(tail), len(text)) and tail[-1 - k] == text[-1 - k]:
            k += 1
        tail = tail[len(tail) - k:]
    return tail


def grade_words(conditions: list[str]) -> list[str]:
    """The words a unit fills in for graded clauses. 制度健全 / 基本健全 / 不健全: the first carries the subject (制度),
    the others only qualifiers, so the words are 健全 / 基本健全 / 不健全; 明显提升 / 有所提升 / 没有提升 stay as written."""
    conditions = [re.sub(r"(的|者)$", "", c) for c in conditions]
    tail = common_tail(conditions)
    if len(tail) < 2:
        return conditions
    heads = [c[:len(c) - len(tail)] for c in conditions]
    if heads[0] and not heads[0].startswith(_QUALIFIERS) and all(not h or h.startswith(_QUALIFIERS) for h in heads[1:]):
        return [tail, *conditions[1:]]
    return conditions
