"""Every sentence the engine writes into 扣分说明, made from numbers and the values a formula read."""

from __future__ import annotations

import re

from ..errors import Message
from ..formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from ..formula.excel import round_scalar
from ..formula.targets import Target
from ..model import DRAFT_FUNCTION, IMPLIED_BY_CRITERIA, IMPLIED_BY_TARGET, SCORE_SUFFIX, NARule
from ..values import NA, describe, format_number

EPS = 1e-9  # scores within this of a bound are on the bound


def show_value(name: str, value) -> str:
    """A value as a note shows it: rates in percent, 目标值 as written."""
    if isinstance(value, Target):
        return value.describe()
    if isinstance(value, float) and (name.endswith("率") or name.endswith("满意度")) and abs(value) <= 1.5:
        return f"{format_number(value * 100, 2)}%"
    return describe(value)


def describe_reads(reads, display_names=None) -> str:
    """`在职人员数=7，编制数=12，在职人员控制率=58.33%`: every value a formula read, once."""
    display_names = display_names or {}
    seen = {}
    for name, value in reads:
        if name == POINTS_NAME or name in seen:
            continue
        seen[name] = value
    target = seen.get(TARGET_NAME)
    percent = isinstance(target, Target) and "%" in (target.text or "")  # 完成值 shown as its target is written

    def shown(name, value):
        if percent and name == ACTUAL_NAME and isinstance(value, float):
            return f"{format_number(value * 100, 2)}%"
        return show_value(name, value)

    return "，".join(f"{display_names.get(n, n)}={shown(n, v)}" for n, v in seen.items())


def clamp_note(raw: float, weight: float) -> str:
    if raw > weight + EPS:
        return f"公式结果 {format_number(raw)} 超过分值 {format_number(weight)}，按 {format_number(weight)} 计"
    if raw < -EPS:
        return f"公式结果 {format_number(raw)} 低于 0，按 0 计"
    return ""


def scored_note(described: str, raw: float, score: float, weight: float) -> str:
    parts = [p for p in (described, clamp_note(raw, weight)) if p]
    parts.append(f"得分 {format_number(score)}/{format_number(weight)}")
    return "；".join(parts)


def with_check(note: str, flag: str) -> str:
    """A 扣分说明 with a figure the user should check (a rate typed without %)."""
    return f"{note}。注意：{flag}"


def na_names(reads) -> str:
    return "，".join(n for n, v in reads if v is NA)


def not_applicable_note(which: str, rule: NARule) -> str:
    if rule is NARule.DROP:
        return f"不适用（{which}=不适用），已剔除，总分按满分折算"
    return f"不适用（{which}=不适用），按满分计"


def manual_label(leaf) -> str:
    return f"“{leaf.name}”" + (f"（编号 {leaf.code}）" if leaf.code else "")


def grades_text(leaf) -> str:
    return "、".join(b.grade for b in leaf.bands)


def manual_missing(leaf, weight: float, absent: bool) -> str:
    if leaf.scored_by_unit:  # 自评表: the unit's own 得分 is kept, and there is none
        return f"“{leaf.name}”{leaf.scored_by_unit}，但自评表中它的得分未填写：请在得分列填写（0 到 {weight:g} 分）"
    state = "没有" if absent else "未填写"
    what = f"等级（{grades_text(leaf)}）或得分（0 到 {weight:g} 分）" if leaf.bands else f"0 到 {weight:g} 分"
    return (f"人工评分指标{manual_label(leaf)}没有评分公式，基础数据中{state}它的得分："
            f"请填写名为“{leaf.name}”的数据（{what}）")


def manual_not_a_number(leaf, weight: float, value, where: str = "") -> str:
    found = f"基础数据中是“{describe(value)}”" + (f"（{where}）" if where else "")
    if leaf.bands:
        return f"人工评分指标{manual_label(leaf)}应填等级（{grades_text(leaf)}）或得分（0 到 {weight:g} 分），{found}"
    return f"人工评分指标{manual_label(leaf)}的得分应为数值（0 到 {weight:g} 分），{found}"


