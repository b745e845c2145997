"""`score explain`: formula, every value with its origin (data cell, defined name, 计算项 chain), clamp, rounding."""

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from tests.builders import STANDARD_DATA, indicator_book, kv_book, standard_system, wide_book

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评分公式"]


def chain_system(tmp_path):
    rows = [
        ["投入", "预算配置", "在职人员控制率", 5, "≤100%得满分，每超1个百分点扣0.5分",
         "IF(控制率<=100%, 分值, DEDUCT((控制率-1)*100, 0.5))"],
        [None, None, "超额", 5, "按比例", "实际/计划*分值"],
        ["产出", "产出数量", "实际完成率", 90, "按比例", "RATIO(完成数, 计划)"],
    ]
    derived = [("控制率", "在职人员数/核定数", "在职人员控制率"), ("核定数", "编制数+0", "核定的编制")]
    return indicator_book(tmp_path / "ind.xlsx", HEADER, rows, merges=["A3:A4", "B3:B4"], derived=derived)


def test_leaf_with_a_derived_chain_and_origins(tmp_path, cli):
    ind = chain_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("在职人员数", 36), ("编制数", 35), ("实际", 1), ("计划", 1),
                                         ("完成数", 1), ("计划数", 1)])
    r = cli("explain", ind, data, "在职人员控制率")
    assert r.code == 0, r.err
    out = r.out
    assert "指标：投入 / 预算配置 / 在职人员控制率（编号 1.1.1，分值 5）" in out
    assert "评分公式（指标体系!F3）：IF(控制率<=100%, 分值, DEDUCT((控制率-1)*100, 0.5))" in out
    assert "控制率 = 102.86%　← 计算项（计算项!B2）：在职人员数/核定数" in out
    assert "    在职人员数 = 36　← 基础数据!B2" in out
    assert "    核定数 = 35　← 计算项（计算项!B3）：编制数+0" in out
    assert "        编制数 = 35　← 基础数据!B3" in out
    assert "分值 = 5　← 指标体系!D3" in out
    assert "公式结果：3.571429" in out
    assert "舍入：保留 2 位小数（四舍五入）→ 3.57" in out
    assert "得分：3.57 / 5" in out
    assert "扣分说明：控制率为 102.86%，高于 100%，每 1 个百分点扣 0.5 分，扣 1.43 分" in out  # the 评分表's sentence
    assert "占上级“预算配置”：3.57 / 上级得分 8.57（分值 5 / 10）" in out


def test_clamp_and_path_lookup(tmp_path, cli):
    ind = chain_system(tmp_path)
    data = kv_book(tmp_path / "d.xlsx", [("在职人员数", 7), ("编制数", 12), ("实际", 124), ("计划", 100),
                                         ("完成数", 1), ("计划数", 1)])
    r = cli("explain", ind, data, "投入/预算配置/超额")
    assert "公式结果：6.2" in r.out and "截断：超出 [0, 5]，按 5 计" in r.out and "得分：5 / 5" in r.out


def test_parent_lists_children_and_sum(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    data = kv_book(tmp_path / "d.xlsx", STANDARD_DATA)
    r = cli("explain", ind, data, "投入")
    assert "下级指标：\n  预算配置：10 / 10\n  预算执行：9.2 / 10\n合计：19.2 → 得分 19.2 / 20" in r.out


def test_defined_name_origin(tmp_path, cli):
    rows = [["产出", "产出数量", "完成率", 100, "按比例", "RATIO(完成率, 1)"]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows)
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb["表"]["C7"] = "80%"
    wb.defined_names["完成率"] = DefinedName("完成率", attr_text="表!$C$7")
    wb.save(tmp_path / "form.xlsx")
    r = cli("explain", ind, tmp_path / "form.xlsx", "完成率")
    assert "完成率 = 80%　← 名称 完成率（表!C7）" in r.out and "得分：80 / 100" in r.out


def test_ambiguous_unknown_and_unit_choice(tmp_path, cli):
    rows = [["投入", "甲组", "完成率", 50, "", "RATIO(a, 1)"], ["产出", "乙组", "完成率", 50, "", "RATIO(a, 1)"]]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows)
    data = wide_book(tmp_path / "w.xlsx", ["a"], [("一中", [0.5]), ("二中", [1])])
    r = cli("explain", ind, data, "完成率", "--unit", "二中")
    assert r.code == 2
    assert "“完成率”对应多个指标，请用路径或编号指定：投入/甲组/完成率（编号 1.1.1）；产出/乙组/完成率（编号 2.1.1）" in r.err
    r = cli("explain", ind, data, "产出/乙组/完成率")
    assert r.code == 2 and "有 2 个单位，请指定其中一个：一中、二中（--unit）" in r.err
    r = cli("explain", ind, data, "2.1.1", "--unit", "一中")
    assert r.code == 0 and "得分：25 / 50" in r.out
    r = cli("explain", ind, data, "完成律")
    assert r.code == 2 and "指标体系中没有指标“完成律”（是否指 “完成率”？）" in r.err
