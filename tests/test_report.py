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


MACHINE_TEXT = ("=是", "=否", "得分 0/", "；得分", "/5）", "目标值=")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _outline_level(style) -> int | None:
    element = style.element.pPr.find(f"{W}outlineLvl") if style.element.pPr is not None else None
    return None if element is None else int(element.get(f"{W}val"))


def test_the_report_follows_the_outline_with_total_grade_and_problems(lingling_report):
    document = docx.Document(lingling_report)
    text = [p.text for p in document.paragraphs]
    # the year from the data file's title (2019年度…基础数据), the 部门整体 wording from the system's title
    assert text[0] == "零陵区政务服务中心2019年度部门整体支出绩效自评报告"
    assert document.paragraphs[0].style.name == "Title"
    assert [t for t in text if t in SECTIONS] == list(SECTIONS)  # 一 … 七, in order
    assert SECTIONS[0] == "一、基本情况" and SECTIONS[6] == "七、其他需要说明的问题"
    assert "经自评，零陵区政务服务中心综合得分 89 分（满分 100 分），评价等级为“良”。各一级指标得分如下：" in text
    level1 = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert level1 == [["一级指标", "分值", "得分", "得分率"], ["投入", "20", "18.5", "92.5%"], ["过程", "40", "32.5", "81.2%"],
                      ["产出", "20", "20", "100%"], ["效果", "20", "18", "90%"], ["合计", "100", "89", "良"]]
    # 基本情况 and 预算执行 from the figures the data holds; placeholders only for what it cannot know
    assert "零陵区政务服务中心编制数 12 人、在职人员数 7 人。【待填写：单位职能职责、机构设置】" in text
    assert ("据基础数据，本年度年初预算数 242，调整预算数 100，执行数 342，预算执行率 100%（金额单位同基础数据）。"
            "【待填写：资金来源】") in text
    # problems: grouped by 一级指标, the one losing most first, each lost point in the 扣分说明's own sentence
    problems = text[text.index(SECTIONS[4]) + 1:text.index(SECTIONS[5])]
    assert problems[:5] == ["共 6 项指标未得满分，合计失 11 分，按一级指标、失分多少排列如下：", "（一）过程（失 7.5 分）",
                            "1. 预算调整率：预算调整率为 41.32%，高于 30%，该项不得分。",
                            "2. 管理制度健全性：财务管理会计核算制度不健全，扣 1.5 分。",
                            "3. 资金使用合规性：资金使用问题数为 1，每 1 个扣 1 分，扣 1 分。"]
    assert "（二）效果（失 2 分）" in problems and "（三）投入（失 1.5 分）" in problems
    assert "1. 绩效指标明确性：指标值不清晰可衡量，指标与预算资金不相匹配，扣 1.5 分。" in problems
    assert "1. 预算执行（分值 25 分，得分 20 分）：预算调整率：预算调整率为 41.32%，高于 30%，该项不得分。" in text
    prose = "\n".join(text) + "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert not [f for f in MACHINE_TEXT if f in prose]
    assert sum(1 for t in text if "【待填写：" in t) >= 5
    annex = document.tables[1]
    assert [c.text for c in annex.rows[0].cells] == ["指标", "分值", "得分", "扣分说明"]
    assert [c.text for c in annex.rows[-1].cells] == ["合计", "100", "89", "等级：良"]
    from scoring.read import read_indicator_system

    indicators = list(read_indicator_system(SETS / "dept_overall.xlsx").indicators())
    assert len(annex.rows) == 1 + len(indicators) + 1 == 40  # header, every indicator of the system, 合计
    assert len(document.inline_shapes) == 1  # the 得分率 chart
    picture = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    following = document.paragraphs[[p._p for p in document.paragraphs].index(picture._p) + 1]
    assert picture.paragraph_format.keep_with_next and following.text == "附图：得分率（按一级指标）"


def test_a_real_word_document_a4_headings_with_outline_levels(lingling_report):
    document = docx.Document(lingling_report)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not US Letter
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [t for s, t in headings if s == "Heading 1"][:7] == list(SECTIONS)
    assert ("Heading 2", "（一）过程（失 7.5 分）") in headings
    assert _outline_level(document.styles["Heading 1"]) == 0 and _outline_level(document.styles["Heading 2"]) == 1
    # nothing is Normal-with-bold pretending to be a heading
    assert not [p.text for p in document.paragraphs if p.style.name == "Normal" and any(r.bold for r in p.runs)]


def test_chinese_fonts_are_set_as_east_asian_fonts(lingling_report):
    document = docx.Document(lingling_report)
    qn = f"{W}eastAsia"

    def east_asian(style):
        return style.element.rPr.rFonts.get(qn)

    assert east_asian(document.styles["Title"]) == "方正小标宋简体" and document.styles["Title"].font.size.pt == 22
    assert east_asian(document.styles["Heading 1"]) == "黑体" and document.styles["Heading 1"].font.size.pt == 16
    assert east_asian(document.styles["Heading 2"]) == "楷体"
    assert east_asian(document.styles["Normal"]) == "仿宋" and document.styles["Normal"].font.size.pt == 16
    assert document.styles["Heading 1"].element.rPr.rFonts.get(f"{W}asciiTheme") is None  # no theme font wins
    fonts = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    assert 'w:name="方正小标宋简体"' in fonts and '<w:altName w:val="宋体"/>' in fonts  # what to use without it


def test_a_project_report_gets_the_project_wording_and_its_budget(tmp_path, cli):
    folder = tmp_path / "报告"
    assert cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", folder).code == 0
    document = docx.Document(folder / "大数据运行经费.docx")
    text = [p.text for p in document.paragraphs]
    assert text[0] == "大数据运行经费2023年度项目支出绩效自评报告"
    assert "（一）项目概况" in text
    assert "据基础数据，本年度年初预算数 100，执行数 100，预算执行率 100%（金额单位同基础数据）。【待填写：资金来源】" in text


def test_a_year_nothing_gives_is_a_blank_to_fill(tmp_path, cli):
    from tests.builders import indicator_book, kv_book

    ind = indicator_book(tmp_path / "ind.xlsx", ["一级指标", "分值", "评分公式"], [["预算执行", 100, "RATIO(预算执行率, 1)"]])
    data = kv_book(tmp_path / "d.xlsx", [("单位名称", "某县财政局"), ("预算执行率", "90%")])
    assert cli("report", ind, data, "-o", tmp_path / "r.docx").code == 0
    assert docx.Document(tmp_path / "r.docx").paragraphs[0].text.startswith("某县财政局____年度")


def test_several_units_get_one_report_each_in_a_folder(tmp_path, cli):
    folder = tmp_path / "报告"
    r = cli("report", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "-o", folder)
    assert r.code == 0, r.err
    names = sorted(p.name for p in folder.glob("*.docx"))
    assert len(names) == 5 and "大数据运行经费.docx" in names
    first = docx.Document(folder / "大数据运行经费.docx")
    assert first.paragraphs[0].text == "大数据运行经费2023年度项目支出绩效自评报告"
    assert any(p.text == "各项指标均达到标准，未发现扣分问题。【待填写：其他存在的问题】" for p in first.paragraphs)
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
    assert len(pages) >= 3 and "零陵区政务服务中心2019年度部门整体支出绩效自评报告" in pages[0].replace("\n", "").replace(" ", "") and "综合得分 89 分" in text


def test_a_report_must_be_a_docx_or_a_folder(tmp_path, cli):
    r = cli("report", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx", "-o", tmp_path / "报告.doc")
    assert r.code == 2 and "报告应写为 .docx（Word 文档），或给一个文件夹，现为“报告.doc”" in r.err
