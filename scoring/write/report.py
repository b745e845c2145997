"""The 绩效自评报告 draft of one unit as a Word document (python-docx), in the usual outline: 一、基本情况 …
七、其他需要说明的问题, an annex with the full 评分表 as a Word table and the 得分率 chart as a picture. What the program
cannot know is a visible placeholder 【待填写：…】. Fonts: 仿宋 for the body, 黑体 for headings, 宋体 in tables — set as
East Asian fonts so Word, WPS and LibreOffice all use them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..model import Results, Status, UnitResult
from ..values import format_number
from .excel import score_sheet_title, today_text

BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"
PLACEHOLDER = "【待填写：{}】"
SECTIONS = ("一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论", "四、绩效指标分析",
            "五、存在的问题及原因分析", "六、有关建议", "七、其他需要说明的问题")
CHINESE_ORDINALS = "一二三四五六七八九十"


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


def report_title(results: Results, unit_result: UnitResult) -> str:
    return score_sheet_title(results.system, unit_result).replace("绩效评价评分表", "绩效自评报告")


def write_report(results: Results, unit_result: UnitResult, path: Path) -> Path:
    """Write the report of one unit to `path` (.docx); return it."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    _fonts(document)
    system, u = results.system, unit_result
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, report_title(results, u), HEADING_FONT, 18, bold=True)
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(date, f"{u.unit.name}　{system.settings.evaluation_date or today_text()}", BODY_FONT, 14)

    max_total = format_number(system.settings.max_total)
    total = "无法计算（有错误）" if u.total is None else f"{format_number(u.total)} 分"
    lost = lost_points(results, u)

    _heading(document, SECTIONS[0])
    _para(document, PLACEHOLDER.format("单位职能职责、机构设置、人员编制，年度预算收支和主要工作任务"))
    _heading(document, SECTIONS[1])
    basis = f"《{system.heading}》" if system.heading else "本单位绩效评价指标体系"
    _para(document, f"本次自评依据{basis}进行，满分 {max_total} 分，共 {len(system.leaves())} 项末级指标。"
          + PLACEHOLDER.format("评价目的、组织方式、评价方法和工作过程"))
    _heading(document, SECTIONS[2])
    grade = f"，评价等级为“{u.grade}”" if u.grade else ""
    _para(document, f"经自评，{u.unit.name}综合得分 {total}（满分 {max_total} 分）{grade}。各一级指标得分如下：")
    _level1_table(document, results, u)
    if u.total_note:
        _para(document, f"说明：{u.total_note}。")
    _heading(document, SECTIONS[3])
    _analysis(document, results, u)
    _heading(document, SECTIONS[4])
    if lost:
        _para(document, f"按失分多少排列，共 {len(lost)} 项指标未得满分：")
        for k, item in enumerate(lost, start=1):
            _para(document, f"{k}. {item.path}：失分 {format_number(item.lost)} 分（得分 {format_number(item.score)}/"
                            f"{format_number(item.weight)}）。{item.note}")
        _para(document, PLACEHOLDER.format("对上述问题的原因分析"))
    else:
        _para(document, "各项指标均得满分，未发现扣分问题。" + PLACEHOLDER.format("其他存在的问题"))
    _heading(document, SECTIONS[5])
    _para(document, PLACEHOLDER.format("针对上述问题的改进措施和建议"))
    _heading(document, SECTIONS[6])
    _para(document, PLACEHOLDER.format("需要说明的其他问题，没有则写“无”"))

    document.add_page_break()
    _heading(document, "附件：" + score_sheet_title(system, u))
    _score_table(document, results, u)
    picture = score_rate_png(results, u)
    if picture is not None:
        _heading(document, "附图：得分率（按一级指标）")
        document.add_picture(io.BytesIO(picture), width=Pt(420))
    path = Path(path)
    document.save(path)
    return path


# ---------------------------------------------------------------- parts


def _fonts(document) -> None:
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(14)
    _east_asian(style.element, BODY_FONT)


def _east_asian(element, font: str) -> None:
    """Word picks CJK glyphs from w:eastAsia, not from the font name python-docx sets."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element, font)
    return run


def _heading(document, text: str):
    paragraph = document.add_paragraph()
    _run(paragraph, text, HEADING_FONT, 16, bold=True)
    return paragraph


def _para(document, text: str):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(28)
    _run(paragraph, text, BODY_FONT, 14)
    return paragraph


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        _run(cell.paragraphs[0], text, TABLE_FONT, 10.5, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            _run(cell.paragraphs[0], text, TABLE_FONT, 10.5)
    return table


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
    _table(document, ["一级指标", "分值", "得分", "得分率"], rows)


def _analysis(document, results: Results, u: UnitResult) -> None:
    """Each 一级 and 二级 indicator: points, score, and why every lost point was lost."""
    for k, root in enumerate(results.system.roots):
        r = u.nodes[root.id]
        ordinal = CHINESE_ORDINALS[k] if k < len(CHINESE_ORDINALS) else str(k + 1)
        _para(document, f"（{ordinal}）{root.name}（分值 {format_number(root.weight or 0)} 分，得分 "
                        f"{_shown(r.score, r.status)} 分）")
        groups = root.children or [root]
        for j, group in enumerate(groups, start=1):
            g = u.nodes[group.id]
            lines = [f"{item.path.split('/')[-1]}失 {format_number(item.lost)} 分：{item.note}"
                     for item in _lost_under(results, u, group)]
            reason = "；".join(lines) if lines else "各项均得满分"
            label = f"{j}. {group.name}" if group is not root else "本项"
            _para(document, f"{label}（分值 {format_number(group.weight or 0)} 分，得分 {_shown(g.score, g.status)} 分）："
                            f"{reason}。")


def _lost_under(results: Results, u: UnitResult, node) -> list[LostPoints]:
    prefix = "/".join(node.path)
    return [item for item in lost_points(results, u) if item.path == prefix or item.path.startswith(prefix + "/")]


def _score_table(document, results: Results, u: UnitResult) -> None:
    rows = []
    for node in results.system.indicators():
        r = u.nodes[node.id]
        rows.append(["　" * node.depth + node.name, format_number(node.weight or 0), _shown(r.score, r.status),
                     r.note if node.is_leaf else ""])
    rows.append(["合计", format_number(results.system.settings.max_total),
                 "错误" if u.total is None else format_number(u.total), f"等级：{u.grade}" if u.grade else ""])
    _table(document, ["指标", "分值", "得分", "扣分说明"], rows)


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
