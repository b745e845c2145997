"""The 绩效自评报告 draft of one unit as a Word document (python-docx), laid out as Chinese government reports are
(GB/T 9704): A4, margins 37/35/28/26 mm, title 方正小标宋 二号, 一级标题 黑体 三号, 二级标题 楷体 三号, body 仿宋 三号 on a
28-point line. Headings are Word heading styles with outline levels (navigation pane, table of contents). The outline is
一、… 七、 in the wording of the system (项目支出 or 部门整体支出); 基本情况 and 预算执行 are filled from the figures the
data holds; problems are the 扣分说明 sentences (engine/notes.py), grouped by 一级指标, worst first. What the program
cannot know is a visible placeholder 【待填写：…】. An annex holds the full 评分表 and the 得分率 chart with its caption."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..model import Results, Status, UnitResult
from ..values import Measured, format_number
from .excel import report_kind, unit_year, today_text

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, TABLE_FONT = "方正小标宋简体", "黑体", "楷体", "仿宋", "宋体"
# fonts a computer may have instead (Word and WPS read w:altName in the font table; LibreOffice substitutes by name)
ALT_FONTS = {"方正小标宋简体": "宋体", "黑体": "SimHei", "楷体": "楷体_GB2312", "仿宋": "仿宋_GB2312", "宋体": "SimSun"}
TITLE_SIZE, HEADING_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 16, 10.5  # 二号, 三号, 三号, 五号
LINE = 28  # points: body line spacing
MARGINS_MM = (37, 35, 28, 26)  # top, bottom, left, right
PLACEHOLDER = "【待填写：{}】"
SECTION_WORDS = ("基本情况", "绩效自评工作开展情况", "综合评价情况及评价结论", "绩效指标分析", "存在的问题及原因分析",
                 "有关建议", "其他需要说明的问题")
SECTIONS = tuple(f"{o}、{w}" for o, w in zip("一二三四五六七", SECTION_WORDS))
CHINESE_ORDINALS = "一二三四五六七八九十"
# figures of 基本情况 and 预算执行, each under the first of its names the data holds
BUDGET_FIGURES = (
    ("年初预算数", ("年初预算数", "全年预算数", "年度预算数", "预算数", "项目预算数", "预算资金")),
    ("调整预算数", ("本年调整预算数", "调整预算数", "预算调整数")),
    ("执行数", ("全年执行数", "支出决算数", "执行数", "实际支出数", "实际支出", "预算执行数")),
    ("预算执行率", ("预算执行率", "执行率")),
)
STAFF_FIGURES = (("编制数", ("编制数", "核定编制数")), ("在职人员数", ("在职人员数", "实有人数")))
SOURCE_NAMES = ("资金来源",)


@dataclass
class LostPoints:
    """An indicator where the unit lost points: its path, points, score and why."""

    path: str
    weight: float
    score: float
    note: str

    @property
    def lost(self) -> float:
        return round(self.weight - self.score, 6)

    @property
    def name(self) -> str:
        return self.path.split("/")[-1]


def lost_points(results: Results, unit_result: UnitResult) -> list[LostPoints]:
    """Every leaf that scored below its points, the largest loss first (ties in table order)."""
    items = []
    for leaf in results.system.leaves():
        r = unit_result.nodes[leaf.id]
        if r.score is None or r.status is Status.ERROR or not r.weight:
            continue
        if float(r.weight) - r.score > 0.005:
            items.append(LostPoints("/".join(leaf.path), float(r.weight), r.score, r.note))
    return sorted(items, key=lambda item: -item.lost)


def report_title(results: Results, unit_result: UnitResult, year: str = "") -> str:
    """<单位><年度><项目支出|部门整体支出>绩效自评报告; a year nothing gives is a blank to fill, never left out."""
    year = unit_year(results.system, unit_result, year) or "____年度"
    return f"{unit_result.unit.name}{year}{report_kind(results.system)}绩效自评报告"


def write_report(results: Results, unit_result: UnitResult, path: Path, year: str = "",
                 contents: bool = False) -> Path:
    """Write the report of one unit to `path` (.docx); return it. `year`: the year the data file names (used when
    neither the data nor 设置 gives one); `contents`: a table of contents under the title (Word fills it on opening)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    _page(document)
    _styles(document)
    system, u = results.system, unit_result
    kind = report_kind(system)
    subject = "项目" if kind == "项目支出" else "部门（单位）"
    document.add_paragraph(report_title(results, u, year), style="Title")
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.paragraph_format.first_line_indent = 0
    date.add_run(f"{u.unit.name}　{system.settings.evaluation_date or today_text()}")
    if contents:
        _contents(document)

    max_total = format_number(system.settings.max_total)
    total = "无法计算（有错误）" if u.total is None else f"{format_number(u.total)} 分"
    lost = lost_points(results, u)
    figures = unit_figures(u)

    _heading(document, SECTIONS[0], 1)
    _heading(document, f"（一）{subject}概况", 2)
    staff = [f"{label} {format_number(v)} 人" for label, v in figures.get("staff", [])]
    _para(document, (f"{u.unit.name}{'、'.join(staff)}。" if staff else "")
          + PLACEHOLDER.format("单位职能职责、机构设置" if kind != "项目支出" else "项目立项依据、主要内容和绩效目标"))
    _heading(document, "（二）预算及执行情况", 2)
    _para(document, budget_text(figures))
    _heading(document, SECTIONS[1], 1)
    basis = f"《{system.heading}》" if system.heading else "本单位绩效评价指标体系"
    _para(document, f"本次自评依据{basis}进行，满分 {max_total} 分，共 {len(system.roots)} 项一级指标、"
                    f"{len(system.leaves())} 项末级指标。" + PLACEHOLDER.format("评价目的、组织方式、评价方法和工作过程"))
    _heading(document, SECTIONS[2], 1)
    grade = f"，评价等级为“{u.grade}”" if u.grade else ""
    _para(document, f"经自评，{u.unit.name}综合得分 {total}（满分 {max_total} 分）{grade}。各一级指标得分如下：")
    _level1_table(document, results, u)
    if u.total_note:
        _para(document, f"说明：{u.total_note}。")
    _heading(document, SECTIONS[3], 1)
    _analysis(document, results, u)
    _heading(document, SECTIONS[4], 1)
    if lost:
        _para(document, f"共 {len(lost)} 项指标未得满分，合计失 {format_number(sum(i.lost for i in lost))} 分，"
                        f"按一级指标、失分多少排列如下：")
        for k, (root, items) in enumerate(_lost_by_level1(results, lost)):
            _heading(document, f"（{_ordinal(k)}）{root.name}（失 {format_number(sum(i.lost for i in items))} 分）", 2)
            for j, item in enumerate(items, start=1):
                _para(document, f"{j}. {item.name}：{item.note}。")
        _para(document, PLACEHOLDER.format("对上述问题的原因分析"))
    else:
        _para(document, "各项指标均达到标准，未发现扣分问题。" + PLACEHOLDER.format("其他存在的问题"))
    _heading(document, SECTIONS[5], 1)
    _para(document, PLACEHOLDER.format("针对上述问题的改进措施和建议"))
    _heading(document, SECTIONS[6], 1)
    _para(document, PLACEHOLDER.format("需要说明的其他问题，没有则写“无”"))
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(f"{u.unit.name}\n{system.settings.evaluation_date or today_text()}")

    annex = _heading(document, "附件：" + annex_title(results, u, year), 1)
    annex.paragraph_format.page_break_before = True
    _score_table(document, results, u)
    picture = score_rate_png(results, u)
    if picture is not None:
        _figure(document, picture, "附图：得分率（按一级指标）")
    path = Path(path)
    document.save(path)
    return path


