"""Money amounts: a number with a currency unit, its qualifier, and the period it belongs to.

Values are computed with Decimal from the digits as written, so 1.5亿 is exactly
150000000.0. A qualifier counts only where it touches the number: in "32亿元,约占…"
the 约 belongs to the next clause. Counts, percentages and table headers such as
"(亿元)" have no number-and-unit and never match; a bare scale with a unit ("万元GDP
能耗", "亿元级", "每百元") is a size class or a ratio, and counts only with a quantity
word ("上亿元", "数百万元") or as a two-character scale ("价值千万元").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .patterns import alternation, guarded_alternation
from .resources import load_lines, load_tsv
from .settings import DEFAULT, Settings
from .spans import Amount, Doc, Qualifier, Sentence, YearMention
from .years import find_years, sentence_mentions

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
    # financial numerals (大写), as in contracts and agreements: 人民币壹佰万元整
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
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

ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:\.\d+)?"
# 1亿2000万元: the part after 亿 counts in 万 (the scale that follows)
ARABIC_MIXED = rf"{ARABIC}(?:亿\d{{1,4}}(?=万))?"
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_DECIMAL = "零〇一二三四五六七八九"
# 三千万, 三点五亿, 二十几万, and a quantity word before a bare scale: 数百万, 几十万, 上千万
CHINESE = (
    rf"(?:(?P<{{v}}>{{vague}})(?=[十百千万亿]))?[{_CN_CHARS}]+"
    rf"(?:点[{_CN_DECIMAL}]+|(?P<{{ji}}>几)[十百千万亿]*)?"
)
SCALE = r"(?=[万亿千百])(?:万亿|千亿|百亿|千万|百万|亿|万|千|百)"  # the guard: one test, not nine
DASH = r"(?:到|至|-|—|－|–|~|～)"
MID = "多|余"  # between the number and its scale or unit: 70余万元, 250多亿元, 1.5亿多元
_BARE_SCALE = frozenset("十百千万亿")
_LIST_GAP = re.compile(r"[、和及与,，\s]*")  # between the items of a list of years


@dataclass(frozen=True, slots=True)
class _Vocab:
    after: dict[str, str]  # currency word after the number -> ISO code
    before: dict[str, str]  # currency word before the number -> ISO code
    pre: dict[str, Qualifier]  # qualifier before the number
    post: dict[str, Qualifier]  # qualifier after the unit
    vague: dict[str, Qualifier]  # quantity word before a bare scale
    category: tuple[str, ...]  # words that make a bare-scale amount a size class
    compare_before: tuple[str, ...]
    compare_after: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    cur = load_tsv("currencies.tsv")
    quals = load_tsv("qualifiers.tsv")
    cues = load_tsv("comparison_cues.tsv")
    return _Vocab(
        after={w: code for w, code, pos in cur if pos in ("after", "both")},
        before={w: code for w, code, pos in cur if pos in ("before", "both")},
        pre={w: q for w, pos, q in quals if pos == "before"},  # type: ignore[misc]
        post={w: q for w, pos, q in quals if pos == "after" and w not in MID.split("|")},  # type: ignore[misc]
        vague={w: q for w, pos, q in quals if pos == "vague"},  # type: ignore[misc]
        category=load_lines("amount_category_words.txt"),
        compare_before=tuple(w for pos, w in cues if pos == "before"),
        compare_after=tuple(w for pos, w in cues if pos == "after"),
    )


# every character an Arabic number, its 亿 part, its scale, 多/余 and the \s? around them consume
_RUN = r"[\d,，.\s亿万千百多余]"
# the same for a number of either kind (the second of a range may be Chinese: 5千万至一亿元)
_ANY_RUN = rf"[\d,，.\s{_CN_CHARS}点几多余]"


def _first_chars(v: _Vocab) -> str:
    """Where an amount can start: a numeral, a qualifier or currency word, or a digit run before a unit.

    An amount opening with an ASCII digit has no word before it (none starts with one,
    checked here): its number, scale and 多/余 are a run of _RUN's characters, then, as no
    currency stands before it, a currency word (the unit, or the one before a range's
    dash) or a dash, then spaces, a currency word, a vague word and the second number
    (a run of _ANY_RUN's), then the unit. No currency word or dash starts with a character
    of the runs (checked here), so each run ends where the pattern says (giving characters
    of a run back never helps, a plain * for re before 3.11, which has no *+): 2010年,
    12.5%, 3.5万人口, 2010-2015年 fail here, in one lookahead, not in the alternation at each digit.
    """
    words = {w[0] for ws in (v.pre, v.before, v.vague) for w in ws}
    dashes = DASH.removeprefix("(?:").removesuffix(")").split("|")
    if words & set("0123456789") or any(re.fullmatch(_ANY_RUN, w[0]) for w in [*v.after, *dashes]):
        raise ValueError("a word starts with a character of a number")
    others = "[" + "".join(re.escape(c) for c in sorted(words | set(_CN_CHARS))) + "]"
    cur, pcur, vague = (
        guarded_alternation(list(v.after)),
        guarded_alternation(list(v.before)),
        alternation(list(v.vague)),
    )
    rest = rf"(?:{cur}|{DASH}\s?(?:{pcur}\s?)?(?:{vague})?{_ANY_RUN}*{cur})"
    return f"(?:{others}|[0-9]{_RUN}*{rest})"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    v = _vocab()
    cur = guarded_alternation(list(v.after))
    pcur = guarded_alternation(list(v.before))
    pre = guarded_alternation(list(v.pre))
    post = guarded_alternation(list(v.post))
    vague = guarded_alternation(list(v.vague))
    not_word = alternation(load_lines("yuan_compounds.txt"))

    def single(n: str) -> str:
        num = rf"(?:{ARABIC_MIXED}|{CHINESE.format(v=n + 'v', ji=n + 'ji', vague=vague)})"
        return rf"(?P<{n}>{num})\s?(?P<{n}m1>{MID})?(?P<{n}s>{SCALE})?(?P<{n}m2>{MID})?\s?"

    return re.compile(
        rf"(?={_first_chars(v)})"  # checked first, it spares the alternation 4x
        + rf"(?:(?P<pre>{pre})\s?)?(?:(?P<pcur>{pcur})\s?)?(?:(?P<pre2>{pre})\s?)?"
        + single("a")
        + rf"(?:(?:(?P<acur>{cur})\s?)?(?P<dash>{DASH})\s?(?:(?:{pcur})\s?)?"
        + single("b")
        + r")?"
        # the unit; with a currency before the number it may be missing (人民币5亿)
        + rf"(?:(?P<cur>{cur})(?!{not_word})|(?(pcur)(?<=[\d万亿千百])|(?!)))"
        + rf"(?:\s?(?P<post>{post}))?"
    )


def parse_chinese_number(token: str) -> Decimal | None:
    """三千万 -> 30000000, 十二亿 -> 1200000000, 两万 -> 20000, 三点五 -> 3.5.

    None for a token that is not a number: digits in a row without units (二〇一〇) are
    a year or a code, not a quantity.
    """
    if token in SCALES:  # a bare scale: 亿元, 万亿元
        return Decimal(SCALES[token])
    whole, _, frac = token.partition("点")
    total, section, digit = Decimal(0), Decimal(0), None
    for ch in whole:
        if ch in _CN_DIGIT:
            if digit:  # a digit after a non-zero digit: 二〇一〇, not a quantity
                return None
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL_UNIT:
            section += (digit if digit else 1) * _CN_SMALL_UNIT[ch]
            digit = None
        elif ch in _CN_BIG_UNIT:
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG_UNIT[ch]
            section, digit = Decimal(0), None
        else:
            return None
    value = total + section + (digit or 0)
    if frac:
        if not all(ch in _CN_DIGIT for ch in frac):
            return None
        value += Decimal("0." + "".join(str(_CN_DIGIT[ch]) for ch in frac))
    return value


_SEPARATORS = re.compile(r"[,， ]")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_MIXED = re.compile(r"(\d+(?:\.\d+)?)亿(\d{1,4})")


def parse_number(token: str) -> Decimal | None:
    """1,200 / 1 200 / 646.09 / 1亿2000 (in 万) / 三千万; None when it is no number."""
    if token.isdecimal():  # the usual 500: isdecimal is \d (Unicode Nd), no separator to drop
        return Decimal(token)
    cleaned = _SEPARATORS.sub("", token)
    if _PLAIN.fullmatch(cleaned):
        return Decimal(cleaned)
    mixed = _MIXED.fullmatch(cleaned)
    if mixed:
        return Decimal(mixed.group(1)) * 10**4 + Decimal(mixed.group(2))
    return parse_chinese_number(token.replace("几", ""))


def _chinese_ok(token: str, qualified: bool) -> bool:
    """一元化, 二元结构: a lone Chinese digit before 元 is a word; a lone scale needs a qualifier."""
    if token in _BARE_SCALE:
        return qualified
    return len(token) >= 2


def _value(num: str, scale: str | None) -> Decimal | None:
    value = parse_number(num)
    if value is None or value == 0:
        return None
    return value * SCALES[scale] if scale else value


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _currency(cur: str | None, pcur: str | None) -> tuple[str, bool]:
    """The ISO code, and whether the currency word before the number belongs in the text.

    The unit after the number decides, except that the generic 元 takes the currency named
    before it (港币500万元 is HKD); 人民币3.2亿元 keeps its text 3.2亿元, 人民币5亿 needs 人民币.
    """
    v = _vocab()
    if pcur is None:
        return v.after[cur], False
    if cur is None:
        return v.before[pcur], True
    if cur in ("元", "圆") or v.after[cur] == v.before[pcur]:
        return v.before[pcur], v.before[pcur] != v.after[cur]
    return v.after[cur], True


# The groups _parse reads, fetched with one m.group(*_GROUPS) call (a call per group cost more).
_GROUPS = (
    *("a", "av", "aji", "am1", "as", "am2"),
    *("b", "bm1", "bs", "bm2"),
    *("pre", "pre2", "pcur", "cur", "post"),
)
_NUMBER_GROUPS = ("a", "am1", "as", "am2", "b", "bm1", "bs", "bm2")


def _span(
    m: re.Match[str], g: tuple[str | None, ...], text: str, *, with_post: bool, with_pcur: bool
) -> tuple[int, int]:
    """The shortest span holding the qualifier words, the number and the unit (g: m.group(*_GROUPS))."""
    pre, pre2, _, cur, post = g[10:]
    start = m.start("a")  # the least start of the parts kept
    if pre:
        start = min(start, m.start("pre"))
    if pre2:
        start = min(start, m.start("pre2"))
    if with_pcur:
        start = min(start, m.start("pcur"))
    if post and with_post:
        end = m.end("post")
    elif cur:
        end = m.end("cur")
    else:  # 人民币5亿: the number and its scale end the mention
        end = max(m.end(n) for n, x in zip(_NUMBER_GROUPS, (g[0], *g[3:10]), strict=True) if x)
    return _trim(text, start, end)


def _parse(m: re.Match[str], text: str) -> tuple[int, int, Decimal, Decimal | None, Qualifier, str] | None:
    """(start, end, value, value_max, qualifier, currency) of one match, or None when it is no amount."""
    v = _vocab()
    g = m.group(*_GROUPS)
    a, av, aji, am1, a_scale, am2, b, _, b_scale, _, pre1, pre2, pcur, cur, post = g
    a_num = a[len(av or "") :]
    vague = bool(av or aji)
    mid = am1 or am2  # 十多亿元, 百余万元
    qualified = bool(pre1 or pre2 or post or vague or mid)
    if not a[0].isdigit():
        core = a_num.replace("几", "")
        if not _chinese_ok(core, vague or qualified):
            return None
        if all(ch in _BARE_SCALE for ch in core):  # 千万元, 上亿元: a sum, or a size class (亿元级)?
            after = m.end("cur") if cur else m.end()
            if text.startswith(v.category, after) or text[max(0, m.start() - 1) : m.start()] == "每":
                return None
    if b is not None and not b[0].isdigit() and not _chinese_ok(b.replace("几", ""), False):
        return None
    value = _value(a_num, a_scale or (b_scale if b is not None else None))
    value_max = _value(b, b_scale) if b is not None else None
    if value is None or (b is not None and value_max is None):
        return None
    if value_max is not None and value_max <= value:
        return None  # "2010-2015元"-like noise: not a range of money
    pre = pre1 or pre2
    qualifier: Qualifier = "exact"
    if b is not None:
        qualifier = "range"
    elif pre:
        qualifier = v.pre[pre]
    elif mid or vague:
        qualifier = "over"
    elif post:
        qualifier = v.post[post]
    currency, keep_pcur = _currency(cur, pcur)
    start, end = _span(m, g, text, with_post=qualifier != "range", with_pcur=keep_pcur)
    return start, end, value, value_max, qualifier, currency


def _is_comparison(text: str, y: YearMention) -> bool:
    """比上年, 较2020年, 与上年同期相比: the mention is what the amount is compared with."""
    v = _vocab()
    before = text[max(0, y.char_start - 2) : y.char_start]
    if before.endswith(v.compare_before):
        return True
    return text.startswith(v.compare_after, y.char_end)


def _respective(text: str, ys: list[YearMention], spans: list[tuple[int, int]]) -> dict[int, YearMention]:
    """2021年、2022年分别投入3亿元和4亿元: the k-th amount after 分别 takes the k-th year of the list."""
    out: dict[int, YearMention] = {}
    if len(ys) < 2:
        return out  # no list of years
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and _LIST_GAP.fullmatch(text, ys[j].char_end, ys[j + 1].char_start):
            j += 1
        group = ys[i : j + 1]
        if len(group) >= 2:
            stop = ys[j + 1].char_start if j + 1 < len(ys) else len(text)
            after = [k for k, (s, _) in enumerate(spans) if group[-1].char_end <= s < stop]
            if len(after) == len(group) and "分别" in text[group[-1].char_end : spans[after[0]][0]]:
                out.update({k: y for k, y in zip(after, group, strict=True)})
        i = j + 1
    return out


def _periods(
    text: str, sent: Sentence, spans: list[tuple[int, int]], mentions: Sequence[YearMention]
) -> list[tuple[int | None, int | None]]:
    """The period of each amount of a sentence: the nearest time mention before it, else the first.

    Comparison bases (比上年) never give a period. A relative year that cannot be resolved
    still counts as the nearest mention, so the amount gets no year rather than an older one.
    """
    ys = [y for y in sentence_mentions(sent.char_start, mentions) if not _is_comparison(text, y)]
    respective = _respective(text, ys, spans)
    out: list[tuple[int | None, int | None]] = []
    for k, (start, _) in enumerate(spans):
        chosen = respective.get(k)
        if chosen is None:
            before = [y for y in ys if y.char_end <= start]
            chosen = before[-1] if before else (ys[0] if ys else None)
        out.append((None, None) if chosen is None else (chosen.year_start, chosen.year_end))
    return out


@lru_cache(maxsize=1)
def _units() -> re.Pattern[str]:
    """Every amount holds a currency word (5亿元, 人民币5亿): a sentence without one has none."""
    v = _vocab()
    return re.compile(alternation(list(v.after) + list(v.before)))


def find_amounts(
    doc: Doc, *, settings: Settings = DEFAULT, years: Sequence[YearMention] | None = None
) -> list[Amount]:
    """Every money amount, sentence by sentence, with the period its sentence gives it."""
    pat, units = _pattern(), _units()
    text = doc.text
    mentions = find_years(doc, settings=settings) if years is None else years
    out: list[Amount] = []
    for sent in doc.sentences:
        cs, ce = sent.char_start, sent.char_end
        if units.search(text, cs, ce) is None:
            continue
        found = []
        for m in pat.finditer(text, cs, ce):
            parsed = _parse(m, text)
            if parsed is not None:
                found.append(parsed)
        if not found:
            continue
        periods = _periods(text, sent, [(f[0], f[1]) for f in found], mentions)
        for (start, end, value, value_max, qualifier, currency), (ys, ye) in zip(found, periods, strict=True):
            vmax = None if value_max is None else float(value_max)
            out.append(Amount(start, end, float(value), qualifier, cs, ce, vmax, currency, ys, ye))
    return out
