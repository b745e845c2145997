"""`score draft` rules (issue 14): 评分标准 sentences written the way published tables write them → a formula whose
scores are those the sentence says. Scores are asserted (through the real formula compiler, then the engine's clamp
to [0, 分值] and rounding), never formula text. Rules that need judgement stay manual."""

import pytest

from scoring.draft.rules import RuleContext, draft_rule
from scoring.formula import compile_formula
from scoring.formula.targets import parse_target
from scoring.values import normalize_name


def score(draft, points, value=None, target=None, **names):
    """The score the engine gives with this draft: the formula's value clamped to [0, 分值], rounded to 2 places."""
    context = {"分值": float(points),
               **{normalize_name(k): float(v) if isinstance(v, (int, float)) else v for k, v in names.items()}}
    if value is not None:
        context["完成值"] = float(value) if isinstance(value, (int, float)) else value
    if target is not None:
        context["目标值"] = parse_target(target)
    raw = compile_formula(draft.formula).evaluate(context)
    return round(min(max(float(raw), 0.0), float(points)), 2)


# (criteria sentence, 分值, 目标值, [(完成值 or {names}, expected score), …])
CASES = [
    # 按比例 — 6 kinds of wording
    ("按完成比例计分，满分为止", 10, None, [(0.95, 9.5), (1.2, 10), (0, 0)]),
    ("得分=实际完成率×分值", 5, None, [(0.8, 4), (1, 5)]),
    ("按实际完成率计分，超过100%的按100%计算", 8, None, [(0.75, 6), (1.3, 8)]),
    ("得分＝完成率*该指标分值", 4, None, [(0.5, 2)]),
    ("按执行进度计分", 6, None, [(0.5, 3), (1, 6)]),
    ("评分=实际完成数/计划完成数×分值，满分为止", 10, None, [({"实际完成数": 45, "计划完成数": 50}, 9),
                                                  ({"实际完成数": 60, "计划完成数": 50}, 10)]),
    ("预算执行率＝实际支出÷预算数×100%，得分=预算执行率×分值", 10, None, [({"实际支出": 90, "预算数": 100}, 9)]),
    # 以…为标准，每超过（低于）一个百分点扣分
    ("以100%为标准，≤100%计5分，每超过一个百分点扣0.5分，扣完为止", 5, None, [(1, 5), (1.04, 3), (0.9, 5), (1.2, 0)]),
    ("≤0计5分，每超一个百分点扣0.5分", 5, None, [(0, 5), (-0.1, 5), (0.02, 4), (0.1, 0)]),
    ("在职人员控制率≤100%的得满分；每超过1个百分点扣0.5分，扣完为止。", 4, None, [(0.98, 4), (1.03, 2.5)]),
    ("预算调整率为0得5分，每增加一个百分点扣0.2分，扣至0分为止", 5, None, [(0, 5), (0.05, 4), (0.3, 0)]),
    ("结转结余率≤10%得满分，每超过1个百分点扣0.5分，最低0分", 3, None, [(0.08, 3), (0.12, 2), (0.2, 0)]),
    ("以95%为标准，每低于一个百分点扣0.2分", 5, None, [(0.97, 5), (0.9, 4), (0.5, 0)]),
    ("执行率≥90%得满分，每降低1个百分点扣0.5分，扣完为止", 10, None, [(0.95, 10), (0.86, 8), (0.6, 0)]),
    ("满意度达到90%以上得满分，每低于1个百分点扣1分", 10, None, [(0.92, 10), (0.85, 5)]),
    ("公用经费控制率≤100%计满分，每超出一个百分点扣五分", 10, None, [(1.01, 5), (0.99, 10)]),
    ("“三公经费”控制率≤100%计2分，每超过1个百分点扣半分，扣完为止", 2, None, [(1.02, 1), (1.05, 0)]),
    ("以100%为基准，每超过5个百分点扣1分", 5, None, [(1.1, 3), (1.0, 5)]),
    ("≤100%得4分，每超过1个百分点扣0.5分，超过110%不得分", 4, None, [(1.02, 3), (1.12, 0)]),
    ("按时完成得满分，每延迟1天扣0.5分", 5, "≤30天", [(30, 5), (34, 3)]),
    # 分档
    ("=0计3分；0-10%(含)计2分；10%-20%(含)计1分；大于30%不得分", 3, None,
     [(0, 3), (0.05, 2), (0.1, 2), (0.15, 1), (0.2, 1), (0.25, 0), (0.4, 0)]),
    ("≥90%计5分；80%(含)-90%计4分；70%(含)-80%计3分；60%(含)-70%计2分；低于60%不得分", 5, None,
     [(0.95, 5), (0.9, 5), (0.85, 4), (0.8, 4), (0.65, 2), (0.5, 0)]),
    ("满意度90%（含）以上得满分，80%（含）-90%得3分，80%以下不得分", 5, None, [(0.9, 5), (0.85, 3), (0.8, 3), (0.7, 0)]),
    ("80%≤X<90%计4分；X≥90%计5分；X<80%不得分", 5, None, [(0.8, 4), (0.9, 5), (0.79, 0)]),
    ("完成率100%得10分，90%得8分，80%得6分，80%以下不得分", 10, None, [(1, 10), (0.95, 8), (0.85, 6), (0.5, 0)]),
    ("预算调整率＝0，得5分；0＜调整率≤5%，得4分；5%＜调整率≤10%，得3分；调整率＞10%，不得分", 5, None,
     [(0, 5), (0.05, 4), (0.07, 3), (0.2, 0)]),
    ("政府采购执行率达到100%的得3分，达到90%的得2分，低于90%的不得分", 3, None, [(1, 3), (0.95, 2), (0.8, 0)]),
    ("资金到位率100%得满分；95%-100%得3分；95%以下不得分", 5, None, [(1, 5), (0.97, 3), (0.9, 0)]),
    ("问卷满意度≥95%，得10分；85%≤满意度＜95%，得8分；75%≤满意度＜85%，得6分；满意度＜75%，得0分", 10, None,
     [(0.96, 10), (0.9, 8), (0.8, 6), (0.7, 0)]),
    ("覆盖率在90%以上得4分，80%-90%得3分，70%-80%得2分，其他不得分", 4, None, [(0.92, 4), (0.85, 3), (0.75, 2), (0.6, 0)]),
    ("投诉次数为0得满分；1-2次得2分；3次及以上不得分", 4, None, [(0, 4), (2, 2), (3, 0)]),
    ("预算执行率≥95%得5分，否则不得分", 5, None, [(0.96, 5), (0.9, 0)]),
    ("完成率达到100%的，得2分；否则得0分", 2, None, [(1, 2), (0.99, 0)]),
    # 达到目标值得满分，未达到按比例
    ("达到年度指标值得满分，未达到按比例得分", 10, "≥95%", [(0.97, 10), (0.76, 8)]),
    ("完成年度指标值的得满分，未完成的按完成比例计分", 20, "≥500人次", [(430, 17.2), (520, 20)]),
    ("达到目标值得满分，未达到目标值按实际完成比例计分", 10, "≤30天", [(36, 8.33), (25, 10)]),
    ("实现年度目标得满分；否则按完成程度计分", 10, "=10个", [(8, 8), (10, 10)]),
    ("达到年度目标值得满分，否则不得分", 5, "≥90%", [(0.92, 5), (0.85, 0)]),
    ("达到95%及以上得满分，未达到按比例计分", 10, None, [(0.95, 10), (0.76, 8)]),
    # 逐项计分、符合得分
    ("①制度健全得1分；②执行到位得1分；③档案完整得1分", 3, None,
     [({"制度健全": 1, "执行到位": 1, "档案完整": 1}, 3), ({"制度健全": 1, "执行到位": 0, "档案完整": 1}, 2)]),
    ("（1）建立了资金管理办法，得2分；（2）办法执行有效，得2分；（3）资料归档完整，得1分", 5, None,
     [({"建立了资金管理办法": 1, "办法执行有效": 0, "资料归档完整": 1}, 3)]),
    ("一是建立项目台账得1分，二是按月更新得1分", 2, None, [({"建立项目台账": 1, "按月更新": 1}, 2),
                                                ({"建立项目台账": 0, "按月更新": 1}, 1)]),
    ("1.有管理制度得1分；2.有执行记录得1分", 2, None, [({"有管理制度": 0, "有执行记录": 0}, 0)]),
    ("①未按时报送扣1分；②数据不准确扣1分；③资料不完整扣0.5分", 2.5, None,
     [({"未按时报送": 1, "数据不准确": 0, "资料不完整": 1}, 1), ({"未按时报送": 0, "数据不准确": 0, "资料不完整": 0}, 2.5)]),
    ("有完善的资金管理办法得2分，否则不得分", 2, None, [({"有完善的资金管理办法": 1}, 2), ({"有完善的资金管理办法": 0}, 0)]),
    ("制定了绩效目标的，得3分；未制定不得分", 3, None, [({"制定了绩效目标": 1}, 3), ({"制定了绩效目标": 0}, 0)]),
    ("按规定公开预决算信息得2分，否则不得分。", 2, None, [({"按规定公开预决算信息": 1}, 2)]),
    # 每出现一例扣分
    ("每出现一例违规扣1分，扣完为止", 4, None, [(0, 4), (1, 3), (5, 0)]),
    ("发现一次违规使用资金扣2分，扣完为止", 6, None, [(2, 2), (4, 0)]),
    ("每发生一起安全事故扣五分", 10, None, [(1, 5), (3, 0)]),
    ("每有一项资产未入账扣0.5分，扣完为止", 2, None, [(3, 0.5)]),
    ("每缺一项资料扣1分", 3, None, [(2, 1)]),
    ("每收到1次有效投诉扣0.5分，最低0分", 2, None, [(2, 1), (10, 0)]),
    # 两个数比较
    ("无结余3分；结余不超过上年结转2分；超过不得分", 3, None,
     [({"完成值": 0, "上年结转": 10}, 3), ({"完成值": 8, "上年结转": 10}, 2), ({"完成值": 12, "上年结转": 10}, 0)]),
    ("未发生超支得满分，超支额不超过预算5%得2分，超过不得分", 4, None, [({"完成值": 0}, 4), ({"完成值": 0.03}, 2),
                                                    ({"完成值": 0.08}, 0)]),
    # 等级
    ("制度健全得5分，基本健全得3分，不健全不得分", 5, None, [("健全", 5), ("基本健全", 3), ("不健全", 0)]),
    ("管理规范的得4分；较规范的得2分；不规范的不得分", 4, None, [("规范", 4), ("较规范", 2), ("不规范", 0)]),
    ("优秀得10分，良好得8分，合格得6分，不合格不得分", 10, None, [("优秀", 10), ("良好", 8), ("不合格", 0)]),
    ("及时得3分，基本及时得2分，不及时不得分", 3, None, [("及时", 3), ("基本及时", 2), ("不及时", 0)]),
    ("明显提升得满分，有所提升得3分，没有提升不得分", 5, None, [("明显提升", 5), ("有所提升", 3), ("没有提升", 0)]),
]

