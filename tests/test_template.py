"""`score template`: exactly the inputs the system needs; read back through `score run` unchanged."""

from pathlib import Path

import openpyxl

from tests.builders import standard_system

SETS = Path(__file__).resolve().parent.parent / "indicator_sets"


def fill(path, values, sheet="基础数据"):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=3):
        name = row[0].value
        if name in values:
            row[1].value = values[name]
    wb.save(path)


def test_kv_template_asks_for_exactly_the_inputs(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    out = tmp_path / "form.xlsx"
    r = cli("template", ind, "-o", out)
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(out)["基础数据"]
    names = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert names == ["单位名称", "评价年度", "在职人员数", "编制数", "“三公经费”变动率", "预算执行率", "违规金额", "违规次数",
                     "实际完成率", "完成及时率", "管理制度健全性"]
    assert "在职人员控制率" not in names  # a 计算项 is computed, not asked for
    row = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    # the year is asked for (the system's 设置 has none): the titles of the 评分表 and the report use it
    assert ws.cell(row["评价年度"], 3).value.startswith("评价的年度，如 2023：评分表和自评报告的标题用它")
    assert ws.cell(row["预算执行率"], 2).number_format == "0.00%"
    assert ws.cell(row["管理制度健全性"], 3).value.startswith("人工评分（0～10 分）")
    assert "用于：在职人员控制率" in ws.cell(row["编制数"], 3).value
    assert ws.freeze_panes == "B3"
    assert ws["A1"].value == "部门整体支出绩效评价基础数据表"


def test_kv_round_trip(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    out = tmp_path / "form.xlsx"
    assert cli("template", ind, "-o", out).code == 0
    fill(out, {"单位名称": "试点单位", "在职人员数": 7, "编制数": 12, "“三公经费”变动率": -0.2, "预算执行率": 0.92,
               "违规金额": 0, "违规次数": 0, "实际完成率": 0.76, "完成及时率": 1, "管理制度健全性": 6})
    r = cli("run", ind, out, "--format", "json")
    assert r.code == 0, r.err
    unit = r.json()["units"][0]
    assert unit["unit"] == "试点单位" and unit["total"] == 90.2


def test_yes_no_dropdowns_and_wide_round_trip(tmp_path, cli):
    ind = SETS / "dept_overall.xlsx"
    out = tmp_path / "wide.xlsx"
    r = cli("template", ind, "-o", out, "--units", "3")
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    ws = wb["基础数据"]
    header = [c.value for c in ws[2]]
    assert header[0] == "单位名称" and "是否制定资金管理办法" in header and "编制数" in header
    col = header.index("是否制定资金管理办法") + 1
    letter = openpyxl.utils.get_column_letter(col)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(f"{letter}3:{letter}5" in str(dv.sqref) for dv in lists)
    assert '"是,否,不适用"' in lists[0].formula1
    assert "填表说明" in wb.sheetnames
    # fill two units: every yes/no 是, every number so that rates are 100%, manual scores full
    from scoring.commands.template import YEAR_ITEM, template_items
    from scoring.read import read_indicator_system

    items = {i["name"]: i for i in [YEAR_ITEM, *template_items(read_indicator_system(ind))]}
    for r_, unit in ((3, "甲局"), (4, "乙局")):
        ws.cell(r_, 1, unit)
        for c, name in enumerate(header[1:], start=2):
            kind = items[name]["kind"]
            value = {"yesno": "是", "manual": items[name]["max"], "percent": 1.0}.get(kind, 10)
            if name in ("资金使用问题数", "结转结余总额", "本年调整预算数"):
                value = 0
            if name == "上年度三公经费预算数":
                value = 10
            ws.cell(r_, c, value)
    ws.cell(4, header.index("资金使用问题数") + 1, 2)  # 乙局 loses 2 points
    wb.save(out)
    r = cli("run", ind, out, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    totals = {u["unit"]: u["total"] for u in r.json()["units"]}
    assert totals == {"甲局": 100, "乙局": 98}


def test_template_refuses_to_overwrite_the_indicator_workbook(tmp_path, cli):
    ind = standard_system(tmp_path / "ind.xlsx")
    r = cli("template", ind, "-o", ind)
    assert r.code == 2 and "输出文件不能是指标体系工作簿本身" in r.err
    r = cli("template", ind, "-o", tmp_path / "x.xlsx", "--units", "3", "--layout", "kv")
    assert r.code == 2 and "只能填一个单位" in r.err
