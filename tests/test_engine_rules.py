"""A blank data cell is named in the message (the unit's cell, from a structured message rendered once), on indicator
systems built in memory, both ways: the vector evaluator and the scalar one (`vectorised=False`)."""

import pytest

from scoring.engine import score
from scoring.values import MISSING

from .memory import by_name, group, leaf, system, unit

WAYS = pytest.mark.parametrize("vectorised", [True, False], ids=["vector", "scalar"])


@WAYS
def test_a_blank_data_cell_is_named_and_one_units_error_does_not_stop_the_others(vectorised):
    s = system(group("产出", leaf("数量", 10, "分值*完成率"), leaf("质量", 10, "分值*合格率")),
               derived=[("合格率", "合格数/总数")])
    r = score(s, [unit("甲", 完成率=MISSING, 合格数=MISSING, 总数=10), unit("乙", 完成率=1, 合格数=9, 总数=10)], vectorised)
    blank, fine = r.units
    assert blank.total is None and blank.grade is None and blank.rank is None
    assert blank.errors == [
        "“产出/数量”：指标体系!F4 评分公式第 4 个字符：“完成率”未填写（空白单元格），请在 基础数据!B2 填写",
        "“产出/质量”：指标体系!F5 评分公式第 4 个字符：计算项“合格率”无法计算：计算项!B2 公式第 1 个字符："
        "“合格数”未填写（空白单元格），请在 基础数据!B3 填写",
    ]
    assert blank.nodes[by_name(s, "产出").id].note == "下级指标有错误"
    assert (fine.total, fine.rank) == (19.0, 1)


def test_a_blank_message_without_the_units_cell_says_where_to_fill_it_in():
    """Outside a scoring run (no unit's cell known) the message is the same sentence with the general remedy."""
    from scoring.formula import MissingValueError, compile_formula

    with pytest.raises(MissingValueError) as info:
        compile_formula("分值*完成率", where="指标体系!F4 评分公式").evaluate({"分值": 10.0, "完成率": MISSING})
    assert str(info.value) == "指标体系!F4 评分公式第 4 个字符：“完成率”未填写（空白单元格），请在基础数据中填写"