def annex_title(results: Results, u: UnitResult, year: str = "") -> str:
    return f"{u.unit.name}{unit_year(results.system, u, year)}绩效评价评分表"


# ---------------------------------------------------------------- the unit's figures


def unit_figures(u: UnitResult) -> dict[str, list[tuple[str, float | str]]]:
    """The budget and staff figures the data holds, each under the first of its names found: {"budget": [(label,
    value)], "staff": …, "source": …}."""
    values = getattr(u.unit, "values", {}) or {}

    def found(groups):
        out = []
        for label, names in groups:
            for name in names:
                value = values.get(name)
                if isinstance(value, Measured):
                    value = value.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    out.append((label if label != name else name, float(value)))
                    break
        return out

    budget = found(BUDGET_FIGURES)
    known = dict(budget)
    if "预算执行率" not in known and known.get("执行数") is not None:
        plan = known.get("年初预算数", 0.0) + known.get("调整预算数", 0.0)
        if plan > 0:
            budget.append(("预算执行率", known["执行数"] / plan))
    source = [(n, str(values[n])) for n in SOURCE_NAMES if isinstance(values.get(n), str) and values[n].strip()]
    return {"budget": budget, "staff": found(STAFF_FIGURES), "source": source}


def budget_text(figures) -> str:
    """预算及执行情况 from the figures: `年初预算数 242，调整预算数 100，执行数 342，预算执行率 100%（金额单位同基础数据）。`"""
    budget = figures.get("budget", [])
    if not budget:
        return PLACEHOLDER.format("年度预算数、资金来源、执行数和预算执行率")
    parts = [f"{label} {format_number(v * 100, 2)}%" if label == "预算执行率" else f"{label} {format_number(v)}"
             for label, v in budget]
    text = f"据基础数据，本年度{'，'.join(parts)}（金额单位同基础数据）。"
    source = figures.get("source", [])
    text += f"资金来源：{source[0][1]}。" if source else PLACEHOLDER.format("资金来源")
    return text