# as printed in published 部门整体支出 tables (岳阳、新邵 and others: 。 between rules, half-width commas, ≦)
PUBLISHED = [
    ("“三公经费”变动率≦0,计8分;“三公经费”>0,每超过一个百分点扣0.8分,扣完为止。", 8, None, [(0, 8), (0.05, 4), (-0.1, 8)]),
    ("100%计满分,每低于5%扣2分,扣完为止。", 5, None, [(1, 5), (0.9, 1), (0.95, 3)]),
    ("100%以下(含)计满分,每超出5%扣2分,扣完为止。没有楼堂馆所项目的部门按满分计算。", 5, None, [(1, 5), (1.05, 3), (1.1, 1)]),
    ("在职人员控制率=(在职人员数/编制数)100%小于或等于1计5分,否则按比例计分。", 5, None, [(0.9, 5), (1.25, 4)]),
    ("无结余,3分;有结余,但不超过上年结转,2分;结余超过上年结转,不得分。", 3, None,
     [({"完成值": 0, "上年结转": 5}, 3), ({"完成值": 5, "上年结转": 5}, 2), ({"完成值": 6, "上年结转": 5}, 0)]),
    ("预算调整率=0,计3分;0-10%(含),计2分;10-20%(含),计1分;20-30%(含),计0.5分;大于30%不得分。", 3, None,
     [(0, 3), (0.1, 2), (0.15, 1), (0.3, 0.5), (0.31, 0)]),
    ("春节前下达专项资金的50%;6月底前专项资金指标全部下达完。每出现一个专项未按进度完成资金下达扣0.5分,扣完为止。", 3, None,
     [(0, 3), (2, 2), (9, 0)]),
]
CASES += PUBLISHED

