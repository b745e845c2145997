"""`score template`: a data-entry workbook asking for exactly what an indicator system needs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import InputError
from ..formula.analysis import condition_names
from ..model import IndicatorSystem
from ..read import Book, read_indicator_system
from ..requirements import formula_uses, required_inputs
from ..values import format_number, normalize_name, without_explanation, without_numbering
from ..write.safety import atomic_save, guard_output

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(vertical="center", wrap_text=True)


def template_items(system: IndicatorSystem) -> list[dict]:
    """One item per input: name, 说明, kind (percent / yesno / manual / grade / number), bounds."""
    needed = required_inputs(system)
    conditions = set()
    for use in formula_uses(system):
        conditions |= condition_names(use.formula)
    shown = printed_names(system)
    items = []
    for name, needs in needed.items():
        leaves = []
        for need in needs:
            if need.leaf.name not in leaves:
                leaves.append(need.leaf.name)
        first = needs[0]
        manual = any(n.manual for n in needs)
        if manual and first.leaf.bands:
            leaf = first.leaf
            grades = "、".join(f"{b.grade}（{format_number(b.points)} 分）" for b in leaf.bands)
            text = f"按等级评分：填写 {grades}，或直接填写得分（0～{format_number(leaf.weight or 0)} 分）"
        elif manual:
            leaf = first.leaf
            text = f"人工评分（0～{format_number(leaf.weight or 0)} 分）。{leaf.criteria or leaf.description}"
        else:
            parts = [f"用于：{'、'.join(leaves)}"]
            if name in conditions and first.leaf.criteria:
                parts.append(f"评分标准：{first.leaf.criteria}")
            elif first.via is not None and first.via.description:
                parts.append(first.via.description)
            elif first.leaf.description:
                parts.append(first.leaf.description)
            elif first.leaf.criteria:
                parts.append(f"评分标准：{first.leaf.criteria}")
            text = "。".join(p.rstrip("。") for p in parts) + "。"
        if all(n.leaf.choice_of is not None for n in needs):  # needed only by a 择其一 alternative
            text = f"择其一：{'、'.join(o.name for o in first.leaf.choice_of.alternatives)}，按本单位实际填写其中一项。" + text
        if manual and first.leaf.bands:
            kind = "grade"
        elif manual:
            kind = "manual"
        elif name in conditions:
            kind = "yesno"
        elif name.endswith("率") or name.endswith("满意度"):
            kind = "percent"
        else:
            kind = "number"
        items.append({"name": shown.get(name, name), "note": text, "kind": kind,
                      "max": float(first.leaf.weight or 0) if manual else None,
                      "grades": [b.grade for b in first.leaf.bands] if kind == "grade" else None})
    return items


def printed_names(system: IndicatorSystem) -> dict[str, str]:
    """Each data name (as compared, ``normalize_name``) → as printed where it is first written: in a formula, as a
    计算项 or as an indicator's name. The data sheet shows these; the data reader matches them back by the same rule."""
    shown: dict[str, str] = {}
    for leaf in (o for leaf in system.leaves() for o in leaf.options):
        plain = without_explanation(without_numbering(leaf.name)).strip()
        shown.setdefault(normalize_name(plain), plain)
    for item in system.derived:
        shown.setdefault(normalize_name(item.name), item.name.strip())
    for use in formula_uses(system):
        for key, written in use.formula.display_names.items():
            shown.setdefault(key, written)
    return shown


YEAR_ITEM = {"name": "评价年度", "kind": "text", "max": None,
             "note": "评价的年度，如 2023：评分表和自评报告的标题用它（指标体系的“设置”表写了年度的，可不填）"}


def build_template(system: IndicatorSystem, layout: str = "kv", units: int = 1):
    items = template_items(system)
    if not system.settings.year:  # the year is asked for, never silently missing from the titles
        items = [YEAR_ITEM] + items
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    title = f"{_system_title(system)}基础数据表"
    if layout == "kv":
        _kv(ws, title, items)
    else:
        _wide(wb, ws, title, items, max(1, units))
    return wb


