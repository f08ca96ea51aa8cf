"""Supporter -> recipient relations (对口支援 pairings) stated in a report.

Each sentence is read as a row of *items* (divisions from the gazetteer, 兵团 units and named
institutions) linked by separators; a cue word (`pairing_cues.tsv`) joins the item run before
it (the subject) to the run after it (the object). Tables flattened into text under a
支援方/受援方 header, 甲方/乙方 agreements and `我市` references are read by their own rules.
Other word orders have named rules too: Y由X对口支援 (passive), X对Y开展对口支援 (possessive),
对口支援Y的X (relative), X…,对口支援Y (topic: the previous clause's subject), X与Y结对帮扶
(pair_with). The `rule` of each record names the construction, for auditing; the case table
`tests/extractors/cases/pairings.tsv` has one or more sentences for each.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, pairwise
from operator import attrgetter
from typing import NamedTuple

from . import gazetteer
from .gazetteer import KIND_RANK, Division, Place
from .normalize import header_role, is_table_header, recipients_first
from .patterns import alternation
from .resources import load_lines, load_tsv
from .settings import DEFAULT, Settings
from .spans import Doc, Pairing, Party, PartyKind, Section, Sentence, YearMention
from .years import find_years, period_at

_CLAUSE_STOP = re.compile(r"[,，;；。!！?？\n]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff0-9]+")
_COUNT_TAIL = re.compile(
    r"等?的?[0-9一二两三四五六七八九十]+个?[省市县区旗乡镇村师团所家、]+(?:[0-9一二两三四五六七八九十]+个?[省市县区旗乡镇村师团所家]+)*"
)
_PAREN_TAIL = re.compile(r"[(（][^()（）\n]{1,12}[)）]")
_COUNT = r"(?:(?:共|合计)?[0-9一二两三四五六七八九十]+个?[省市县区旗乡镇村所家])?"
_BATCH = r"(?:第[0-9一二三四五六七八九十]+批)?"  # 第十批援疆干部
_BATCH_RE = re.compile(_BATCH)
_DISPATCH_CONTEXT = ("援疆", "援藏")  # words that make 选派…到Y a pairing without a cue
_SPACE = re.compile(r"[ \t\u3000]+")
_TRAILING_NUMBERS = re.compile(r"[0-9.%\s,]*$")
_AGREEMENT = re.compile(
    r"^[ \t\u3000]*(甲方|乙方)[^:：\n]{0,8}[:：][ \t\u3000]*(?P<name>[^\n]+?)[ \t\u3000]*$", re.M
)


# ---------------------------------------------------------------- vocabularies


@dataclass(frozen=True, slots=True)
class _Cue:
    relation: str
    mode: str  # "directed" or "mutual"


@cache
def _cues() -> dict[str, _Cue]:
    return {row[0]: _Cue(row[1], row[2]) for row in load_tsv("pairing_cues.tsv")}


@cache
def _cue_re() -> re.Pattern[str]:
    return re.compile(alternation(_cues()))


@cache
def _words(role: str) -> tuple[str, ...]:
    return tuple(sorted((r[1] for r in load_tsv("pairing_words.tsv") if r[0] == role), key=len, reverse=True))


@cache
def _gap_re(roles: tuple[str, ...]) -> re.Pattern[str]:
    """A gap made only of words of the given roles (and spaces / colons)."""
    words = [w for role in roles for w in _words(role)]
    return re.compile(rf"(?:{alternation(words)}|[:：\s])*")


@cache
def _possessive_gap() -> re.Pattern[str]:
    """What stands between Y and the cue in X对Y的支援 / X对Y(全面)开展对口支援."""
    adverbs, verbs = alternation(_words("adverb")), alternation(_words("verb"))
    return re.compile(rf"{_COUNT}(?:的|(?:{adverbs})*(?:{verbs})了?)")


@cache
def _org_cut_re() -> re.Pattern[str]:
    """Verbs and prepositions an institution name cannot contain (选派专家到|克州人民医院)."""
    return re.compile(alternation(_words("org_cut")))


@cache
def _self_with_re() -> re.Pattern[str]:
    """我市(还)与 Y ...: the reporting body as the first of two partners."""
    return re.compile(rf"(?:{alternation(_words('lead'))})*{_self_with_core_re().pattern}")


@cache
def _self_with_core_re() -> re.Pattern[str]:
    """`_self_with_re` without its optional leads: a span holds a match of one iff of the other."""
    adverbs = alternation(_words("adverb"))
    return re.compile(
        rf"(?P<self>{alternation(_self_refs())})(?:{adverbs})*(?:{alternation(_words('with'))})"
    )


@cache
def _org_suffixes() -> tuple[tuple[str, PartyKind], ...]:
    rows = [(r[0], r[1]) for r in load_tsv("org_suffixes.tsv")]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))  # type: ignore[misc]


@cache
def _org_re() -> re.Pattern[str]:
    return re.compile(alternation(s for s, _ in _org_suffixes()))


@cache
def _org_kinds() -> tuple[tuple[int, ...], dict[str, PartyKind]]:
    """Suffix lengths, longest first, and each suffix's kind (its first row)."""
    kinds: dict[str, PartyKind] = {}
    for suffix, kind in _org_suffixes():
        kinds.setdefault(suffix, kind)
    return tuple(sorted({len(s) for s in kinds}, reverse=True)), kinds


def _org_kind(name: str) -> PartyKind:
    """The kind of the longest suffix the name ends with: one probe per suffix length."""
    lengths, kinds = _org_kinds()
    for n in lengths:
        if (kind := kinds.get(name[-n:])) is not None:
            return kind
    raise ValueError(f"no institution suffix ends {name!r}")


@cache
def _org_breakers() -> frozenset[str]:
    return frozenset(load_lines("org_breakers.txt"))


@cache
def _org_bounds() -> re.Pattern[str]:
    """Where an institution name cannot reach back over: a list mark or a count (8省市)."""
    return re.compile(r"、|[0-9]+个?[省市县区所家]+")


@cache
def _neutral() -> frozenset[str]:
    return frozenset(load_lines("neutral_parties.txt"))


@cache
def _generic_re() -> re.Pattern[str]:
    return re.compile(rf"^(?:{alternation(load_lines('org_generic_prefixes.txt'))})")