MANUAL = [
    "根据项目实施情况酌情扣分",
    "视具体情况扣分",
    "由评价组根据现场核查情况综合评定",
    "专家打分",
    "视项目效益发挥程度给分",
    "根据工作开展情况进行评分",
    "项目实施取得的社会效益",  # no rule printed
    "",
]


@pytest.mark.parametrize("text, points, target, checks", CASES, ids=[c[0][:24] for c in CASES])
def test_a_criteria_sentence_drafts_a_formula_that_scores_as_it_says(text, points, target, checks):
    draft = draft_rule(text, RuleContext(name="本指标", target=parse_target(target) if target else None))
    assert not draft.manual, (draft.pattern, draft.note)
    for given, expected in checks:
        if isinstance(given, dict):
            names = dict(given)
            value = names.pop("完成值", None)
            got = score(draft, points, value, target, **names)
        else:
            got = score(draft, points, given, target)
        assert got == pytest.approx(expected), (text, draft.formula, given)
    assert draft.phrase == text and draft.pattern


@pytest.mark.parametrize("text", MANUAL)
def test_rules_that_need_judgement_stay_manual_and_say_why(text):
    draft = draft_rule(text)
    assert draft.manual and draft.note.endswith("按人工评分")


def test_there_are_at_least_sixty_sentences():
    assert len(CASES) + len(MANUAL) >= 60


