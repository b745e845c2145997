"""The shipped indicator systems and the seed units: every set passes check --strict, every example
scores with exit 0 and the total documented in docs/reference.md."""

from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "indicator_sets"
BOOKS = ROOT / "workbooks"

EXAMPLES = [  # (system, workbook, {unit: (total, grade)})
    ("dept_overall", "lingling_2019", {"零陵区政务服务中心": (89, "良")}),
    ("project_common", "nanxian_2020", {"南县行政审批服务局2020年政务服务专项资金": (95, "优")}),
    ("dept_overall", "longhui_2022", {"隆回县行政审批服务局": (100, "优")}),
    ("dept_overall", "bazhong_2022", {"巴中市政务服务中心": (99.5, "优")}),
    ("project_self", "daying_2023", {
        "大数据运行经费": (100, "优"),
        "7个镇(街道)便民服务中心建设奖补经费": (100, "优"),
        "电子政务外网升级改造资金": (100, "优"),
        "回马镇等3个镇便民服务中心建设经费": (100, "优"),
        "无差别综合窗口“省内通办”试点建设资金": (100, "优"),
    }),
]


@pytest.mark.parametrize("system, book, expected", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_example_scores_as_documented(cli, system, book, expected):
    r = cli("run", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    got = {u["unit"]: (u["total"], u["grade"]) for u in r.json()["units"]}
    assert got == expected
    readme = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for unit, (total, grade) in expected.items():
        assert f"| {total:g} | {grade} |" in readme, f"docs/reference.md table lacks {unit} {total} {grade}"


@pytest.mark.parametrize("system, book, expected", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_example_data_is_clean(cli, system, book, expected):
    r = cli("check", SETS / f"{system}.xlsx", BOOKS / f"{book}.xlsx", "--strict")
    assert r.code == 0, r.out


def test_every_example_says_where_each_figure_comes_from():
    for book in BOOKS.glob("*.xlsx"):
        wb = openpyxl.load_workbook(book)
        assert "来源" in wb.sheetnames, book.name
        kinds = {row[2] for row in wb["来源"].iter_rows(min_row=3, values_only=True) if row[0]}
        kinds |= {row[3] for row in wb["来源"].iter_rows(min_row=3, values_only=True) if row[0]}
        assert "报告原文" in kinds, book.name


def test_printed_form_reads_its_named_cells(cli):
    r = cli("explain", SETS / "dept_overall.xlsx", BOOKS / "longhui_2022.xlsx", "在职人员控制率")
    assert "在职人员数 = 34　← 名称 在职人员数（基础数据表!C5）" in r.out
    assert "编制数 = 35　← 名称 编制数（基础数据表!C4）" in r.out


def test_sets_lists_every_system(cli):
    r = cli("sets")
    assert r.code == 0
    for name in ("dept_overall.xlsx", "project_common.xlsx", "project_self.xlsx"):
        assert name in r.out
    assert "部门整体支出绩效评价指标体系" in r.out and "3级 26 个" in r.out


def test_generated_files_match_their_builders(tmp_path):
    """indicator_sets/ and workbooks/ are what their build scripts write (no hand edits drift)."""
    import importlib.util

    def load(path):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    built = load(SETS / "build_sets.py").build(tmp_path) + load(BOOKS / "build_workbooks.py").build(tmp_path)
    for path in built:
        shipped = (SETS if (SETS / path.name).exists() else BOOKS) / path.relative_to(tmp_path)
        a, b = openpyxl.load_workbook(path), openpyxl.load_workbook(shipped)
        assert a.sheetnames == b.sheetnames, path.name
        for ws in a.worksheets:
            assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in b[ws.title].iter_rows()], (path.name, ws.title)
