"""`score diff` (issue 16, first part): the changes between two versions of a system, and what they do to each unit."""

import openpyxl
import pytest

from tests.builders import indicator_book, wide_book
from tests.test_examples import BOOKS, SETS

HEADER = ["一级指标", "二级指标", "分值", "评分公式"]
OLD = [["投入", "预算执行率", 20, "RATIO(预算执行率, 1)"], [None, "预算调整率", 20, "IF(预算调整率<=10%, 分值, 0)"],
       ["产出", "完成率", 30, "RATIO(完成率, 1)"], [None, "满意度", 30, "RATIO(满意度, 1)"]]
NEW = [["投入", "预算执行率", 25, "RATIO(预算执行率, 1)"], [None, "资金到位率", 15, "RATIO(到位率, 1)"],
       ["产出", "完成率", 30, "IF(完成率>=90%, 分值, RATIO(完成率, 1))"], [None, "服务对象满意度", 30, "RATIO(满意度, 1)"]]
NAMES = ["预算执行率", "预算调整率", "到位率", "完成率", "满意度"]
UNITS = [("甲", ["90%", "5%", "100%", "95%", "80%"]), ("乙", ["50%", "20%", "60%", "80%", "100%"]),
         ("丙", ["100%", "0%", "50%", "100%", "95%"])]


@pytest.fixture
def pair(tmp_path):
    old = indicator_book(tmp_path / "旧.xlsx", HEADER, OLD, merges=["A3:A4", "A5:A6"])
    new = indicator_book(tmp_path / "新.xlsx", HEADER, NEW, merges=["A3:A4", "A5:A6"])
    return old, new, wide_book(tmp_path / "数据.xlsx", NAMES, UNITS)


def test_every_change_is_reported(pair, cli):
    old, new, _ = pair
    r = cli("diff", old, new, "--format", "json")
    assert r.code == 0, r.err
    changes = [(c["kind"], c["what"], c["old"], c["new"]) for c in r.json()["changes"]]
    assert changes == [
        ("分值", "投入/预算执行率", "20", "25"),
        ("评分公式", "产出/完成率", "RATIO(完成率, 1)", "IF(完成率>=90%, 分值, RATIO(完成率, 1))"),
        ("改名", "产出/服务对象满意度", "产出/满意度", "产出/服务对象满意度"),
        ("删除", "投入/预算调整率", "20 分", ""),
        ("新增", "投入/资金到位率", "", "15 分"),
    ]


def test_each_unit_old_and_new_with_what_moved_it(pair, tmp_path, cli):
    old, new, data = pair
    out = tmp_path / "对比.xlsx"
    r = cli("diff", old, new, data, "-o", out, "--format", "json")
    assert r.code == 0, r.err
    impacts = r.json()["impacts"]
    # by hand — 甲: old 18 + 20 + 28.5 + 24 = 90.5; new 22.5 + 15 + 30 + 24 = 91.5
    #          乙: old 10 + 0 + 24 + 30 = 64;     new 12.5 + 9 + 24 + 30 = 75.5
    #          丙: old 20 + 20 + 30 + 28.5 = 98.5; new 25 + 7.5 + 30 + 28.5 = 91
    assert [(i["unit"], i["old_total"], i["new_total"], i["delta"]) for i in impacts] == [
        ("乙", 64, 75.5, 11.5), ("丙", 98.5, 91, -7.5), ("甲", 90.5, 91.5, 1)]  # largest change first
    assert [(i["old_rank"], i["new_rank"], i["old_grade"], i["new_grade"]) for i in impacts] == [
        (3, 3, "中", "中"), (1, 2, "优", "优"), (2, 1, "优", "优")]
    jia = impacts[2]["contributions"]
    assert [(c["indicator"], c["delta"]) for c in jia] == [
        ("投入/预算调整率（删除）", -20), ("投入/资金到位率（新增）", 15), ("投入/预算执行率", 4.5)]
    assert {(t["old"], t["new"]): t["units"] for t in r.json()["grade_transitions"]} == {("中", "中"): 1, ("优", "优"): 2}
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["变更", "影响"]
    assert [c.value for c in wb["变更"][2]] == ["类别", "指标或项目", "原来", "现在"]
    assert [c.value for c in wb["变更"][5]] == ["改名", "产出/服务对象满意度", "产出/满意度", "产出/服务对象满意度"]
    impact = wb["影响"]
    assert [c.value for c in impact[3]][:8] == ["乙", 64, 75.5, 11.5, "中", "中", 3, 3]
    assert impact["I3"].value.startswith("投入/资金到位率（新增） +9；投入/预算执行率 +2.5")
    assert impact.page_setup.orientation == "landscape" and impact.print_title_rows == "$2:$2"
    assert impact.freeze_panes == wb["变更"].freeze_panes == "A3"


def test_the_shipped_next_year_system(cli):
    r = cli("diff", SETS / "dept_overall.xlsx", SETS / "dept_overall_next.xlsx", BOOKS / "lingling_2019.xlsx",
            "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    kinds = {(c["kind"], c["what"]) for c in data["changes"]}
    assert ("新增", "投入/目标设定/绩效目标完整性") in kinds and ("改名", "效果/满意度/社会公众或服务对象满意度") in kinds
    assert ("分值", "过程/预算执行/预算调整率") in kinds
    (lingling,) = data["impacts"]
    # 结转结余率 5 → 3 (−2), 预算执行率 5 → 4 (−1), new 绩效目标完整性 (+1), 绩效指标明确性 1.5 → 1 (−0.5)
    assert (lingling["old_total"], lingling["new_total"], lingling["delta"]) == (89, 86.5, -2.5)


def test_identical_systems_have_no_changes(pair, cli):
    old, _, _ = pair
    r = cli("diff", old, old)
    assert r.code == 0 and "0 处变更" in r.out


def test_derived_items_and_settings_changes(tmp_path, cli):
    rows = [["产出", "完成率", 100, "RATIO(完成率, 1)"]]
    old = indicator_book(tmp_path / "旧.xlsx", HEADER, rows, derived=[("完成率", "实际完成数/计划数")],
                         settings={"满分": 100, "等级": "优:90,良:80,中:60,差:0"})
    new = indicator_book(tmp_path / "新.xlsx", HEADER, rows, derived=[("完成率", "实际完成数/计划完成数"), ("到位率", "到位数/计划数")],
                         settings={"满分": 100, "等级": "优:95,良:85,中:60,差:0"})
    changes = [(c["kind"], c["what"], c["old"], c["new"]) for c in cli("diff", old, new, "--format", "json").json()["changes"]]
    assert ("计算项", "完成率", "实际完成数/计划数", "实际完成数/计划完成数") in changes
    assert ("计算项", "到位率", "（新增）", "到位数/计划数") in changes
    assert ("设置", "等级", "优:90，良:80，中:60，差:0", "优:95，良:85，中:60，差:0") in changes