def test_the_names_other_figures_need_come_from_the_text():
    assert draft_rule("无结余3分；结余不超过上年结转2分；超过不得分").names == ["上年结转"]
    assert draft_rule("①制度健全得1分；②执行到位得1分").names == ["制度健全", "执行到位"]
    assert draft_rule("评分=实际完成数/计划完成数×分值").names == ["实际完成数", "计划完成数"]


def test_an_ambiguous_percentage_step_says_how_it_was_read():
    draft = draft_rule("≤100%计5分，每超过一个百分点扣0.5分")
    assert "INT(" in draft.note and "实际幅度" in draft.note


@pytest.mark.parametrize("text, points, yes, expected", [
    ("符合国家法律法规、国民经济和社会发展总体规划计1分;符合部门“三定”方案确定的职责计0.5分;是否符合部门制定的中长期实施规划计0.5分。",
     2, [True, False, True], 1.5),
    ("①招待费用明确招待标准和招待人数,1分;②车辆维护、燃油使用政府定点,1分。③制定“三公经费”管理办法,1分,每少一项扣1分,扣完为止。",
     3, [True, True, False], 2),
    ("将部门整体的绩效目标细化分解为具体的工作任务计1分;通过清晰、可衡量的指标值予以体现计0.5分;与部门年度的任务数或计划数相对应计0.5分;"
     "与本年度部门预算资金相匹配计1分。", 3, [True, True, False, True], 2.5),
])
def test_items_printed_one_after_another_are_a_checklist(text, points, yes, expected):
    """Published tables list the items of a checklist with or without ①②③; each item is a 是/否 figure."""
    draft = draft_rule(text)
    assert draft.pattern == "逐项计分" and len(draft.names) == len(yes)
    assert score(draft, points, **{name: 1 if y else 0 for name, y in zip(draft.names, yes)}) == expected


