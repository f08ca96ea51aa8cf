"""Time mentions: years, ranges, months, dates, decades, five-year plans and relative years.

Only calendar years count: a year is four digits (or four Chinese digits) followed by
年, or a date form. Durations and counts (3年, 13年来, 十多年来, 12年间) have too few
digits to match, and a plan name such as 十五 counts only in quotes or before
规划/计划/期间/..., since bare it is the number fifteen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from .resources import load_lines, load_tsv
from .settings import DEFAULT, Settings
from .spans import Doc, Sentence, YearMention

_CN_YEAR_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "两": 2,
}

Y = r"(?:1[89]\d{2}|20\d{2}|[〇零○一二三四五六七八九]{4})"  # a calendar year, Arabic or Chinese digits
M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
D = r"(?:3[01]|[12]\d|0?[1-9])"
S = r"\s?"
DASH = r"\s?(?:—|–|－|-|~|～|至|到)\s?"
# not inside a longer number; a table or figure number glued on by the scrape ("表2" + "2010年") is not one
_NOT_DIGIT_BEFORE = r"(?:(?<!\d)|(?<=[表图]\d))"
_NOT_DIGIT_AFTER = r"(?![\d])"
SUFFIX = r"(?:底|初|末|中|年底|年初)?"


def _compile() -> re.Pattern[str]:
    plans = "|".join(sorted((re.escape(r[0]) for r in load_tsv("plans.tsv")), key=len, reverse=True))
    plan_suffix = "|".join(map(re.escape, load_lines("plan_suffixes.txt")))
    relative = "|".join(
        sorted((re.escape(r[0]) for r in load_tsv("relative_years.tsv")), key=len, reverse=True)
    )
    decade = (
        rf"(?:(?P<{{c}}>(?:19|20|十九|二十)世纪){S})?"
        rf"(?P<{{d}}>(?:1[89]|20)?[1-9]0|[一二三四五六七八九]十){S}年代(?:初期|中期|末期|初|中|末)?"
    )
    parts = [
        # 2012年4月1日—2012年9月30日, 2010年4月1日—5月7日, 2010年3月29日至30日
        rf"(?P<date_range>{_NOT_DIGIT_BEFORE}(?P<dr_y>{Y}){S}年{S}(?P<dr_m>{M}){S}月{S}(?P<dr_d>{D}){S}[日号]"
        rf"{DASH}(?:{Y}{S}年{S})?(?:{M}{S}月{S})?{D}{S}[日号])",
        # 1984年10月1日
        rf"(?P<date>{_NOT_DIGIT_BEFORE}(?P<d_y>{Y}){S}年{S}(?P<d_m>{M}){S}月{S}(?P<d_d>{D}){S}[日号])",
        # 2024-10-16, 2010.8.27, 2023/05/06
        rf"(?P<iso>{_NOT_DIGIT_BEFORE}(?P<i_y>1[89]\d{{2}}|20\d{{2}})(?P<sep>[-./])(?P<i_m>1[0-2]|0?[1-9])(?P=sep)"
        rf"(?P<i_d>3[01]|[12]\d|0?[1-9]){_NOT_DIGIT_AFTER})",
        # 2011年1-6月, 2001年6月
        rf"(?P<month>{_NOT_DIGIT_BEFORE}(?P<m_y>{Y}){S}年{S}(?P<m_m>{M})(?:{DASH}{M})?{S}月(?:份|底|初|末|中旬|上旬|下旬)?)",
        # 1952—1990年, 1995年至 2024年, 2011年-2015年
        rf"(?P<year_range>{_NOT_DIGIT_BEFORE}(?P<r_a>{Y}){S}(?:年{S})?{DASH}(?P<r_b>{Y}){S}年(?!代){SUFFIX})",
        # 20世纪50年代— 60年代, 20世纪50年代中到60年代初
        "(?P<decade_range>"
        + decade.format(c="dr_c", d="dr_a")
        + DASH
        + decade.format(c="dr_c2", d="dr_b")
        + ")",
        "(?P<decade>" + decade.format(c="dc_c", d="dc_d") + ")",
        # 1979年, 1954 年, 2024年底
        rf"(?P<year>{_NOT_DIGIT_BEFORE}(?P<y_y>{Y}){S}年(?!代|来|间|内|时间|多){SUFFIX})",
        # “十二五”, “十二五”期间, 十四五规划
        rf"(?P<plan>[“\"‘「](?P<p_q>{plans})[”\"’」](?:{plan_suffix})?|(?<![一二三四五六七八九十])(?P<p_s>{plans})(?:{plan_suffix}))",
        rf"(?P<relative>(?P<rel>{relative})(?!度\d))",
    ]
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return _compile()


@lru_cache(maxsize=1)
def _plans() -> dict[str, tuple[int, int]]:
    return {name: (int(a), int(b)) for name, a, b in load_tsv("plans.tsv")}


@lru_cache(maxsize=1)
def _relative() -> dict[str, int]:
    return {word: int(offset) for word, offset in load_tsv("relative_years.tsv")}


def parse_year(token: str) -> int:
    """1984 or 一九八四 -> 1984."""
    if token.isdigit():
        return int(token)
    return int("".join(str(_CN_YEAR_DIGITS[ch]) for ch in token))


def _small(token: str) -> int:
    """Months and days: 6, 06, 十, 十二."""
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return _CN_SMALL[token]
    return 10 + (_CN_SMALL[token[1]] if len(token) > 1 else 0)


def _decade(century: str | None, digits: str) -> int:
    value = _CN_SMALL[digits[0]] * 10 if digits[0] in _CN_SMALL else int(digits)
    if value >= 1000:
        return value
    base = 1800 if century and century.startswith(("19", "十九")) else 1900
    return base + value


def _mention(m: re.Match[str], sent: Sentence, published: date | None) -> YearMention | None:
    kind = m.lastgroup if m.lastgroup not in (None,) else None
    g = m.groupdict()
    start, end = m.start(), m.end()
    cs, ce = sent.char_start, sent.char_end
    if g["date_range"]:
        y = parse_year(g["dr_y"])
        return YearMention(start, end, "date_range", cs, ce, y, y, _small(g["dr_m"]), _small(g["dr_d"]))
    if g["date"]:
        y = parse_year(g["d_y"])
        return YearMention(start, end, "date", cs, ce, y, y, _small(g["d_m"]), _small(g["d_d"]))
    if g["iso"]:
        y = int(g["i_y"])
        return YearMention(start, end, "date", cs, ce, y, y, int(g["i_m"]), int(g["i_d"]))
    if g["month"]:
        y = parse_year(g["m_y"])
        return YearMention(start, end, "month", cs, ce, y, y, _small(g["m_m"]))
    if g["year_range"]:
        a, b = parse_year(g["r_a"]), parse_year(g["r_b"])
        if b <= a:
            return None
        return YearMention(start, end, "year_range", cs, ce, a, b)
    if g["decade_range"]:
        a = _decade(g["dr_c"], g["dr_a"])
        b = _decade(g["dr_c2"] or g["dr_c"], g["dr_b"])
        return YearMention(start, end, "decade", cs, ce, a, b + 9) if b > a else None
    if g["decade"]:
        a = _decade(g["dc_c"], g["dc_d"])
        return YearMention(start, end, "decade", cs, ce, a, a + 9)
    if g["year"]:
        y = parse_year(g["y_y"])
        return YearMention(start, end, "year", cs, ce, y, y)
    if g["plan"]:
        a, b = _plans()[g["p_q"] or g["p_s"]]
        return YearMention(start, end, "plan", cs, ce, a, b)
    if g["relative"]:
        if published is None:
            return YearMention(start, end, "relative", cs, ce)
        y = published.year + _relative()[g["rel"]]
        return YearMention(start, end, "relative", cs, ce, y, y)
    del kind
    return None


def find_years(doc: Doc, *, settings: Settings = DEFAULT) -> list[YearMention]:
    """Every time mention, sentence by sentence; a range is one mention."""
    pat = _pattern()
    out: list[YearMention] = []
    for sent in doc.sentences:
        for m in pat.finditer(doc.text, sent.char_start, sent.char_end):
            mention = _mention(m, sent, doc.published)
            if mention is not None:
                out.append(mention)
    return out


def period_at(
    char_start: int, char_end: int, mentions: Sequence[YearMention]
) -> tuple[int | None, int | None]:
    """The year or period the sentence holding a span attaches to it.

    The nearest resolved mention before the span in the same sentence, else the first
    resolved mention of the sentence; (None, None) when the sentence names no year.
    `mentions` are the document's (find_years): scanned once, shared by every caller.
    """
    in_sentence = [
        y for y in mentions if y.context_start <= char_start < y.context_end and y.year_start is not None
    ]
    if not in_sentence:
        return None, None
    before = [y for y in in_sentence if y.char_end <= char_start]
    chosen = before[-1] if before else in_sentence[0]
    return chosen.year_start, chosen.year_end
