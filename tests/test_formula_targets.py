"""Targets as bureaus write them (SPEC §4.3)."""

import pytest

from scoring.formula.targets import TargetError, parse_target


@pytest.mark.parametrize(
    "text, op, value",
    [
        ("≥95%", ">=", 0.95),
        (">=95%", ">=", 0.95),
        ("＞＝95％", ">=", 0.95),
        ("≤30天", "<=", 30),
        ("≦100%", "<=", 1.0),
        ("≧90%", ">=", 0.9),
        ("<=5%", "<=", 0.05),
        ("=100%", "=", 1.0),
        ("＝7个", "=", 7),
        ("100%", ">=", 1.0),
        ("不低于90%", ">=", 0.9),
        ("不高于5%", "<=", 0.05),
        ("不超过1.5万元", "<=", 1.5),
        ("达到 3 次", ">=", 3),
        ("95%以上", ">=", 0.95),
        ("30天以内", "<=", 30),
        ("1,600㎡", ">=", 1600),
        ("＞0", ">", 0),
        ("<10人", "<", 10),
        (12, ">=", 12),
        (0.95, ">=", 0.95),
    ],
)
def test_targets(text, op, value):
    target = parse_target(text)
    assert target.op == op
    assert target.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "良好", "≥", "约95%", "95%左右", "≠3", None, True])
def test_bad_targets_say_what_is_accepted(text):
    with pytest.raises(TargetError) as info:
        parse_target(text)
    assert "目标值" in str(info.value)


@pytest.mark.parametrize("text", ["2020年12月底前", "2023年12月31日前", "12月底前完成", "6月30日前", "2023年底", "2023年内",
                                  "效果明显", "按时完成"])
def test_deadlines_and_words_are_qualitative_targets(text):
    """A 时效指标's deadline is a date, not a number to compare a figure with: scored by hand like 效果明显."""
    from scoring.formula.targets import is_qualitative

    assert is_qualitative(text)


@pytest.mark.parametrize("text,value", [("≤12个月", 12), ("2023年", 2023), ("12月", 12), ("≥5年", 5)])
def test_durations_and_bare_years_stay_numeric_targets(text, value):
    from scoring.formula.targets import is_qualitative

    assert not is_qualitative(text) and parse_target(text).value == value