# issue 26: every clause that carries a number, a threshold or points is accounted for, or nothing is proposed
CLAUSE_COMPLETE = [
    ("服务对象满意度≥90%，计4分；低于90%的，按 满意度÷90%×4分 计分。", 4, [(0.9, 4), (0.95, 4), (0.89, 3.96), (0.45, 2)]),
    ("公用经费控制率≤100%，计4分；超过100%的，按 100%÷公用经费控制率×4分 计分。", 4, [(1, 4), (0.8, 4), (1.25, 3.2), (2, 2)]),
    ("成本节约率≥0，计10分；超支的，按 10分×（1+成本节约率） 计分。", 10, [(0, 10), (0.1, 10), (-0.2, 8), (-1.5, 0)]),
    ("比例不足90%时，每减少5%，扣1分，扣完为止。", 5, [(0.9, 5), (0.95, 5), (0.85, 4), (0.8, 3), (0.5, 0)]),
    ("实际用时不超过计划用时，计10分；超过的，按 计划用时÷实际用时×10分 计分。", 10,
     [({"实际用时": 30, "计划用时": 30}, 10), ({"实际用时": 40, "计划用时": 30}, 7.5)]),
    ("预算调整率=0，计5分；0-10%（含），计4分；10%-20%（含），计3分；大于20%不得分。", 5,
     [(0, 5), (-0.05, 5), (0.0001, 4), (0.1, 4), (0.2, 3), (0.21, 0)]),
    ("制定绩效管理办法，得1分；有绩效运行监控记录，得1分。", 2,
     [({"制定绩效管理办法": 1, "有绩效运行监控记录": 0}, 1), ({"制定绩效管理办法": 1, "有绩效运行监控记录": 1}, 2)]),
    ("①县级财政投入达到省级补助资金的10%以上，得2分；②建立项目库（县）、乡两级台账，得1分。", 3,
     [({"县级财政投入": 10, "省级补助资金": 100, "建立项目库(县)乡两级台账": 0}, 2),
      ({"县级财政投入": 9.99, "省级补助资金": 100, "建立项目库(县)乡两级台账": 1}, 1),
      ({"县级财政投入": 20, "省级补助资金": 100, "建立项目库(县)乡两级台账": 1}, 3)]),
    ("“三公经费”变动率≤0，计5分；>0时，每超过一个百分点扣0.5分，扣完为止。", 5, [(0, 5), (-0.1, 5), (0.02, 4), (0.2, 0)]),
    ("100%以下(含)计满分,每超出5%扣2分,扣完为止。没有楼堂馆所项目的部门按满分计算。", 5, [(1, 5), (1.05, 3)]),
]


@pytest.mark.parametrize("text, points, checks", CLAUSE_COMPLETE, ids=[c[0][:20] for c in CLAUSE_COMPLETE])
def test_every_clause_with_a_number_or_points_is_in_the_formula(text, points, checks):
    name = "完成及时性" if text.startswith("实际用时") else "本指标"  # 实际用时, 计划用时: two figures, not the indicator's
    draft = draft_rule(text, RuleContext(name=name))
    assert not draft.manual, draft.note
    for given, expected in checks:
        if isinstance(given, dict):
            got = score(draft, points, **given)
        else:
            got = score(draft, points, given)
        assert got == pytest.approx(expected), (text, draft.formula, given)


@pytest.mark.parametrize("text, clause, why", [
    ("政府采购执行率=100%，计3分；否则按比例计分。", "否则按比例计分", "两种读法"),  # above 100 %: 100%÷x or capped x÷100%
    ("完成率≥90%得5分，否则按比例计分", "否则按比例计分", "两种读法"),  # x÷90%×5 or x×5
    ("满意度≥90%，计4分；低于90%的，按 满意度折算 计分", "按 满意度折算 计分", "没有读懂"),
    ("资金到位率≥95%，计4分；资金到位后1个月内拨付完毕", "资金到位后1个月内拨付完毕", "没有读懂"),
    ("数量指标：达到年度指标值计满分；未达到的按完成程度计分。", "数量指标：达到年度指标值计满分", "没有本指标的目标值"),
])
def test_a_clause_draft_cannot_read_is_quoted_and_nothing_is_proposed(text, clause, why):
    draft = draft_rule(text, RuleContext(name="本指标"))
    assert draft.formula is None and draft.declined
    assert draft.unread == clause and why in draft.note and draft.note.endswith("按人工评分")


def test_names_are_the_printed_facts_whole():
    """、 and （县） stay; a long fact is not cut; the threshold inside a fact is a comparison, not part of a yes/no name."""
    draft = draft_rule("①内部财务管理制度、会计核算制度等管理制度合法、合规、完整，计1.5分；②建立县（市、区）级项目库，计1分。")
    assert draft.names == ["内部财务管理制度、会计核算制度等管理制度合法、合规、完整", "建立县（市、区）级项目库"]
    assert "[内部财务管理制度、会计核算制度等管理制度合法、合规、完整]" in draft.formula
    share = draft_rule("①县级财政投入达到省级补助资金的10%以上，得2分；②有管理制度，得1分。")
    assert share.names == ["县级财政投入", "省级补助资金", "有管理制度"]