def entered_score_wrong(leaf, weight: float, value, where: str = "") -> str:
    """`<指标>得分` holding something that is no score of this leaf."""
    place = f"{where} " if where else ""
    return (f"{place}“{leaf.name}{SCORE_SUFFIX}”是“{describe(value)}”，不是 0 到 {weight:g} 分之间的得分："
            f"请填写该指标的得分（0 到 {weight:g}）")


def figure_not_a_score(leaf, weight: float, value: float, where: str, percent: bool = False) -> str:
    """A figure under a leaf's own name that cannot be taken as its score (SPEC §2.3): the cell and both ways out."""
    place = f"{where} " if where else ""
    shown = f"{value * 100:g}%" if percent else f"{value:g}"
    if leaf.criteria_doubt:
        why = f"没有评分公式，评分标准也没能完全读懂（{leaf.criteria_doubt}），这个数是完成值而不是得分"
    elif percent:
        why = "没有评分公式，这个数是百分数，像是完成值而不是得分"
    else:
        why = f"没有评分公式，这个数不在 0 到 {weight:g} 分之间，像是完成值而不是得分"
    return (f"{place}“{leaf.name}”是 {shown}：该指标{why}。请为该指标写评分公式（可用“{DRAFT_FUNCTION}”），"
            f"或把得分（0 到 {weight:g}）填在名为“{leaf.name}{SCORE_SUFFIX}”的数据中")


def unconfirmed_rule(leaf, system) -> str:
    """--strict: a leaf scored by the rule read from its 评分标准 (no formula written) is an error."""
    formula = system.formula_of(leaf)
    return (f"“{leaf.name}”没有评分公式，按评分标准文字读出的规则“{formula.text if formula else ''}”评分，尚未确认："
            f"核对后把它写进评分公式列（可用“{DRAFT_FUNCTION}”）")


def number_for_yes_no(leaf, name: str, value: float, where: str) -> str:
    place = f"{where} " if where else ""
    return (f"{place}“{name}”是 {value:g}，而“{leaf.name}”的评分标准（{leaf.criteria}）要的是 是/否：请填“是”或“否”；"
            f"如果 {value:g} 是该指标的得分，请填在名为“{leaf.name}{SCORE_SUFFIX}”的数据中")


def unconfirmed_note(system) -> str:
    """The leaves scored by rules read from their 评分标准 (not confirmed), for the 评分汇总 说明; "" when none."""
    names = [o.name for leaf in system.leaves() for o in leaf.options if o.implied_by == IMPLIED_BY_CRITERIA]
    return f"按评分标准文字计分（未确认）：{'、'.join(names)}" if names else ""


def implied_prefix(leaf) -> str:
    """How a leaf without a formula of its own was scored, before the values it read (SPEC §2.3)."""
    if leaf.implied_by == IMPLIED_BY_CRITERIA:
        return f"按评分标准文字计分（未确认，可用“{DRAFT_FUNCTION}”写成公式）："
    if leaf.implied_by == IMPLIED_BY_TARGET:
        return "没有评分公式，按目标值计分："
    return ""


MAX_BAND_TEXT = 40  # characters of a grade's criterion quoted in 扣分说明


def band_note(band) -> str:
    """`评定为“良”（技术培训人次完成率80-99%…）`."""
    text = band.criteria if len(band.criteria) <= MAX_BAND_TEXT else band.criteria[:MAX_BAND_TEXT] + "…"
    return f"评定为“{band.grade}”" + (f"（{text}）" if text else "")


def alternative_note(option, also: bool) -> str:
    """Which 择其一 alternative a unit was scored on."""
    return f"择其一，按“{option.name}”评分" + ("（其他项也有数据，按表中靠前的一项）" if also else "")


def no_alternative(leaf, names_by_option) -> str:
    wanted = "，或".join("、".join(f"“{n}”" for n in names) for names in names_by_option if names)
    options = "、".join(f"“{o.name}”" for o in leaf.alternatives)
    return f"{options}择其一评分，但基础数据中哪一项的数据都没有：请按本单位实际填写{wanted}"


