"""`score sensitivity` (issue 16): rank robustness to the weights — zero range is the nominal ranking, the indicator
that decides a close ranking comes first, a seed reproduces the run."""

import openpyxl
import pytest

from tests.builders import indicator_book, wide_book

HEADER = ["一级指标", "二级指标", "分值", "评分公式"]
# 产出 100 = A 20 + B1…B8 10 each; 甲 is far better on A alone, 乙 a little better on each B
ROWS = [["产出", "A", 20, "RATIO(a, 1)"]] + [[None, f"B{k}", 10, f"RATIO(b{k}, 1)"] for k in range(1, 9)]
NAMES = ["a"] + [f"b{k}" for k in range(1, 9)]


@pytest.fixture
def close_race(tmp_path):
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, ROWS, merges=["A3:A11"])
    # 甲: 20 + 8 × 5 = 60; 乙: 0 + 8 × 7.4 = 59.2; 丙: 10 + 8 × 3 = 34 (always last)
    data = wide_book(tmp_path / "d.xlsx", NAMES, [("甲", [1] + [0.5] * 8), ("乙", [0] + [0.74] * 8),
                                                  ("丙", [0.5] + [0.3] * 8)])
    return ind, data


def _run(cli, *args):
    r = cli("sensitivity", *args, "--format", "json")
    assert r.code == 0, r.err
    return r.json()


def test_zero_range_is_the_nominal_ranking(close_race, cli):
    result = _run(cli, *close_race, "--range", "0", "--samples", "50", "--seed", "3")
    units = {u["unit"]: u for u in result["units"]}
    for name, rank in (("甲", 1), ("乙", 2), ("丙", 3)):
        u = units[name]
        assert (u["nominal_rank"], u["median_rank"], u["rank_5"], u["rank_95"], u["keeps_grade"]) == (rank, rank, rank,
                                                                                                       rank, 1)
    assert all(i["first_order"] == 0 for i in result["indicators"])


def test_the_indicator_that_decides_a_close_ranking_comes_first(close_race, cli):
    result = _run(cli, *close_race, "--range", "20%", "--samples", "1000", "--seed", "7")
    units = {u["unit"]: u for u in result["units"]}
    assert units["甲"]["nominal_rank"] == 1 and units["甲"]["rank_95"] == 2  # 甲 and 乙 swap in some samples
    assert units["丙"]["rank_5"] == units["丙"]["rank_95"] == 3  # 丙 never moves
    first, second = result["indicators"][:2]
    assert first["indicator"] == "产出/A" and first["first_order"] > 0.3 > second["first_order"]


def test_a_seed_reproduces_the_run(close_race, cli):
    one = _run(cli, *close_race, "--seed", "11", "--samples", "300")
    two = _run(cli, *close_race, "--seed", "11", "--samples", "300")
    assert one == two


def test_the_workbook_has_the_intervals_and_their_chart(close_race, tmp_path, cli):
    out = tmp_path / "稳健性.xlsx"
    r = cli("sensitivity", *close_race, "--seed", "7", "--range", "0.2", "-o", out)
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["排名稳健性", "敏感度"]
    ws = wb["排名稳健性"]
    assert [c.value for c in ws[2]][:9] == ["单位", "总分", "等级", "现有排名", "中位排名", "最好排名（5%）",
                                           "最差排名（95%）", "排名浮动", "保持等级的概率"]
    assert [c.value for c in ws[3]][:4] == ["甲", 60, "中", 1]
    (chart,) = ws._charts
    assert [s.val.numRef.f for s in chart.series] == ["'排名稳健性'!$F$3:$F$5", "'排名稳健性'!$H$3:$H$5"]
    assert wb["敏感度"]["A3"].value == "产出/A"
    assert ws.freeze_panes == wb["敏感度"].freeze_panes == "B3"  # title and header above, names to the left


def test_a_range_that_makes_no_sense_is_refused(close_race, cli):
    r = cli("sensitivity", *close_race, "--range", "150%")
    assert r.code == 2 and "分值变动范围应在 0 到 100% 之间（不含 100%），现为“150%”（--range）" in r.err