@cache
def _mutual_recipients() -> dict[str, frozenset[str] | None]:
    """Receiving areas -> the relations they receive in (None: every two-way relation)."""
    out: dict[str, frozenset[str] | None] = {}
    for line in load_lines("pairing_recipients.txt"):
        name, _, relations = line.partition("\t")
        out[name.strip()] = frozenset(relations.strip().split("/")) if relations.strip() else None
    return out


@cache
def _abbr_re() -> re.Pattern[str]:
    rows = load_tsv("east_west_pairs.tsv")
    follow = [*_cues(), "协作", "合作", "扶贫"]  # 闽宁协作, 京蒙对口帮扶, 沪滇扶贫协作
    return re.compile(rf"(?P<abbr>{alternation(r[0] for r in rows)})(?:{alternation(follow)})")


@cache
def _abbr_pairs() -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in load_tsv("east_west_pairs.tsv")}


@cache
def _self_refs() -> dict[str, tuple[str, ...]]:
    return {r[0]: tuple(r[1].split("/")) for r in load_tsv("self_references.tsv")}


# ---------------------------------------------------------------- items

_SELF = Party("", "", "other")  # placeholder supporter for a subject-less cue; resolved per section


class _Item(NamedTuple):  # a tuple: sentences make tens of thousands, dataclass inits cost 3x
    start: int  # span of the written name (a tail such as 的1市8县 is not part of it)
    end: int
    first: int  # where the item's text begins: an area named before it as context (和田地区的) included
    party: Party
    division: Division | None
    stop: int  # where the item's tail ends: separators are read from here


_SELF_ITEM = _Item(0, 0, 0, _SELF, None, 0)


_WHITE = re.compile(r"\s+")


def _clean_written(text: str) -> str:
    return _WHITE.sub("", text)


def _org_items(text: str, lo: int, hi: int, places: Sequence[Place]) -> list[_Item]:
    """Named institutions: a run of hanzi ending in an org suffix, stripped of leading function words."""
    out: list[_Item] = []
    # suffixes are hanzi (a test says so), so each match lies in one run, and the span's matches
    # are the runs' matches: runs with none are skipped
    found = list(_org_re().finditer(text, lo, hi))
    if not found:  # most clauses name no institution: skip the run scan
        return out
    place_starts = {p.char_start for p in places}
    place_ends = {p.char_start: p.char_end for p in places}
    strip = _gap_re(("lead", "adverb", "sep", "filler", "prefix"))
    cue_re, bounds, cuts, breakers = _cue_re(), _org_bounds(), _org_cut_re(), _org_breakers()
    generic, neutral, unit = _generic_re(), _neutral(), _unit_re()
    k = 0
    for run in _HAN_RUN.finditer(text, lo, hi):
        if k == len(found):
            break
        j = k
        while j < len(found) and found[j].start() < run.end():
            j += 1
        inside, k = found[k:j], j
        pos = run.start()
        for m in inside:
            if m.end() < run.end() and text[m.end()] in breakers:  # 正厅级, 局长: not a name end
                continue
            start = pos
            if start < m.start():  # (the scans find nothing in an empty span)
                for cue in cue_re.finditer(text, start, m.start()):
                    start = cue.end()
                for bound in bounds.finditer(text, start, m.start()):
                    start = bound.end()
                for cut in cuts.finditer(text, start, m.start()):
                    start = cut.end()
                to = text.find("对", start, m.start())  # 对西藏军区总医院: 对 + a place
                while to >= 0:
                    if to + 1 in place_starts:
                        start = to + 1
                    to = text.find("对", to + 1, m.start())
                start = strip.match(text, start, m.start()).end()
            pos = m.end()
            name = text[start : m.end()]
            if out and out[-1].end == start:  # 浙江大学 + 医学院 + 附属第一医院: one institution
                kind = _org_kind(name)  # (the kind of the last part)
                prev = out.pop()
                start, name = prev.start, text[prev.start : m.end()]
            elif len(name) - len(m.group()) < 2 or generic.match(name) or name in neutral:
                continue
            elif unit.fullmatch(text, place_ends.get(start, start), m.end()):
                continue  # 新疆前方指挥部, 浙江援藏指挥部: the supporter's office in a place names the place
            else:
                kind = _org_kind(name)
            # the name lies in one run of hanzi and digits (a part it joins ends where it starts,
            # so in the same run): it holds no space to clean away
            out.append(_Item(start, m.end(), start, Party(name, name, kind), None, m.end()))
    return out


@cache
def _town_re() -> re.Pattern[str]:
    """A township name closed by a separator, a clause stop or a cue (西吉县的|火石寨乡、)."""
    ends, seps = alternation(load_lines("town_suffixes.txt")), alternation(_words("sep"))
    n = DEFAULT.pairing_town_max_chars  # _items has no settings: a bound on names, not a tunable
    return re.compile(
        rf"[\u4e00-\u9fff]{{2,{n}}}?(?:{ends})(?=$|{seps}|[,，;；。\s]|{alternation(_cues())}|分别)"
    )


def _town_items(text: str, hi: int, places: Sequence[Place]) -> list[_Item]:
    """Towns named after their county (Y县的A乡、B镇): the county is each town's context."""
    out: list[_Item] = []
    sep = _gap_re(("sep",))
    for p in places:
        if p.division is None or p.division.kind != "county" or not text.startswith("的", p.char_end):
            continue
        pos = p.char_end + 1
        while m := _town_re().match(text, pos, hi):
            party = Party(m.group(), text[p.char_start : p.char_end] + m.group(), "other")
            out.append(
                _Item(m.start(), m.end(), p.char_start if not out else m.start(), party, None, m.end())
            )
            pos = sep.match(text, m.end(), hi).end()
            if pos == m.end():
                break
    return out