# ---------------------------------------------------------------- page, styles and parts


def _page(document) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    _field(footer, "PAGE", prefix="— ", suffix=" —")


def _styles(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    def font(style, name, size, bold=False):
        style.font.name = name
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style.element, name)

    normal = document.styles["Normal"]
    font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    title = document.styles["Title"]
    font(title, TITLE_FONT, TITLE_SIZE)
    _clear_borders(title.element)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(12), Pt(12)
    for name, face, level in (("Heading 1", HEADING_FONT, 0), ("Heading 2", SUBHEADING_FONT, 1)):
        style = document.styles[name]
        font(style, face, HEADING_SIZE)
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(BODY_SIZE * 2)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE)
        fmt.space_before, fmt.space_after = Pt(6 if level == 0 else 0), Pt(0)
        fmt.keep_with_next = True
        _outline_level(style.element, level)
    _font_table(document)


def _east_asian(element, font: str) -> None:
    """Word picks CJK glyphs from w:eastAsia, not from the font name python-docx sets; theme fonts would win over both."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _outline_level(style_element, level: int) -> None:
    from docx.oxml.ns import qn

    ppr = style_element.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    outline = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(level)})
    ppr.append(outline)


def _clear_borders(style_element) -> None:
    from docx.oxml.ns import qn

    ppr = style_element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


def _font_table(document) -> None:
    """w:altName for each font the report names: the font a computer without it is to use."""
    from docx.oxml.ns import qn

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    names = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in ALT_FONTS.items():
        if name in names:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "auto"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph, instruction: str, prefix: str = "", suffix: str = "") -> None:
    from docx.oxml.ns import qn

    if prefix:
        paragraph.add_run(prefix)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        elif text == instruction:
            code = run._r.makeelement(qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text
    if suffix:
        paragraph.add_run(suffix)


def _contents(document) -> None:
    """A table of contents from the heading outline levels (Word and WPS fill it when the document is opened)."""
    from docx.oxml.ns import qn

    _heading(document, "目　录", 1)
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u')
    settings = document.settings.element
    update = settings.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
    settings.append(update)
    document.add_page_break()


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element, font)
    return run


def _heading(document, text: str, level: int):
    return document.add_paragraph(text, style=f"Heading {level}")


def _para(document, text: str):
    return document.add_paragraph(text)


def _ordinal(k: int) -> str:
    return CHINESE_ORDINALS[k] if k < len(CHINESE_ORDINALS) else str(k + 1)


def _table(document, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"

    def put(cell, text, bold=False):
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.first_line_indent = 0
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _run(paragraph, text, TABLE_FONT, TABLE_SIZE, bold=bold)

    for cell, text in zip(table.rows[0].cells, header):
        put(cell, text, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            put(cell, text)
    if widths_mm:  # Word reads the cells' widths, LibreOffice the grid's
        table.autofit = False
        for column, width in zip(table.columns, widths_mm):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    return table


def _figure(document, picture: bytes, caption: str) -> None:
    """The picture and its caption on one page: the picture's paragraph keeps with the caption under it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    holder = document.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.first_line_indent = 0
    holder.paragraph_format.line_spacing_rule = 0  # single: an exact 28-point line would clip the picture
    holder.paragraph_format.keep_with_next = True
    holder.paragraph_format.keep_together = True
    holder.add_run().add_picture(io.BytesIO(picture), width=Mm(150))
    label = document.add_paragraph(caption)
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label.paragraph_format.first_line_indent = 0


