"""Many 项目支出绩效自评表 at once (issue 13): `score run 目录/ -o 汇总.xlsx` or several files — every form one project,
gathered into 评分汇总 / 审核意见 / 评分表-项目; unreadable files listed with their reason; the forms never written."""

import shutil
import subprocess

import openpyxl
import pytest

from tests.builders import self_evaluation_form
from tests.oracle import make_profile, soffice_path
from tests.test_self_evaluation import HONEST, INFLATED

# 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
ROADS = [
    ["产出指标", "数量指标", "养护里程", "≥120公里", 126, 20, 20, None],
    [None, "质量指标", "养护合格率", "≥95%", "93%", 20, 20, "雨季施工，个别路段返工"],
    [None, "时效指标", "完成时间", "年底前完成", "按期完成", 10, 10, None],
    ["效益指标", "社会效益指标", "群众出行条件", "明显改善", "明显改善", 15, 15, None],
    [None, "可持续影响指标", "道路使用年限", "≥5年", 5, 15, 15, None],
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "88%", 10, 10, None],
]
NETWORK = [
    ["产出指标", "数量指标", "安全设备采购数量", "4类", 4, 20, 20, None],
    [None, "质量指标", "等级保护测评", "通过二级等保测评", "已通过", 20, 20, None],
    [None, "成本指标", "项目成本", "≤15万元", 15, 20, 20, None],
    ["效益指标", "社会效益指标", "网络安全保障能力", "显著提升", "显著提升", 20, 20, None],
    ["满意度指标", "服务对象满意度指标", "使用单位满意度", "≥90%", "95%", 10, 10, None],
]


def _forms(folder):
    folder.mkdir()
    self_evaluation_form(folder / "01培训项目.xlsx", "农村实用技术培训项目", (100, 100, 75, 10, 10), INFLATED,
                         merges=["B13:B15", "B16:B17"], own_total=100)
    self_evaluation_form(folder / "02便民中心.xlsx", "7个镇(街道)便民服务中心建设奖补经费", (80, 80, 80, 10, 10),
                         HONEST, merges=["B13:B16"], own_total=99)
    (folder / "乡镇").mkdir()  # forms in a sub-folder are gathered too
    self_evaluation_form(folder / "乡镇" / "03道路养护.xlsx", "乡村道路养护项目", (50, 50, 47.5, 10, 10), ROADS,
                         merges=["B13:B15", "B16:B17"], own_total=100, unit_note="单位：万元")
    return folder