def _items(text: str, lo: int, hi: int, *, scope: set[str] | None = None) -> list[_Item]:
    """Items in text[lo:hi], left to right; a place followed by its own sub-area is context for it."""
    places = gazetteer.find_places(text, lo, hi, scope=scope)
    orgs = _org_items(text, lo, hi, places) + _town_items(text, hi, places)
    items: list[_Item] = []
    i = 0
    while i < len(places):
        first = places[i]
        last = first
        j = i + 1
        while j < len(places):
            gap = text[last.char_end : places[j].char_start]
            if gap.strip() not in ("", "的") or not gazetteer.is_ancestor(last.division, places[j].division):
                break
            last = places[j]
            j += 1
        items.append(
            _Item(last.char_start, last.char_end, first.char_start, last.party, last.division, last.char_end)
        )
        i = j
    for org in orgs:  # an institution swallows the places inside its name (北京大学)
        items = [it for it in items if it.end <= org.first or it.first >= org.end]
        items.append(org)
    if orgs:  # places alone come in order already
        items.sort(key=lambda it: it.first)
    out: list[_Item] = []
    tail_re, neutral = _tail_re(), _neutral()
    for it in items:
        if out and it.first < out[-1].stop:  # inside the previous item's tail: (甘肃省)
            continue
        m = tail_re.match(text, it.stop, hi)  # matches always, maybe nothing
        stop = m.end() if m else it.stop
        out.append(it if stop == it.stop else it._replace(stop=stop))
    return [it for it in out if it.party.written not in neutral and it.party.name not in neutral]


def _link(text: str, a: _Item, b: _Item, *, comma: bool) -> str:
    """How two neighbouring items are joined: 'adj', 'sep', 'space', or '' (not joined)."""
    gap = text[a.stop : b.first]
    if gap == "":
        return "adj"
    if gap.strip() == "":
        return "space"
    if gap in ("、",) or gap in _words("sep"):
        return "sep"
    if comma and gap in (",", "，"):
        return "comma"
    m = _PAREN_TAIL.fullmatch(gap)
    return "sep" if m else ""


# ---------------------------------------------------------------- sentences


class _Found(NamedTuple):
    supporter: Party
    recipient: Party
    relation: str
    rule: str
    start: int  # evidence span
    end: int
    hard: bool = False
    heading: tuple[int, ...] = ()  # where a table's header and caption start: their years are the rows'


@lru_cache(maxsize=16)
def _stops(text: str) -> list[int]:
    """Where the text's clauses end: found once per text, so a clause start is a bisection, not a
    scan from lo (the text's start in _cue_before)."""
    return list(map(re.Match.start, _CLAUSE_STOP.finditer(text)))


def _clause_start(text: str, lo: int, pos: int) -> int:
    stops = _stops(text)
    k = bisect_left(stops, pos) - 1  # the last stop before pos
    return stops[k] + 1 if k >= 0 and stops[k] >= lo else lo


def _clause_end(text: str, pos: int, hi: int) -> int:
    m = _CLAUSE_STOP.search(text, pos, hi)
    return m.start() if m else hi


def _cue_after(text: str, it: _Item, hi: int) -> bool:
    """Y、Z对口支援W: a list item right before a cue opens the next relation, it ends no list."""
    gap = _gap_re(("adverb", "respectively")).match(text, it.stop, hi)
    return _cue_re().match(text, gap.end(), hi) is not None


def _cue_before(text: str, it: _Item) -> bool:
    """X对口支援Y、Z…: an item right after a cue closes the previous relation, it starts no subject."""
    filler = _gap_re(("filler",))
    start = _clause_start(text, 0, it.first)
    return any(filler.fullmatch(text, m.end(), it.first) for m in _cue_re().finditer(text, start, it.first))


def _run_back(text: str, items: list[_Item], k: int) -> list[_Item]:
    """The list ending at items[k], extended leftwards over separators (not past a cue's object)."""
    run = [items[k]]
    while (
        k > 0
        and _link(text, items[k - 1], items[k], comma=False) in ("sep", "adj")
        and not _cue_before(text, items[k - 1])
    ):
        k -= 1
        run.insert(0, items[k])
    return run


def _run_forward(text: str, items: list[_Item], k: int, hi: int) -> list[_Item]:
    """The list starting at items[k]; a comma continues it when the next clause is only a list."""
    run = [items[k]]
    while k + 1 < len(items):
        link = _link(text, items[k], items[k + 1], comma=True)
        if link == "comma" and not _list_only(text, items, k + 1, hi):
            break
        if link not in ("sep", "comma") or _cue_after(text, items[k + 1], hi):
            break
        k += 1
        run.append(items[k])
    return run


def _list_only(text: str, items: list[_Item], k: int, hi: int) -> bool:
    end = _clause_end(text, items[k].first, hi)
    pos = items[k].first
    for it in items[k:]:
        if it.first >= end:
            break
        if it.first != pos and _link(text, _prev(items, it), it, comma=False) != "sep":
            return False
        pos = it.stop
    return text[pos:end].strip("、 ") == ""


def _prev(items: list[_Item], it: _Item) -> _Item:
    return items[items.index(it) - 1]


_STOP = attrgetter("stop")


def _ending_by(items: list[_Item], pos: int, *, before: bool = False) -> int:
    """How many of a sentence's items end by pos (before pos, with `before`): they are a prefix.

    `_items` keeps an item only when it starts at or after the previous one's stop, and each
    item's stop lies past its start, so the stops ascend and can be bisected."""
    return (bisect_left if before else bisect_right)(items, pos, key=_STOP)


def _subject(text: str, items: list[_Item], lo: int, cue_start: int) -> tuple[list[_Item], str]:
    """The run right before the cue (adverbs may intervene), else the run opening the clause."""
    before = range(_ending_by(items, cue_start))
    gap_ok = _gap_re(("adverb", "respectively"))
    if before:
        k = before[-1]
        if gap_ok.fullmatch(text, items[k].stop, cue_start) and text[items[k].stop : cue_start] != "的":
            return _run_back(text, items, k), text[items[k].stop : cue_start]
    start = _clause_start(text, lo, cue_start)
    lead = _gap_re(("lead", "adverb"))
    for k in before:
        if items[k].first < start:
            continue
        if lead.fullmatch(text, start, items[k].first):
            run = [items[k]]
            while k + 1 < len(items) and items[k + 1].stop <= cue_start:
                if _link(text, items[k], items[k + 1], comma=False) not in ("sep", "adj"):
                    break
                k += 1
                run.append(items[k])
            if _modifier_re().match(text, run[-1].stop, cue_start):
                return [], ""  # 北京、上海等省市的医院…对口支援: the areas only qualify the giver
            return run, ""
        break
    return [], ""


@cache
def _head_re() -> re.Pattern[str]:
    return re.compile(alternation(_words("head")))