def _shown(score, status) -> str:
    if status is Status.ERROR:
        return "错误"
    return "不适用" if score is None else format_number(score)


def _level1_table(document, results: Results, u: UnitResult) -> None:
    rows = []
    for root in results.system.roots:
        r = u.nodes[root.id]
        rate = f"{format_number(r.score / r.weight * 100, 1)}%" if r.score is not None and r.weight else "—"
        rows.append([root.name, format_number(root.weight or 0), _shown(r.score, r.status), rate])
    rows.append(["合计", format_number(results.system.settings.max_total),
                 "错误" if u.total is None else format_number(u.total), u.grade or ""])
    _table(document, ["一级指标", "分值", "得分", "得分率"], rows, widths_mm=[60, 30, 30, 36])


def _analysis(document, results: Results, u: UnitResult) -> None:
    """Each 一级 indicator (a 二级 heading) and each of its 二级 indicators: points, score, and why every lost point
    was lost, in the 扣分说明's own sentences."""
    for k, root in enumerate(results.system.roots):
        r = u.nodes[root.id]
        _heading(document, f"（{_ordinal(k)}）{root.name}（分值 {format_number(root.weight or 0)} 分，{_score_words(r)}）", 2)
        groups = root.children or [root]
        for j, group in enumerate(groups, start=1):
            g = u.nodes[group.id]
            lines = [f"{item.name}：{item.note}" for item in _lost_under(results, u, group)]
            reason = "；".join(lines) if lines else "各项均达到标准"
            label = f"{j}. {group.name}" if group is not root else "本项"
            if g.score is None and g.status is not Status.ERROR:
                reason = "不适用，已剔除" if results.system.settings.na_rule.name == "DROP" else "不适用，按满分计"
            _para(document, f"{label}（分值 {format_number(group.weight or 0)} 分，{_score_words(g)}）：{reason}。")


def _score_words(r) -> str:
    """得分 18.5 分 / 不适用 / 有错误."""
    if r.status is Status.ERROR:
        return "有错误"
    return "不适用" if r.score is None else f"得分 {format_number(r.score)} 分"


def _lost_under(results: Results, u: UnitResult, node) -> list[LostPoints]:
    prefix = "/".join(node.path)
    return [item for item in lost_points(results, u) if item.path == prefix or item.path.startswith(prefix + "/")]


def _lost_by_level1(results: Results, lost: list[LostPoints]):
    """(一级指标, its lost points worst first), the 一级指标 losing most first."""
    groups = []
    for root in results.system.roots:
        items = [i for i in lost if i.path == root.name or i.path.startswith(root.name + "/")]
        if items:
            groups.append((root, items))
    return sorted(groups, key=lambda g: -sum(i.lost for i in g[1]))


def _score_table(document, results: Results, u: UnitResult) -> None:
    rows = []
    for node in results.system.indicators():
        r = u.nodes[node.id]
        rows.append(["　" * node.depth + node.name, format_number(node.weight or 0), _shown(r.score, r.status),
                     r.note if node.is_leaf else ""])
    rows.append(["合计", format_number(results.system.settings.max_total),
                 "错误" if u.total is None else format_number(u.total), f"等级：{u.grade}" if u.grade else ""])
    _table(document, ["指标", "分值", "得分", "扣分说明"], rows, widths_mm=[50, 14, 14, 78])


CJK_FONTS = ["Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"]


def score_rate_png(results: Results, u: UnitResult) -> bytes | None:
    """The 得分率 of each 一级指标 as a bar chart picture (the 评分表's chart); None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return None
    names, rates = [], []
    for root in results.system.roots:
        r = u.nodes[root.id]
        if r.score is not None and r.weight:
            names.append(root.name)
            rates.append(r.score / r.weight * 100)
    if not names:
        return None
    matplotlib.rcParams["font.sans-serif"] = CJK_FONTS + list(matplotlib.rcParams["font.sans-serif"])
    matplotlib.rcParams["axes.unicode_minus"] = False
    figure, axes = pyplot.subplots(figsize=(6.4, 0.5 * len(names) + 1.2), dpi=150)
    bars = axes.barh(names[::-1], rates[::-1], color="#4472C4")
    axes.set_xlim(0, 100)
    axes.set_xlabel("得分率（%）")
    axes.bar_label(bars, labels=[f"{v:.0f}%" for v in rates[::-1]], padding=3)
    axes.set_title("得分率（按一级指标）")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    pyplot.close(figure)
    return out.getvalue()
