"""Time mentions: years, ranges, months, dates, decades, five-year plans and relative years.

Only calendar years count: a year is four digits (or four Chinese digits) followed by
年, or a date form. Durations and counts (3年, 13年来, 十多年来, 12年间) have too few
digits to match, and the longer ones ("长达2000年", "2000年的历史") are ruled out by the
words around them (data/year_not_before.txt, year_not_after.txt). A plan name such as
十五 counts only in quotes or before 规划/计划/期间/..., since bare it is the number fifteen.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from .patterns import alternation
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
    "两": 2,
}

Y = r"(?:1[89]\d{2}|20\d{2}|[〇零○一二三四五六七八九]{4})"  # a calendar year, Arabic or Chinese digits
M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
D = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
S = r"\s?"
DASH = r"\s?(?:—|–|－|-|~|～|至|到)\s?"
ISO_M = r"(?:1[0-2]|0?[1-9])"
PLAN_DASH = r"(?:—|–|－|-|~|～|至|到)"
OPEN_Q = r"[“\"‘「『]"
CLOSE_Q = r"[”\"’」』]"
LIST_SEP = r"[、和及与]"
# not inside a longer number; a table or figure number glued on by the scrape ("表2" + "2010年") is not one
_NOT_DIGIT_BEFORE = r"(?:(?<!\d)|(?<=[表图]\d))"
_NOT_DIGIT_AFTER = r"(?![\d])"
# a "bounded" suffix (年中, 中) ends a mention only before a non-hanzi, the end, or these
_BOUNDED_AFTER = r"(?=[^\u4e00-\u9fff]|$|[期旬至到])"
_MONTH_SUFFIX = r"(?:份|底|初|末|中旬|上旬|下旬)?"
_DECADE_SUFFIX = rf"(?:中后期|初期|中期|末期|前期|后期|中叶|初|末|中{_BOUNDED_AFTER})?"
_CN_NUMERAL_CHARS = "〇零○一二三四五六七八九十"
# a bare plan name (十四五) is no plan when a number or a measure word goes on after it
_NOT_NUMBER_AFTER = r"(?![\d〇零一二三四五六七八九十百千万亿年月日个岁%点倍次名人])"


def _not_before(words: Sequence[str]) -> str:
    """One fixed-width negative lookbehind per word (Python's re wants fixed widths)."""
    return "".join(f"(?<!{re.escape(w)})" for w in words)


def _year_suffix() -> str:
    breakers = load_lines("year_suffix_breakers.txt")
    alts = []
    for suffix, mode in sorted(load_tsv("year_suffixes.tsv"), key=lambda r: len(r[0]), reverse=True):
        stop = "".join(f"(?!{re.escape(b[len(suffix) :])})" for b in breakers if b.startswith(suffix))
        alts.append(re.escape(suffix) + stop + (_BOUNDED_AFTER if mode == "bounded" else ""))
    return "(?:" + "|".join(alts) + ")?"


def _start_chars() -> tuple[set[str], set[str]]:
    """(numerals, singles): a mention opens with two numerals or with one of the singles.

    Every mention opens with two digits or numerals (a year, a decade, 十五, 19世纪), a quote
    (“十二五”) or the first character of a relative or century word (今年, 上世纪).
    """
    numerals = set("0123456789" + _CN_NUMERAL_CHARS)
    single = set('“"‘「『')
    for words in (load_tsv("relative_years.tsv"), load_tsv("century_words.tsv")):
        for w, _ in words:
            if not (len(w) >= 2 and w[0] in numerals and w[1] in numerals):
                single.add(w[0])
    return numerals, single


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(sorted(re.escape(c) for c in chars)) + "]"


def _first_chars() -> str:
    """A lookahead for where a mention can start, checked first: it spares the alternation.

    Two numerals, not one: a lone 一 (一是, 统一) or 3 (3.5亿) is where most tries at a
    single character failed.
    """
    numerals, single = _start_chars()
    return f"(?:{_char_class(numerals)}{{2}}|{_char_class(single)})"


def _compile() -> re.Pattern[str]:
    plans = alternation([r[0] for r in load_tsv("plans.tsv")])
    free_plans = alternation([r[0] for r in load_tsv("plans.tsv") if r[3] == "free"])
    plan_suffix = alternation(load_lines("plan_suffixes.txt"))
    relative = alternation([r[0] for r in load_tsv("relative_years.tsv")])
    century = alternation([r[0] for r in load_tsv("century_words.tsv")])
    not_before = _not_before(load_lines("year_not_before.txt"))
    not_after = alternation(load_lines("year_not_after.txt"))
    suffix = _year_suffix()
    decade = (
        rf"(?:(?P<{{c}}>{century}){S})?(?<!\d)"
        rf"(?P<{{d}}>(?:1[89]|20)\d0|[1-9]0|[一二三四五六七八九]十){S}年代{_DECADE_SUFFIX}"
    )
    quoted_plan = rf"{OPEN_Q}(?:{plans}){CLOSE_Q}"
    bare = r"(?<![一二三四五六七八九十第])"  # not the tail of a longer numeral: 二十五规划 is no plan
    parts = [
        # 2012年4月1日—2012年9月30日, 2010年4月1日—5月7日, 2010年3月29日至30日
        rf"(?P<date_range>{_NOT_DIGIT_BEFORE}(?P<dr_y>{Y}){S}年{S}(?P<dr_m>{M}){S}月{S}(?P<dr_d>{D}){S}[日号]"
        rf"{DASH}(?:(?P<dr_y2>{Y}){S}年{S})?(?:{M}{S}月{S})?{D}{S}[日号])",
        # 1984年10月1日, 二〇二三年五月十二日
        rf"(?P<date>{_NOT_DIGIT_BEFORE}(?P<d_y>{Y}){S}年{S}(?P<d_m>{M}){S}月{S}(?P<d_d>{D}){S}[日号])",
        # 2024-10-16, 2010.8.27, 2023/05/06
        # the second separator is the first one: checked by the lookahead, as a lookbehind (see
        # _compile's end) may hold no back reference. A month is followed by a separator in one
        # way at most (one digit then the separator, or two digits then it), so the lookahead
        # and the separator after i_m see the same month.
        rf"(?P<iso>{_NOT_DIGIT_BEFORE}(?P<i_y>1[89]\d{{2}}|20\d{{2}})"
        rf"(?=-{ISO_M}-|\.{ISO_M}\.|/{ISO_M}/)(?P<sep>[-./])(?P<i_m>{ISO_M})[-./]"
        rf"(?P<i_d>3[01]|[12]\d|0?[1-9]){_NOT_DIGIT_AFTER})",
        # 2019.07—2022.07 (a term of service, as in cadre profiles)
        rf"(?P<ym_range>{_NOT_DIGIT_BEFORE}(?P<ym_a>1[89]\d{{2}}|20\d{{2}})[./](?P<ym_am>0[1-9]|1[0-2]){DASH}"
        rf"(?P<ym_b>1[89]\d{{2}}|20\d{{2}})[./](?:0[1-9]|1[0-2]){_NOT_DIGIT_AFTER})",
        # 2011年1-6月, 2001年6月, 2020年2月—5月, 2020年2月至2021年3月
        rf"(?P<month>{_NOT_DIGIT_BEFORE}(?P<m_y>{Y}){S}年{S}(?P<m_m>{M})"
        rf"(?:{DASH}{M}{S}月|{S}月(?:{DASH}(?:(?P<m_y2>{Y}){S}年{S})?{M}{S}月)?){_MONTH_SUFFIX})",
        # 1952—1990年, 1995年至 2024年, 2011年-2015年, 2019—21年度, 2021年度至2023年度
        rf"(?P<year_range>{_NOT_DIGIT_BEFORE}(?P<r_a>{Y}){S}(?:年度?{S})?{DASH}"
        rf"(?:(?P<r_b>{Y})|(?P<r_b2>\d{{2}})){S}年(?!代){suffix})",
        # 20世纪50年代— 60年代, 20世纪50年代中到60年代初
        "(?P<decade_range>"
        + decade.format(c="dr_c", d="dr_a")
        + DASH
        + decade.format(c="dr_c2", d="dr_b")
        + ")",
        "(?P<decade>" + decade.format(c="dc_c", d="dc_d") + ")",
        # 1979年, 1954 年, 2024年底, 2023年度; not 长达2000年, 2000年来
        rf"(?P<year>{_NOT_DIGIT_BEFORE}{not_before}(?P<y_y>{Y}){S}年(?!代|{not_after}){suffix})",
        # the 2018 of "2018、2019年"
        rf"(?P<year_item>{_NOT_DIGIT_BEFORE}{not_before}(?P<yi_y>{Y})(?=(?:{LIST_SEP}{Y})*{LIST_SEP}{Y}{S}年(?!代|{not_after})))",
        # “九五”至“十五”期间, 十二五至十三五时期
        # (Q)?X(?(Q)C) spelled (Q)XC|X' (no conditional in a lookbehind): the same two paths
        # in the same order, the quoted one first; X' names its plan pr_a2 (pr_b2).
        rf"(?P<plan_range>(?:(?P<pr_q>{OPEN_Q}){bare}(?P<pr_a>{plans}){CLOSE_Q}|{bare}(?P<pr_a2>{plans}))"
        rf"{PLAN_DASH}(?:(?P<pr_q2>{OPEN_Q})(?P<pr_b>{plans}){CLOSE_Q}|(?P<pr_b2>{plans}))"
        rf"(?P<pr_s>{plan_suffix})?)",
        # “十二五”, “十二五”期间, 十四五规划
        rf"(?P<plan>{OPEN_Q}(?P<p_q>{plans}){CLOSE_Q}(?:{plan_suffix})?|{bare}(?P<p_s>{plans})(?:{plan_suffix})"
        rf"|{bare}(?P<p_f>{free_plans}){_NOT_NUMBER_AFTER})",
        # the 十二五 of "十二五、十三五期间"
        rf"(?P<plan_item>{bare}(?P<pi_s>{plans})"
        rf"(?=(?:{LIST_SEP}(?:{quoted_plan}|{plans}))*{LIST_SEP}(?:{quoted_plan}|{plans})(?:{plan_suffix})))",
        rf"(?P<relative>(?P<rel>{relative})(?!度\d))",
    ]
    # Each family of alternatives sits behind a lookahead for how all its members start.
    # The guard is necessary for every member, and grouping consecutive alternatives keeps
    # their order, so the first alternative that matches, and how, is the same as without.
    starts_with_year = f"(?={Y})"  # 1-6, year, year_item: Y (iso, ym_range: its Arabic part)
    starts_with_decade = rf"(?=(?:{century})|(?:1[89]|20)\d0|[1-9]0|[一二三四五六七八九]十)"
    starts_with_plan = rf"(?={OPEN_Q}|(?:{plans}))"
    families = [
        (starts_with_year, parts[0:6]),
        (starts_with_decade, parts[6:8]),
        (starts_with_year, parts[8:10]),
        (starts_with_plan, parts[10:13]),
        ("", parts[13:14]),
    ]
    body = "|".join(f"{guard}(?:" + "|".join(alts) + ")" for guard, alts in families)
    mention = rf"(?={_first_chars()})(?:" + body + ")"
    # re scans fast for a first character from a set only when the pattern opens with one;
    # (?=...) opening it costs a try at every position. So: a start character, then the
    # mention as a lookahead from that character (a lookbehind one back). The match is that
    # character alone; the mention is the group of its alternative (find_years).
    numerals, single = _start_chars()
    return re.compile(rf"{_char_class(numerals | single)}(?<=(?={mention})[\s\S])")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return _compile()


@lru_cache(maxsize=1)
def _plans() -> dict[str, tuple[int, int]]:
    return {name: (int(a), int(b)) for name, a, b, _ in load_tsv("plans.tsv")}


@lru_cache(maxsize=1)
def _free_plans() -> frozenset[str]:
    return frozenset(name for name, _, _, bare in load_tsv("plans.tsv") if bare == "free")


@lru_cache(maxsize=1)
def _relative() -> dict[str, int]:
    return {word: int(offset) for word, offset in load_tsv("relative_years.tsv")}


@lru_cache(maxsize=1)
def _centuries() -> dict[str, int]:
    return {word: int(base) for word, base in load_tsv("century_words.tsv")}


@lru_cache(maxsize=1)
def _relative_blockers() -> dict[str, tuple[tuple[int, str], ...]]:
    """Relative word -> (its index in the blocker, blocker) for every blocker holding it.

    Keyed by the word: a match looks at its own blockers only, not at every pair.
    """
    out: dict[str, list[tuple[int, str]]] = {}
    for blocker in load_lines("relative_year_blockers.txt"):
        for word in _relative():
            k = blocker.find(word)
            if k >= 0:
                out.setdefault(word, []).append((k, blocker))
    return {word: tuple(pairs) for word, pairs in out.items()}


def _relative_blocked(text: str, start: int, word: str) -> bool:
    """如今年轻人, 过去年份, 马上年底: the relative word is part of a longer word."""
    for k, blocker in _relative_blockers().get(word, ()):
        if start >= k and text.startswith(blocker, start - k):
            return True
    return False


def parse_year(token: str) -> int:
    """1984 or 一九八四 -> 1984."""
    if token.isdigit():
        return int(token)
    return int("".join(str(_CN_YEAR_DIGITS[ch]) for ch in token))


def _small(token: str) -> int:
    """Months and days: 6, 06, 十, 十二, 二十, 三十一."""
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _CN_SMALL[token]
    tens, _, units = token.partition("十")
    return (_CN_SMALL[tens] if tens else 1) * 10 + (_CN_SMALL[units] if units else 0)


def _decade(century: str | None, digits: str) -> int:
    value = _CN_SMALL[digits[0]] * 10 if digits[0] in _CN_SMALL else int(digits)
    if value >= 1000:
        return value
    return (_centuries()[century] if century else 1900) + value


def _calendar(year: int) -> bool:
    """Four Chinese digits can spell anything; only 1800-2099 are read as years."""
    return 1800 <= year <= 2099


def _mention(m: re.Match[str], sent: Sentence, published: date | None) -> YearMention | None:
    # The alternative that matched: its group encloses all it matches, so it closes last
    # (and only one alternative takes part in a match, its text never empty).
    kind = m.lastgroup
    g = m.group
    start, end = m.span(kind)
    cs, ce = sent.char_start, sent.char_end
    if kind == "date_range":
        y = parse_year(g("dr_y"))
        y2 = parse_year(g("dr_y2")) if g("dr_y2") else y
        if y2 < y:
            return None
        return YearMention(start, end, "date_range", cs, ce, y, y2, _small(g("dr_m")), _small(g("dr_d")))
    if kind == "date":
        y = parse_year(g("d_y"))
        return YearMention(start, end, "date", cs, ce, y, y, _small(g("d_m")), _small(g("d_d")))
    if kind == "iso":
        y = int(g("i_y"))
        return YearMention(start, end, "date", cs, ce, y, y, int(g("i_m")), int(g("i_d")))
    if kind == "ym_range":
        y, y2 = int(g("ym_a")), int(g("ym_b"))
        if y2 < y:
            return None
        return YearMention(start, end, "month" if y2 == y else "year_range", cs, ce, y, y2, int(g("ym_am")))
    if kind == "month":
        y = parse_year(g("m_y"))
        y2 = parse_year(g("m_y2")) if g("m_y2") else y
        if y2 < y:
            return None
        kind = "month" if y2 == y else "year_range"  # 2020年2月至2021年3月 spans two calendar years
        return YearMention(start, end, kind, cs, ce, y, y2, _small(g("m_m")))
    if kind == "year_range":
        a = parse_year(g("r_a"))
        b = parse_year(g("r_b")) if g("r_b") else a // 100 * 100 + int(g("r_b2"))
        if g("r_b2") and b <= a:
            b += 100  # 1998-02年: the century rolls over
        if b <= a:
            return None
        return YearMention(start, end, "year_range", cs, ce, a, b)
    if kind == "decade_range":
        a = _decade(g("dr_c"), g("dr_a"))
        b = _decade(g("dr_c2") or g("dr_c"), g("dr_b"))
        return YearMention(start, end, "decade", cs, ce, a, b + 9) if b > a else None
    if kind == "decade":
        a = _decade(g("dc_c"), g("dc_d"))
        return YearMention(start, end, "decade", cs, ce, a, a + 9)
    if kind == "year" or kind == "year_item":
        y = parse_year(g("y_y") or g("yi_y"))
        return YearMention(start, end, "year", cs, ce, y, y)
    if kind == "plan_range":
        pr_a, pr_b = g("pr_a") or g("pr_a2"), g("pr_b") or g("pr_b2")
        if not (g("pr_q") or g("pr_q2") or g("pr_s") or pr_a in _free_plans()):
            return None  # 十二五至十三五 bare: numbers, not plans
        a, b = _plans()[pr_a][0], _plans()[pr_b][1]
        return YearMention(start, end, "plan", cs, ce, a, b) if b > a else None
    if kind == "plan" or kind == "plan_item":
        a, b = _plans()[g("p_q") or g("p_s") or g("p_f") or g("pi_s")]
        return YearMention(start, end, "plan", cs, ce, a, b)
    if kind == "relative":
        if published is None:
            return YearMention(start, end, "relative", cs, ce)
        y = published.year + _relative()[g("rel")]
        return YearMention(start, end, "relative", cs, ce, y, y)
    return None


def find_years(doc: Doc, *, settings: Settings = DEFAULT) -> list[YearMention]:
    """Every time mention, sentence by sentence; a range is one mention."""
    pat = _pattern()
    text = doc.text
    out: list[YearMention] = []
    search = pat.search
    for sent in doc.sentences:
        # finditer's walk: a mention never is empty, so the next search starts at its end
        pos, stop = sent.char_start, sent.char_end
        while (m := search(text, pos, stop)) is not None:
            kind = m.lastgroup
            start, pos = m.span(kind)
            if kind == "relative" and _relative_blocked(text, start, m.group("rel")):
                continue
            mention = _mention(m, sent, doc.published)
            if mention is None:
                continue
            if mention.year_start is not None and not _calendar(mention.year_start):
                continue
            out.append(mention)
    return out


def period_at(
    char_start: int, char_end: int, mentions: Sequence[YearMention]
) -> tuple[int | None, int | None]:
    """The year or period the sentence holding a span attaches to it.

    The nearest resolved mention before the span in the same sentence, else the first
    resolved mention of the sentence; (None, None) when the sentence names no year.
    `mentions` are the document's (find_years, in text order): scanned once, shared by every caller.
    """
    in_sentence = [y for y in sentence_mentions(char_start, mentions) if y.year_start is not None]
    if not in_sentence:
        return None, None
    before = [y for y in in_sentence if y.char_end <= char_start]
    chosen = before[-1] if before else in_sentence[0]
    return chosen.year_start, chosen.year_end


def sentence_mentions(char_start: int, mentions: Sequence[YearMention]) -> list[YearMention]:
    """The mentions of the sentence holding `char_start` (mentions sorted by offset)."""
    lo = bisect_right(mentions, char_start, key=lambda y: y.context_end)
    out = []
    for y in mentions[lo:]:
        if y.context_start > char_start:
            break
        if y.context_start <= char_start < y.context_end:
            out.append(y)
    return out