@cache
def _tail_re() -> re.Pattern[str]:
    """An item's tail: a count (等10家), with what it counts (医院), then a bracketed note, each optional.

    One match where three were tried in turn; every part is optional, so none of them makes the
    engine back into an earlier one: each takes what its own match would.
    """
    return re.compile(rf"(?:(?:{_COUNT_TAIL.pattern})(?:{_head_re().pattern})?)?(?:{_PAREN_TAIL.pattern})?")


@cache
def _modifier_re() -> re.Pattern[str]:
    """等省市的医院: a run followed by 的 and an institution noun qualifies that noun."""
    return re.compile(rf"等?[省市区县地州]*的(?:{alternation(_words('head'))})")


def _object(text: str, items: list[_Item], cue_end: int, hi: int) -> list[_Item]:
    gap_ok = _gap_re(("filler",))
    for k, it in enumerate(items):
        if it.first < cue_end:
            continue
        if gap_ok.fullmatch(text, cue_end, it.first):
            return _run_forward(text, items, k, hi)
        break
    return []


def _possessive(text: str, items: list[_Item], lo: int, cue_start: int) -> tuple[list[_Item], list[_Item]]:
    """X对Y的支援, X向Y拨付帮扶资金: the cue is preceded by 对/向 Y and 的 or a verb."""
    gap_ok = _gap_re(("adverb",))
    k = _ending_by(items, cue_start) - 1
    if k < 0:
        return [], []
    m = _possessive_gap().match(text, items[k].stop, cue_start)
    if not m or not gap_ok.fullmatch(text, m.end(), cue_start):
        return [], []
    rec = _run_back(text, items, k)
    at = rec[0].first
    if at == 0 or text[at - 1] not in _words("toward"):
        return [], []
    for j in reversed(range(_ending_by(items, at, before=True))):  # the last one ending before at
        if gap_ok.fullmatch(text, items[j].stop, at - 1):
            return _run_back(text, items, j), rec
    return [_SELF_ITEM], rec


@cache
def _at_re() -> re.Pattern[str]:
    return re.compile(alternation(_words("at")))


def _located(text: str, items: list[_Item], lo: int, cue_start: int, cue_end: int) -> list[_Item]:
    """在Y,X援建的P: the project X built (cue + 的) stands where the previous clause says (在|走进 Y)."""
    if not text.startswith("的", cue_end):
        return []
    start = _clause_start(text, lo, cue_start)
    if start <= lo:
        return []
    prev = _clause_start(text, lo, start - 1)
    m = _at_re().match(text, prev, start - 1)
    if not m:
        return []
    here = [it for it in items if it.first == m.end() and it.stop == start - 1]
    return here[:1]


def _command_post(text: str, items: list[_Item], cue_start: int, cue_end: int) -> tuple[_Item, _Item] | None:
    """Y X援建指挥部: the supporter's field office stands in the recipient."""
    if not _command_re().match(text, cue_end):
        return None
    sup = [it for it in items if it.stop == cue_start]
    if not sup:
        return None
    idx = items.index(sup[0])
    if idx == 0:
        return None
    rec = items[idx - 1]
    if text[rec.stop : sup[0].first].strip() not in ("", "在", "驻"):
        return None
    return sup[0], rec


@cache
def _command_re() -> re.Pattern[str]:
    return re.compile(alternation(_words("command")))


@cache
def _unit_re() -> re.Pattern[str]:
    """A field office's name after its place: (援藏)前方指挥部."""
    return re.compile(rf"(?:{alternation(_words('aid'))})?(?:{alternation(_words('command'))})")


@cache
def _office_re() -> re.Pattern[str]:
    return re.compile(_BATCH + _office_core_re().pattern)


@cache
def _office_core_re() -> re.Pattern[str]:
    """`_office_re` without its optional batch, which keeps the regex engine from skipping ahead:
    a span holds a match of one iff it holds one of the other."""
    aid, at = alternation(_words("aid")), alternation(_words("stationed"))
    unit = alternation(_words("command") + _words("cadre"))
    return re.compile(rf"(?:{aid})(?:{unit})(?:{at})")


def _field_office(text: str, items: list[_Item], lo: int, hi: int) -> list[tuple[_Item, _Item, str]]:
    """X援藏指挥部驻Y, X援疆工作队在Y: the supporter's field office stands in the recipient."""
    out: list[tuple[_Item, _Item, str]] = []
    if not _office_core_re().search(text, lo, hi):  # the batch keeps the full pattern from skipping ahead
        return out
    for m in _office_re().finditer(text, lo, hi):
        sup = [it for it in items if it.stop == m.start()]
        rec = [it for it in items if it.first == m.end()]
        if sup and rec:
            aid = next(w for w in _words("aid") if text.startswith(w, _BATCH_RE.match(text, m.start()).end()))
            out.append((sup[0], rec[0], aid))
    return out


_PAIR_DASH = frozenset({"—", "——", "–", "－", "-", "→"})


def _dash_pairs(text: str, items: list[_Item]) -> list[tuple[_Item, _Item]]:
    """对口支援关系为:北京—拉萨,江苏—拉萨: in a sentence with a cue, X—Y names a pair."""
    return [
        (a, b)
        for a, b in pairwise(items)
        if text[a.stop : b.first] in _PAIR_DASH and not gazetteer.is_ancestor(a.division, b.division)
    ]


@cache
def _dispatch_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?:{alternation(_words('dispatch'))})[^,，;；。]{{0,12}}?(?:{alternation(_words('to'))})"
    )


def _dispatch(text: str, items: list[_Item], lo: int, hi: int) -> list[tuple[list[_Item], _Item, int]]:
    """由X选派到Y (援疆干部): the clause-opening run sends people to the item after 到."""
    out = []
    for m in _dispatch_re().finditer(text, lo, hi):
        objs = [it for it in items if it.first == m.end()]
        if not objs:
            continue
        sub, _ = _subject(text, items, lo, m.start())
        if sub:
            out.append((sub, objs[0], m.start()))
    return out


def _before_run(
    text: str, items: list[_Item], run: list[_Item], joiner: re.Pattern[str]
) -> tuple[list[_Item], str]:
    """The run just before `run`, when the words between them are `joiner`: A、B分别与|C、D, Y由|X."""
    k = items.index(run[0])
    if k == 0 or not joiner.fullmatch(text, items[k - 1].stop, run[0].first):
        return [], ""
    return _run_back(text, items, k - 1), text[items[k - 1].stop : run[0].first]


