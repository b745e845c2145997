"""Issue 26: data compared with text as it was typed, and a target that cannot be read is one indicator's error.

`IF(制度健全="是", 分值, 0)` scored 0 for 是 because the reader had made 是 TRUE, which no text equals; a number typed
as text ("90") no longer equalled "90". A 目标值 in 厘米 refused the whole 自评表.
"""

import numpy as np
import openpyxl

from scoring import read_data, read_indicator_system, score
from scoring.formula import compile_formula
from scoring.formula.vector import Column, Messages, VectorEvaluator
from scoring.values import parse_cell_value
from tests.builders import indicator_book, kv_book, self_evaluation_form, wide_book

HEADER = ["一级指标", "三级指标", "分值", "评分标准", "评分公式", "目标值"]

# (indicator, formula, the value typed, the score by hand)
CLERK_RULES = [
    ("制度健全", 'IF(制度健全="是", 分值, 0)', "是", 10),
    ("台账规范", 'IF(台账规范="否", 0, 分值)', "否", 0),
    ("公开及时", 'IF(公开及时<>"是", 0, 分值)', "是", 10),
    ("档案完整", '(档案完整="是")*分值', "√", 10),
    ("有无整改", 'IF(有无整改="无", 分值, 0)', "无", 10),
    ("验收通过", 'IF(AND(验收通过="是", 资料齐全="有"), 分值, 0)', "Y", 10),
    ("违规情况", 'IF(OR(违规情况="有", 违规情况="是"), 0, 分值)', "×", 10),
    ("制度建立", 'IF(NOT(制度建立="否"), 分值, 0)', "已建立", 10),
    ("备案情况", 'IFS(备案情况="是", 分值, 备案情况="否", 0)', "是☑ 否□", 10),
    ("实际数", 'IF(实际数="90", 分值, 0)', "90", 10),
    ("达标率", 'IF(达标率="90%", 分值, 0)', "90%", 10),
]


def _clerk_book(path):
    rows = [["管理" if k == 0 else None, name, 10, "", formula, None] for k, (name, formula, _, _) in enumerate(CLERK_RULES)]
    rows.append(["合计", None, 10 * len(CLERK_RULES), None, None, None])
    return indicator_book(path, HEADER, rows, settings={"满分": 10 * len(CLERK_RULES)})


def _scores(result) -> dict:
    return {item["path"][-1]: item["score"] for item in result.json()["units"][0]["indicators"] if item["level"] > 1}


def test_text_rules_score_the_word_as_typed(tmp_path, cli):
    """Every rule a clerk writes against the word the clerk typed, through `score run` and `score check`."""
    ind = _clerk_book(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "data.xlsx", [(name, typed) for name, _, typed, _ in CLERK_RULES] + [("资料齐全", "有")])
    result = cli("run", ind, data, "--dry-run", "--format", "json")
    assert result.code == 0, result.err
    assert _scores(result) == {name: expected for name, _, _, expected in CLERK_RULES}
    checked = cli("check", ind, data)
    assert checked.code == 0, checked.out + checked.err


def test_the_opposite_answers_score_the_other_way(tmp_path, cli):
    ind = _clerk_book(tmp_path / "ind.xlsx")
    opposite = {"是": "否", "否": "是", "√": "×", "无": "有", "Y": "N", "×": "√", "已建立": "未建立", "是☑ 否□": "是□ 否☑",
                "90": "80", "90%": "80%"}
    data = kv_book(tmp_path / "data.xlsx", [(name, opposite[typed]) for name, _, typed, _ in CLERK_RULES]
                   + [("资料齐全", "有")])
    result = cli("run", ind, data, "--dry-run", "--format", "json")
    assert _scores(result) == {name: 10 - expected for name, _, _, expected in CLERK_RULES}


