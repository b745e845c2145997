"""The 设置 sheet (满分, 小数位数, 等级, 不适用处理, 默认公式, 总分上限, 年度 …) and the 计算项 sheet."""

from __future__ import annotations

import re
import time

from ...errors import FormulaError, cell_ref
from ...formula import compile_formula
from ...model import Derived, NARule, Settings
from ...values import normalize_name
from ..data import points_number
from ..headers import HEADER_SCAN_ROWS, header_key
from ..workbook import cell_value, content_rows
from .header import SETTINGS_SHEET, cell_text

DERIVED_SHEET = "计算项"


class Clock:
    """Time spent compiling formulas while reading (reported as its own stage by SCORE_PROFILE)."""

    def __init__(self):
        self.seconds = 0.0

    def compile(self, text, where):
        start = time.perf_counter()
        try:
            return compile_formula(text, where=where)
        finally:
            self.seconds += time.perf_counter() - start


def rows_after_header(ws, wanted: dict[str, set[str]]):
    """Find a header naming the wanted roles; yield (row, {role: value}) until a blank row."""
    for r in range(1, min(ws.max_row or 0, HEADER_SCAN_ROWS) + 1):
        cols = {}
        for c in range(1, min(ws.max_column or 0, 50) + 1):
            key = header_key(ws.cell(r, c).value)
            for role, aliases in wanted.items():
                if key in aliases and role not in cols:
                    cols[role] = c
        if len(cols) >= 2:
            break
    else:
        return None, {}
    return r, cols


def read_settings(wb, clock: Clock):
    settings = Settings()
    problems = []
    if SETTINGS_SHEET not in wb.sheetnames:
        return settings, problems
    ws = wb[SETTINGS_SHEET]
    header, cols = rows_after_header(ws, {"key": {"项目", "设置", "名称", "key"}, "value": {"值", "数值", "设置值", "value"}})
    key_col, val_col = (cols.get("key", 1), cols.get("value", 2)) if header else (1, 2)
    start = (header or 0) + 1
    for r in content_rows(ws, start):
        key = normalize_name(cell_text(cell_value(ws, r, key_col)))
        raw = cell_value(ws, r, val_col)
        ref = cell_ref(SETTINGS_SHEET, r, val_col)
        if not key:
            continue
        text = cell_text(raw)
        try:
            if key == "满分":
                settings.max_total = _positive(raw, ref, "满分")
            elif key == "小数位数":
                n = points_number(raw)
                if n is None or n != int(n) or not 0 <= n <= 6:
                    raise ValueError(f"{ref} 小数位数应为 0 到 6 的整数，现为“{text}”")
                settings.decimals = int(n)
            elif key == "等级":
                settings.grades = parse_grades(text, ref)
            elif key == "不适用处理":
                if text not in tuple(NARule):
                    raise ValueError(f"{ref} 不适用处理应为“满分”或“剔除”，现为“{text}”")
                settings.na_rule = NARule(text)
            elif key == "默认公式":
                formula_text = cell_text(cell_value(ws, r, val_col, formula_as_text=True))
                if formula_text:
                    settings.default_formula = clock.compile(formula_text, f"{ref} 默认公式")
            elif key == "总分上限":
                settings.total_cap = _positive(raw, ref, "总分上限")
            elif key in ("年度", "评价年度"):
                settings.year = year_text(raw)
            elif key == "评价日期":
                settings.evaluation_date = date_text(raw)
            elif key == "预算执行率公式":
                formula_text = cell_text(cell_value(ws, r, val_col, formula_as_text=True))
                if formula_text:
                    settings.execution_formula = clock.compile(formula_text, f"{ref} 预算执行率公式")
        except ValueError as exc:
            problems.append(str(exc))
        except FormulaError as exc:
            problems.append(str(exc))
    return settings, problems