@pytest.fixture
def folder(tmp_path):
    return _forms(tmp_path / "自评表")


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_a_folder_of_forms_is_scored_audited_and_gathered(folder, tmp_path, cli):
    before = {p: p.read_bytes() for p in folder.rglob("*.xlsx")}
    (folder / "说明.xlsx").write_bytes(b"this is not a workbook")  # unreadable: listed, the rest scored
    (folder / "~$01培训项目.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped silently
    out = tmp_path / "汇总.xlsx"
    r = cli("run", folder, "-o", out)
    assert r.code == 1, r.err  # a file could not be scored: as a unit with errors, the others are written
    assert all(p.read_bytes() == raw for p, raw in before.items())  # the forms are never written
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["评分汇总", "审核意见", "评分表-农村实用技术培训项目", "评分表-7个镇(街道)便民服务中心建设奖补经费",
                             "评分表-乡村道路养护项目"]
    rows = _rows(wb["评分汇总"])[1:-2]  # under the title; above the signatures
    assert rows[0] == ["文件", "项目", "自评分", "复核分", "差异", "等级", "排名", "执行率", "审核意见（条）",
                       "预算执行率", "产出指标", "效益指标", "满意度指标", "说明"]
    by_file = {row[0]: row for row in rows[1:]}
    # by hand — 培训: 7.5 + (25.8 + 8.6 + 18.82) + 10 + 20 = 90.72; 便民: 10 + 60 + 9 + 20 = 99;
    # 道路: 47.5/50 = 95% → 9.5; 126 ≥ 120 → 20; 93/95×20 = 19.58; 定性 10; 定性 15; 5 ≥ 5 → 15; 88/90×10 = 9.78
    #       → 9.5 + 49.58 + 30 + 9.78 = 98.86 against its own 100
    assert by_file["01培训项目.xlsx"][1:13] == ["农村实用技术培训项目", 100, 90.72, -9.28, "优", 3, "75%", 7,
                                            7.5, 53.22, 10, 20]
    assert by_file["02便民中心.xlsx"][1:13] == ["7个镇(街道)便民服务中心建设奖补经费", 99, 99, 0, "优", 1, "100%", 0,
                                           10, 60, 9, 20]
    assert by_file["乡镇/03道路养护.xlsx"][1:13] == ["乡村道路养护项目", 100, 98.86, -1.14, "优", 2, "95%", 4,
                                              9.5, 49.58, 30, 9.78]
    assert by_file["说明.xlsx"][1:13] == [None] * 12
    assert by_file["说明.xlsx"][13].startswith("无法评分：自评表“说明.xlsx”无法打开")
    assert "~$01培训项目.xlsx" not in by_file

    audit = _rows(wb["审核意见"])
    assert audit[0] == ["文件", "项目", "单元格", "类别", "审核意见"]
    roads = [row[2:] for row in audit[1:] if row[0] == "乡镇/03道路养护.xlsx"]
    # 100% self-scored against 95% execution is exactly 5 points: not 自评偏高 (more than 5 is)
    assert roads == [
        ["自评表!H6", "得分差异", "“预算执行率”自评得分 10，按规则 9.5（预算执行率 95%）"],
        ["自评表!H14", "得分差异", "“养护合格率”自评得分 20，按规则 19.58（实际完成值 93%，年度指标值 ≥95%）"],
        ["自评表!H18", "得分差异", "“沿线群众满意度”自评得分 10，按规则 9.78（实际完成值 88%，年度指标值 ≥90%）"],
        ["自评表!H19", "总分差异", "总分：自评 100，复核 98.86，复核比自评低 1.14 分"],
    ]
    kinds = [row[3] for row in audit[1:] if row[0] == "01培训项目.xlsx"]
    assert kinds == ["得分差异"] * 4 + ["总分差异", "自评偏高", "执行率偏低"]
    assert ["说明.xlsx", None, None, "无法评分"] == audit[-1][:4]

    sheet = wb["评分表-乡村道路养护项目"]  # the form's own layout, the unit's 得分 kept, the rules' beside it
    assert sheet["L2"].value == "单位：万元"  # at the form's right edge, now right of the added columns
    assert [sheet.cell(14, c).value for c in (8, 9, 10, 11)] == [20, "雨季施工，个别路段返工", 19.58, -0.42]
    assert [sheet.cell(19, c).value for c in (8, 10, 11)] == [100, 98.86, -1.14]
    assert sheet.cell(21, 1).value.startswith("填表人")  # signature lines under the table come along

    assert "审核：乡镇/03道路养护.xlsx：自评表!H14 “养护合格率”自评得分 20，按规则 19.58" in r.err
    assert "无法评分：说明.xlsx：自评表“说明.xlsx”无法打开" in r.err
    assert "3 个自评表已评分，汇总写入" in r.err
    ranking = r.out.splitlines()
    assert ranking[2].split()[:5] == ["1", "7个镇(街道)便民服务中心建设奖补经费", "99", "99", "0"]
    assert "共 4 个文件：3 个自评表已评分，审核意见 11 条" in r.out


def test_several_files_and_json(folder, cli):
    files = [folder / "01培训项目.xlsx", folder / "02便民中心.xlsx"]
    r = cli("run", *files, "--format", "json", "--dry-run")
    assert r.code == 0, r.err
    data = r.json()
    assert data["written"] is None
    forms = {f["file"]: f for f in data["forms"]}
    inflated = forms["01培训项目.xlsx"]
    assert (inflated["project"], inflated["own_total"], inflated["total"], inflated["difference"], inflated["rank"],
            inflated["execution_rate"]) == ("农村实用技术培训项目", 100, 90.72, -9.28, 2, 0.75)
    assert len(inflated["audit"]) == 7 and inflated["audit"][-1]["kind"] == "执行率偏低"
    assert forms["02便民中心.xlsx"]["rank"] == 1 and forms["02便民中心.xlsx"]["audit"] == []


def test_the_default_output_is_beside_the_folder_and_a_rerun_skips_it(folder, cli):
    r = cli("run", folder)
    assert r.code == 0, r.err
    written = folder.parent / "自评表_评分汇总.xlsx"
    assert written.exists()
    shutil.copy(written, folder / "上次的汇总.xlsx")  # an earlier result put into the folder is not a form
    r = cli("run", folder)
    assert r.code == 0, r.err
    assert "跳过：上次的汇总.xlsx（是评分引擎写出的评分结果）" in r.err


def test_a_form_written_back_earlier_is_still_read_as_its_form(folder, tmp_path, cli):
    form = folder / "02便民中心.xlsx"
    assert cli("run", form).code == 0  # written back into the form: 评分汇总, 审核意见, 评分表 added
    r = cli("run", folder, "-o", tmp_path / "汇总.xlsx", "--format", "json")
    assert r.code == 0, r.err
    forms = {f["file"]: f for f in r.json()["forms"]}
    assert forms["02便民中心.xlsx"]["total"] == 99


def test_a_workbook_that_is_no_form_is_listed_with_its_reason(folder, tmp_path, cli):
    from tests.builders import indicator_book

    indicator_book(folder / "指标体系.xlsx", ["一级指标", "分值", "评分公式"], [["投入", 100, "RATIO(预算执行率, 1)"]])
    r = cli("run", folder, "-o", tmp_path / "汇总.xlsx", "--format", "json")
    assert r.code == 1
    problem = {f["file"]: f for f in r.json()["forms"]}["指标体系.xlsx"]["problem"]
    assert problem.startswith("不是项目支出绩效自评表：工作表“指标体系”中没有“实际完成值”列")


def test_batch_refusals(folder, tmp_path, cli):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    r = cli("run", empty)
    assert r.code == 2 and "文件夹“" in r.err and "中没有 .xlsx / .xls 工作簿" in r.err
    r = cli("run", folder, "--sheet", "自评表")
    assert r.code == 2 and "--sheet 不能用于多个自评表" in r.err
    other = tmp_path / "别的.xlsx"
    openpyxl.Workbook().save(other)
    r = cli("run", folder, "-o", other)
    assert r.code == 2 and "已存在，且不是评分引擎以前写出的结果" in r.err


needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed (CI installs it)")


@needs_soffice
def test_an_xls_form_as_units_send_it(tmp_path, cli):
    src = tmp_path / "src"
    src.mkdir()
    self_evaluation_form(src / "电子政务外网.xlsx", "电子政务外网升级改造资金", (15, 15, 15, 10, 10), NETWORK,
                         merges=["B13:B15"], own_total=100, unit_note="单位：万元")
    folder = tmp_path / "forms"
    folder.mkdir()
    subprocess.run([soffice_path(), f"-env:UserInstallation={make_profile(tmp_path / 'lo')}", "--headless",
                    "--convert-to", "xls", str(src / "电子政务外网.xlsx"), "--outdir", str(folder)],
                   check=True, capture_output=True, timeout=180)
    self_evaluation_form(folder / "培训.xlsx", "农村实用技术培训项目", (100, 100, 75, 10, 10), INFLATED,
                         merges=["B13:B15", "B16:B17"], own_total=100)
    out = tmp_path / "汇总.xlsx"
    r = cli("run", folder, "-o", out)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    rows = {row[0]: row for row in _rows(wb["评分汇总"])[2:]}
    # 15/15 → 10; 4 ≥ 4 → 20; 定性 20 kept; 15 ≤ 15 → 20; 定性 20; 95% ≥ 90% → 10
    assert rows["电子政务外网.xls"][1:9] == ["电子政务外网升级改造资金", 100, 100, 0, "优", 1, "100%", 0]
    sheet = wb["评分表-电子政务外网升级改造资金"]
    assert sheet["A1"].value == "项目支出绩效自评表" and sheet["L2"].value == "单位：万元"
    assert [sheet.cell(13, c).value for c in (4, 8, 10, 11)] == ["安全设备采购数量", 20, 20, 0]
    # the .xls's widths (D 24, I 30), the wide text columns narrowed in proportion so that nothing prints under 9 pt
    assert 14 < sheet.column_dimensions["D"].width < 24 and 14 < sheet.column_dimensions["I"].width < 30


def test_the_shipped_forms_of_the_seed_reports(tmp_path, cli):
    """workbooks/self_evaluation: 南县 2020 and the five 大英 2023 projects, as their units would file them."""
    from tests.test_examples import BOOKS

    folder = BOOKS / "self_evaluation"
    before = {p: p.read_bytes() for p in folder.iterdir()}
    r = cli("run", folder, "-o", tmp_path / "汇总.xlsx", "--format", "json")
    assert r.code == 0, r.err
    forms = {f["project"]: f for f in r.json()["forms"]}
    assert len(forms) == 6
    # 大英: 自评得分100 (the report), every figure meets its target, 100% executed → 100 each
    assert [f["total"] for name, f in forms.items() if name != "2020年政务服务专项经费"] == [100] * 5
    nanxian = forms["2020年政务服务专项经费"]  # 2020年12月底前 is a deadline: 定性, the unit's 10 kept
    assert (nanxian["own_total"], nanxian["total"], nanxian["rank"], nanxian["audit"]) == (98, 98, 6, [])
    timing = next(i for i in nanxian["indicators"] if i["path"][-1] == "年度任务完成时间")
    assert timing["note"] == "定性（采用自评分），达到标准"
    assert all(p.read_bytes() == raw for p, raw in before.items())


def test_a_terminal_sees_progress_over_the_files(folder, tmp_path, cli, monkeypatch):
    import sys

    r = cli("run", folder, "-o", tmp_path / "a.xlsx")
    assert "3/3" not in r.err  # not a terminal: no progress bar
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    r = cli("run", folder, "-o", tmp_path / "b.xlsx")
    assert r.code == 0, r.err
    assert "3/3" in r.err and "写出汇总工作簿" in r.err


def test_the_batch_as_a_library_call(folder, tmp_path):
    """From a notebook: scoring.run_forms returns every form's Results; nothing written with dry_run."""
    import scoring

    outcome = scoring.run_forms([folder], dry_run=True)
    assert outcome.written is None and not outcome.has_errors
    totals = {f.label: (f.results.units[0].total, f.results.units[0].rank) for f in outcome.forms}
    assert totals == {"01培训项目.xlsx": (90.72, 3), "02便民中心.xlsx": (99, 1), "乡镇/03道路养护.xlsx": (98.86, 2)}
    assert not (folder.parent / "自评表_评分汇总.xlsx").exists()


def test_csv_has_one_row_per_file(folder, cli):
    r = cli("run", folder, "--format", "csv", "--dry-run")
    assert r.code == 0, r.err
    lines = r.out.lstrip("\ufeff").splitlines()
    assert lines[0] == "文件,项目,自评分,复核分,差异,等级,排名,执行率,审核意见,说明"
    assert lines[1] == "01培训项目.xlsx,农村实用技术培训项目,100,90.72,-9.28,优,3,0.75,7,"
    assert len(lines) == 4
