"""One engine, three ways of running it, identical results on every node: all units at once (vector
evaluation), every unit alone (n = 1), and every formula through the scalar evaluator."""

import random

import pytest

from scoring.read import read_data
from scoring.engine import score
from scoring.read import read_indicator_system
from scoring.model import Unit
from scoring.values import MISSING, NA
from tests.builders import indicator_book

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分公式", "目标值"]
FORMULAS = [
    ("IF(控制率<=100%, 分值, DEDUCT((控制率-1)*100, 0.5))", None),
    ("RATIO(a, b)", None),
    ("RATIO_INV(a, 30)", None),
    ("TARGET(c, 目标值)", "≥95%"),
    ("TARGET(d, 目标值)", "≤30天"),
    ("TARGET(a/100, 目标值)", "=50%"),
    ("ROUND(a/b*分值, 1)", None),
    ("ROUNDUP(c*分值, 0) - ROUNDDOWN(d/10, 0)", None),
    ("IFS(c=0, 5, c<=10%, 4, c<=20%, 3, TRUE, 0)", None),
    ("IF(flag, 分值, 0) + IF(AND(flag, c>0.5), 1, 0)", None),
    ("IF(ISNA(d), 分值, MIN(分值, d/10))", None),
    ("IF(ISBLANK(e), 1, e) * 分值 / 2", None),
    ("MAX(0, 分值 - INT(a/7))", None),
    ("SUM(a, b, -c) / AVERAGE(a, 1)", None),
    ("IF(a>b, 分值*b/a, 分值)^1", None),
    ("分值 - ABS(c - 0.5)*10", None),
    ("IF(t=\"优\", 分值, 分值/2)", None),  # a text constant: scalar path
    ("a/(b-b)", None),  # always #DIV/0!
    ("分值*NOT(flag)", None),
    (None, None),  # manual
]


def random_value(rng, kind):
    r = rng.random()
    if r < 0.04:
        return NA
    if r < 0.07:
        return MISSING
    if kind == "flag":
        return rng.random() < 0.6
    if kind == "text":
        return rng.choice(["优", "良", "差"])
    if r < 0.1:
        return 0.0
    return rng.choice([round(rng.uniform(0, 120), 3), round(rng.uniform(0, 1.2), 4), 2.5, 0.125, 1.005, 2.675, 30.0, 36.0])


def build(tmp_path, na_rule):
    rows = []
    for k, (formula, target) in enumerate(FORMULAS):
        level1 = f"一级{k // 7 + 1}"
        rows.append([level1, f"二级{k // 3 + 1}", f"指标{k + 1}", 5, formula, target])
    rows.append(["加分项", "表彰", None, 3, "IF(flag, 分值, 0)", None])
    derived = [("控制率", "a/核定数"), ("核定数", "b+1")]
    ind = indicator_book(tmp_path / "ind.xlsx", HEADER, rows, derived=derived,
                         settings={"满分": 100, "不适用处理": na_rule, "小数位数": 2})
    return read_indicator_system(ind)


def random_units(rng, n):
    units = []
    for i in range(n):
        values = {name: random_value(rng, name) for name in ("a", "b", "c", "d", "e")}
        values["flag"] = random_value(rng, "flag")
        values["t"] = random_value(rng, "text")
        values["指标20"] = rng.choice([3.0, 5.0, 7.5, NA, MISSING, True])
        if rng.random() < 0.2:
            values["控制率"] = rng.choice([0.8, 1.2, NA, MISSING])
        units.append(Unit(name=f"单位{i}", values=values, origins={k: f"基础数据!B{j + 2}" for j, k in enumerate(values)}))
    return units


@pytest.mark.parametrize("na_rule, seed", [("满分", 1), ("剔除", 2), ("满分", 3)])
def test_batch_equals_unit_by_unit(tmp_path, na_rule, seed):
    system = build(tmp_path, na_rule)
    units = random_units(random.Random(seed), 300)
    slow = score(system, units, vectorised=False)
    fast = score(system, units, vectorised=True)
    alone = [score(system, [u]).units[0] for u in units]
    for a, b, c in zip(slow.units, fast.units, alone):
        assert (a.total, a.grade, a.rank, a.errors, a.total_note) == (b.total, b.grade, b.rank, b.errors, b.total_note)
        assert (a.total, a.grade, a.errors, a.total_note) == (c.total, c.grade, c.errors, c.total_note)
        for node in system.indicators():
            x, y, z = a.nodes[node.id], b.nodes[node.id], c.nodes[node.id]
            assert (x.score, x.status, x.weight, x.note) == (y.score, y.status, y.weight, y.note), (a.unit.name, node.name)
            assert (x.score, x.status, x.weight, x.note) == (z.score, z.status, z.weight, z.note), (a.unit.name, node.name)
    statuses = {r.status for u in fast.units for r in u.nodes.values()}
    assert statuses == {"ok", "clamped", "na", "manual", "error"}  # the data exercised every path


def test_wide_workbook_takes_the_batch_path_and_matches(tmp_path):
    from tests.builders import STANDARD_DATA, standard_system, wide_book

    ind = read_indicator_system(standard_system(tmp_path / "ind.xlsx"))
    columns = [n for n, _ in STANDARD_DATA if n != "单位名称"]
    rng = random.Random(5)
    rows = []
    for i in range(120):
        row = [v for n, v in STANDARD_DATA if n != "单位名称"]
        row[columns.index("在职人员数")] = rng.randint(5, 15)
        row[columns.index("预算执行率")] = round(rng.uniform(0.5, 1.1), 4)
        row[columns.index("实际完成率")] = rng.choice([0.76, 0.95, 1.0, "不适用"])
        rows.append((f"单位{i:03d}", row))
    data = read_data(wide_book(tmp_path / "w.xlsx", columns, rows))
    slow, fast = score(ind, data, vectorised=False), score(ind, data)
    assert [u.total for u in slow.units] == [u.total for u in fast.units]
    assert [u.rank for u in slow.units] == [u.rank for u in fast.units]
    assert slow.to_dict() == fast.to_dict()