def no_target(leaf) -> str:
    if leaf.qualitative_target:
        return (f"指标“{leaf.name}”的目标值“{leaf.qualitative_target}”是定性的，公式不能用它比较：请删去这个指标的评分公式、"
                f"按人工评分（在基础数据中填写得分），或把目标值写成数值（如 ≥95%）")
    return f"指标“{leaf.name}”没有目标值：请在指标体系的目标值列填写"


def no_actual(leaf) -> str:
    return f"“完成值”取不到：基础数据中没有名为“{leaf.name}”" + (f"或“{leaf.code}”" if leaf.code else "") + "的数据"


def _place(where: str) -> str:
    return f"{where} " if where else ""


def text_not_a_value(where: str, name: str, text: str) -> str:
    """Text where a formula reads a figure or a yes/no (约90%, 不涉及, 基本健全)."""
    number = re.search(r"\d[\d.,]*%?", text)
    hint = f"请只填数字（如 {number.group(0)}）" if number else "请改成数字或 是/否"
    return f"{_place(where)}“{name}”是文本“{text}”，公式需要数值或是/否：{hint}；如果该项不适用，请填“不适用”"


def none_as_number(where: str, name: str, text: str) -> str:
    """无 / 没有 where a formula reads a figure: 0 or 不适用?"""
    return f"{_place(where)}“{name}”填的是“{text}”：如果该项不适用，请填“不适用”；否则请填数字（没有发生的填 0）"


def negative_amount(where: str, name: str, value: float) -> str:
    return f"{_place(where)}“{name}”为 {format_number(value)}：预算、资金、支出等金额不能为负数，请改正"


def unit_mismatch(where: str, name: str, typed: str, target: str, target_where: str) -> str:
    return (f"{_place(where)}“{name}”为 {typed}，与目标值（{target_where}）{target} 的单位不是同一类，不能比较："
            f"请核对单位")


def unit_doubt(where: str, name: str, value: float, target, target_where: str, likely: str, converted: float) -> str:
    """A figure without a unit 1000 times or more from a target written with one (4800000 against ≥500万元)."""
    shown = format_number(value)
    return (f"{_place(where)}“{name}”为 {shown}，没有写单位，按目标值（{target_where}）{target.describe()} 的单位"
            f"“{target.unit}”计，与目标值相差 1000 倍以上：如果它是 {shown}{likely}（即 {format_number(converted)}{target.unit}），"
            f"请写成“{shown}{likely}”；否则请核对")


def derived_failed(name: str, message: "str | Message") -> "str | Message":
    return Message.of(f"计算项“{name}”无法计算：", message)


CHILD_ERROR = "下级指标有错误"
CHILDREN_DROPPED = "下级指标均不适用，已剔除"


def lost_points_note(children, decimals: int) -> str:
    """`失分：预算执行率 −0.8，…` for a parent, from its children's results."""
    lost = [
        f"{c.indicator.name} −{format_number(round_scalar('ROUND', c.weight - c.score, decimals))}"
        for c in children
        if c.score is not None and c.score < c.weight - EPS
    ]
    return ("失分：" + "，".join(lost)) if lost else ""


def total_note(declared, included, rescaled, bonus, penalty, before_cap, cap, rule: NARule) -> str:
    """How the total came from the level-1 scores: rescaling under 剔除, 加分/扣分, clamping."""
    notes = []
    if rule is NARule.DROP and included < declared - EPS:
        notes.append(f"剔除不适用指标 {format_number(declared - included)} 分，得分按 "
                     f"{format_number(declared)}/{format_number(included)} 折算为 {format_number(rescaled)}")
    if bonus:
        notes.append(f"加分 {format_number(bonus)}")
    if penalty:
        notes.append(f"扣分 {format_number(penalty)}")
    if before_cap > cap + EPS:
        notes.append(f"合计 {format_number(before_cap)} 超过总分上限 {format_number(cap)}，按 {format_number(cap)} 计")
    elif before_cap < -EPS:
        notes.append(f"合计 {format_number(before_cap)} 低于 0，按 0 计")
    return "；".join(notes)


