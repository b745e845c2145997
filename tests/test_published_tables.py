"""Indicator tables as bureaus publish them (issue 12, first part): their own header words, levels named
only by column order, headers printed on two rows, and a message that shows the row that looks most like a
header when none is recognised."""

import openpyxl
import pytest
from openpyxl.styles import Alignment

from scoring.read import read_indicator_system
from tests.builders import BOX, indicator_book, kv_book


def _points(system):
    return {"/".join(n.path): n.weight for r in system.roots for n in r.walk()}


def test_project_table_with_published_header_words(tmp_path, cli):
    """项目支出绩效评价指标表 as printed: 权数, 评分细则, 年度目标值, 评价得分, 扣分原因及说明."""
    header = ["一级指标", "二级指标", "三级指标", "权数", "年度目标值", "评分细则", "评分公式", "评价得分", "扣分原因及说明"]
    rows = [
        ["决策", "项目立项", "立项依据充分性", 10, None, "依据充分得满分，否则酌情扣分", None],
        [None, "资金投入", "资金到位率", 10, "100%", "到位率×分值", "RATIO(资金到位率, 1)"],
        ["产出", "产出数量", "资助人数", 40, "≥500人", "达到目标得满分，否则按比例", "TARGET(资助人数, 目标值)"],
        ["效益", "满意度", "受助学生满意度", 40, "≥90%", "每低1个百分点扣2分", "IF(受助学生满意度>=90%, 分值, MAX(0, 分值-(0.9-受助学生满意度)*100*2))"],
        ["合计", None, None, 100, None, None, None],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"], title="助学金项目绩效评价指标表")
    system = read_indicator_system(ind)
    assert _points(system) == {"决策": 20, "决策/项目立项": 10, "决策/项目立项/立项依据充分性": 10,
                               "决策/资金投入": 10, "决策/资金投入/资金到位率": 10, "产出": 40, "产出/产出数量": 40,
                               "产出/产出数量/资助人数": 40, "效益": 40, "效益/满意度": 40,
                               "效益/满意度/受助学生满意度": 40}
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某县教育局"), ("立项依据充分性", 8), ("资金到位率", "95%"),
                                          ("资助人数", 450), ("受助学生满意度", "87%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    # by hand from the criteria: 8; 0.95×10 = 9.5; 450/500×40 = 36; 40 − 3 points × 2 = 34
    assert scores["立项依据充分性"] == 8 and scores["资金到位率"] == 9.5
    assert scores["资助人数"] == 36 and scores["受助学生满意度"] == 34
    assert r.json()["units"][0]["total"] == 87.5


def test_levels_by_column_order_when_the_words_carry_none(tmp_path):
    """项目 | 评价指标 | 评价内容 | 分数 | 评分办法: three levels, in column order."""
    header = ["项目", "评价指标", "评价内容", "分数", "评分办法", "评分公式"]
    rows = [
        ["项目管理", "制度建设", "管理制度健全性", 15, "健全得满分", None],
        [None, None, "制度执行有效性", 15, "有效得满分", None],
        ["项目效益", "社会效益", "群众满意度", 70, "按满意度计分", "RATIO(群众满意度, 1)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "B3:B4"], settings={"满分": 100})
    system = read_indicator_system(ind)
    assert [n.level for n in system.roots] == [1, 1]
    assert _points(system)["项目管理/制度建设"] == 30
    assert _points(system)["项目效益/社会效益/群众满意度"] == 70
    assert system.columns["level3"] == [3]


def _two_row_header_book(path):
    """评价指标 merged over 一级/二级/三级 on the row below; 分值, 评分标准, 评分公式 merged down both rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["A1"] = "部门整体支出绩效评价指标体系"
    ws.merge_cells("A1:F1")
    ws["A2"], ws["D2"], ws["E2"], ws["F2"] = "评价指标", "分值", "评分标准", "评分公式"
    ws.merge_cells("A2:C2")
    for col in "DEF":
        ws.merge_cells(f"{col}2:{col}3")
    ws["A3"], ws["B3"], ws["C3"] = "一级指标", "二级指标", "三级指标"
    rows = [
        ["投入", "预算配置", "在职人员控制率", 10, "≤100%得满分", "IF(在职人员控制率<=100%, 分值, 0)"],
        [None, "预算执行", "预算执行率", 20, "按比例", "RATIO(预算执行率, 1)"],
        ["产出", "职责履行", "重点工作完成率", 70, "按比例", "RATIO(重点工作完成率, 1)"],
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            cell.border = BOX
    ws.merge_cells("A4:A5")
    for row in ws.iter_rows(min_row=2, max_row=3):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center")
    wb.save(path)
    return path


def test_header_printed_on_two_rows(tmp_path, cli):
    ind = _two_row_header_book(tmp_path / "ind.xlsx")
    system = read_indicator_system(ind)
    assert system.header_row == 3
    assert _points(system) == {"投入": 30, "投入/预算配置": 10, "投入/预算配置/在职人员控制率": 10, "投入/预算执行": 20,
                               "投入/预算执行/预算执行率": 20, "产出": 70, "产出/职责履行": 70,
                               "产出/职责履行/重点工作完成率": 70}
    data = kv_book(tmp_path / "d.xlsx", [("在职人员控制率", "95%"), ("预算执行率", "90%"), ("重点工作完成率", "80%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 10 + 18 + 56


@pytest.mark.parametrize("header, missing", [
    (["序号", "考评对象", "权值", "打分依据"], ["没有认出指标名称列", "也没有认出分值、评分公式或评分标准列"]),
    (["序号", "评价指标", "权值", "打分依据"], ["没有认出分值、评分公式或评分标准列"]),
])
def test_no_header_names_the_row_and_what_is_missing(tmp_path, cli, header, missing):
    ind = indicator_book(tmp_path / "ind.xlsx", header, [["1", "预算执行", 10, "按比例"]])
    r = cli("check", ind)
    assert r.code == 2
    assert "最像表头的是 指标体系 第 2 行：" + " | ".join(header) in r.err
    for words in missing:
        assert words in r.err
    if len(missing) == 1:
        assert "没有认出指标名称列" not in r.err


def test_subtotal_rows_numbering_and_spaced_names(tmp_path, cli):
    """预算支出管理考核表 as printed: 一、(一) 1. numbering, 小计 rows after each group, a name spaced out and one
    broken by a line break, 总计 at the end. Data names need no numbering."""
    header = ["考核项目", "考核内容", "分值", "考核标准", "评分公式"]
    rows = [
        ["一、预算编制", "1.预 算 编 制 及 时 性", 10, "按时报送得满分", None],
        [None, "2.预算编制\n准确性", 10, "偏差率每1%扣1分", "MAX(0, 分值-预算偏差率*100)"],
        ["小计", None, 20, None, None],
        ["二、预算执行", "(一)预算执行率", 30, "按比例", "RATIO(预算执行率, 1)"],
        [None, "①结转结余率", 50, "≤5%得满分", "IF(结转结余率<=5%, 分值, 0)"],
        ["分项小计", None, 80, None, None],
        ["总计", None, 100, None, None],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "A6:A7"])
    system = read_indicator_system(ind)
    names = [n.name for r in system.roots for n in r.walk()]
    assert names == ["一、预算编制", "1.预算编制及时性", "2.预算编制准确性", "二、预算执行", "(一)预算执行率", "①结转结余率"]
    assert _points(system)["一、预算编制"] == 20 and _points(system)["二、预算执行"] == 80
    assert system.total_row == 9
    data = kv_book(tmp_path / "d.xlsx", [("预算编制及时性", 10), ("预算偏差率", "3%"), ("预算执行率", "90%"),
                                          ("结转结余率", "4%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    assert scores == {"一、预算编制": 17, "1.预算编制及时性": 10, "2.预算编制准确性": 7, "二、预算执行": 77,
                      "(一)预算执行率": 27, "①结转结余率": 50}
    c = cli("check", ind, data)
    assert "基础数据中没有" not in c.out, c.out
    t = cli("template", ind, "-o", tmp_path / "t.xlsx")
    assert t.code == 0
    asked = [row[0].value for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(min_row=1)]
    assert "预算编制及时性" in asked and "1.预算编制及时性" not in asked


def test_self_evaluation_table_with_qualitative_targets(tmp_path, cli):
    """项目支出绩效自评表 as filed: 年度指标值 with words (效果明显), percentages written 百分比 or %以上; 默认公式
    compares 完成值 with 目标值. A qualitative target never blocks the workbook: that leaf is scored by hand."""
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "评分标准"]
    rows = [
        ["产出指标", "数量指标", "培训人次", "≥500人次", 30, "完成得满分，否则按比例"],
        [None, "质量指标", "培训合格率", "95%以上", 20, "按比例"],
        [None, "成本指标", "人均培训成本", 800, 10, "不超过预算得满分"],
        ["效益指标", "社会效益指标", "群众满意程度", "效果明显", 20, "酌情评分"],
        [None, "满意度指标", "学员满意度", "≥90百分比", 20, "按比例"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A5", "A6:A7"],
                         settings={"默认公式": "TARGET(完成值, 目标值)"})
    system = read_indicator_system(ind)  # no InputError: 效果明显 does not block
    leaves = {leaf.name: leaf for leaf in system.leaves()}
    assert leaves["群众满意程度"].qualitative_target == "效果明显" and leaves["群众满意程度"].target is None
    assert system.formula_of(leaves["群众满意程度"]) is None  # manual
    assert leaves["学员满意度"].target.value == pytest.approx(0.9)
    assert leaves["培训合格率"].target.op == ">=" and leaves["培训合格率"].target.value == pytest.approx(0.95)
    data = kv_book(tmp_path / "d.xlsx", [("培训人次", 450), ("培训合格率", "97%"), ("人均培训成本", 800),
                                          ("群众满意程度", 16), ("学员满意度", "88%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    # by hand: 450/500×30 = 27; 97% ≥ 95% → 20; 800 ≥ 800 → 10; 人工 16; 88/90×20 = 19.56
    assert scores["培训人次"] == 27 and scores["培训合格率"] == 20 and scores["人均培训成本"] == 10
    assert scores["群众满意程度"] == 16 and scores["学员满意度"] == pytest.approx(19.56)
    c = cli("check", ind, data)
    assert "“群众满意程度”的目标值“效果明显”是定性的：按人工评分" in c.out
    assert "“人均培训成本”的目标值 800 没有方向（≥/≤）" in c.out
    assert "培训人次" not in c.out.split("没有方向")[0].splitlines()[-1]


def test_columns_mapped_in_settings(tmp_path, cli):
    """A bureau's own header words, said once in 设置: `列:分值 | 权值` (two cells) or `列:评分标准 = 打分依据` (one)."""
    header = ["考评对象", "考评要点", "权值", "打分依据"]
    rows = [["基础管理", "制度建设", 40, "制度健全得满分"], [None, "档案管理", 20, "规范得满分"],
            ["工作成效", "任务完成", 40, "全部完成得满分"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"], title="年度工作考核表")
    before = cli("check", ind)
    assert before.code == 2 and "最像表头的是 指标体系 第 2 行：考评对象 | 考评要点 | 权值 | 打分依据" in before.err
    assert "列:分值" in before.err
    wb = openpyxl.load_workbook(ind)
    settings = wb.create_sheet("设置")
    settings.append(["项目", "值"])
    settings.append(["列:一级指标", "考评对象"])
    settings.append(["列：二级指标", "考评要点"])
    settings.append(["列:分值", "权 值"])
    settings.append(["列:评分标准 = 打分依据"])
    wb.save(ind)
    system = read_indicator_system(ind)
    assert _points(system) == {"基础管理": 60, "基础管理/制度建设": 40, "基础管理/档案管理": 20, "工作成效": 40,
                               "工作成效/任务完成": 40}
    assert system.leaves()[0].criteria == "制度健全得满分"
    data = kv_book(tmp_path / "d.xlsx", [("制度建设", 35), ("档案管理", 20), ("任务完成", 38)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 93


def test_a_mapping_to_an_unknown_role_is_named(tmp_path, cli):
    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "分值"], [["投入", 100]], settings={"列:权重系数": "系数"})
    r = cli("check", ind)
    assert "设置!A2 “列:权重系数”中的“权重系数”不是可识别的列" in r.out


def test_points_written_in_parent_names_pass_down_to_an_only_child(tmp_path, cli):
    """农业综合开发项目评价指标 as printed: points in the parents' names, the points column blank for an only child."""
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评分公式"]
    rows = [
        ["项目决策（20分）", "立项依据（8分）", "立项依据充分性", None, "充分得满分", None],
        [None, "资金安排（12分）", "资金到位率", None, "按比例", "RATIO(资金到位率, 1)"],
        ["项目效益（80分）", "经济效益", "亩均增收", 50, "≥300元得满分", "TARGET(亩均增收, 300)"],
        [None, "社会效益", "受益农户满意度", 30, "按比例", "RATIO(受益农户满意度, 1)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "A5:A6"])
    system = read_indicator_system(ind)
    points = _points(system)
    assert points["项目决策"] == 20 and points["项目决策/立项依据/立项依据充分性"] == 8
    assert points["项目决策/资金安排/资金到位率"] == 12 and points["项目效益"] == 80
    data = kv_book(tmp_path / "d.xlsx", [("立项依据充分性", 6), ("资金到位率", "90%"), ("亩均增收", 240),
                                          ("受益农户满意度", "95%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    # by hand: 6 + 10.8 + 240/300×50 = 40 + 28.5 = 85.3
    assert r.json()["units"][0]["total"] == pytest.approx(85.3)


def test_empty_category_row_is_ignored_with_a_note(tmp_path, cli):
    """自评表: 效益指标 lists 经济效益指标 with nothing under it (no points, no target): a heading, not an error."""
    header = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "评分公式"]
    rows = [
        ["产出指标", "数量指标", "完成项目数", 50, "≥10个", "TARGET(完成项目数, 目标值)"],
        ["效益指标", "经济效益指标", None, None, None, None],
        [None, "社会效益指标", "带动就业人数", 50, "≥100人", "TARGET(带动就业人数, 目标值)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A4:A5"])
    system = read_indicator_system(ind)
    assert [n.name for n in system.roots[1].children] == ["社会效益指标"]
    assert any("“经济效益指标”没有分值、也没有下级指标，作为分类标题忽略" in w for w in system.warnings)
    data = kv_book(tmp_path / "d.xlsx", [("完成项目数", 10), ("带动就业人数", 80)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 90


def test_check_does_not_flag_ordinary_names_or_text_in_text_comparisons(tmp_path, cli):
    header = ["一级指标", "三级指标", "分值", "评分公式"]
    rows = [["投入", "预算执行", 50, "RATIO(预算执行数/预算数, 1)"],
            ["管理", "档案管理", 30, "IF(档案等级=\"优\", 分值, IF(档案等级=\"良\", 分值*0.8, 0))"],
            [None, "控制率", 20, "IF(在职人员控制律<=1, 分值, 0)"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A4:A5"],
                         derived=[("预算执行率", "预算执行数/预算数"), ("在职人员控制率", "在职人员数/编制数")])
    r = cli("check", ind)
    assert "“预算执行数”不是计算项" not in r.out  # a real name that merely shares a prefix
    assert "“在职人员控制律”不是计算项，与计算项“在职人员控制率”只差一点" in r.out  # a typo
    data = kv_book(tmp_path / "d.xlsx", [("预算执行数", 90), ("预算数", 100), ("档案等级", "优"), ("在职人员控制律", 0.9),
                                          ("在职人员数", 9), ("编制数", 10)])
    r = cli("check", ind, data)
    assert "“档案等级”是文本“优”" not in r.out