def _system_title(system) -> str:
    title = system.title
    for suffix in ("指标评分表", "指标体系表", "指标表", "评分表", "指标体系", "表"):
        if title.endswith(suffix):
            return title[: -len(suffix)]
    return title


def _head(cell):
    cell.font = Font(bold=True)
    cell.fill = HEAD_FILL
    cell.border = BOX
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _validation(ws, item, ref):
    if item["kind"] == "yesno":
        dv = DataValidation(type="list", formula1='"是,否,不适用"', allow_blank=True,
                            error="请选择 是 或 否", errorTitle="只能填 是/否", showErrorMessage=True)
    elif item["kind"] == "manual":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=format_number(item["max"]),
                            allow_blank=True, error=f"得分应在 0 到 {format_number(item['max'])} 之间",
                            errorTitle="得分超出范围", showErrorMessage=True)
    elif item["kind"] == "grade":  # a list to pick from; a score typed instead is allowed after a warning
        dv = DataValidation(type="list", formula1='"' + ",".join(item["grades"] + ["不适用"]) + '"', allow_blank=True,
                            errorStyle="warning", error=f"请选择等级（{'、'.join(item['grades'])}），或填写 0 到 "
                            f"{format_number(item['max'])} 的得分", errorTitle="等级", showErrorMessage=True)
    else:
        return
    ws.add_data_validation(dv)
    dv.add(ref)


def _style_value(cell, item):
    cell.fill = INPUT_FILL
    cell.border = BOX
    if item["kind"] == "percent":
        cell.number_format = "0.00%"


def _kv(ws, title, items):
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:C1")
    for c, text in enumerate(["名称", "数值", "说明"], start=1):
        _head(ws.cell(2, c, text))
    rows = [{"name": "单位名称", "note": "被评价单位（部门或项目）的名称", "kind": "text"}] + items
    for r, item in enumerate(rows, start=3):
        ws.cell(r, 1, item["name"]).border = BOX
        _style_value(ws.cell(r, 2), item)
        note = ws.cell(r, 3, item["note"])
        note.alignment = WRAP
        note.border = BOX
        _validation(ws, item, f"B{r}")
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 80
    ws.freeze_panes = "B3"


def _wide(wb, ws, title, items, units):
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    _head(ws.cell(2, 1, "单位名称"))
    ws.column_dimensions["A"].width = 28
    for c, item in enumerate(items, start=2):
        _head(ws.cell(2, c, item["name"]))
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(12, min(30, len(item["name"]) * 2 + 2))
        for r in range(3, 3 + units):
            _style_value(ws.cell(r, c), item)
        _validation(ws, item, f"{letter}3:{letter}{2 + units}")
    for r in range(3, 3 + units):
        ws.cell(r, 1).border = BOX
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "B3"
    notes = wb.create_sheet("填表说明")
    for c, text in enumerate(["数据项", "说明"], start=1):
        _head(notes.cell(1, c, text))
    for r, item in enumerate(items, start=2):
        notes.cell(r, 1, item["name"]).border = BOX
        cell = notes.cell(r, 2, item["note"])
        cell.alignment = WRAP
        cell.border = BOX
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 90


def write_template(indicators, output, layout: str | None = None, units: int = 1, sheet: str | None = None,
                   force: bool = False):
    """Write the data-entry workbook for an indicator system (a path or an opened Book) to `output`;
    an existing `output` (perhaps a filled form) is replaced only with `force`."""
    output = Path(output)
    book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    chosen = layout or ("kv" if units == 1 else "wide")
    if chosen == "kv" and units > 1:
        raise InputError("名称|数值（kv）格式只能填一个单位；多个单位请用每行一个单位的宽表（wide）格式", option="layout")
    guard_output(output, [book.path], force, what="指标体系工作簿", advice="请换一个文件名，如 基础数据填报表.xlsx",
                 exists_why="（可能是已填好的填报表）")
    system = read_indicator_system(book, sheet)
    wb = build_template(system, chosen, units)
    atomic_save(wb.save, output)
    return chosen