# ---------------------------------------------------------------- 扣分说明 in prose (SPEC §5.1)
# One sentence builder for the 评分表, the 自评报告, the web page and `explain`: a full-mark leaf says little
# (达到标准), a lost point says the figure, the rule's threshold and the deduction in words; yes/no items name what
# is missing; a figure compared with a target written in % is shown in %.

FULL_MARKS = "达到标准"
_NEGATIONS = {"<=": "高于", "<": "不低于", ">=": "低于", ">": "不高于", "=": "不等于", "!=": "等于"}
_POSITIVE = {"<=": "不高于", "<": "低于", ">=": "不低于", ">": "高于", "=": "等于", "!=": "不等于"}
_AST_OPS = {"LtE": "<=", "Lt": "<", "GtE": ">=", "Gt": ">", "Eq": "=", "NotEq": "!="}
_FLIPPED = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "=": "=", "!=": "!="}
# how a yes/no item reads when the answer is 否: the first of these words found in its name is negated
_NOT_WORDS = ("符合", "相符", "相关", "相对应", "对应", "相匹配", "匹配", "清晰", "合理", "充分", "齐全", "完备", "完整",
              "健全", "到位", "及时", "规范", "真实", "准确", "一致", "合法", "合规", "属于", "可行", "达标", "满足")
_NOT_YET_WORDS = ("制定", "建立", "经过", "遵守", "落实", "开展", "公开", "细化", "设立", "归档", "按", "执行", "完成",
                  "实现", "通过", "取得", "编制", "进行", "办理", "签订", "纳入", "配备")


def missing_item(name: str) -> str:
    """What a yes/no item answered 否 means, in words: 是否制定资金管理办法 → 未制定资金管理办法, 账表实卡是否相符 → 账表实卡不相符,
    有绩效目标 → 没有绩效目标; a name read no other way is quoted: “X”为否."""
    if "是否" in name:
        subject, predicate = name.split("是否", 1)
        if predicate.startswith("有"):
            return f"{subject}没有{predicate[1:]}"
        word = "不" if predicate.startswith(_NOT_WORDS) else "未"
        return f"{subject}{word}{predicate}"
    for prefix, replaced in (("已", "未"), ("无", "存在"), ("有", "没有"), ("不", "")):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return replaced + name[len(prefix):]
    found = []
    for words, negation in ((_NOT_WORDS, "不"), (_NOT_YET_WORDS, "未"), (("有",), "没")):
        for w in words:
            at = name.find(w)
            if at > 0:
                found.append((at, -len(w), negation))
    if "不" in name[1:]:
        at = name.index("不", 1)
        found.append((at, 0, None))
    if found:
        at, _, negation = min(found)
        if negation is None:
            return name[:at] + name[at + 1:]
        return name[:at] + negation + name[at:]
    return f"“{name}”为否"


def _is_yes_no(value) -> bool:
    from ..values import yes_no_word

    return isinstance(value, bool) or (isinstance(value, str) and yes_no_word(value) is not None)


def percent_text(value: float) -> str:
    return f"{format_number(value * 100, 2)}%"


