"""Mistakes typed on the command line (issue 25): each is answered in Chinese with what to do — never “程序内部错误”,
never a traceback — and the advice is the command's own (diff and draft never write back into anything)."""

import openpyxl
import pytest

from tests.builders import indicator_book, kv_book, wide_book

HEADER = ["一级指标", "二级指标", "分值", "评分公式"]
ROWS = [["产出", "完成率", 60, "RATIO(完成率, 1)"], [None, "满意度", 40, "RATIO(满意度, 1)"]]
NEXT = [["产出", "完成率", 50, "RATIO(完成率, 1)"], [None, "满意度", 50, "RATIO(满意度, 1)"]]
# 甲: 60 × 90% + 40 × 80% = 86; 乙: 60 × 50% + 40 × 100% = 70
UNITS = [("甲", ["90%", "80%"]), ("乙", ["50%", "100%"])]
LONG = "长" * 200  # 600 bytes: longer than any file name a file system takes


@pytest.fixture
def books(tmp_path):
    ind = indicator_book(tmp_path / "指标体系.xlsx", HEADER, ROWS, merges=["A3:A4"])
    nxt = indicator_book(tmp_path / "新指标体系.xlsx", HEADER, NEXT, merges=["A3:A4"])
    data = wide_book(tmp_path / "基础数据.xlsx", ["完成率", "满意度"], UNITS)
    one = kv_book(tmp_path / "一个单位.xlsx", [("单位名称", "甲"), ("完成率", "90%"), ("满意度", "80%")])
    return ind, nxt, data, one


def refused(r, *phrases):
    """Exit 2 with a Chinese message holding every phrase; nothing internal shown."""
    assert r.code == 2, (r.code, r.err)
    assert r.err.startswith("错误：") and "程序内部错误" not in r.err and "Traceback" not in r.err, r.err
    for phrase in phrases:
        assert phrase in r.err, (phrase, r.err)


def test_a_negative_seed_is_a_mistake_not_an_internal_error(books, cli):
    ind, _, data, _ = books
    refused(cli("sensitivity", ind, data, "--seed", "-1"), "随机种子应为 0 或正整数（如 1），现为 -1")
    r = cli("sensitivity", ind, data, "--seed", "99999999999999999999", "--samples", "50", "--format", "json")
    assert r.code == 0, r.err  # a large seed is a seed
    assert [(u["unit"], u["total"], u["nominal_rank"]) for u in r.json()["units"]] == [("甲", 86, 1), ("乙", 70, 2)]


def test_sensitivity_of_units_that_all_have_errors_shows_no_numpy_warnings(books, tmp_path, cli):
    import warnings

    ind = books[0]
    data = wide_book(tmp_path / "有错误.xlsx", ["完成率", "满意度"], [("甲", ["abc", None]), ("乙", [None, None])])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = cli("sensitivity", ind, data, "--samples", "50", "--format", "json")
    assert r.code == 0, r.err
    assert [str(w.message) for w in caught] == []  # numpy's “Mean of empty slice” reached the user's terminal
    units = r.json()["units"]
    assert [(u["unit"], u["total"], u["median_rank"]) for u in units] == [("甲", None, None), ("乙", None, None)]


def test_more_sampled_totals_than_memory_allows_are_refused_with_the_samples_to_use(books, cli, monkeypatch):
    import scoring.commands.sensitivity as command

    ind, _, data, _ = books
    monkeypatch.setattr(command, "MAX_SAMPLED_TOTALS", 100)  # 2 units × 60 samples = 120 totals
    refused(cli("sensitivity", ind, data, "--samples", "60"),
            "2 个单位抽样 60 次要算 120 个总分，超过上限 100：请把抽样次数减到 50 次以内")
    assert cli("sensitivity", ind, data, "--samples", "50").code == 0


@pytest.mark.parametrize("which", ["data", "one"])
def test_a_report_onto_a_file_without_suffix_says_what_to_give(books, tmp_path, cli, which):
    ind, _, data, one = books
    existing = tmp_path / "报告"
    existing.write_text("我的笔记", encoding="utf-8")
    r = cli("report", ind, data if which == "data" else one, "-o", existing)
    if which == "data":
        refused(r, "“报告”是已有的文件，不是文件夹，也不是 Word 文档，没有写入：2 个单位的报告写到一个文件夹中，请换一个文件夹名")
    else:
        refused(r, "“报告”是已有的文件，不是文件夹，也不是 Word 文档，没有写入：报告请写为 .docx，如 报告.docx")
    assert existing.read_text(encoding="utf-8") == "我的笔记"


