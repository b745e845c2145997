"""评分标准 text as tables write it, made regular before the rules are recognised: full-width forms folded,
Chinese numerals as digits (五分 → 5分, 半分 → 0.5分, 一个百分点 → 1个百分点), ranges with one dash, no spaces."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?|半")
# a Chinese number counts only before a unit of points, steps or counts (十分重要 is not ten points)
_COUNTED = re.compile(r"(?P<num>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?|半)"
                      r"(?P<unit>个百分点|百分点|分|个|次|例|起|项|处|件|人|天|笔|家|篇|条|%)")
_PERCENT_WORDS = re.compile(r"百分之(?P<num>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)")
_DASHES = re.compile(r"(?<=[\d%)])\s*(?:-|－|—|–|~|～|至|到)+\s*(?=\d)")
_FOLD = str.maketrans({"≦": "≤", "≧": "≥", "﹤": "<", "﹥": ">", "＝": "=", "×": "*", "÷": "/", "。": ";",
                       "【": "(", "】": ")", "〔": "(", "〕": ")", "“": "", "”": "", "‘": "", "’": "", "\u3000": ""})


_POINTS_VERBS = "计得给扣加减各共为按,;:()①②③④⑤⑥⑦⑧⑨⑩"  # 扣五分, 得两分: a numeral before 分 after one of these is points


def chinese_number(text: str) -> float | None:
    """一 → 1, 十五 → 15, 二十 → 20, 一百 → 100, 零点五 → 0.5, 半 → 0.5; None when `text` is not one."""
    if text == "半":
        return 0.5
    whole, _, fraction = text.partition("点")
    value = 0
    if whole:
        if "百" in whole:
            head, _, whole = whole.partition("百")
            value += 100 * (_DIGITS.get(head, 1) if head else 1)
        if "十" in whole:
            head, _, whole = whole.partition("十")
            value += 10 * (_DIGITS.get(head, 1) if head else 1)
        if whole:
            if any(ch not in _DIGITS for ch in whole):
                return None
            value += int("".join(str(_DIGITS[ch]) for ch in whole)) if len(whole) > 1 else _DIGITS[whole]
    if fraction:
        if any(ch not in _DIGITS for ch in fraction):
            return None
        return float(f"{value}.{''.join(str(_DIGITS[ch]) for ch in fraction)}")
    return float(value)


def _plain(value: float) -> str:
    return f"{value:g}"


def normalize(text: str) -> str:
    """The criteria text in one regular form; every recogniser reads this."""
    text = re.sub(r"[①-⑩]", lambda m: f"({ord(m[0]) - ord('①') + 1})", str(text))  # NFKC would make ① a bare 1
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = re.sub(r"\s+", "", text)
    text = _PERCENT_WORDS.sub(lambda m: _plain(chinese_number(m["num"]) if not m["num"][0].isdigit()
                                               else float(m["num"])) + "%", text)

    def counted(match):
        value = chinese_number(match["num"])
        before = match.string[match.start() - 1] if match.start() else ";"
        if value is None or (match["unit"] == "分" and before not in _POINTS_VERBS):  # 效果十分明显
            return match[0]
        return _plain(value) + match["unit"]

    text = _COUNTED.sub(counted, text)
    text = _DASHES.sub("-", text)
    text = text.replace(">=", "≥").replace("<=", "≤").replace("=<", "≤").replace("=>", "≥")
    text = text.replace("(包含)", "(含)").replace("(含本数)", "(含)")
    return text


def split_clauses(text: str) -> list[list[str]]:
    """Sentences (split at ; 。 and line breaks) of clauses (split at ,) of a normalised text, empty ones dropped."""
    return [[c for c in sentence.split(",") if c] for sentence in re.split(r"[;\n]+", text) if sentence.strip(",")]


_SEPARATORS = re.compile(r"[；;。\n\r]+|[，,]")


class Clause:
    """One clause of a 评分标准: as printed (``raw``), normalised (``text``), its place in ``Text.normal`` and the
    sentence it belongs to."""

    __slots__ = ("raw", "text", "start", "end", "sentence")

    def __init__(self, raw: str, text: str, start: int, end: int, sentence: int):
        self.raw, self.text, self.start, self.end, self.sentence = raw, text, start, end, sentence

    def __repr__(self) -> str:
        return f"Clause({self.raw!r})"


class Text:
    """A 评分标准 split into clauses (at ；;。 and line breaks into sentences, at ， within a sentence); ``normal`` is
    the normalised text with , and ; between clauses, each clause knowing its span in it."""

    def __init__(self, original: str):
        self.original = str(original or "")
        self.clauses: list[Clause] = []
        sentence = 0
        pieces = _SEPARATORS.split(self.original)
        seps = _SEPARATORS.findall(self.original) + [""]
        normal = ""
        for raw, sep in zip(pieces, seps):
            text = normalize(raw)
            if text.strip(",;"):
                self.clauses.append(Clause(raw.strip(), text, len(normal), len(normal) + len(text), sentence))
            normal += text
            if sep:
                if sep in "，,":
                    normal += ","
                else:
                    normal += ";"
                    sentence += 1
        self.normal = normal

    def covering(self, start: int, end: int) -> list[int]:
        """Indices of the clauses a span of ``normal`` overlaps."""
        return [k for k, c in enumerate(self.clauses) if c.start < end and start < c.end]

    def printed(self, fragment: str) -> str:
        """The words of the original text that normalise to `fragment` (a name as printed: 、, （县）, quotes kept);
        `fragment` itself when no printed span does."""
        if not fragment:
            return fragment
        source = self.original
        for s in range(len(source)):
            if not normalize(source[s:s + len(fragment) * 3]).startswith(fragment[:1]):
                continue
            for e in range(s + 1, min(len(source), s + len(fragment) * 3) + 1):
                shown = normalize(source[s:e])
                if shown == fragment:
                    return source[s:e].strip()
                if len(shown) > len(fragment):
                    break
        return fragment