def _pair_with(
    text: str, items: list[_Item], sub: list[_Item]
) -> tuple[list[_Item], list[_Item], bool] | None:
    """X与Y签订对口支援协议 / A、B分别与C、D结对帮扶: partners before the cue (`sub`: its subject run),
    the first supporting."""
    if len(sub) == 2 and text[sub[0].stop : sub[1].first] in _words("with"):
        return [sub[0]], [sub[1]], False
    if not sub:
        return None
    sups, gap = _before_run(text, items, sub, _joiner_re("with"))
    if not sups:
        return None
    zipped = any(w in gap for w in _words("respectively")) and len(sups) == len(sub) > 1
    return sups, sub, zipped


def _passive(text: str, items: list[_Item], sub: list[_Item]) -> tuple[list[_Item], list[_Item], bool]:
    """Y由X对口支援 (Y、Z分别由P、Q援建): the run before 由 receives (`sub`: the cue's subject run)."""
    if not sub:
        return [], [], False
    recs, gap = _before_run(text, items, sub, _joiner_re("by"))
    zipped = any(w in gap for w in _words("respectively")) and len(recs) == len(sub) > 1
    return sub, recs, zipped


def _received(text: str, items: list[_Item], cue_start: int) -> tuple[list[_Item], list[_Item]]:
    """Y受到X、Z的对口支援: the run before 受到 receives from the run before 的 + cue."""
    if not text.startswith("的", cue_start - 1):
        return [], []
    giver = [k for k, it in enumerate(items) if it.stop == cue_start - 1]
    if not giver:
        return [], []
    sups = _run_back(text, items, giver[0])
    recs, _ = _before_run(text, items, sups, _joiner_re("received"))
    return sups, recs


@cache
def _joiner_re(role: str) -> re.Pattern[str]:
    """Adverbs, then a word of the role, then adverbs: 分别与, 则由, 均由."""
    adverbs = alternation(_words("adverb"))
    return re.compile(rf"(?:{adverbs})*(?:{alternation(_words(role))})(?:{adverbs})*")


def _relative(text: str, items: list[_Item], obj: list[_Item]) -> _Item | None:
    """对口支援疏附县的广东省: a subject-less cue, its object, 的, then the giver."""
    k = items.index(obj[-1]) + 1
    if k < len(items) and text[obj[-1].stop : items[k].first] == "的":
        return items[k]
    return None


def _topic(text: str, items: list[_Item], lo: int, cue_start: int) -> list[_Item]:
    """江苏省选派干部…,对口支援克州: a clause opening on the cue continues the previous clause's subject."""
    start = _clause_start(text, lo, cue_start)
    if start <= lo or not _gap_re(("lead", "adverb")).fullmatch(text, start, cue_start):
        return []
    lead = _gap_re(("lead", "adverb"))
    prev = _clause_start(text, lo, start - 1)
    if text[prev : start - 1].endswith(_words("speech")):  # 喀什地区专员介绍,对口支援…: no topic
        return []
    for k, it in enumerate(items):
        if prev <= it.first < start - 1:
            if not lead.fullmatch(text, prev, it.first):
                return []
            run = [it]
            while k + 1 < len(items) and items[k + 1].stop < start:
                if _link(text, items[k], items[k + 1], comma=False) not in ("sep", "adj"):
                    break
                k += 1
                run.append(items[k])
            return run
    return []


def _receiving(it: _Item, relation: str) -> bool:
    """The party, or the province or prefecture above it, receives in this two-way programme."""
    recips = _mutual_recipients()
    names = [it.party.name]
    div = it.division
    for _ in range(2):
        div = gazetteer.parent_of(div)
        if div is not None:
            names.append(div.name)
    for name in names:
        if name in recips:
            relations = recips[name]
            return relations is None or relation in relations
    return False


def _orient(a: _Item, b: _Item, relation: str) -> tuple[_Item, _Item]:
    if _receiving(a, relation) and not _receiving(b, relation):
        return b, a
    return a, b


def _self_partner(text: str, items: list[_Item], lo: int, cue_start: int) -> list[_Item]:
    """我市与Y开展东西部协作 / 我县与Y结对帮扶: the partners named after the reporting body."""
    start = _clause_start(text, lo, cue_start)
    m = _self_with_re().match(text, start, cue_start)
    if not m:
        return []
    first = [k for k, it in enumerate(items) if it.first == m.end() and it.stop <= cue_start]
    return _run_forward(text, items, first[0], cue_start) if first else []


