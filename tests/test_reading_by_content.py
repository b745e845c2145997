"""Issue 27: an indicator table read by what its columns hold, not only by header words — each situation built as
published tables print it, read through `score check` (its 读表结果) and scored where it has a unit."""

import openpyxl
import pytest

from scoring.read import read_indicator_system
from tests.builders import BOX, indicator_book, kv_book


def _leaves(system):
    return [("/".join(leaf.path), leaf.weight) for leaf in system.leaves()]


def _book(path, rows, merges=(), title=None):
    """A sheet exactly as given (rows from row 1, or from row 2 under a title), bordered, with its merges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    first = 1
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        first = 2
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=len(rows[0])):
        for cell in row:
            cell.border = BOX
    wb.save(path)
    return path


def test_a_table_printed_without_a_header_row(tmp_path, cli):
    """Rows straight under the title: names, points adding up to 100, rule sentences — read by content."""
    rows = [["预算执行率", 40, "执行率100%得满分，每低1个百分点扣1分"],
            ["资金使用合规性", 30, "发现一例违规扣5分，扣完为止"],
            ["服务对象满意度", 30, "满意度≥90%得满分，每低1个百分点扣1分"]]
    ind = _book(tmp_path / "ind.xlsx", rows, title="某项目绩效评价评分表")
    system = read_indicator_system(ind)
    assert _leaves(system) == [("预算执行率", 40), ("资金使用合规性", 30), ("服务对象满意度", 30)]
    assert system.leaves()[0].criteria == "执行率100%得满分，每低1个百分点扣1分"
    r = cli("check", ind, "--format", "json")
    assert "表格没有表头行，按各列内容判断" in r.json()["reading"]


def test_header_words_outside_the_vocabulary(tmp_path, cli):
    """序号 | 评审指标 | 评审标准说明 | 最高分值 (a procurement scoring table): row counter, names, sentences, points."""
    rows = [["序号", "评审指标", "评审标准说明", "最高分值"],
            ["1", "研究基础与条件", "已有相关研究得5分，团队具备条件得10分", "15"],
            ["2", "研究方法", "思路清晰得10分，方法可行得10分", "20"],
            ["3", "价格", "报价最低得满分，其他按比例计分", "65"]]
    ind = _book(tmp_path / "ind.xlsx", rows, title="综合评分标准")
    system = read_indicator_system(ind)
    assert _leaves(system) == [("研究基础与条件", 15), ("研究方法", 20), ("价格", 65)]
    reading = cli("check", ind, "--format", "json").json()["reading"]
    assert "A 列是序号（表头），不读" in reading
    assert "一级指标=B 列“评审指标”；评分标准=C 列“评审标准说明”；分值=D 列“最高分值”" in reading


def test_repeated_header_words_and_a_column_named_by_its_letter(tmp_path, cli):
    """Two columns headed 分值, one beside each level: each is that level's points. A clerk who wants a column read
    otherwise names it by letter in 设置 (`列:评分标准 | E`), which header words could not tell apart."""
    header = ["一级指标", "分值", "二级指标", "分值", "评分标准"]
    rows = [["投入", 30, "预算编制", 10, "编制规范得满分"], [None, None, "预算执行", 20, "执行率×分值"],
            ["产出", 70, "产出数量", 70, "完成目标得满分"]]
    ind = indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "B3:B4"])
    system = read_indicator_system(ind)
    assert _leaves(system) == [("投入/预算编制", 10), ("投入/预算执行", 20), ("产出/产出数量", 70)]
    assert system.roots[0].weight == 30
    wb = openpyxl.load_workbook(ind)
    ws = wb["设置"] if "设置" in wb.sheetnames else wb.create_sheet("设置")
    ws.append(["列:指标说明", "E"])  # the clerk says: column E is an explanation, not the criteria
    wb.save(ind)
    system = read_indicator_system(ind)
    assert system.columns.get("description") == [5] and "criteria" not in system.columns
    assert system.leaves()[0].description == "编制规范得满分"


def test_points_written_in_names_under_a_column_headed_points(tmp_path):
    """评价指标 | 分值 | 评价标准, the 分值 column printing “任务分解 (2分)”: those cells are the next level's names."""
    rows = [["评价指标", "分值", "评价标准"],
            ["前期工作", "任务分解 (2分)", "按要求分解落实到项目区的得2分，否则不得分"],
            [None, "审批备案 (3分)", "及时完成审批备案的得3分，否则不得分"],
            ["建设质量", "工程质量 (5分)", "验收合格得5分，不合格不得分"]]
    system = read_indicator_system(_book(tmp_path / "ind.xlsx", rows, merges=["A2:A3"]))
    assert _leaves(system) == [("前期工作/任务分解", 2), ("前期工作/审批备案", 3), ("建设质量/工程质量", 5)]
    assert any("读作第 2 级指标名称" in line for line in system.reading)


