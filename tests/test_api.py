"""The library on its own, as from a notebook: read, score, results as dicts and pandas."""

from pathlib import Path

from scoring import read_data, read_indicator_system, score

ROOT = Path(__file__).resolve().parent.parent


def test_score_from_python_and_to_pandas():
    system = read_indicator_system(ROOT / "indicator_sets" / "dept_overall.xlsx")
    results = score(system, read_data(ROOT / "workbooks" / "lingling_2019.xlsx"))
    unit = results.units[0]
    assert (unit.total, unit.grade, unit.rank) == (89.0, "良", 1)
    df = results.to_frame()
    assert len(df) == len(list(system.indicators()))
    row = df[df["path"] == "过程/预算执行/预算调整率"].iloc[0]
    assert row["score"] == 0 and row["weight"] == 5 and row["status"] == "ok"
    assert results.to_dict()["units"][0]["total"] == 89.0


def test_many_units_to_pandas():
    system = read_indicator_system(ROOT / "indicator_sets" / "project_self.xlsx")
    results = score(system, read_data(ROOT / "workbooks" / "daying_2023.xlsx"))
    df = results.to_frame()
    assert sorted(df["unit"].unique()) == sorted(u.unit.name for u in results.units)
    # every project scores full marks on what applies: 75 (or 50) points applicable, rescaled by 剔除 to 100
    assert [(u.applicable, sum(u.nodes[r.id].score or 0 for r in system.roots), u.total) for u in results.units] == [
        (75.0, 75.0, 100.0)] * 4 + [(50.0, 50.0, 100.0)]
    assert results.units[4].total_note == "剔除不适用指标 50 分，得分按 100/50 折算为 100"
    assert set(df["total"]) == {100.0}
