"""The documentation of the indicator workbook lists every header word, grade word and choice phrase the reader
accepts, so the page stays true when the vocabulary grows."""

from pathlib import Path

from scoring import words as indicators  # every vocabulary lives in scoring/words.py

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "indicator-workbook.md").read_text(encoding="utf-8")


def _documented_word_lists() -> list[set[str]]:
    """The second column of every table row on the page, as a set of words."""
    rows = [line.split("|") for line in PAGE.splitlines() if line.startswith("|")]
    return [set(cells[2].replace(" ", "").split("、")) for cells in rows if len(cells) > 3]


def test_every_header_and_grade_word_is_documented_exactly():
    documented = _documented_word_lists()
    vocabularies = {**indicators.ROLE_ALIASES, "levels": list(indicators.LEVEL_ALIASES),
                    "generic levels": indicators.GENERIC_LEVEL_WORDS, "grades": indicators.GRADE_WORDS}
    for what, words in vocabularies.items():
        assert set(words) in documented, what


def test_choice_phrases_and_row_words_are_documented():
    for phrase in ("择其一", "选择其一", "任选其一", "二选一", "择一"):
        assert indicators.CHOICE_WORDS.search(phrase) and phrase in PAGE
    for word in indicators.TOTAL_WORDS:
        assert word in PAGE
    assert f"不超过 {indicators.MAX_SUBTOTAL_LABEL} 个字" in PAGE
