"""SPEC §2.3 (issue 26): a number under a leaf's own name is its figure, not its score, unless the data says so.
Tables as bureaus publish them, with no 评分公式 column filled: a 目标值 implies TARGET; a 评分标准 read completely is
scored by its rule (未确认); a judgement leaf takes a plain number within 0–分值; a score a person gives is
`<指标>得分`; anything else is an error naming the data cell and both ways out."""

import openpyxl
import pytest

from tests.builders import indicator_book, kv_book, wide_book

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "评分标准"]


def _table(tmp_path, rows, **kwargs):
    return indicator_book(tmp_path / "ind.xlsx", HEADER, rows, **kwargs)


def _scores(r):
    unit = r.json()["units"][0]
    return {i["path"][-1]: (i["score"], i["status"], i["note"]) for i in unit["indicators"]}


def _run(cli, ind, data, *more):
    return cli("run", ind, data, "--format", "json", "--dry-run", *more)


def test_a_rate_with_a_target_is_scored_against_it_not_taken_as_points(tmp_path, cli):
    """10 points, 目标值 95 %, the unit's 90.48 %: 90.48/95 × 10 = 9.52 (was "人工评分；得分 0.9/10")."""
    ind = _table(tmp_path, [["产出", "质量", "验收合格率", 10, "≥95%", "达到目标值得满分，未达到按比例计分"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("验收合格率", "90.48%")]))
    assert r.code == 0, r.err
    score, status, note = _scores(r)["验收合格率"]
    assert score == 9.52 and status == "ok" and note.startswith("没有评分公式，按目标值计分：")


def test_a_count_against_its_target_is_proportional_never_clamped_to_full_marks(tmp_path, cli):
    """1,995 people against 2,100: 1995/2100 × 10 = 9.5 (was "公式结果 1995 超过分值 10，按 10 计；得分 10/10")."""
    ind = _table(tmp_path, [["产出", "数量", "培训人数", 10, "≥2100人", "完成目标得满分，否则按比例"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("培训人数", 1995)]))
    assert r.code == 0, r.err
    assert _scores(r)["培训人数"][0] == 9.5


def test_a_rule_in_words_scores_the_figure_and_says_it_is_unconfirmed(tmp_path, cli):
    """"每出现一例扣1分，扣完为止" on 3 points with 2 problems: 3 − 2 = 1 (was 2/3, the count taken as points); a rate
    of 100 % on "按完成比例计分" with 20 points: 20 (was 1/20)."""
    rows = [["过程", "管理", "问题发生数", 3, None, "每出现一例问题扣1分，扣完为止"],
            [None, None, "任务完成率", 20, None, "按完成比例计分，满分为止"]]
    ind = _table(tmp_path, rows, merges=["A3:A4", "B3:B4"])
    data = kv_book(tmp_path / "d.xlsx", [("问题发生数", 2), ("任务完成率", "100%")])
    r = _run(cli, ind, data)
    assert r.code == 0, r.err
    scores = _scores(r)
    assert scores["问题发生数"][0] == 1 and scores["任务完成率"][0] == 20
    for name in ("问题发生数", "任务完成率"):
        assert scores[name][2].startswith("按评分标准文字计分（未确认，可用“由评分标准起草公式”写成公式）：")
    assert "2 个指标没有评分公式，按评分标准文字计分（未确认）：问题发生数、任务完成率" in r.err
    check = cli("check", ind, data)
    assert "按评分标准文字计分（未确认）：问题发生数、任务完成率" in check.out
    strict = cli("run", ind, data, "--dry-run", "--strict")
    assert strict.code == 1 and "尚未确认" in strict.err
    out = tmp_path / "结果.xlsx"
    assert cli("run", ind, data, "-o", out).code == 0
    summary = openpyxl.load_workbook(out)["评分汇总"]
    notes = [c.value for c in summary[4] if isinstance(c.value, str)]
    assert any("按评分标准文字计分（未确认）：问题发生数、任务完成率" in n for n in notes)


def test_a_judgement_leaf_takes_a_plain_number_within_its_points(tmp_path, cli):
    ind = _table(tmp_path, [["决策", "立项", "绩效目标合理性", 5, None, "由评价组根据佐证材料酌情打分"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("绩效目标合理性", 4)]))
    assert r.code == 0, r.err
    assert _scores(r)["绩效目标合理性"][:2] == (4, "manual")


@pytest.mark.parametrize("typed, shown", [("85%", "85%"), (85, "85"), (0.85, None)])
def test_a_judgement_leaf_refuses_a_percentage_or_a_figure_above_its_points(tmp_path, cli, typed, shown):
    """满意度 of 85 % on a 10-point judgement leaf was 0.85/10: a percentage or a number above 分值 is an error naming
    the cell; a plain 0.85 is a score (a judgement leaf's points may be fractions)."""
    ind = _table(tmp_path, [["效益", "满意度", "社会公众满意度", 10, None, "由评价组综合评定"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("社会公众满意度", typed)]))
    if shown is None:
        assert r.code == 0 and _scores(r)["社会公众满意度"][0] == 0.85
        return
    assert r.code == 1
    message = _scores(r)["社会公众满意度"][2]
    assert message.startswith(f"基础数据!B2 “社会公众满意度”是 {shown}：")
    assert "请为该指标写评分公式（可用“由评分标准起草公式”），或把得分（0 到 10）填在名为“社会公众满意度得分”的数据中" in message


