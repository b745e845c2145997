"""Values as people type them (SPEC §3 table)."""

import pytest

from scoring.values import MISSING, NA, normalize_name, parse_cell_value


@pytest.mark.parametrize(
    "raw, expected",
    [
        (95, 95.0), (0.95, 0.95), ("95%", 0.95), ("95％", 0.95), ("1,234.5", 1234.5), ("１２３", 123.0),
        ("是", True), ("√", True), ("☑", True), ("有", True), ("Y", True), ("yes", True), ("true", True),
        ("否", False), ("×", False), ("□", False), ("N", False), ("no", False), ("false", False),
        ("是☑ 否□", True), ("是□ 否☑", False), ("是 ☑  否 □", True),
        ("不适用", NA), ("N/A", NA), ("—", NA), ("/", NA),
        (None, MISSING), ("", MISSING), ("   ", MISSING),
        ("良好", "良好"),
    ],
)
def test_typed_values(raw, expected):
    value = parse_cell_value(raw)
    if expected is NA or expected is MISSING or isinstance(expected, bool):
        assert value is expected
    else:
        assert value == pytest.approx(expected) if isinstance(expected, float) else value == expected


def test_none_word_is_no_but_kept_apart():
    """无 is 否 where a yes/no is read; kept apart because where a figure is read it may mean 不适用 (issue 25)."""
    from scoring.values import NoneWord, yes_no_word

    assert isinstance(parse_cell_value("无"), NoneWord) and yes_no_word("无") is False


def test_names_compare_without_quotes_spaces_or_width():
    assert normalize_name("“三公经费”变动率") == normalize_name('"三公经费"变动率') == "三公经费变动率"
    assert normalize_name("预算执行率（%）") == "预算执行率(%)"
    assert normalize_name(" 在职 人员数 ") == "在职人员数"
