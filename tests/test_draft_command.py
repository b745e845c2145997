"""`score draft` end to end (issue 14): a published-style table with 评分标准 text and no formulas → draft → run on
data that gives each indicator's own figure under its name → every quantitative indicator scored as its text says."""

import openpyxl
import pytest

from tests.builders import indicator_book, kv_book

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准"]
ROWS = [
    ["投入", "预算编制", "预算调整率", 5, "预算调整率=预算调整数/年初预算数×100%",
     "＝0计5分；0-10%(含)计4分；10%-20%(含)计3分；20%-30%(含)计2分；大于30%不得分"],
    [None, None, "在职人员控制率", 4, "在职人员数/编制数",
     "以100%为标准，≤100%计4分，每超过一个百分点扣0.5分，扣完为止"],
    [None, "预算执行", "预算执行率", 6, None, "按完成比例计分，满分为止"],
    ["过程", "资金管理", "资金管理办法", 3, None, "有完善的资金管理办法得3分，否则不得分"],
    [None, None, "资金使用违规", 4, None, "每出现一例违规扣1分，扣完为止"],
    [None, "制度管理", "管理制度健全性", 5, None, "①制度健全得2分；②执行有效得2分；③档案完整得1分"],
    ["产出", "产出质量", "结余情况", 3, None, "无结余3分；结余不超过上年结转2分；超过不得分"],
    [None, None, "满意度", 10, None, "≥90%计10分；80%(含)-90%计8分；70%(含)-80%计6分；低于70%不得分"],
    ["效益", "社会效益", "社会效益", 10, None, "根据项目实施情况酌情扣分"],
]
DATA = [("单位名称", "某县政务服务中心"), ("预算调整数", 12), ("年初预算数", 100), ("在职人员控制率", "103%"),
        ("预算执行率", "92%"), ("资金管理办法", "是"), ("资金使用违规", 1), ("制度健全", "是"), ("执行有效", "否"),
        ("档案完整", "是"), ("结余情况", 8), ("上年结转", 10), ("满意度", "85%"), ("社会效益", 8)]


@pytest.fixture
def table(tmp_path):
    return indicator_book(tmp_path / "指标体系.xlsx", HEADER, ROWS, merges=["A3:A5", "B3:B4", "A6:A8", "B6:B7", "A9:A10"])