def test_a_report_folder_is_made_only_where_its_parent_exists(books, tmp_path, cli):
    ind, _, data, _ = books
    refused(cli("report", ind, data, "-o", tmp_path / "没有" / "报告"), "输出文件夹", "没有”不存在：请先建立该文件夹，或换一个位置")
    assert not (tmp_path / "没有").exists()
    r = cli("report", ind, data, "-o", tmp_path / "报告")
    assert r.code == 0, r.err
    assert sorted(p.name for p in (tmp_path / "报告").iterdir()) == ["乙.docx", "甲.docx"]


def test_an_existing_folder_is_a_folder_whatever_its_name(books, tmp_path, cli):
    ind, _, data, one = books
    folder = tmp_path / "报告.docx"
    folder.mkdir()
    for given in (data, one):
        r = cli("report", ind, given, "-o", folder, "--force")
        assert r.code == 0, r.err
    assert sorted(p.name for p in folder.iterdir()) == ["乙.docx", "甲.docx"]


@pytest.mark.parametrize("command", ["run", "diff", "sensitivity", "draft", "template", "report", "report one"])
def test_a_name_too_long_is_said_in_chinese(books, tmp_path, cli, command):
    ind, nxt, data, one = books
    args = {"run": ["run", ind, data, "-o", tmp_path / f"{LONG}.xlsx"],
            "diff": ["diff", ind, nxt, "-o", tmp_path / f"{LONG}.xlsx"],
            "sensitivity": ["sensitivity", ind, data, "-o", tmp_path / f"{LONG}.xlsx"],
            "draft": ["draft", ind, "-o", tmp_path / f"{LONG}.xlsx"],
            "template": ["template", ind, "-o", tmp_path / f"{LONG}.xlsx"],
            "report": ["report", ind, data, "-o", tmp_path / LONG],
            "report one": ["report", ind, one, "-o", tmp_path / f"{LONG}.docx"]}[command]
    before = sorted(p.name for p in tmp_path.iterdir())
    refused(cli(*args), "（文件名或路径过长）：请换一个")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_template_onto_a_folder_says_it_is_a_folder(books, tmp_path, cli):
    ind = books[0]
    (tmp_path / "填报表.xlsx").mkdir()
    refused(cli("template", ind, "-o", tmp_path / "填报表.xlsx"), "是文件夹")
    refused(cli("template", ind, "-o", tmp_path / "没有" / "新" / "填报表.xlsx"), "不存在：请先建立该文件夹，或换一个位置")


def test_each_command_advises_what_it_does_itself_when_the_output_is_an_input(books, tmp_path, cli):
    ind, nxt, data, _ = books
    r = cli("diff", ind, nxt, data, "-o", nxt)
    refused(r, "输出文件不能是比较的指标体系或基础数据工作簿本身：请换一个输出文件名（如 对比.xlsx），或不指定输出文件（对比结果只显示在屏幕上）（-o）")
    assert "写回" not in r.err
    r = cli("diff", ind, nxt, data, "-o", data)
    refused(r, "或不指定输出文件（对比结果只显示在屏幕上）")
    table = indicator_book(tmp_path / "评分标准.xlsx", ["一级指标", "二级指标", "分值", "评分标准"],
                           [["产出", "完成率", 100, "按完成比例计分，满分为止"]])
    r = cli("draft", table, "-o", table)
    refused(r, "输出文件不能是指标体系工作簿本身：请换一个输出文件名，或不指定输出文件（写到 评分标准_起草.xlsx）（-o）")
    assert "写回" not in r.err
    r = cli("sensitivity", ind, data, "-o", data)
    refused(r, "请换一个输出文件名（如 排名稳健性.xlsx），或不指定输出文件（结果只显示在屏幕上）")
    assert "写回" not in r.err
    refused(cli("template", ind, "-o", ind), "输出文件不能是指标体系工作簿本身：请换一个文件名，如 基础数据填报表.xlsx（-o）")
    # run is the one command that writes back into the data workbook without -o: its advice stays
    refused(cli("run", ind, data, "-o", data),
            "输出文件不能是基础数据或指标体系工作簿本身：不指定输出文件即写回基础数据；要另存请换一个文件名（-o）")
    r = cli("draft", table)  # and draft does write where its advice says
    assert r.code == 0 and (tmp_path / "评分标准_起草.xlsx").exists(), r.err


