"""Issue 26's measure on the real published tables of tests/published/, used as printed (no formulas added): the
leaves whose score differs from the hand score with neither an error nor a 未确认 note must be none. Also the tables
of tests/test_published_tables.py's kind, here with their 评分公式 cells left empty."""

import tempfile
from pathlib import Path

from tests.published.build import load_all
from tests.published.report import name_key, run_unit


def silently_wrong() -> tuple[list[str], int]:
    """(each leaf scored differently from the hand score with no error and no 未确认 note, leaves compared)."""
    wrong, compared = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in load_all():
            if "unit" not in spec:
                continue
            _, result, _ = run_unit(spec, Path(tmp), Path(name).stem)
            if result is None:  # the table or the data refused as a whole: said, not silent
                continue
            got = {name_key(i["path"][-1]): i for i in result["units"][0]["indicators"]}
            for leaf, hand in spec["unit"]["scores"].items():
                item = got.get(name_key(leaf))
                if item is None:
                    continue
                compared += 1
                flagged = item["status"] == "error" or "未确认" in (item["note"] or "")
                if not flagged and (item["score"] is None or abs(item["score"] - hand) > 0.005):
                    wrong.append(f"{name}：{leaf} 手算 {hand}，得 {item['score']}（{item['note']}）")
    return wrong, compared


def test_no_leaf_of_a_published_table_is_silently_wrong():
    wrong, compared = silently_wrong()
    assert compared >= 20  # the measure covers real leaves
    assert wrong == []
