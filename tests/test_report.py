"""`score report` (issue 15): a Word 绩效自评报告 draft per unit — the usual outline, the total and grade, every lost point
in the analysis and the problem list (worst first), placeholders for what the program cannot know, the 评分表 as an
annex table and the 得分率 chart as a picture, Chinese fonts that Word, WPS and LibreOffice all use."""

import shutil
import subprocess

import docx
import pytest

from scoring.write.report import SECTIONS
from tests.oracle import make_profile, soffice_path
from tests.test_examples import BOOKS, SETS


@pytest.fixture
def lingling_report(tmp_path, cli):
    out = tmp_path / "零陵自评报告.docx"
    r = cli("report", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", out)
    assert r.code == 0, r.err
    assert f"已写出报告草稿：{out}" in r.err
    return out


def test_the_report_follows_the_outline_with_total_grade_and_problems(lingling_report):
    document = docx.Document(lingling_report)
    text = [p.text for p in document.paragraphs]
    assert text[0] == "零陵区政务服务中心绩效自评报告"
    assert [t for t in text if t in SECTIONS] == list(SECTIONS)  # 一 … 七, in order
    assert "经自评，零陵区政务服务中心综合得分 89 分（满分 100 分），评价等级为“良”。各一级指标得分如下：" in text
    level1 = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert level1 == [["一级指标", "分值", "得分", "得分率"], ["投入", "20", "18.5", "92.5%"], ["过程", "40", "32.5", "81.2%"],
                      ["产出", "20", "20", "100%"], ["效果", "20", "18", "90%"], ["合计", "100", "89", "良"]]
    problems = text[text.index(SECTIONS[4]) + 1:text.index(SECTIONS[5])]
    assert problems[0] == "按失分多少排列，共 6 项指标未得满分："
    assert problems[1] == "1. 过程/预算执行/预算调整率：失分 5 分（得分 0/5）。预算调整率=41.32%；得分 0/5"
    assert problems[2].startswith("2. 投入/目标设定/绩效指标明确性：失分 1.5 分")
    lost = sum(float(p.split("失分 ")[1].split(" 分")[0]) for p in problems[1:7])
    assert lost == 100 - 89  # every lost point is listed once
    assert "1. 预算执行（分值 25 分，得分 20 分）：预算调整率失 5 分：预算调整率=41.32%；得分 0/5。" in text
    assert sum(1 for t in text if "【待填写：" in t) >= 5
    annex = document.tables[1]
    assert [c.text for c in annex.rows[0].cells] == ["指标", "分值", "得分", "扣分说明"]
    assert [c.text for c in annex.rows[-1].cells] == ["合计", "100", "89", "等级：良"]
    from scoring.read import read_indicator_system

    indicators = list(read_indicator_system(SETS / "dept_overall.xlsx").indicators())
    assert len(annex.rows) == 1 + len(indicators) + 1 == 40  # header, every indicator of the system, 合计
    assert len(document.inline_shapes) == 1  # the 得分率 chart


def test_chinese_fonts_are_set_as_east_asian_fonts(lingling_report):
    document = docx.Document(lingling_report)
    title_fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
    heading = next(p for p in document.paragraphs if p.text == SECTIONS[0])
    body = document.paragraphs[3]  # the placeholder under 一、基本情况
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert title_fonts.get(qn) == "黑体" and heading.runs[0]._element.rPr.rFonts.get(qn) == "黑体"
    assert body.runs[0]._element.rPr.rFonts.get(qn) == "仿宋"


def test_several_units_get_one_report_each_in_a_folder(tmp_path, cli):
    folder = tmp_path / "报告"
    r = cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", folder)
    assert r.code == 0, r.err
    names = sorted(p.name for p in folder.glob("*.docx"))
    assert len(names) == 5 and "大数据运行经费.docx" in names
    first = docx.Document(folder / "大数据运行经费.docx")
    assert first.paragraphs[0].text == "大数据运行经费绩效自评报告"
    assert any(p.text == "各项指标均得满分，未发现扣分问题。【待填写：其他存在的问题】" for p in first.paragraphs)
    r = cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", tmp_path / "一个.docx")
    assert r.code == 2 and "每个单位一份报告：输出请给一个文件夹" in r.err
    r = cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", folder)
    assert r.code == 2 and "已存在" in r.err
    assert cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", folder, "--force").code == 0


def _has_writer() -> bool:
    return soffice_path() is not None and shutil.which("pdftotext") is not None and \
        bool(list(__import__("pathlib").Path("/usr/lib/libreoffice/program").glob("libswlo.so")))


@pytest.mark.skipif(not _has_writer(), reason="LibreOffice Writer and poppler-utils not installed (CI installs them)")
def test_the_report_opens_and_prints_in_libreoffice(lingling_report, tmp_path):
    plain = tmp_path / "report.docx"
    shutil.copy(lingling_report, plain)
    subprocess.run([soffice_path(), f"-env:UserInstallation={make_profile(tmp_path / 'lo')}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(plain)], check=True, capture_output=True,
                   timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 3 and "零陵区政务服务中心绩效自评报告" in pages[0] and "综合得分 89 分" in text


def test_a_report_must_be_a_docx_or_a_folder(tmp_path, cli):
    r = cli("report", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", tmp_path / "报告.doc")
    assert r.code == 2 and "报告应写为 .docx（Word 文档），或给一个文件夹，现为“报告.doc”" in r.err