def test_a_percentage_formatted_cell_is_a_percentage(tmp_path, cli):
    ind = _table(tmp_path, [["效益", "满意度", "社会公众满意度", 10, None, "由评价组综合评定"]])
    data = kv_book(tmp_path / "d.xlsx", [("社会公众满意度", 0.85)], percent_cells=["社会公众满意度"])
    r = _run(cli, ind, data)
    assert r.code == 1 and "基础数据!B2 “社会公众满意度”是 85%" in r.err


def test_a_score_a_person_gives_is_named_as_such(tmp_path, cli):
    """`<指标>得分` is the score, whatever rule the row implies; outside 0–分值 it is an error naming its cell."""
    ind = _table(tmp_path, [["产出", "质量", "验收合格率", 10, "≥95%", "达到目标值得满分"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("验收合格率", "80%"), ("验收合格率得分", 9)]))
    assert r.code == 0, r.err
    assert _scores(r)["验收合格率"][:3] == (9, "manual", "人工评分（验收合格率得分），扣 1 分")
    bad = _run(cli, ind, kv_book(tmp_path / "e.xlsx", [("验收合格率得分", 12)]))
    assert bad.code == 1 and "基础数据!B2 “验收合格率得分”是“12”，不是 0 到 10 分之间的得分" in bad.err


def test_a_rule_not_read_completely_never_takes_the_figure(tmp_path, cli):
    """A 评分标准 with points that draft cannot read completely: the figure under the name is an error, with both
    ways out; the same row with the score entered as <指标>得分 is scored."""
    rows = [["过程", "管理", "档案管理规范性", 4, None, "档案齐全得2分，归档及时得2分，其余情形由主管部门核定扣分标准"]]
    ind = _table(tmp_path, rows)
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("档案管理规范性", 3)]))
    if _scores(r)["档案管理规范性"][1] != "error":
        pytest.skip("draft reads this sentence completely now")
    assert "评分标准也没能完全读懂" in _scores(r)["档案管理规范性"][2] and "档案管理规范性得分" in r.err
    ok = _run(cli, ind, kv_book(tmp_path / "e.xlsx", [("档案管理规范性得分", 3)]))
    assert ok.code == 0 and _scores(ok)["档案管理规范性"][0] == 3


def test_a_yes_no_rule_refuses_a_number_that_is_no_answer(tmp_path, cli):
    """"资料齐全得满分" asks 是/否: 6 under the leaf's name (a score meant) is an error, never full marks."""
    ind = _table(tmp_path, [["决策", "立项", "立项资料完整性", 8, None, "立项资料齐全得满分"]])
    r = _run(cli, ind, kv_book(tmp_path / "d.xlsx", [("立项资料齐全", 6)]))
    assert r.code == 1 and "“立项资料齐全”是 6" in r.err and "要的是 是/否" in r.err
    yes = _run(cli, ind, kv_book(tmp_path / "e.xlsx", [("立项资料齐全", "是")]))
    assert yes.code == 0 and _scores(yes)["立项资料完整性"][0] == 8


def test_wide_tables_mix_entered_scores_and_figures_per_unit(tmp_path, cli):
    ind = _table(tmp_path, [["产出", "质量", "验收合格率", 10, "≥95%", "达到目标值得满分"]])
    data = wide_book(tmp_path / "w.xlsx", ["验收合格率", "验收合格率得分"], [("甲", ["90%", None]), ("乙", ["80%", 7])])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    totals = {u["unit"]: u["total"] for u in r.json()["units"]}
    assert totals == {"甲": pytest.approx(10 * 0.9 / 0.95, abs=0.01), "乙": 7}


def test_check_reports_every_warning_run_gives(tmp_path, cli):
    """One plausibility rule: on random wide workbooks, the warnings `run` gives per unit are exactly the figure
    warnings `check` lists."""
    import random

    rows = [["产出", "质量", "验收合格率", 10, "≥95%", None], [None, None, "服务对象满意度", 10, None, None],
            [None, None, "资金到位率", 10, None, None]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER + ["评分公式"],
                         [r + [f] for r, f in zip(rows, ["TARGET(完成值, 目标值)", "RATIO(服务对象满意度, 0.9)",
                                                        "RATIO(资金到位率, 1)"])], merges=["A3:A5", "B3:B5"])
    rng = random.Random(5)
    for case in range(6):
        units = [(f"单位{k}", [rng.choice(["90%", 92, 0.93, "97%", 99]), rng.choice(["88%", 85, 0.9]),
                              rng.choice(["100%", 1, 98])]) for k in range(4)]
        data = wide_book(tmp_path / f"w{case}.xlsx", ["验收合格率", "服务对象满意度", "资金到位率"], units)
        run = cli("run", ind, data, "--format", "json", "--dry-run")
        said = {f"单位“{u['unit']}”：{w}" for u in run.json()["units"] for w in u["warnings"]}
        check = cli("check", ind, data, "--format", "json").json()
        listed = {w for w in check["warnings"] if w.startswith("单位“")}
        assert said == listed, (case, said ^ listed)