def test_points_printed_under_a_header_that_says_score(tmp_path):
    """一级指标 | 得分 | 二级指标 | 得分 | 评分标准, the 得分 columns holding each level's points (no 分值 column)."""
    header = ["一级指标", "得分", "二级指标", "得分", "评分标准"]
    rows = [["决策", 20, "目标设定", 8, "目标明确得满分"], [None, None, "资金投入", 12, "资金到位得满分"],
            ["产出", 80, "产出数量", 80, "完成得满分"]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "B3:B4"]))
    assert _leaves(system) == [("决策/目标设定", 8), ("决策/资金投入", 12), ("产出/产出数量", 80)]
    assert system.roots[0].weight == 20


def test_a_filled_score_sheet_keeps_its_scores_as_scores(tmp_path):
    """Points in the names and numbers under 得分: the 得分 column is the unit's scores, not points."""
    header = ["一级指标", "二级指标", "三级指标", "得分"]
    rows = [["决策(25 分)", "目标任务(15 分)", "相关性(5 分)", 5], [None, None, "明确性(10 分)", 8],
            [None, "预算编制(10 分)", "测算依据(10 分)", 2]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows,
                                                  merges=["A3:A5", "B3:B4"], settings={"满分": 25}))
    assert [w for _, w in _leaves(system)] == [5, 10, 10]


def test_criteria_in_a_column_headed_as_a_level(tmp_path):
    """项目 | 内容 | 评分指标 | 分值, where 评分指标 prints the rule sentences: it is the 评分标准, 内容 holds the names."""
    header = ["项目", "内容", "评分指标", "分值"]
    rows = [["项目管理", "制度建设", "制度健全得5分，执行到位得5分，否则每项扣2.5分", 10],
            [None, "资金管理", "资金专款专用得10分，发现挪用一次扣5分，扣完为止", 10],
            ["项目效益", "群众满意度", "满意度90%以上得满分，每低1个百分点扣1分", 80]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"]))
    assert _leaves(system) == [("项目管理/制度建设", 10), ("项目管理/资金管理", 10), ("项目效益/群众满意度", 80)]
    assert system.leaves()[0].criteria.startswith("制度健全得5分")


def test_names_with_their_formulas_in_brackets_stay_names(tmp_path):
    """Long names that explain themselves (…（到位资金/预算资金×100%）) under 评价指标 are names, not rules: they give no
    points; and a column headed 三级指标 is the third level whatever it holds."""
    header = ["项目", "评价指标", "分值", "评分标准"]
    rows = [["资金管理", "资金到位率（实际到位资金/计划投入资金×100%）", 10, "到位率100%得满分，每低1%扣0.5分"],
            [None, "预算执行率（实际支出数/预算数×100%）", 10, "按执行率乘以分值计分"],
            ["产出", "项目完成率（已完成项目数/计划项目数×100%）", 80, "完成率100%得满分，否则按比例"]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4"]))
    assert [leaf.name for leaf in system.leaves()] == ["资金到位率（实际到位资金/计划投入资金×100%）",
                                                       "预算执行率（实际支出数/预算数×100%）", "项目完成率（已完成项目数/计划项目数×100%）"]
    assert system.leaves()[0].criteria == "到位率100%得满分，每低1%扣0.5分"


def test_rules_in_a_column_headed_as_an_explanation(tmp_path):
    header = ["一级指标", "二级指标", "分值", "指标说明"]
    rows = [["投入", "预算执行率", 50, "执行率达到100%得满分，每低1个百分点扣1分"],
            ["产出", "完成率", 50, "全部完成得满分，未完成的按比例计分"]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows))
    assert system.leaves()[0].criteria == "执行率达到100%得满分，每低1个百分点扣1分"


def test_group_headings_merged_across_and_numbered_levels_in_one_column(tmp_path):
    """一、立项（20分） merged across the table over its rows; and, in another table, 一、 rows above 1、 rows in the
    same column: both a level above the columns' levels."""
    rows = [["审核内容", "权重", "审核要点", "分值"],
            ["一、立项必要性(20分)", None, None, None],
            ["明确相关性", "10分", "目的明确，内容具体", "5分"], [None, None, "符合相关规划", "5分"],
            ["必要可行", "10分", "不存在重复交叉", "5分"], [None, None, "经过可行性研究", "5分"]]
    merged = _book(tmp_path / "a.xlsx", rows, merges=["A2:D2", "A3:A4", "B3:B4", "A5:A6", "B5:B6"])
    system = read_indicator_system(merged)
    assert _leaves(system) == [("一、立项必要性/明确相关性/目的明确，内容具体", 5), ("一、立项必要性/明确相关性/符合相关规划", 5),
                               ("一、立项必要性/必要可行/不存在重复交叉", 5), ("一、立项必要性/必要可行/经过可行性研究", 5)]
    assert system.roots[0].weight == 20 and system.roots[0].children[0].weight == 10
    numbered = [["考核内容", "分值", "计分标准"], ["一、前期工作", 30, None], ["1、人员专业能力", 15, "配备专业人员得满分"],
                ["2、人员稳定", 15, "保持稳定得满分"], ["二、过程管理", 70, None], ["1、沟通情况", 70, "沟通顺畅得满分"]]
    system = read_indicator_system(_book(tmp_path / "b.xlsx", numbered))
    assert _leaves(system) == [("一、前期工作/1、人员专业能力", 15), ("一、前期工作/2、人员稳定", 15),
                               ("二、过程管理/1、沟通情况", 70)]


def test_points_printed_as_shares_within_each_group(tmp_path):
    """一级 权重 50/50, and under each 一级 the 二级 分值 add up to 100 again: 二级 × 权重 / 100."""
    header = ["一级指标", "权重", "二级指标", "分值"]
    rows = [["预算绩效", 50, "预算管理", 75], [None, None, "财务管理", 25], ["项目产出", 50, "产出数量", 100]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows, merges=["A3:A4", "B3:B4"]))
    assert _leaves(system) == [("预算绩效/预算管理", 37.5), ("预算绩效/财务管理", 12.5), ("项目产出/产出数量", 50)]
    assert any("组内百分比" in w for w in system.warnings)


