"""Indicator tables as bureaus publish them (issue 12, first part): their own header words, levels named
only by column order, headers printed on two rows, and a message that shows the row that looks most like a
header when none is recognised."""

import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.styles import Alignment

from scoring.read import read_indicator_system
from tests.builders import BOX, indicator_book, kv_book, wide_book


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
    # 按时报送得满分 has no formula: scored by the rule read from it (未确认), which reads 按时报送 (是/否)
    data = kv_book(tmp_path / "d.xlsx", [("按时报送", "是"), ("预算偏差率", "3%"), ("预算执行率", "90%"),
                                          ("结转结余率", "4%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert "按评分标准文字计分（未确认）：1.预算编制及时性" in r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    assert scores == {"一、预算编制": 17, "1.预算编制及时性": 10, "2.预算编制准确性": 7, "二、预算执行": 77,
                      "(一)预算执行率": 27, "①结转结余率": 50}
    c = cli("check", ind, data)
    assert "基础数据中没有" not in c.out, c.out
    t = cli("template", ind, "-o", tmp_path / "t.xlsx")
    assert t.code == 0
    asked = [row[0].value for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(min_row=1)]
    assert "按时报送" in asked and "1.预算编制及时性" not in asked  # what the rule read from its 评分标准 needs


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
    before = cli("check", ind, "--format", "json")  # read by what the columns hold (issue 27): 权值 is numbers adding up
    assert before.code == 0, before.err
    assert "一级指标=A 列“考评对象”；二级指标=B 列“考评要点”；分值=C 列“权值”；评分标准=D 列“打分依据”" in before.json()["reading"]
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
    # the criteria read as yes/no rules (制度健全得满分): the scores a person gave are entered as <指标>得分
    data = kv_book(tmp_path / "d.xlsx", [("制度建设得分", 35), ("档案管理得分", 20), ("任务完成得分", 38)])
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
    figures = [("资金到位率", "90%"), ("亩均增收", 240), ("受益农户满意度", "95%")]
    # 充分得满分 is a yes/no rule: 6 under the leaf's name is no answer to it — an error, never 8 points
    wrong = cli("run", ind, kv_book(tmp_path / "w.xlsx", [("立项依据充分性", 6), *figures]), "--dry-run")
    assert wrong.code == 1 and "基础数据!B2 “立项依据充分性”是 6，而“立项依据充分性”的评分标准（充分得满分）要的是 是/否" in wrong.err
    data = kv_book(tmp_path / "d.xlsx", [("立项依据充分性得分", 6), *figures])
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


def _facility_farming_book(path):
    """设施农业项目绩效评价指标及评分标准 as published: 项目 | 内容 | 评分指标 | 评价标准 merged over four grades, 优 | 良 |
    中 | 差 each merged over 评分标准 | 评价得分 on a third header row; points only in the names; quantitative rows
    print one criterion across every grade column; a 分项小计 row at the end. A 评分公式 column added by the bureau."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价指标"
    ws["A1"] = "设施农业项目绩效评价指标及评分标准"
    ws.merge_cells("A1:L1")
    ws["A2"], ws["B2"], ws["C2"], ws["D2"], ws["L2"] = "项目", "内容", "评分指标", "评价标准", "评分公式"
    ws.merge_cells("D2:K2")
    for col in "ABCL":
        ws.merge_cells(f"{col}2:{col}4")
    for i, grade in enumerate(["优", "良", "中", "差"]):
        c = 4 + 2 * i
        ws.cell(3, c, grade)
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 1)
        ws.cell(4, c, "评分标准")
        ws.cell(4, c + 1, "评价得分")
    rows = [
        ["执行情况评价(80分)", "建设任务", "年度建设任务完成率\n(计算方法:年度建设任务完成面积/计划面积×100)(40分)",
         "得分值=年度建设任务完成率(超过100%以100%计算)×40"] + [None] * 7 + ["MIN(年度建设任务完成率, 1)*分值"],
        [None, None, "种植率(计算方法:设施当年种植面积/设施总面积×100)(40分)", "得分值=种植率×40"] + [None] * 7
        + ["RATIO(种植率, 1)"],
        ["技术服务(20分)", "技 术 服 务", "培训覆盖率(计算方法:实际培训人数/计划培训人数×100)(10分)",
         "技术培训人次完成率100%，培训资料全面", 10, "完成率80-99%，培训资料全面", 8, "完成率60-79%", 6, "完成率<60%", 3],
        [None, None, "标准化生产(10分)", "有规程并组织生产，取得无公害认证", 10, "有规程并组织生产，未取得认证", 7.5,
         "有规程，未大规模组织生产", 5, "没有规程", 0],
        ["分项小计", None, "小计", None, None, None, None, None, None, None, None],
    ]
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    for r in range(2, 10):
        for c in range(1, 13):
            ws.cell(r, c).border = BOX
    for rng in ("D5:K5", "D6:K6", "A5:A6", "B5:B6", "A7:A8", "B7:B8"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_grade_columns_side_by_side_on_a_three_row_header(tmp_path, cli):
    ind = _facility_farming_book(tmp_path / "ind.xlsx")
    system = read_indicator_system(ind)
    assert (system.header_top, system.header_row) == (2, 4)
    assert _points(system) == {
        "执行情况评价": 80, "执行情况评价/建设任务": 80,
        "执行情况评价/建设任务/年度建设任务完成率(计算方法:年度建设任务完成面积/计划面积×100)": 40,
        "执行情况评价/建设任务/种植率(计算方法:设施当年种植面积/设施总面积×100)": 40,
        "技术服务": 20, "技术服务/技术服务": 20,
        "技术服务/技术服务/培训覆盖率(计算方法:实际培训人数/计划培训人数×100)": 10, "技术服务/技术服务/标准化生产": 10}
    leaves = {leaf.data_keys[-1]: leaf for leaf in system.leaves()}
    assert [(b.grade, b.points) for b in leaves["标准化生产"].bands] == [("优", 10), ("良", 7.5), ("中", 5), ("差", 0)]
    assert leaves["标准化生产"].bands[1].criteria == "有规程并组织生产，未取得认证"
    assert leaves["种植率"].bands == [] and leaves["种植率"].criteria == "得分值=种植率×40"
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某蔬菜合作社"), ("年度建设任务完成率", "105%"), ("种植率", "90%"),
                                          ("培训覆盖率", "良"), ("标准化生产", " 中 ")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    items = {i["path"][-1]: i for i in r.json()["units"][0]["indicators"]}
    # by hand: min(105%,100%)×40 = 40; 90%×40 = 36; 良 → 8; 中 → 5
    assert r.json()["units"][0]["total"] == 40 + 36 + 8 + 5
    assert items["标准化生产"]["score"] == 5 and items["标准化生产"]["status"] == "manual"
    assert items["标准化生产"]["note"] == "评定为“中”（有规程，未大规模组织生产），扣 5 分"
    c = cli("check", ind, data)
    assert c.code == 0 and "是文本" not in c.out
    assert "标准化生产（可填等级 优/良/中/差）" in c.out
    wrong = kv_book(tmp_path / "w.xlsx", [("年度建设任务完成率", 1), ("种植率", 1), ("培训覆盖率", "很好"),
                                           ("标准化生产", 10)])
    r = cli("run", ind, wrong, "--format", "json", "--dry-run")
    assert r.code == 1
    assert "应填等级（优、良、中、差）或得分（0 到 10 分），基础数据中是“很好”" in r.json()["units"][0]["errors"][0]
    out = tmp_path / "out.xlsx"
    assert cli("run", ind, data, "-o", out).code == 0
    sheet = openpyxl.load_workbook(out)["评分表"]
    header = {sheet.cell(2, c).value: c for c in range(1, sheet.max_column + 1)}
    assert "得分" in header and "D2:K2" in {str(m) for m in sheet.merged_cells.ranges}
    assert f"{sheet.cell(2, header['得分']).coordinate}:{sheet.cell(4, header['得分']).coordinate}" in \
        {str(m) for m in sheet.merged_cells.ranges}  # the added 得分 title spans the three header rows
    assert sheet.cell(8, header["得分"]).value == 5


def test_grade_columns_on_one_header_row_with_a_formula_giving_the_grade(tmp_path, cli):
    """好 | 得分 | 较好 | 得分 | 一般 | 得分 | 较差 | 得分 on the header row itself; one leaf's 评分公式 returns a grade word."""
    header = ["一级指标", "二级指标", "分值", "好", "得分", "较好", "得分", "一般", "得分", "较差", "得分", "评分公式"]
    rows = [
        ["管理", "制度健全性", 10, "制度健全", 10, "基本健全", 7, "不够健全", 4, "没有制度", 0, None],
        [None, "资金到位率", 20, "100%", 20, "90%以上", 15, "80%以上", 10, "低于80%", 0,
         'IF(资金到位率>=1, "好", IF(资金到位率>=0.9, "较好", IF(资金到位率>=0.8, "一般", "较差")))'],
        ["效益", "满意度", 70, None, None, None, None, None, None, None, None, "RATIO(满意度, 1)"],
    ]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"])
    system = read_indicator_system(ind)
    assert _points(system) == {"管理": 30, "管理/制度健全性": 10, "管理/资金到位率": 20, "效益": 70, "效益/满意度": 70}
    assert [b.grade for b in system.leaves()[0].bands] == ["好", "较好", "一般", "较差"]
    assert system.columns.get("score") is None  # the 得分 columns are the grades' points, not where results go
    data = kv_book(tmp_path / "d.xlsx", [("制度健全性", "较好"), ("资金到位率", "92%"), ("满意度", "88%")])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    scores = {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]}
    # by hand: 较好 → 7; 92% ≥ 90% → 较好 → 15; 88%×70 = 61.6
    assert scores == {"管理": 22, "制度健全性": 7, "资金到位率": 15, "效益": 61.6, "满意度": 61.6}
    numeric = kv_book(tmp_path / "n.xlsx", [("制度健全性", 8), ("资金到位率", "100%"), ("满意度", 1)])
    assert cli("run", ind, numeric, "--format", "json", "--dry-run").json()["units"][0]["total"] == 98


def _choice_book(path, criteria="项目完成率与重点工作完成率二者择其一，按完成比例计分"):
    """部门整体支出评价表: 项目完成率 and 重点工作完成率 share one merged 分值 cell (30) and one merged criterion."""
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评分公式"]
    rows = [
        ["投入", "预算执行", "预算执行率", 20, "按比例", "RATIO(预算执行率, 1)"],
        ["产出", "职责履行", "项目完成率", 30, criteria, "RATIO(项目完成率, 1)"],
        [None, None, "重点工作完成率", None, None, "RATIO(重点工作完成率, 1)"],
        ["效益", "满意度", "服务对象满意度", 50, "≥90%得满分，否则按比例", "IF(服务对象满意度>=90%, 分值, 分值*服务对象满意度)"],
    ]
    return indicator_book(path, header, rows, merges=["A4:A5", "B4:B5", "D4:D5", "E4:E5"])


def test_choose_one_of_two_rows_sharing_a_points_cell(tmp_path, cli):
    ind = _choice_book(tmp_path / "ind.xlsx")
    system = read_indicator_system(ind)
    assert _points(system) == {"投入": 20, "投入/预算执行": 20, "投入/预算执行/预算执行率": 20, "产出": 30,
                               "产出/职责履行": 30, "产出/职责履行/项目完成率或重点工作完成率": 30, "效益": 50,
                               "效益/满意度": 50, "效益/满意度/服务对象满意度": 50}
    choice = system.roots[1].children[0].children[0]
    assert [o.name for o in choice.alternatives] == ["项目完成率", "重点工作完成率"]
    assert not system.warnings  # 30 counted once: no 分值 mismatch
    data = wide_book(tmp_path / "d.xlsx", ["预算执行率", "项目完成率", "重点工作完成率", "服务对象满意度"], [
        ("甲单位", [0.9, 0.8, None, 0.95]),
        ("乙单位", [1, None, 0.5, 0.8]),
        ("丙单位", [1, None, None, 0.9]),
    ])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 1  # 丙单位 supplies neither
    units = {u["unit"]: u for u in r.json()["units"]}
    # by hand: 甲 18 + 0.8×30 + 50 = 92; 乙 20 + 0.5×30 + 0.8×50 = 75
    assert units["甲单位"]["total"] == 92 and units["乙单位"]["total"] == 75
    item = {i["path"][-1]: i for i in units["乙单位"]["indicators"]}["项目完成率或重点工作完成率"]
    assert item["chosen"] == "重点工作完成率" and item["weight"] == 30
    assert item["note"] == "择其一，按“重点工作完成率”评分：重点工作完成率为 50%，低于 100%，按比例计分，扣 15 分"
    assert units["丙单位"]["total"] is None
    assert "“项目完成率”、“重点工作完成率”择其一评分，但基础数据中哪一项的数据都没有" in units["丙单位"]["errors"][0]
    c = cli("check", ind, data)
    assert c.out.count("错误") >= 1 and "“项目完成率”未填写" not in c.out and "丙单位" in c.out
    out = tmp_path / "out.xlsx"
    cli("run", ind, data, "-o", out, "--sheets", "all")
    sheet = openpyxl.load_workbook(out)["评分表-乙单位"]
    assert [sheet.cell(r, 7).value for r in (4, 5)] == ["未选用", 15]  # the 评分表 shows which row was used
    assert sheet.cell(4, 8).value == "择其一，本单位按“重点工作完成率”评分"
    e = cli("explain", ind, data, "项目完成率", "--unit", "甲单位")
    assert "本单位按“项目完成率”评分（它有数据）" in e.out and "得分：24 / 30" in e.out


def test_rows_sharing_a_points_cell_without_choice_words_are_kept_with_a_warning(tmp_path):
    system = read_indicator_system(_choice_book(tmp_path / "ind.xlsx", criteria="按完成比例计分"))
    leaves = [leaf.name for leaf in system.leaves()]
    assert "项目完成率" in leaves and "重点工作完成率" in leaves
    assert any("“项目完成率”、“重点工作完成率”共用一个分值单元格：若为择其一" in w for w in system.warnings)


@pytest.mark.parametrize("header, rows, message", [
    (["一级指标", "二级指标", "分值"], [], "指标体系 表头（第 2 行）下面没有指标行：请从第 3 行起逐行填写指标名称和分值"),
    (["一级指标", "二级指标", "优", "得分", "良", "得分"], [["管理", "制度", "健全", "十分", "基本健全", 5]],
     "指标体系!D3 等级“优”的分数“十分”不是数字：请填写数字"),
    (["一级指标", "二级指标", "优", "得分", "差", "得分"], [["管理", "制度", "健全", 10, "没有", None]],
     "指标体系!E3 等级“差”有评分标准但没有分数：请在同一行填写该等级的分数"),
    (["一级指标", "二级指标", "评分标准"], [["管理", "制度", "健全得满分"]],
     "指标体系!B3 指标“制度”没有分值：请在分值列填写，或写在名称中如“制度(5分)”"),
])
def test_unreadable_forms_name_the_sheet_row_and_what_is_missing(tmp_path, cli, header, rows, message):
    r = cli("check", indicator_book(tmp_path / "ind.xlsx", header, rows))
    assert r.code == 1 and message in r.out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_grade_and_choice_tables_saved_by_libreoffice(tmp_path, cli, fmt):
    """The same tables as LibreOffice writes them (its own merges, styles, shared strings; and as .xls)."""
    sources = [_facility_farming_book(tmp_path / "grade.xlsx"), _choice_book(tmp_path / "choice.xlsx")]
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", fmt,
                    "--outdir", str(out), *map(str, sources)], capture_output=True, timeout=180, check=True)
    grade_data = kv_book(tmp_path / "g.xlsx", [("年度建设任务完成率", "105%"), ("种植率", "90%"), ("培训覆盖率", "良"),
                                                ("标准化生产", "中")])
    r = cli("run", out / f"grade.{fmt}", grade_data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 40 + 36 + 8 + 5
    choice_data = kv_book(tmp_path / "c.xlsx", [("预算执行率", "90%"), ("重点工作完成率", "50%"), ("服务对象满意度", "95%")])
    r = cli("run", out / f"choice.{fmt}", choice_data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert r.json()["units"][0]["total"] == 18 + 15 + 50
