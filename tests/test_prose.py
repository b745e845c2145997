"""扣分说明 in prose (issue 29): one sentence builder for the 评分表, the 自评报告, the web page and `explain` — a full-mark
leaf says 达到标准, a lost point says the figure, the rule's threshold and the deduction in words, a yes/no item names what
is missing, a figure compared with a target in % is shown in %."""

import re

import pytest

from scoring.engine.notes import missing_item
from tests.builders import indicator_book, kv_book
from tests.test_examples import BOOKS, EXAMPLES, SETS

MACHINE_TEXT = re.compile(r"=是|=否|得分 [\d.]+/[\d.]+|目标值=|==|；得分")


def _notes(cli, system, book):
    r = cli("run", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    return {u["unit"]: {i["path"][-1]: i for i in u["indicators"]} for u in r.json()["units"]}


def test_lingling_notes_read_as_a_report_writes_them(cli):
    items = _notes(cli, "dept_overall", "lingling_2019")["零陵区政务服务中心"]
    assert items["预算调整率"]["note"] == "预算调整率为 41.32%，高于 30%，该项不得分"
    assert items["管理制度健全性"]["note"] == "财务管理会计核算制度不健全，扣 1.5 分"
    assert items["绩效指标明确性"]["note"] == "指标值不清晰可衡量，指标与预算资金不相匹配，扣 1.5 分"
    assert items["资金使用合规性"]["note"] == "资金使用问题数为 1，每 1 个扣 1 分，扣 1 分"
    assert items["经济效益"]["note"] == "人工评分，扣 1 分"
    # full marks say little; a checklist at full marks says only that
    assert items["绩效目标合理性"]["note"] == "达到标准"
    assert items["预算执行率"]["note"] == "预算执行率为 100%，达到标准"
    assert items["政府采购执行率"]["note"] == "政府采购执行率为 100%（目标值 100%），达到标准"


def test_a_figure_is_shown_as_its_target_is_written(cli):
    """0.9467 beside ≥90% reads 94.67 %."""
    items = _notes(cli, "project_self", "daying_2023")["大数据运行经费"]
    assert items["质量指标"]["note"] == "质量指标完成值为 94.67%（目标值 ≥90%），达到标准"


def test_a_target_missed_says_by_how_much_and_what_was_deducted(tmp_path, cli):
    header = ["一级指标", "分值", "评分公式", "目标值"]
    ind = indicator_book(tmp_path / "i.xlsx", header, [["质量达标率", 10, "TARGET(质量达标率, 目标值)", "≥95%"],
                                                       ["满意度", 10, "IFS(满意度>=90%, 10, 满意度>=80%, 6, TRUE, 0)", None]])
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某局"), ("质量达标率", 0.76), ("满意度", "85%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    items = {i["path"][-1]: i["note"] for i in r.json()["units"][0]["indicators"]}
    assert items["质量达标率"] == "质量达标率为 76%（目标值 ≥95%），未达到目标值 ≥95%，按完成程度计分，扣 2 分"
    assert items["满意度"] == "满意度为 85%，低于 90%，不低于 80%，扣 4 分"


@pytest.mark.parametrize("system, book, expected", EXAMPLES)
def test_no_machine_fragments_in_any_shipped_note(cli, system, book, expected):
    for unit, items in _notes(cli, system, book).items():
        for name, item in items.items():
            assert not MACHINE_TEXT.search(item["note"] or ""), (unit, name, item["note"])


@pytest.mark.parametrize("name, said", [
    ("是否制定资金管理办法", "未制定资金管理办法"), ("账表实卡是否相符", "账表实卡不相符"),
    ("预决算信息是否公开", "预决算信息未公开"), ("有绩效目标", "没有绩效目标"), ("已制定财务和业务管理制度", "未制定财务和业务管理制度"),
    ("无截留挤占挪用", "存在截留挤占挪用"), ("与其他项目不重复", "与其他项目重复"), ("目标符合三定职责", "目标不符合三定职责"),
    ("预算经过科学论证", "预算未经过科学论证"), ("资金到账", "“资金到账”为否"),
])
def test_a_no_names_what_is_missing(name, said):
    assert missing_item(name) == said