def _sentence(text: str, sent: Sentence, scope: set[str], cues: list[re.Match[str]]) -> list[_Found]:
    """The pairings a sentence states; `cues`: its cue words' matches, in order (see `_may_pair`)."""
    lo, hi = sent.char_start, sent.char_end
    out: list[_Found] = []

    def emit(sups: Sequence[_Item], recs: Sequence[_Item], relation: str, rule: str, zipped: bool) -> None:
        pairs = zip(sups, recs, strict=True) if zipped else ((s, r) for s in sups for r in recs)
        for s, r in pairs:
            if s.party is _SELF:
                out.append(_Found(_SELF, r.party, relation, "reporting_body", lo, hi, True))
            elif s.party.name != r.party.name:
                out.append(_Found(s.party, r.party, relation, rule, lo, hi))

    for m in _abbr_re().finditer(text, lo, hi):
        sup_name, rec_name = _abbr_pairs()[m.group("abbr")]
        sup, rec = gazetteer.lookup(sup_name), gazetteer.lookup(rec_name)
        if sup and rec:
            out.append(_Found(sup, rec, "东西部协作", "abbreviation", lo, hi))
    if not cues and not _dispatch_re().search(text, lo, hi) and not _office_core_re().search(text, lo, hi):
        return _most_specific(out)  # with no cue, only a dispatch or a field office pairs items
    items = _items(text, lo, hi, scope=scope)
    if not items:  # every rule below pairs items (half the sentences with a cue name none)
        return _most_specific(out)
    for m in cues:
        cue = _cues()[m.group()]
        if cue.mode == "mutual":
            psup, prec = _possessive(text, items, lo, m.start())
            if psup and psup[0] is not _SELF_ITEM:  # X对Y开展东西部协作: X gives
                emit(psup, prec, cue.relation, "possessive", False)
                continue
            sub, _ = _subject(text, items, lo, m.start())
            if len(sub) == 2:
                s, r = _orient(sub[0], sub[1], cue.relation)
                emit([s], [r], cue.relation, "mutual", False)
            elif not sub:  # 我市与Y: the reporting body gives when Y is on the receiving side
                recs = [
                    it for it in _self_partner(text, items, lo, m.start()) if _receiving(it, cue.relation)
                ]
                emit([_SELF_ITEM], recs, cue.relation, "reporting_body", False)
            continue
        post = _command_post(text, items, m.start(), m.end())
        if post:
            emit([post[0]], [post[1]], cue.relation, "command_post", False)
            continue
        psup, prec = _possessive(text, items, lo, m.start())
        if psup:
            emit(psup, prec, cue.relation, "possessive", False)
            continue
        gsup, grec = _received(text, items, m.start())
        if grec:
            emit(gsup, grec, cue.relation, "received", False)
            continue
        if where := _located(text, items, lo, m.start(), m.end()):  # 在Y,X援建的广州新城: 广州 is no object
            sub, _ = _subject(text, items, lo, m.start())
            emit(sub, where, cue.relation, "located", False)
            continue
        obj = _object(text, items, m.end(), hi)
        if not obj:
            sub, _ = _subject(text, items, lo, m.start())
            psub, precs, pzip = _passive(text, items, sub)
            if precs:
                emit(psub, precs, cue.relation, "passive", pzip)
                continue
            pair = _pair_with(text, items, sub)
            if pair:
                emit(pair[0], pair[1], cue.relation, "pair_with", pair[2])
            else:
                emit(
                    [_SELF_ITEM],
                    _self_partner(text, items, lo, m.start()),
                    cue.relation,
                    "reporting_body",
                    False,
                )
            continue
        sub, gap = _subject(text, items, lo, m.start())
        if sub:
            zipped = any(w in gap for w in _words("respectively")) and len(sub) == len(obj) > 1
            emit(sub, obj, cue.relation, "respectively" if zipped else "cue", zipped)
        elif giver := _relative(text, items, obj):
            emit([giver], obj, cue.relation, "relative", False)
        elif topic := _topic(text, items, lo, m.start()):
            emit(topic, obj, cue.relation, "topic", False)
        else:
            out.extend(_Found(_SELF, it.party, cue.relation, "reporting_body", lo, hi, True) for it in obj)
    if cues or any(text.find(w, lo, hi) >= 0 for w in _DISPATCH_CONTEXT):
        for sub, obj, _ in _dispatch(text, items, lo, hi):
            emit(sub, [obj], "支援", "dispatch", False)
    for sup, rec, aid in _field_office(text, items, lo, hi):
        emit([sup], [rec], aid, "field_office", False)
    if cues:
        for sup, rec in _dash_pairs(text, items):
            emit([sup], [rec], _cues()[cues[0].group()].relation, "dash", False)
    return _most_specific(out)


def _most_specific(found: list[_Found]) -> list[_Found]:
    """One row per pair in a sentence: 结对开展东西部扶贫协作 is 东西部协作, not also 结对帮扶."""
    best: dict[tuple[str, str], _Found] = {}
    for f in found:
        key = (f.supporter.name, f.recipient.name)
        if key not in best or len(f.relation) > len(best[key].relation):
            best[key] = f
    return list(best.values())


# ---------------------------------------------------------------- tables


def _lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        if text[pos:end].strip():
            out.append((pos, end))
        pos = end + 1
    return out


@cache
def _row_stops() -> re.Pattern[str]:
    """Clause stops no table row holds outside brackets: no name, list word, count or figure has one."""
    words = (*_words("sep"), *_words("head"), *load_lines("town_suffixes.txt"))
    held = gazetteer.name_chars().union(*words)
    stops = "".join(c for c in "，;；。!！?？" if c not in held)
    return re.compile(f"[{re.escape(stops)}]" if stops else "(?!)")


def _prose(text: str, lo: int, hi: int) -> bool:
    """text[lo:hi] holds a clause stop outside a bracketed tail, so it is no row: skip parsing it.

    Most lines after a 支援方…受援方 sentence are prose, and each would be parsed again joined
    with the next lines (`_joined_items`), at several hundred chars a time.
    """
    stops = _row_stops()
    if stops.search(text, lo, hi) is None:
        return False
    return stops.search(_PAREN_TAIL.sub("", text[lo:hi])) is not None


def _row_items(text: str, lo: int, hi: int, scope: set[str]) -> tuple[list[_Item], bool]:
    """Items of one table row and whether the row is wholly names (separators and numbers may follow)."""
    if _prose(text, lo, hi):
        return [], False
    items = _items(text, lo, hi, scope=scope)
    lead = _ROW_NUMBER.match(text, lo, hi)  # a 序号 column: "1 南京市 伊宁县 1200"
    if not items or items[0].first != (lead.end() if lead else lo):
        return items, False
    for a, b in pairwise(items):
        if not _link(text, a, b, comma=False):
            return items, False
    tail = text[items[-1].stop : hi]
    return items, bool(_TRAILING_NUMBERS.fullmatch(tail.strip("、, ")))


def _split_row(text: str, items: list[_Item]) -> tuple[list[_Item], list[_Item]]:
    """Supporters | recipients: the first join that is not a separator, nor an area and its sub-area."""
    for k in range(1, len(items)):
        link = _link(text, items[k - 1], items[k], comma=False)
        if link in ("adj", "space") and not gazetteer.is_ancestor(items[k - 1].division, items[k].division):
            return items[:k], items[k:]
    return [], items


_ROW_NUMBER = re.compile(r"\s*(?:\d{1,3}[.、．]?\s+)?")
_FIGURES_ONLY = re.compile(r"[\s\d.,，%()（）万亿元-]+")