class _Story:
    """Walks a formula's tree along the branch one unit took, collecting why it scored what it did."""

    def __init__(self, formula, context):
        import ast as _ast

        self.ast = _ast
        self.formula = formula
        self.context = context
        self.names = formula.display_names or {}
        self.conditions: list[str] = []
        self.missing: list[str] = []
        self.rules: list[str] = []
        self.percent: set[str] = set()  # names shown in % (compared with a target or a threshold written in %)
        self.tested: set[str] = set()  # names read as yes/no tests
        self.targets: dict[str, str] = {}  # actual name → its target as written

    def value(self, node):
        from ..formula.evaluator import evaluate_tree

        try:
            return evaluate_tree(node, self.context)
        except Exception:  # the error itself is the note's; here only the story
            return None

    def constant(self, node):
        """A number written in the formula (30%, 0.5), with whether it was written in %; None for anything else."""
        ast = self.ast
        if any(isinstance(n, ast.Name) for n in ast.walk(node)):
            return None
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        percent = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) \
            and isinstance(node.right, ast.Constant) and node.right.value == 100
        return float(value), percent

    def shown(self, name: str, value) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name in self.percent:
            return percent_text(float(value))
        return show_value(name, value)

    def display(self, name: str) -> str:
        return self.names.get(name, name)

    def comparison(self, node, holds: bool) -> str | None:
        """`高于 30%` for 预算调整率<=30% that does not hold; None for a test read no such way."""
        ast = self.ast
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return None
        op = _AST_OPS.get(type(node.ops[0]).__name__)
        left, right = node.left, node.comparators[0]
        if isinstance(right, ast.Name) and not isinstance(left, ast.Name):
            left, right, op = right, left, _FLIPPED[op]
        if not isinstance(left, ast.Name) or op is None:
            return None
        if self.yes_no_test(left.id):
            return None
        number = self.constant(right)
        if number is None:
            return None
        value, percent = number
        if percent:
            self.percent.add(left.id)
            shown = percent_text(value)
        else:
            shown = show_value(left.id, value)
        return f"{(_POSITIVE if holds else _NEGATIONS)[op]} {shown}"

    def yes_no_test(self, name: str) -> bool:
        """A yes/no item however the formula tests it (X, X=0, X>0, X<>0): answered 否, it is named as missing."""
        from ..values import yes_no_word

        value = self.context.get(name)
        if not _is_yes_no(value):
            return False
        self.tested.add(name)
        no = value is False or (isinstance(value, str) and yes_no_word(value) is False)
        item = missing_item(self.display(name))
        if no and item not in self.missing:
            self.missing.append(item)
        return True

    def walk(self, node) -> None:
        ast = self.ast
        if isinstance(node, ast.BinOp):
            self.walk(node.left)
            self.walk(node.right)
        elif isinstance(node, ast.UnaryOp):
            self.walk(node.operand)
        elif isinstance(node, ast.IfExp):
            holds = bool(self.value(node.test))
            if isinstance(node.test, ast.Name):
                if self.value(node.body) != self.value(node.orelse):
                    self.yes_no_test(node.test.id)
                self.tested.add(node.test.id)
            else:
                clause = self.comparison(node.test, holds)
                if clause:
                    self.conditions.append(clause)
            self.walk(node.body if holds else node.orelse)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            self.call(node.func.id, node)

    def call(self, name: str, node) -> None:
        ast, args = self.ast, node.args
        if name == "IFS":
            for k in range(0, len(args) - 1, 2):
                if bool(self.value(args[k])):
                    if k >= 2:
                        for clause in (self.comparison(args[k - 2], False), self.comparison(args[k], True)):
                            if clause:
                                self.conditions.append(clause)
                    self.walk(args[k + 1])
                    return
            return
        if name in ("RATIO", "RATIO_INV", "TARGET") and len(args) >= 2:
            actual, target = self.value(args[0]), self.value(args[1])
            actual_name = args[0].id if isinstance(args[0], ast.Name) else None
            if isinstance(args[1], ast.Name) and isinstance(target, (str, Target)):
                self.tested.add(args[1].id)  # a target read from the data: shown beside the figure, not as one
            if isinstance(target, str):
                from ..formula.targets import parse_target

                try:
                    target = parse_target(target)
                except Exception:
                    return
            if isinstance(target, Target):
                if actual_name and "%" in (target.text or ""):
                    self.percent.add(actual_name)
                written = target.describe().lstrip("=＝")
                if actual_name:
                    self.targets[actual_name] = written
                met = _met(actual, target)
                if met is False:
                    self.rules.append(f"未达到目标值 {written}，按完成程度计分" if name == "TARGET"
                                      else f"未达到 {written}，按比例计分")
                return
            number = self.constant(args[1])
            if isinstance(actual, (int, float)) and isinstance(target, (int, float)) and target:
                short = actual < target if name != "RATIO_INV" else actual > target
                if not short:
                    return
                if number is not None:
                    if number[1] and actual_name:
                        self.percent.add(actual_name)
                    shown = percent_text(number[0]) if number[1] or actual_name in self.percent \
                        else show_value(actual_name or "", number[0])
                    self.rules.append(f"{'低于' if name != 'RATIO_INV' else '高于'} {shown}，按比例计分")
                else:
                    what = self.display(args[1].id) if isinstance(args[1], ast.Name) else "目标"
                    self.rules.append(f"为{what}的 {percent_text(actual / target)}，按比例计分")
            return
        if name == "DEDUCT" and len(args) >= 2:
            per = self.constant(args[1])
            amount = args[0]
            per_text = format_number(per[0]) if per else None
            if per_text is None:
                self.rules.append("按评分标准扣分")
            elif isinstance(amount, ast.Name):
                self.rules.append(f"每 1 个扣 {per_text} 分")
            else:
                constants = [n.value for n in ast.walk(amount) if isinstance(n, ast.Constant)
                             and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)]
                divisors = [n.right.value for n in ast.walk(amount) if isinstance(n, ast.BinOp)
                            and isinstance(n.op, ast.Div) and isinstance(n.right, ast.Constant) and n.right.value != 100]
                if 100 in constants:
                    step = format_number(divisors[0]) if divisors else "1"
                    self.rules.append(f"每 {step} 个百分点扣 {per_text} 分")
                else:
                    self.rules.append(f"每 1 扣 {per_text} 分")
            return
        for arg in args:  # MAX, MIN, ROUND …: the branch inside
            self.walk(arg)


