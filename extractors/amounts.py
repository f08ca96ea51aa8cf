"""Money amounts: a number with a currency unit, its qualifier, and the period it belongs to.

Values are computed with Decimal from the digits as written, so 1.5亿 is exactly
150000000.0. A qualifier counts only where it touches the number: in "32亿元,约占…"
the 约 belongs to the next clause. Counts, percentages and table headers such as
"(亿元)" have no number-and-unit and never match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from .resources import load_lines, load_tsv
from .settings import DEFAULT, Settings
from .spans import Amount, Doc, Qualifier, YearMention
from .years import find_years, period_at

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNIT = {"万": 10**4, "亿": 10**8}
SCALES = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "千万": 10**7,
    "百万": 10**6,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 10**2,
}

ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+(?![\d])|\d+)(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+"
SCALE = r"(?:万亿|千亿|百亿|千万|百万|亿|万|千|百)"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _vocab() -> tuple[dict[str, str], dict[str, Qualifier], dict[str, Qualifier]]:
    currencies = {w: code for w, code in load_tsv("currencies.tsv")}
    before = {w: q for w, pos, q in load_tsv("qualifiers.tsv") if pos == "before"}  # type: ignore[misc]
    after = {w: q for w, pos, q in load_tsv("qualifiers.tsv") if pos == "after"}  # type: ignore[misc]
    return currencies, before, after


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    currencies, before, after = _vocab()
    cur = _alt(list(currencies))
    pre = _alt(list(before))
    mid = "多|余"  # between the number and its scale or unit: 70余万元, 250多亿元, 1.5亿多元
    post = _alt([w for w in after if w not in ("多", "余")])
    not_word = "|".join(map(re.escape, load_lines("yuan_compounds.txt")))
    num = rf"(?:{ARABIC}|{CHINESE})"

    def single(n: str, m1: str, s: str, m2: str) -> str:
        return rf"(?P<{n}>{num})\s?(?P<{m1}>{mid})?(?P<{s}>{SCALE})?(?P<{m2}>{mid})?\s?"

    return re.compile(
        rf"(?:(?P<pre>{pre})\s?)?(?:人民币\s?)?"
        + single("a", "am1", "as", "am2")
        + rf"(?:(?P<acur>{cur})\s?)?"
        + r"(?:(?P<dash>到|至|-|—|－|~|～)\s?(?:人民币\s?)?"
        + single("b", "bm1", "bs", "bm2")
        + r")?"
        + rf"(?P<cur>{cur})(?!{not_word})"
        + rf"(?:\s?(?P<post>{post}))?"
    )


def parse_chinese_number(token: str) -> Decimal | None:
    """三千万 -> 30000000, 十二亿 -> 1200000000, 两万 -> 20000; None for a token that is not a number."""
    total, section, digit = Decimal(0), Decimal(0), None
    for ch in token:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL_UNIT:
            section += (digit if digit is not None else 1) * _CN_SMALL_UNIT[ch]
            digit = None
        elif ch in _CN_BIG_UNIT:
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG_UNIT[ch]
            section, digit = Decimal(0), None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(token: str) -> Decimal | None:
    cleaned = re.sub(r"[,， ]", "", token)
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return Decimal(cleaned)
    return parse_chinese_number(token)


def _chinese_ok(token: str) -> bool:
    """一元化, 二元结构: a lone Chinese digit before 元 is a word, not money."""
    return len(token) >= 2 or token in "十百千万亿"


def _value(num: str, scale: str | None) -> Decimal | None:
    value = parse_number(num)
    if value is None:
        return None
    return value * SCALES[scale] if scale else value


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_amounts(
    doc: Doc, *, settings: Settings = DEFAULT, years: Sequence[YearMention] | None = None
) -> list[Amount]:
    """Every money amount, sentence by sentence, with the period its sentence gives it."""
    currencies, before, after = _vocab()
    pat = _pattern()
    text = doc.text
    mentions = find_years(doc, settings=settings) if years is None else years
    out: list[Amount] = []
    for sent in doc.sentences:
        for m in pat.finditer(text, sent.char_start, sent.char_end):
            a, b = m.group("a"), m.group("b")
            if not a[0].isdigit() and not _chinese_ok(a):
                continue
            if b is not None and not b[0].isdigit() and not _chinese_ok(b):
                continue
            if m.group("acur") and b is None:
                continue  # impossible by construction; keeps the invariant explicit
            a_scale, b_scale = m.group("as"), m.group("bs")
            value = _value(a, a_scale or (b_scale if b is not None else None))
            value_max = _value(b, b_scale) if b is not None else None
            if value is None or (b is not None and value_max is None):
                continue
            if b is not None and value_max is not None and value_max < value:
                continue  # "2010-2015元"-like noise: not a range of money
            qualifier: Qualifier = "exact"
            if b is not None:
                qualifier = "range"
            elif m.group("pre"):
                qualifier = before[m.group("pre")]
            elif m.group("am1") or m.group("am2"):
                qualifier = "over"
            elif m.group("post"):
                qualifier = after[m.group("post")]
            start = m.start("pre") if m.group("pre") else m.start("a")
            end = m.end("post") if m.group("post") and qualifier != "range" else m.end("cur")
            if m.group("post") and qualifier == "range":
                end = m.end("cur")
            start, end = _trim(text, start, end)
            ys, ye = period_at(start, end, mentions)
            out.append(
                Amount(
                    start,
                    end,
                    float(value),
                    qualifier,
                    sent.char_start,
                    sent.char_end,
                    value_max=None if value_max is None else float(value_max),
                    currency=currencies[m.group("cur")],
                    year_start=ys,
                    year_end=ye,
                )
            )
    return out
