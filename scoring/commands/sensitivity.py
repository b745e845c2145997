"""`score sensitivity 指标体系.xlsx 基础数据.xlsx [--range 20%] [--samples 1000] [--seed N] [-o 结果.xlsx]`."""

from __future__ import annotations

from pathlib import Path

from ..engine import score
from ..errors import InputError
from ..read import Book, read_data, read_indicator_system
from ..sensitivity import MAX_SAMPLED_TOTALS, MAX_SAMPLES, Sensitivity, sensitivity
from ..values import parse_cell_value
from ..write.package import is_previous_result
from ..write.safety import guard_output
from ..write.sensitivity import write_sensitivity


def parse_range(text) -> float:
    """20%, 0.2 and 20 all mean ±20 %."""
    value = parse_cell_value(str(text).strip()) if isinstance(text, str) else text
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise InputError(f"分值变动范围应为百分比，如 20%，现为“{text}”", option="spread")
    value = float(value)
    if value >= 1 and value < 100 and not str(text).strip().endswith("%"):
        value /= 100
    if not 0 <= value < 1:
        raise InputError(f"分值变动范围应在 0 到 100% 之间（不含 100%），现为“{text}”", option="spread")
    return value


def run_sensitivity(indicators, data, spread=0.2, samples: int = 1000, seed: int | None = None, output=None,
                    sheet: str | None = None, force: bool = False) -> tuple[Sensitivity, Path | None]:
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"抽样次数应在 1 到 {MAX_SAMPLES} 之间，现为 {samples}", option="samples")
    if seed is not None and seed < 0:
        raise InputError(f"随机种子应为 0 或正整数（如 1），现为 {seed}", option="seed")
    ind_book = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    data_book = data if isinstance(data, Book) else Book(data, "基础数据")
    if output is not None:
        output = guard_output(output, [ind_book.path, data_book.path], force,
                              advice="请换一个输出文件名（如 排名稳健性.xlsx），或不指定输出文件（结果只显示在屏幕上）",
                              replaceable=is_previous_result)
    results = score(read_indicator_system(ind_book), read_data(data_book, sheet))
    units = len(results.units)
    if units * samples > MAX_SAMPLED_TOTALS:
        raise InputError(f"{units} 个单位抽样 {samples} 次要算 {units * samples:,} 个总分，超过上限 {MAX_SAMPLED_TOTALS:,}："
                         f"请把抽样次数减到 {MAX_SAMPLED_TOTALS // units} 次以内", option="samples")
    outcome = sensitivity(results, spread, samples, seed)
    written = write_sensitivity(outcome, output, force=force) if output is not None else None
    return outcome, written