def test_a_batch_of_forms_onto_one_of_them_advises_the_summary_workbook(tmp_path, cli):
    from tests.builders import self_evaluation_form
    from tests.test_self_evaluation import HONEST

    forms = tmp_path / "自评表"
    forms.mkdir()
    first = self_evaluation_form(forms / "甲.xlsx", "甲项目", (80, 80, 80, 10, 10), HONEST, merges=["B13:B16"],
                                 own_total=99)
    self_evaluation_form(forms / "乙.xlsx", "乙项目", (80, 80, 80, 10, 10), HONEST, merges=["B13:B16"], own_total=99)
    before = first.read_bytes()
    for force in ((), ("--force",)):  # a form is an input, not an output to overwrite, even with --force
        r = cli("run", forms, "-o", first, *force)
        refused(r, "输出文件不能是自评表本身：请换一个输出文件名，或不指定输出文件（写到 自评表_评分汇总.xlsx）（-o）")
        assert "写回" not in r.err
    assert first.read_bytes() == before
    r = cli("run", forms, "-o", forms / "汇总.xlsx")  # an earlier summary in the folder is no form: skipped
    assert r.code == 0, r.err
    r = cli("run", forms, "-o", forms / "汇总.xlsx")
    assert r.code == 0 and "跳过：汇总.xlsx（是本次的输出工作簿）" in r.err, r.err


def test_a_line_break_in_a_unit_name_is_not_in_its_sheet_or_report_name(tmp_path, cli):
    ind = indicator_book(tmp_path / "指标体系.xlsx", HEADER, ROWS, merges=["A3:A4"])
    data = wide_book(tmp_path / "基础数据.xlsx", ["完成率", "满意度"],
                     [("零陵区\n政务中心", ["90%", "80%"]), ("双牌县\t政务\r中心", ["50%", "100%"])])
    out = tmp_path / "结果.xlsx"
    r = cli("run", ind, data, "-o", out)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["评分汇总", "评分表-零陵区政务中心", "评分表-双牌县政务中心"]
    r = cli("report", ind, data, "-o", tmp_path / "报告")
    assert r.code == 0, r.err
    assert sorted(p.name for p in (tmp_path / "报告").iterdir()) == ["双牌县政务中心.docx", "零陵区政务中心.docx"]


BAD = [
    ["sensitivity", "{ind}", "{data}", "--seed", "-1"],
    ["sensitivity", "{ind}", "{data}", "--samples", "-1"],
    ["sensitivity", "{ind}", "{data}", "--samples", "99999999999999999999"],
    ["sensitivity", "{ind}", "{data}", "--range", "-5%"],
    ["sensitivity", "{ind}", "{data}", "--range", "1e999"],
    ["sensitivity", "{ind}", "{data}", "-o", "{file}"],
    ["sensitivity", "{ind}", "{data}", "-o", "{folder}"],
    ["sensitivity", "{ind}", "{data}", "-o", "{missing}/结果.xlsx"],
    ["report", "{ind}", "{data}", "-o", "{file}"],
    ["report", "{ind}", "{one}", "-o", "{file}"],
    ["report", "{ind}", "{data}", "-o", "{file}/子文件夹"],
    ["report", "{ind}", "{data}", "-o", "{missing}/报告"],
    ["report", "{ind}", "{data}", "-o", "{missing}/报告.docx"],
    ["report", "{ind}", "{data}", "-o", "{data}"],
    ["diff", "{ind}", "{next}", "-o", "{file}"],
    ["diff", "{ind}", "{next}", "-o", "{folder}"],
    ["diff", "{ind}", "{next}", "-o", "{missing}/对比.xlsx"],
    ["diff", "{ind}", "{next}", "-o", "{ind}"],
    ["draft", "{ind}", "-o", "{file}"],
    ["draft", "{ind}", "-o", "{folder}"],
    ["draft", "{ind}", "-o", "{missing}/起草.xlsx"],
    ["draft", "{ind}", "-o", "{ind}"],
    ["template", "{ind}", "-o", "{file}"],
    ["template", "{ind}", "-o", "{folder}.xlsx"],
    ["template", "{ind}", "-o", "{missing}/填报表.xlsx"],
]


@pytest.mark.parametrize("args", BAD, ids=lambda a: " ".join(a).replace("{", "").replace("}", ""))
def test_bad_values_are_answered_in_chinese_and_nothing_is_written(books, tmp_path, cli, args):
    ind, nxt, data, one = books
    (tmp_path / "已有文件").write_text("x", encoding="utf-8")
    (tmp_path / "文件夹").mkdir()
    (tmp_path / "文件夹.xlsx").mkdir()
    names = {"ind": ind, "next": nxt, "data": data, "one": one, "file": tmp_path / "已有文件",
             "folder": tmp_path / "文件夹", "missing": tmp_path / "没有的文件夹" / "子文件夹"}
    before = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    refused(cli(*[a.format(**names) for a in args]))
    assert {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")} == before