def test_header_printed_again_and_form_placeholders(tmp_path):
    header = ["一级指标", "二级指标", "三级指标", "分值"]
    rows = [["产出指标", "数量指标", "培训人数", 50], [None, None, "指标2", None], [None, None, "……", None],
            ["一级指标", "二级指标", "三级指标", "分值"], ["效益指标", "社会效益指标", "满意度", 50],
            [None, None, "其中：学员满意度", None]]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows))
    assert _leaves(system) == [("产出指标/数量指标/培训人数", 50), ("效益指标/社会效益指标/满意度", 50)]
    assert any("跳过 3 行" in w for w in system.warnings)


def test_a_table_read_by_content_is_scored(tmp_path, cli):
    rows = [["序号", "考评事项", "考评办法", "满分值"],
            ["1", "预算执行率", "按执行率乘以分值计分", 60], ["2", "违规问题", "每发现一个问题扣10分，扣完为止", 40]]
    ind = _book(tmp_path / "ind.xlsx", rows)
    data = kv_book(tmp_path / "d.xlsx", [("预算执行率", "90%"), ("违规问题", 1)])
    r = cli("run", ind, data, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    assert {i["path"][-1]: i["score"] for i in r.json()["units"][0]["indicators"]} == {"预算执行率": 54, "违规问题": 30}


def test_a_table_with_no_points_anywhere_is_refused_with_what_to_do(tmp_path, cli):
    rows = [["考评对象", "考评要点", "打分依据"], ["基础管理", "制度建设", "制度健全"], [None, "档案管理", "规范"]]
    r = cli("check", _book(tmp_path / "ind.xlsx", rows))
    assert r.code == 2 and "找不到表头" in r.err and "列:分值" in r.err


@pytest.mark.parametrize("leaves", [500])
def test_a_large_system_is_read(tmp_path, leaves):
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分标准"]
    rows = [[f"一级{k // 50}", f"二级{k // 10}", f"指标{k}", 0.2, "按比例计分"] for k in range(leaves)]
    system = read_indicator_system(indicator_book(tmp_path / "ind.xlsx", header, rows))
    assert len(system.leaves()) == leaves


def test_a_header_less_table_of_names_with_formulas_in_brackets(tmp_path):
    """No header row; the names carry their formulas in brackets (with %), the rules give points: names stay names."""
    rows = [["资金到位率（实际到位资金/计划资金×100%）", 50, "到位率100%得满分，每低1%扣1分"],
            ["项目完成率（已完成数/计划数×100%）", 50, "全部完成得满分，否则按比例计分"]]
    system = read_indicator_system(_book(tmp_path / "ind.xlsx", rows, title="某专项资金绩效评价评分表"))
    assert [(leaf.name, leaf.weight) for leaf in system.leaves()] == [("资金到位率（实际到位资金/计划资金×100%）", 50),
                                                                      ("项目完成率（已完成数/计划数×100%）", 50)]
    assert system.leaves()[1].criteria == "全部完成得满分，否则按比例计分"
