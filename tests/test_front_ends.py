"""Both front ends go through the commands (issue 28): one run-or-batch rule, the reports zip written by
commands.report, one boundary rule for errors."""

import zipfile

import pytest

from scoring import read_data, read_indicator_system, score
from scoring.commands.forms import is_batch
from scoring.commands.report import report_names, write_reports
from scoring.errors import InputError
from tests.builders import STANDARD_DATA, standard_system, wide_book
from tests.test_self_evaluation_batch import _forms


def test_one_rule_tells_a_run_from_a_batch(tmp_path):
    folder = _forms(tmp_path / "自评表")
    forms = sorted(folder.glob("*.xlsx"))
    ind = standard_system(tmp_path / "ind.xlsx")
    assert is_batch([folder]) and is_batch(forms[:2])  # a folder; two forms
    assert not is_batch([forms[0]]) and not is_batch([ind, forms[0]])  # one form alone; a system and a workbook
    assert not is_batch([ind, forms[0]], system_given=True)
    with pytest.raises(InputError, match="一次只能给一个基础数据工作簿"):  # the page's 指标体系 field and two workbooks
        is_batch([ind, forms[0], forms[1]], system_given=True)


def test_the_reports_zip_holds_one_report_per_unit_named_as_in_a_folder(tmp_path):
    ind = standard_system(tmp_path / "ind.xlsx")
    names, figures = [n for n, _ in STANDARD_DATA[1:]], [v for _, v in STANDARD_DATA[1:]]
    data = wide_book(tmp_path / "data.xlsx", names, [("一中/甲", figures), ("二中", figures)])
    results = score(read_indicator_system(ind), read_data(data))
    seen = []
    bundle = write_reports(results, tmp_path / "自评报告.zip", lambda done, count, unit: seen.append((done, count, unit)))
    with zipfile.ZipFile(bundle) as archive:
        assert archive.namelist() == report_names(["一中/甲", "二中"]) == ["一中_甲.docx", "二中.docx"]
    assert seen == [(0, 2, "一中/甲"), (1, 2, "二中")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.xlsx", "ind.xlsx", "自评报告.zip"]  # no scratch left