def test_a_number_typed_as_a_number_is_not_the_text(tmp_path, cli):
    """90 typed as a number is no text: `实际数="90"` is FALSE as in Excel; `实际数=90` is TRUE."""
    rows = [["产出", "实际数", 10, "", 'IF(实际数="90", 分值, 0)', None],
            [None, "计划数", 10, "", "IF(计划数=90, 分值, 0)", None],
            ["合计", None, 20, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows, settings={"满分": 20})
    data = kv_book(tmp_path / "data.xlsx", [("实际数", 90), ("计划数", "90")])
    assert _scores(cli("run", ind, data, "--dry-run", "--format", "json")) == {"实际数": 0, "计划数": 10}


def test_blank_and_not_applicable_keep_their_meaning(tmp_path, cli):
    rows = [["管理", "制度健全", 10, "", 'IF(制度健全="是", 分值, 0)', None],
            [None, "台账规范", 10, "", 'IF(台账规范="否", 0, 分值)', None],
            ["合计", None, 20, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows, settings={"满分": 20})
    data = kv_book(tmp_path / "data.xlsx", [("制度健全", "不适用"), ("台账规范", None)])
    result = cli("run", ind, data, "--dry-run", "--format", "json")
    items = {i["path"][-1]: i for i in result.json()["units"][0]["indicators"] if i["level"] > 1}
    assert items["制度健全"]["status"] == "na"
    assert items["台账规范"]["status"] == "error" and "未填写" in items["台账规范"]["note"]
    assert "基础数据!B3" in items["台账规范"]["note"]


def test_wide_table_vector_and_scalar_agree_and_text_rules_stay_vectorised(tmp_path):
    typed = ["是", "否", "√", "×", "有", "无", "Y", "N", "已建立", "未建立", "是☑ 否□", "90", "90%", 90, 0.9, True, False,
             "不涉及", "不适用", None]
    rows = [["管理" if k == 0 else None, name, 10, "", formula.replace(name, "X"), None]
            for k, (name, formula, _, _) in enumerate(CLERK_RULES) if "资料齐全" not in formula]
    rows.append(["合计", None, 10 * len(rows), None, None, None])
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows)
    data = wide_book(tmp_path / "data.xlsx", ["X"], [(f"单位{k}", [v]) for k, v in enumerate(typed)])
    system, dataset = read_indicator_system(ind), read_data(data)
    fast, slow = score(system, dataset), score(system, dataset, vectorised=False)
    for a, b in zip(fast.units, slow.units):
        for leaf in system.leaves():
            assert (a.nodes[leaf.id].score, a.nodes[leaf.id].status, a.nodes[leaf.id].note) == \
                   (b.nodes[leaf.id].score, b.nodes[leaf.id].status, b.nodes[leaf.id].note)
    first = {u.unit.name: u.nodes[system.leaves()[0].id].score for u in fast.units}  # IF(X="是", 分值, 0)
    assert [first[f"单位{k}"] for k in (0, 1, 2, 3, 8, 10, 11, 13, 15)] == [10, 0, 10, 0, 10, 10, 0, 0, 10]

    # the vector evaluator decides text comparisons itself: only text values (不涉及) go to the scalar one
    messages = Messages()
    column = Column.of_values([parse_cell_value(v) for v in ["是", "√", "90", "否", "不涉及"]], messages)
    formula = compile_formula('IF(X="是", 1, 0) + IF(X="90", 10, 0) + IF("否"=X, 100, 0)')
    v = VectorEvaluator(5, messages).evaluate(formula, {"X": column})
    assert v.fallback.tolist() == [False, False, False, False, True]
    assert v.val[:4].tolist() == [1, 1, 10, 100]
    assert [formula.evaluate({"X": column.value_at(i, messages)}) for i in range(4)] == [1, 1, 10, 100]


# ---------------------------------------------------------------- targets

FORM_ROWS = [
    ["产出指标", "数量指标", "道路硬化长度", "≥1000米", 1200, 10, 10, ""],
    [None, None, "路面宽度", "≥50厘米", 48, 10, 9, ""],
    [None, "质量指标", "验收合格率", "100%", "100%", 10, 10, ""],
    [None, "时效指标", "完成时间", "≤12个月", 12, 10, 10, ""],
    ["效益指标", "社会效益指标", "受益人口", "≥5000人", 6000, 20, 20, ""],
    [None, "可持续影响指标", "长效管护机制", "健全", "健全", 10, 10, ""],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 20, 20, ""],
]


def test_a_form_target_in_an_unknown_unit_reads_as_its_number(tmp_path, cli):
    """≥50厘米 used to refuse the whole 自评表 (exit 2). It is ≥50: 48 scores 10×48/50 = 9.6, the note shows the unit."""
    form = self_evaluation_form(tmp_path / "form.xlsx", "乡村道路项目", (100, 100, 95, 10, 9.5), FORM_ROWS, own_total=98.5)
    result = cli("run", form, "--dry-run", "--format", "json")
    assert result.code == 0, result.err
    items = {i["path"][-1]: i for i in result.json()["units"][0]["indicators"]}
    assert items["路面宽度"]["score"] == 9.6
    assert "≥50厘米" in items["路面宽度"]["note"]
    assert items["道路硬化长度"]["score"] == 10
    assert result.json()["units"][0]["total"] == 9.5 + 10 + 9.6 + 10 + 10 + 20 + 10 + 20


def test_an_unreadable_form_target_is_that_indicator_s_error(tmp_path, cli):
    rows = [list(r) for r in FORM_ROWS]
    rows[3][3] = "约12个月"  # 自评表!E16
    form = self_evaluation_form(tmp_path / "form.xlsx", "乡村道路项目", (100, 100, 95, 10, 9.5), rows, own_total=98.5)
    result = cli("run", form, "--dry-run", "--format", "json")
    assert result.code == 1, result.err
    items = {i["path"][-1]: i for i in result.json()["units"][0]["indicators"]}
    assert items["完成时间"]["status"] == "error"
    assert "自评表!E16 目标值“约12个月”无法识别" in items["完成时间"]["note"]
    scored = {name: items[name]["score"] for name in ("道路硬化长度", "路面宽度", "验收合格率", "受益人口", "群众满意度")}
    assert scored == {"道路硬化长度": 10, "路面宽度": 9.6, "验收合格率": 10, "受益人口": 20, "群众满意度": 20}
    checked = cli("check", form)
    assert checked.code == 1
    assert "自评表!E16 目标值“约12个月”无法识别" in checked.out


def test_an_unreadable_table_target_is_that_indicator_s_error_for_every_unit(tmp_path, cli):
    rows = [["产出", "道路长度", 10, "", "TARGET(完成值, 目标值)", "≥50厘米"],
            [None, "完成时间", 10, "", "TARGET(完成值, 目标值)", "50~60天"],
            [None, "受益人口", 10, "", "TARGET(完成值, 目标值)", "≥5000人"],
            ["合计", None, 30, None, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows, settings={"满分": 30})
    data = wide_book(tmp_path / "data.xlsx", ["道路长度", "完成时间", "受益人口"],
                     [("甲", [40, 55, 6000]), ("乙", [60, 50, 2500])])
    result = cli("run", ind, data, "--dry-run", "--format", "json")
    assert result.code == 1, result.err
    for unit, (road, people) in zip(result.json()["units"], [(8, 10), (10, 5)]):
        items = {i["path"][-1]: i for i in unit["indicators"] if i["level"] > 1}
        assert (items["道路长度"]["score"], items["受益人口"]["score"]) == (road, people)
        assert items["完成时间"]["status"] == "error"
        assert "指标体系!F4 目标值“50~60天”" in items["完成时间"]["note"]
        assert "≥50厘米" in items["道路长度"]["note"]