def _met(actual, target: Target):
    if not isinstance(actual, (int, float)) or target.value is None:
        return None
    a, t = float(actual), float(target.value)
    return {">=": a >= t - EPS, ">": a > t, "<=": a <= t + EPS, "<": a < t, "=": abs(a - t) <= EPS}.get(target.op)


def deduction_text(score: float, weight: float) -> str:
    """达到标准 / 该项不得分 / 扣 1.5 分."""
    if score >= weight - EPS:
        return FULL_MARKS
    if score <= EPS:
        return "该项不得分"
    return f"扣 {format_number(weight - score)} 分"


def score_prose(formula, context, reads, raw: float, score: float, weight: float) -> str:
    """The 扣分说明 of a leaf scored by its formula: `预算调整率为 41.32%，高于 30%，该项不得分`,
    `财务管理会计核算制度不健全，扣 1.5 分`, `政府采购执行率为 100%，达到标准`."""
    story = _Story(formula, context)
    story.walk(formula.tree)
    seen: dict[str, object] = {}
    for name, value in reads:
        if name in (POINTS_NAME, TARGET_NAME) or name in story.tested or name in seen or isinstance(value, Target):
            continue
        if _is_yes_no(value):
            continue
        seen[name] = value
    figures = []
    for name, value in seen.items():
        text = f"{story.display(name)}为 {story.shown(name, value)}"
        if name in story.targets:
            text += f"（目标值 {story.targets[name]}）"
        figures.append(text)
    outcome = deduction_text(score, weight)
    parts = ["、".join(figures)] if figures else []
    if outcome != FULL_MARKS:
        parts += story.conditions + story.missing + story.rules
    clamp = clamp_note(raw, weight)
    if clamp:
        parts.append(clamp)
    parts.append(outcome)
    return "，".join(p for p in parts if p)


def outcome_note(described: str, raw: float, score: float, weight: float) -> str:
    """A leaf scored without a formula's story (人工评分, a grade): what it was, then the deduction in words."""
    parts = [p for p in (described, clamp_note(raw, weight)) if p]
    parts.append(deduction_text(score, weight))
    return "，".join(parts)