def test_draft_then_run_scores_every_indicator_as_its_text_says(table, tmp_path, cli):
    before = table.read_bytes()
    r = cli("draft", table)
    assert r.code == 0, r.err
    drafted = tmp_path / "指标体系_起草.xlsx"
    assert table.read_bytes() == before  # the input is never written
    assert "起草 8 个，人工评分 1 个" in r.out
    assert "计算项：预算调整率 = 预算调整数/年初预算数" in r.out

    wb = openpyxl.load_workbook(drafted)
    ws = wb["指标体系"]
    assert ws.cell(2, 7).value == "评分公式"  # added after the last column
    assert ws.cell(3, 7).comment.text.startswith("【起草，待确认】\n依据评分标准：“＝0计5分")
    assert ws.cell(3, 7).fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.cell(11, 7).value is None and ws.cell(11, 7).comment.text.startswith("【未起草】")
    assert [list(r) for r in wb["计算项"].iter_rows(min_row=2, max_col=2, values_only=True)] == \
        [["预算调整率", "预算调整数/年初预算数"]]

    data = kv_book(tmp_path / "基础数据.xlsx", DATA)
    r = cli("run", drafted, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    # by hand from each text: 调整率 12% → (10%,20%] → 3; 控制率 103% → 4 − 3×0.5 = 2.5; 执行率 92% × 6 = 5.52;
    # 办法 是 → 3; 违规 1 例 → 3; 制度 2 + 0 + 1 = 3; 结余 8 ≤ 上年结转 10 → 2; 满意度 85% → 8; 社会效益 manual 8
    assert [scores[n] for n in ("预算调整率", "在职人员控制率", "预算执行率", "资金管理办法", "资金使用违规",
                                "管理制度健全性", "结余情况", "满意度", "社会效益")] == [3, 2.5, 5.52, 3, 3, 3, 2, 8, 8]


def test_check_lists_drafted_formulas_not_yet_confirmed(table, tmp_path, cli):
    cli("draft", table, "-o", tmp_path / "起草.xlsx")
    r = cli("check", tmp_path / "起草.xlsx")
    assert "8 个起草的评分公式尚未确认（批注仍在）：指标体系!G3、G4、G5" in r.out
    assert "1 个起草的计算项尚未确认（批注仍在）：计算项!B2" in r.out


def test_run_and_check_say_when_criteria_have_no_formula(table, tmp_path, cli):
    """SPEC §2.3: leaves whose 评分标准 is read completely are scored by it, labelled 未确认 (check and run say so);
    the figure under a leaf's name is its 完成值 (92% → 6 × 0.92 = 5.52), never its score."""
    data = kv_book(tmp_path / "基础数据.xlsx", DATA)
    r = cli("check", table)
    assert "8 个指标没有评分公式，按评分标准文字计分（未确认）：预算调整率、在职人员控制率、预算执行率" in r.out
    r = cli("run", table, data, "--dry-run", "--format", "json")
    assert "8 个指标没有评分公式，按评分标准文字计分（未确认）" in r.err
    scores = {i["path"][-1]: (i["score"], i["note"]) for i in r.json()["units"][0]["indicators"]}
    assert scores["预算执行率"][0] == 5.52 and scores["预算执行率"][1].startswith("按评分标准文字计分（未确认")
    assert scores["满意度"][0] == 8 and scores["结余情况"][0] == 2 and scores["资金使用违规"][0] == 3
    strict = cli("run", table, data, "--dry-run", "--strict")
    assert strict.code == 1 and "“预算执行率”没有评分公式，按评分标准文字读出的规则“RATIO(完成值, 1)”评分，尚未确认" in strict.err


def test_draft_dry_run_and_refusals(table, tmp_path, cli):
    r = cli("draft", table, "--dry-run")
    assert r.code == 0 and not (tmp_path / "指标体系_起草.xlsx").exists()
    assert "DEDUCT((完成值-100%)*100, 0.5)" in r.out
    r = cli("draft", table, "-o", table)
    assert r.code == 2
    other = tmp_path / "别的.xlsx"
    openpyxl.Workbook().save(other)
    r = cli("draft", table, "-o", other)
    assert r.code == 2 and "“别的.xlsx”已存在（可能是以前起草、已经核对过的工作簿），没有覆盖" in r.err
    assert cli("draft", table, "-o", other, "--force").code == 0


def test_a_small_manual_score_of_a_judgement_rule_is_a_score(table, tmp_path, cli):
    data = kv_book(tmp_path / "基础数据.xlsx", [*DATA[:-1], ("社会效益", 0.5)])  # 酌情扣分: scored by hand, 0.5 is a score
    r = cli("run", table, data, "--format", "json", "--dry-run")
    unit = r.json()["units"][0]
    assert not any("社会效益" in w for w in unit["warnings"])
    assert {i["path"][-1]: i["score"] for i in unit["indicators"]}["社会效益"] == 0.5



def test_a_declined_rule_is_quoted_and_template_asks_for_the_printed_facts(tmp_path, cli):
    """Issue 26: a clause draft cannot read is quoted in the terminal and in the cell's comment; the data sheet that
    `template` makes for the drafted system asks for each fact as printed (、 kept) and `run` reads it back."""
    rows = [["投入", "预算执行", "政府采购执行率", 3, None, "政府采购执行率=100%，计3分；否则按比例计分。"],
            [None, None, "资产管理制度健全性", 1, None, "已制定资产管理制度且合法、合规、完整的，计1分。"],
            [None, None, "服务对象满意度", 4, None, "服务对象满意度≥90%，计4分；低于90%的，按 满意度÷90%×4分 计分。"]]
    table = indicator_book(tmp_path / "指标体系.xlsx", HEADER, rows, merges=["A3:A5", "B3:B5"])
    r = cli("draft", table)
    assert r.code == 0, r.err
    assert "未能起草：“否则按比例计分”" in r.out and "起草 2 个，人工评分 1 个（其中 1 个未能起草" in r.out
    drafted = tmp_path / "指标体系_起草.xlsx"
    comment = openpyxl.load_workbook(drafted)["指标体系"].cell(3, 7).comment.text
    assert comment.startswith("【未起草】未能起草：") and "未能起草的分句：“否则按比例计分”" in comment
    assert cli("template", drafted, "-o", tmp_path / "填报.xlsx").code == 0
    ws = openpyxl.load_workbook(tmp_path / "填报.xlsx")["基础数据"]
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    assert "已制定资产管理制度且合法、合规、完整" in rows and "服务对象满意度" in rows
    ws.cell(rows["已制定资产管理制度且合法、合规、完整"], 2).value = "是"
    ws.cell(rows["服务对象满意度"], 2).value = 0.89
    ws.cell(rows["政府采购执行率"], 2).value = 2
    ws.parent.save(tmp_path / "填报.xlsx")
    r = cli("run", drafted, tmp_path / "填报.xlsx", "--format", "json", "--dry-run")
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    assert scores["资产管理制度健全性"] == 1 and scores["服务对象满意度"] == 3.96