def _tables(
    text: str, sec: Section, max_lines: int, caption_max: int
) -> tuple[list[_Found], list[tuple[int, int]]]:
    """Rows under a 支援方/受援方 header; returns the pairings and the line spans the table used."""
    out: list[_Found] = []
    used: list[tuple[int, int]] = []
    if not is_table_header(text[sec.char_start : sec.char_end]):  # no line of it is one either
        return out, used
    lines = _lines(text, sec.char_start, sec.char_end)
    k = 0
    while k < len(lines):
        if not is_table_header(text[lines[k][0] : lines[k][1]]):
            k += 1
            continue
        heading = (lines[k][0],)
        flipped = recipients_first(text[lines[k][0] : lines[k][1]])
        if k and lines[k - 1][1] - lines[k - 1][0] <= caption_max:  # 表2 2011—2020年结对关系
            heading += (lines[k - 1][0],)
        used.append(lines[k])
        k += 1
        scope: set[str] = set()
        prev: tuple[list[_Item], set[str]] = (
            [],
            set(),
        )  # the last row's supporters, its recipients' siblings
        while k < len(lines):
            lo, hi = lines[k]
            if _FIGURES_ONLY.fullmatch(text, lo, hi):  # a row's money cell pushed onto its own line
                used.append((lo, hi))
                k += 1
                continue
            items, whole = _row_items(text, lo, hi, scope)
            span_hi, extra = hi, 0
            # a name or a list broken across lines: read the row with the breaks removed
            while not whole and k + extra + 1 < len(lines) and extra + 1 < max_lines:
                extra += 1
                span_hi = lines[k + extra][1]
                joined = _joined_items(text, lo, span_hi, scope)
                if joined is not None:
                    items, whole = joined, True
            if not whole:
                break
            k += extra + 1
            used.append((lo, span_hi))
            sups, recs = _split_row(text, items)
            if flipped and sups:
                sups, recs = recs, sups
            if (
                not sups
                and prev[0]
                and {_sibling_key(it) for it in recs} <= prev[1]
                and not _heads_next(text, recs, lines[k] if k < len(lines) else None)
            ):
                sups = prev[
                    0
                ]  # a merged (rowspan) supporter cell: the row names siblings of the last recipients
            elif not sups:
                scope = {it.division.code for it in recs if it.division and it.division.code}
                prev = ([], set())
                continue
            prev = (sups, {_sibling_key(it) for it in recs})
            out.extend(
                _Found(s.party, r.party, "表格", "table", lo, span_hi, heading=heading)
                for s in sups
                for r in recs
            )
    return out, used


def _cell_tables(text: str, sec: Section, max_label: int) -> tuple[list[_Found], list[tuple[int, int]]]:
    """A table printed one cell a line: 支援方 / 受援方 (/ 资金) header lines, then rows of as many lines."""
    out: list[_Found] = []
    used: list[tuple[int, int]] = []
    lines = _lines(text, sec.char_start, sec.char_end)
    k = 0
    while k + 1 < len(lines):
        roles = []
        while k + len(roles) < len(lines):
            lo, hi = lines[k + len(roles)]
            role = header_role(text[lo:hi])
            if role is None and (not roles or hi - lo > max_label or _items(text, lo, hi)):
                break
            roles.append(role)
        if "supporter" not in roles or "recipient" not in roles:
            k += max(1, len(roles))
            continue
        n, s_at, r_at = len(roles), roles.index("supporter"), roles.index("recipient")
        used.extend(lines[k : k + n])
        k += n
        while k + n <= len(lines):
            cells = [_row_items(text, lo, hi, set()) for lo, hi in (lines[k + s_at], lines[k + r_at])]
            if not all(whole for _, whole in cells):
                break
            lo, hi = lines[k][0], lines[k + n - 1][1]
            out.extend(
                _Found(s.party, r.party, "表格", "table", lo, hi) for s in cells[0][0] for r in cells[1][0]
            )
            used.extend(lines[k : k + n])
            k += n
    return out, used


def _heads_next(text: str, row: list[_Item], nxt: tuple[int, int] | None) -> bool:
    """A row naming an area the next row's names lie in (哈密地区 / 河南 哈密市…) heads a group."""
    if nxt is None:
        return False
    below = _items(text, nxt[0], nxt[1])
    return any(gazetteer.is_ancestor(a.division, b.division) for a in row for b in below)


def _sibling_key(it: _Item) -> str:
    """Rows of one merged cell name siblings: counties of one prefecture, or institutions of one kind."""
    if it.division is not None:
        return f"{it.division.kind}<{it.division.parent}"
    return it.party.kind


def _joined_items(text: str, lo: int, hi: int, scope: set[str]) -> list[_Item] | None:
    """Parse a row whose text runs over line breaks: match on the text with the breaks removed."""
    flat = text[lo:hi].replace("\n", "")
    items, whole = _row_items(flat, 0, len(flat), scope)
    if not whole:
        return None
    offsets = [i for i in range(lo, hi) if text[i] != "\n"]
    out = []
    for it in items:
        written = flat[it.start : it.end]
        party = Party(_clean_written(written), it.party.name, it.party.kind, it.party.code)
        start, end = offsets[it.start], offsets[it.end - 1] + 1
        out.append(_Item(start, end, offsets[it.first], party, it.division, offsets[it.stop - 1] + 1))
    return out


# ---------------------------------------------------------------- agreements


def _agreements(text: str, sec: Section) -> list[_Found]:
    """甲方(支援方):X ... 乙方(受援方):Y -> X supports Y."""
    out: list[_Found] = []
    first: re.Match[str] | None = None
    if any(text.find(side, sec.char_start, sec.char_end) < 0 for side in ("甲方", "乙方")):
        return out  # a pair needs both sides (the ^ of the multiline pattern is tried at every char)
    for m in _AGREEMENT.finditer(text, sec.char_start, sec.char_end):
        if m.group(1) == "甲方":
            first = m
        elif first is not None:
            sup, rec = _party_of(first.group("name")), _party_of(m.group("name"))
            out.append(_Found(sup, rec, "协议", "agreement", first.start(), m.end()))
            first = None
    return out


def _party_of(written: str) -> Party:
    written = _clean_written(written)
    found = gazetteer.lookup(written)
    if found:
        return found
    kind: PartyKind = "other"
    for suffix, k in _org_suffixes():
        if suffix in written:
            kind = k
            break
    return Party(written, written, kind)


# ---------------------------------------------------------------- self references


