"""One 自评 summary row (issue 28): the workbook's 评分汇总, a batch's 评分汇总, the text/CSV/JSON output and the web
page show the same figures and the same 说明, from ``audit.self_evaluation_row``."""

import csv
import io
import json

import openpyxl

from scoring.audit import SELF_EVALUATION_COLUMNS, self_evaluation_row, summary_note
from scoring.commands.forms import FORM_COLUMNS, form_row, run_forms
from scoring.commands.run import run
from scoring.web.views import form_rows
from scoring.write.text import forms_csv, forms_json
from tests.builders import self_evaluation_form
from tests.test_self_evaluation_batch import ROADS, _forms


def test_every_output_shows_the_same_row(tmp_path):
    folder = _forms(tmp_path / "自评表")
    roads = [list(r) for r in ROADS]
    roads[1][4] = "93"  # 养护合格率 typed without %: a warning, which is the row's 说明
    self_evaluation_form(folder / "04漏了百分号.xlsx", "乡村道路养护项目二", (50, 50, 47.5, 10, 10), roads,
                         merges=["B13:B15", "B16:B17"], own_total=100)
    outcome = run_forms([folder], tmp_path / "汇总.xlsx")
    ws = openpyxl.load_workbook(outcome.written)["评分汇总"]
    header = [c.value for c in ws[2]]  # under the title
    assert tuple(header[:len(FORM_COLUMNS)]) == FORM_COLUMNS and header[-1] == "说明"
    sheet_rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    _, web = form_rows(outcome)
    on_page = {r["label"]: r["values"] for r in web}
    as_json = {f["file"]: f for f in json.loads(forms_json(outcome))["forms"]}
    as_csv = {r["文件"]: r for r in csv.DictReader(io.StringIO(forms_csv(outcome).lstrip("\ufeff")))}
    notes = set()
    for form in outcome.forms:
        row = form_row(form)
        results, unit = form.results, form.results.units[0]
        assert row == self_evaluation_row(results, unit)
        assert row.own_total is not None and row.total is not None  # real figures, not blanks
        assert row.difference == round(row.total - row.own_total, results.system.settings.decimals)
        assert row.findings == len(unit.findings) and row.note == summary_note(results, unit)
        notes.add(row.note)
        cells = sheet_rows[form.label]
        assert list(cells[1:len(FORM_COLUMNS)]) == [row.project, *row.cells()]
        assert cells[-1] == (row.note or None)
        assert on_page[form.label][0] == row.project and on_page[form.label][6] == row.rate_text
        assert as_json[form.label]["total"] == row.total and as_json[form.label]["own_total"] == row.own_total
        assert as_csv[form.label]["说明"] == row.note  # CSV's 说明 is 评分汇总's (it was errors only)
    assert any("是否漏了 %" in note for note in notes)  # a warning is 说明 everywhere, so not only blanks are compared


def test_one_forms_workbook_summary_uses_the_same_row(tmp_path):
    folder = _forms(tmp_path / "自评表")
    form = folder / "01培训项目.xlsx"
    outcome = run(form, output=tmp_path / "复核.xlsx")
    ws = openpyxl.load_workbook(outcome.written)["评分汇总"]
    header = [c.value for c in ws[2]]
    assert tuple(header[1:1 + len(SELF_EVALUATION_COLUMNS)]) == SELF_EVALUATION_COLUMNS
    row = self_evaluation_row(outcome.results, outcome.results.units[0])
    unit_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == row.project)
    assert list(unit_row[1:1 + len(SELF_EVALUATION_COLUMNS)]) == row.cells()
    assert unit_row[-1] == (row.note or None)