def year_text(raw) -> str:
    """2019, 2019.0, "2019年", "2019年度" → 2019年度; other text as written."""
    text = cell_text(raw)
    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*(年度|年)?", text)
    return f"{match[1]}年度" if match else text


def date_text(raw) -> str:
    """A date cell or text as a printed date: 2024年3月15日."""
    if hasattr(raw, "year") and hasattr(raw, "month") and hasattr(raw, "day"):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    return cell_text(raw)


def _positive(raw, ref, what) -> float:
    n = points_number(raw)
    if n is None or n <= 0:
        raise ValueError(f"{ref} {what}应为正数，现为“{cell_text(raw)}”")
    return n


def parse_grades(text: str, ref: str = "设置") -> list[tuple[str, float]]:
    """`优:90,良:80,中:60,差:0` → [('优', 90.0), …] sorted by threshold, highest first."""
    items = [p for p in re.split(r"[,，;；、\s]+", text) if p]
    grades = []
    for item in items:
        parts = re.split(r"[:：=＝]", item)
        if len(parts) != 2 or points_number(parts[1]) is None:
            raise ValueError(f"{ref} 等级“{text}”无法识别：请写成“优:90,良:80,中:60,差:0”（分数线为满分的百分比）")
        grades.append((parts[0].strip(), points_number(parts[1])))
    if not grades:
        raise ValueError(f"{ref} 等级为空")
    grades.sort(key=lambda g: -g[1])
    return grades


def read_derived(wb, clock: Clock):
    problems: list[str] = []
    if DERIVED_SHEET not in wb.sheetnames:
        return [], problems
    ws = wb[DERIVED_SHEET]
    header, cols = rows_after_header(
        ws,
        {"name": {"名称", "计算项", "变量", "name"}, "formula": {"公式", "计算公式", "formula"},
         "description": {"说明", "备注", "description"}},
    )
    if header is None or "name" not in cols or "formula" not in cols:
        return [], [f"{DERIVED_SHEET} 工作表找不到表头：需要“名称”和“公式”两列"]
    items: dict[str, Derived] = {}
    for r in content_rows(ws, header + 1):
        name_raw = cell_text(ws.cell(r, cols["name"]).value)
        formula_raw = cell_text(ws.cell(r, cols["formula"]).value)
        if not name_raw and not formula_raw:
            continue
        name_ref = cell_ref(DERIVED_SHEET, r, cols["name"])
        formula_ref = cell_ref(DERIVED_SHEET, r, cols["formula"])
        if not name_raw:
            problems.append(f"{name_ref} 计算项缺少名称")
            continue
        if not formula_raw:
            problems.append(f"{formula_ref} 计算项“{name_raw}”缺少公式")
            continue
        name = normalize_name(name_raw)
        if name in items:
            problems.append(f"{name_ref} 计算项“{name_raw}”重复（已在 {items[name].cell} 定义）")
            continue
        try:
            formula = clock.compile(formula_raw, f"{formula_ref} 公式")
        except FormulaError as exc:
            problems.append(str(exc))
            continue
        desc = cell_text(ws.cell(r, cols["description"]).value) if "description" in cols else ""
        items[name] = Derived(name=name, formula=formula, description=desc, cell=formula_ref)
    ordered, cycle_problems = order_derived(items)
    return ordered, problems + cycle_problems


def order_derived(items: dict[str, Derived]) -> tuple[list[Derived], list[str]]:
    """Dependency order; a cycle is reported with the cells that form it."""
    order: list[Derived] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    problems = []

    def visit(name, stack):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = stack[stack.index(name):] + [name]
            problems.append(
                "计算项循环引用：" + " → ".join(f"{n}（{items[n].cell}）" for n in cycle)
            )
            return
        state[name] = 1
        for dep in sorted(items[name].formula.names):
            if dep in items:
                visit(dep, stack + [name])
        state[name] = 2
        order.append(items[name])

    for name in items:
        visit(name, [])
    return order, problems