def _resolve_self(
    text: str, sec: Section, found: list[_Found], window: int, titled: Sequence[Party] = ()
) -> list[_Found]:
    """我市 ... 对口支援Y: the reporting body is the one supporter of that kind the section names.

    An institution (我院, 我校) may also be the one institution of its kind the section names at all;
    failing both, the one area of that kind the document's title names (山东省…工作总结: 我省).
    """
    out = []
    orgs: list[Party] | None = None
    others: set[str] | None = None
    for f in found:
        if f.supporter is not _SELF:
            out.append(f)
            continue
        before = text[max(sec.char_start, f.start - window) : f.end]
        for word, kinds in _self_refs().items():
            if word not in before:
                continue
            if others is None:
                others = _self_partners(text, sec)
            names = {
                g.supporter.name: g.supporter
                for g in found
                if g.supporter is not _SELF
                and g.supporter.kind in kinds
                and not g.hard
                and g.supporter.name not in others
            }
            if not names and not set(kinds) & set(KIND_RANK):  # 我院: the one hospital the section names
                if orgs is None:
                    received = {g.recipient.name for g in found}
                    orgs = [
                        it.party
                        for it in _org_items(text, sec.char_start, sec.char_end, ())
                        if it.party.name not in others and it.party.name not in received
                    ]
                names = {o.name: o for o in orgs if o.kind in kinds and o.name != f.recipient.name}
            if not names:
                names = {p.name: p for p in titled if p.kind in kinds}
            if not names:
                names = _named_body(text, sec, found, kinds, others)
            if len(names) == 1:
                sup = next(iter(names.values()))
                if sup.name != f.recipient.name:
                    out.append(_Found(sup, f.recipient, f.relation, f.rule, f.start, f.end, True))
            break
    return out


def _named_body(
    text: str, sec: Section, found: list[_Found], kinds: tuple[str, ...], others: set[str]
) -> dict[str, Party]:
    """无锡市召开会议…我市对口支援Y: the areas of the self word's kind the section names on the giving side
    (no recipient, nothing containing a recipient, no partner named beside the self word)."""
    places = gazetteer.find_places(text, sec.char_start, sec.char_end)
    received = {f.recipient.name for f in found}
    recipient_divs = [p.division for p in places if p.party.name in received]
    return {
        p.party.name: p.party
        for p in places
        if p.party.kind in kinds
        and p.party.name not in received
        and p.party.name not in others
        and not any(gazetteer.is_ancestor(p.division, d) for d in recipient_divs)
    }


def _self_partners(text: str, sec: Section) -> set[str]:
    """Names the section pairs with its reporting body (我校与Y共同…, 我市与Y…): Y is never 我校 itself."""
    out: set[str] = set()
    if not _self_with_core_re().search(text, sec.char_start, sec.char_end):  # the leads make it slow
        return out
    for m in _self_with_re().finditer(text, sec.char_start, sec.char_end):
        items = _items(text, m.end(), _clause_end(text, m.end(), sec.char_end))
        if items and items[0].first == m.end():
            out.add(items[0].party.name)
    return out


# ---------------------------------------------------------------- entry point


def _may_pair(text: str, sent: Sentence) -> list[re.Match[str]] | None:
    """The sentence's cues, or None when it cannot state a pairing: only a sentence with a cue, a
    partnership abbreviation or 援疆/援藏 can.

    The first cue found here starts the cue list `_sentence` needs: the cues after it are those
    found from its end (cue words are plain words, none empty), so the span is scanned once.
    """
    lo, hi = sent.char_start, sent.char_end
    cue_re = _cue_re()
    if (first := cue_re.search(text, lo, hi)) is not None:
        return [first, *cue_re.finditer(text, first.end(), hi)]
    if _abbr_re().search(text, lo, hi):
        return []
    if _office_core_re().search(text, lo, hi):  # the full pattern's optional batch makes it slow to scan
        return []
    return [] if any(text.find(w, lo, hi) >= 0 for w in _DISPATCH_CONTEXT) else None


def _cover(spans: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Span starts in order, with the furthest end any span starting there or before reaches."""
    ordered = sorted(spans)
    return [a for a, _ in ordered], list(accumulate((b for _, b in ordered), max))


def _covered(cover: tuple[list[int], list[int]], lo: int, hi: int) -> bool:
    """Some span holds lo..hi: the spans starting by lo reach hi (sentences x table lines, bisected)."""
    starts, reach = cover
    k = bisect_right(starts, lo) - 1
    return k >= 0 and reach[k] >= hi


def _section_scope(text: str, sec: Section) -> set[str]:
    """Provinces and prefectures the section names: county short forms under them are trusted."""
    places = gazetteer.find_places(text, sec.char_start, sec.char_end)
    return {p.division.code for p in places if p.division and p.division.code and p.division.kind != "county"}


def find_pairings(
    doc: Doc, *, settings: Settings = DEFAULT, years: Sequence[YearMention] | None = None
) -> list[Pairing]:
    """Every supporter -> recipient relation the document states, one record per pair and period."""
    text = doc.text
    records: list[Pairing] = []
    seen: set[tuple[str, str, str, int | None, int | None]] = set()
    mentions = find_years(doc, settings=settings) if years is None else years
    titled = [p.party for p in gazetteer.find_places(doc.title)] if doc.title else []
    by_section: dict[int, list[Sentence]] = {}
    for sent in doc.sentences:
        by_section.setdefault(sent.section_no, []).append(sent)
    for sec in doc.sections:
        found = _agreements(text, sec)
        table_rows, used = _tables(
            text, sec, settings.pairing_max_row_lines, settings.pairing_caption_max_chars
        )
        found += table_rows
        cell_rows, cell_lines = _cell_tables(text, sec, settings.pairing_cell_label_max_chars)
        found += cell_rows
        used += cell_lines
        scope = _section_scope(text, sec)
        cover = _cover(used)
        for sent in by_section.get(sec.section_no, ()):
            cues = _may_pair(text, sent)
            if cues is None or _covered(cover, sent.char_start, sent.char_end):
                continue
            found += _sentence(text, sent, scope, cues)
        for f in _resolve_self(text, sec, found, settings.pairing_self_window, titled):
            y0, y1 = period_at(f.start, f.end, mentions)
            for at in f.heading if y0 is None else ():
                y0, y1 = period_at(at, at, mentions)
                if y0 is not None:
                    break
            key = (f.supporter.name, f.recipient.name, f.relation, y0, y1)
            if key in seen:
                continue
            seen.add(key)
            records.append(Pairing(f.start, f.end, f.supporter, f.recipient, f.relation, f.rule, y0, y1))
    return records
