"""Chinese administrative divisions and 兵团 divisions: names -> canonical party, and place names in text.

Data: `divisions.tsv` (generated from jionlp's offline tables by tools/gen_divisions.py),
`divisions_fixes.tsv` (hand corrections and old names), `corps.tsv` (新疆生产建设兵团 师 and
their cities) and `ethnic_groups.txt` (to derive 塔什库尔干县 from 塔什库尔干塔吉克自治县).
Reports span decades, so former names (吐鲁番地区, 库车县) stay resolvable.

Short forms of counties (民丰, 涪陵) are ordinary words too often to be trusted on their
own: `find_places` accepts them only inside the scope of an ancestor named earlier in the
same span (和田地区的民丰) or given by the caller.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from .resources import load_lines, load_tsv
from .spans import Party, PartyKind

KIND_RANK: dict[str, int] = {"province": 0, "prefecture": 1, "county": 2, "corps": 2}
_NUMERALS = "一二三四五六七八九十"
_CORPS_FULL = "新疆生产建设兵团"
# a short form that still ends like a division name (北川县, 塔县) is not an ordinary word
_ADMIN_ENDINGS = frozenset("县市区旗")


@dataclass(frozen=True, slots=True)
class Division:
    code: str | None
    name: str  # canonical full name
    kind: PartyKind
    parent: str | None  # parent division code
    current: bool = True


@dataclass(frozen=True, slots=True)
class _Key:
    division: Division
    full: bool  # the key is the full name (not a short form)


class Place(NamedTuple):
    """A division name found in text: its span and the party it resolves to.

    A tuple: a document's scans find tens of thousands, and a frozen dataclass costs twice as
    much to build."""

    char_start: int
    char_end: int
    party: Party
    division: Division | None  # None for a 兵团 unit with no row in the tables


# ---------------------------------------------------------------- building the tables


def _strip_ethnic(name: str, groups: tuple[str, ...]) -> str | None:
    """塔什库尔干塔吉克自治县 -> 塔什库尔干县; None when the name is not an autonomous area."""
    m = re.search(r"自治(县|州|旗)$", name)
    if not m:
        return None
    stem = name[: m.start()]
    changed = True
    while changed:
        changed = False
        for g in groups:
            for form in (g + "族", g):
                if stem.endswith(form) and len(stem) > len(form) + 1:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    if stem == name[: m.start()]:
        return None
    return stem + m.group(1)


def _rows() -> list[tuple[str, ...]]:
    """Generated rows, where a name in the fixes file replaces every generated row of that name."""
    fixes = [tuple(r) + ("",) * (6 - len(r)) for r in load_tsv("divisions_fixes.tsv")]
    fixed = {r[1] for r in fixes}
    rows = [tuple(r) + ("",) * (6 - len(r)) for r in load_tsv("divisions.tsv") if r[1] not in fixed]
    return rows + fixes


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_code: dict[str, Division]
    keys: dict[str, tuple[_Key, ...]]  # every name and short form -> candidates
    # every key (all have >= 2 chars) under its first two chars, longest first: one dict probe
    # per text position rejects almost every position, twice as fast as walking a char trie
    prefixes: dict[str, tuple[str, ...]]
    # a position whose char opens some key and whose next char is some key's second: a superset of
    # the positions `prefixes` accepts, found by the regex engine so Python sees one in ten chars
    openers: re.Pattern[str]
    corps_cities: dict[str, str]  # city name -> 师 number
    # names read the same in any scope (one division, and no county short form a scope could
    # admit), with their party: what `_choose` returns for most names, without choosing
    settled: dict[str, tuple[Division, Party]]


def _add(keys: dict[str, list[_Key]], name: str, key: _Key) -> None:
    if len(name) < 2:
        return
    bucket = keys.setdefault(name, [])
    if all(k.division != key.division for k in bucket):
        bucket.append(key)


@cache
def _gazetteer() -> Gazetteer:
    groups = tuple(sorted(load_lines("ethnic_groups.txt"), key=len, reverse=True))
    corps_cities = {row[1]: row[0] for row in load_tsv("corps.tsv") if len(row) > 2 and row[1]}
    city_codes = {row[1]: row[2] for row in load_tsv("corps.tsv") if len(row) > 2 and row[1]}
    keys: dict[str, list[_Key]] = {}
    by_code: dict[str, Division] = {}
    for code, name, kind, parent, aliases, status in _rows():
        if name in corps_cities:
            div = Division(city_codes[name], name, "corps", "650000")
        else:
            div = Division(code, name, kind, parent or None, status != "historical")  # type: ignore[arg-type]
        if div.current:
            by_code.setdefault(div.code or code, div)
        _add(keys, name, _Key(div, True))
        shorts = [a for a in aliases.split("/") if a]
        derived = _strip_ethnic(name, groups)
        if derived:
            shorts += [derived, derived[:-1]]
        if div.kind == "province":
            shorts.append(re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", name))
        for short in shorts:
            if short != name:
                _add(keys, short, _Key(div, False))
    corps = Division(None, _CORPS_FULL, "corps", "650000")
    for name in (_CORPS_FULL, "新疆兵团"):
        _add(keys, name, _Key(corps, True))
    frozen = {k: tuple(v) for k, v in keys.items()}
    grouped: dict[str, list[str]] = {}
    for name in frozen:
        grouped.setdefault(name[:2], []).append(name)
    prefixes = {p: tuple(sorted(v, key=len, reverse=True)) for p, v in grouped.items()}
    firsts, seconds = ("".join(sorted({p[i] for p in prefixes})) for i in (0, 1))
    openers = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
    settled = {
        name: (k.division, _party(name, k.division))
        for name, (k, *more) in frozen.items()
        if not more and (k.full or k.division.kind != "county" or not _doubtful_short(name))
    }
    return Gazetteer(by_code, frozen, prefixes, openers, corps_cities, settled)


# ---------------------------------------------------------------- 兵团 units


@cache
def _corps_aliases() -> dict[str, str]:
    """Other names of a 师 (建工师 = 第十一师) -> its number."""
    rows = (row for row in load_tsv("corps.tsv") if len(row) > 3)
    return {alias: row[0] for row in rows for alias in row[3].split("/") if alias}


_CORPS_PREFIXES = (_CORPS_FULL, "新疆兵团", "兵团")
_CORPS_NONG = ("农", "第")


@cache
def _corps_numbers() -> tuple[str, ...]:
    return tuple(sorted((row[0] for row in load_tsv("corps.tsv")), key=len, reverse=True))


@cache
def _corps_re() -> re.Pattern[str]:
    cities = sorted(_gazetteer().corps_cities, key=len, reverse=True)
    num = "|".join(_corps_numbers())
    city = "|".join(cities)
    alias = "|".join(sorted(_corps_aliases(), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?P<prefix>{'|'.join(_CORPS_PREFIXES)})?(?:(?P<nong>{'|'.join(_CORPS_NONG)})?(?P<num>{num})"
        rf"|(?P<alias>{alias}))师(?:(?P<city>{city}))?(?:(?P<regiment>{_REGIMENT})|(?P<farms>及?团场))?"
    )


@cache
def _corps_lead() -> int | None:
    """How far before its 师 a unit name can start (新疆生产建设兵团第十一师: 11 chars).

    None when some part before the 师 holds a 师 itself, so that the 师 does not anchor a match.
    """
    heads = (*_CORPS_PREFIXES, *_CORPS_NONG, *_corps_numbers(), *_corps_aliases())
    if any("师" in h for h in heads):
        return None
    longest = max(map(len, _corps_numbers())) + max(map(len, _CORPS_NONG))
    return max(map(len, _CORPS_PREFIXES)) + max(longest, max(map(len, _corps_aliases()), default=0))


# a regiment (团) of a 师 by its number: 六十二团, 12团, 一二一团; not 团结, 团队, 团员 ...
_REGIMENT = r"(?:\d{1,3}|[一二三四五六七八九十百零〇]{1,4})团(?:场)?(?![结队员体委伙购日])"
_NEXT_REGIMENT = re.compile(rf"、(?P<regiment>{_REGIMENT})")


def _corps_place(m: re.Match[str]) -> Place | None:
    if not m.group("prefix") and not m.group("nong") and not m.group("alias"):
        return None  # a bare 十师 is too often something else
    number = m.group("num") or _corps_aliases()[m.group("alias")]
    canonical = f"{_CORPS_FULL}第{number}师"
    code = None
    if m.group("city"):
        canonical += m.group("city")
        div = _find_div(m.group("city"))
        code = div.code if div else None
    if m.group("regiment"):
        canonical += m.group("regiment")
    written = m.group()
    div = Division(code, canonical, "corps", "650000")
    return Place(m.start(), m.end(), Party(written, canonical, "corps", code), div)


def _more_regiments(text: str, first: Place, regiment: str, end: int) -> list[Place]:
    """Bare regiments listed after a 师's regiment belong to that 师."""
    base = first.party.name[: -len(regiment)]
    out: list[Place] = []
    pos = first.char_end
    while (m := _NEXT_REGIMENT.match(text, pos, end)) is not None:
        name = base + m.group("regiment")
        a, b = m.start("regiment"), m.end("regiment")
        party = Party(m.group("regiment"), name, "corps", None)
        out.append(Place(a, b, party, Division(None, name, "corps", "650000")))
        pos = b
    return out


def _find_div(name: str) -> Division | None:
    keys = _gazetteer().keys.get(name, ())
    return keys[0].division if keys else None


# ---------------------------------------------------------------- public API


def _in_scope(div: Division, scope: set[str]) -> bool:
    by_code = _gazetteer().by_code
    parent = div.parent
    for _ in range(2):
        if not parent:
            return False
        if parent in scope:
            return True
        up = by_code.get(parent)
        parent = up.parent if up else None
    return False


def _choose(key: str, scope: set[str] | None, allow_county_short: bool) -> Division | None:
    """The division a written name means, or None when it is a bare county short form out of scope.

    The choice reads the scope only through the codes `_scope_codes` lists for the name, so it
    is made once per name and share of the scope: a section scan meets the same doubtful names
    (合作, 比如) again and again under one scope.
    """
    if settled := _gazetteer().settled.get(key):  # most names: one division, and no short form to doubt
        return settled[0]
    share = frozenset(scope.intersection(_scope_codes(key))) if scope else frozenset()
    return _choose_shared(key, share, allow_county_short)


@lru_cache(maxsize=65536)
def _choose_shared(key: str, share: frozenset[str], allow_county_short: bool) -> Division | None:
    """`_choose_in` under a scope holding these of the name's codes: it reads no other code, and an
    empty scope reads as no scope (no candidate is in it either way)."""
    return _choose_in(key, set(share), allow_county_short)


@lru_cache(maxsize=65536)
def _scope_codes(key: str) -> frozenset[str]:
    """Every code `_choose_in` looks up in the scope for this name: each candidate's own code,
    its parent's and its grandparent's (`_in_scope` climbs two levels)."""
    by_code = _gazetteer().by_code
    codes: set[str] = set()
    for k in _gazetteer().keys.get(key, ()):
        if k.division.code:
            codes.add(k.division.code)
        parent = k.division.parent
        for _ in range(2):
            if not parent:
                break
            codes.add(parent)
            up = by_code.get(parent)
            parent = up.parent if up else None
    return frozenset(codes)


def _choose_in(key: str, scope: set[str] | None, allow_county_short: bool) -> Division | None:
    gaz = _gazetteer()
    cands = gaz.keys.get(key, ())
    if not cands:
        return None
    if scope:
        scoped = [k for k in cands if _in_scope(k.division, scope) or k.division.code in scope]
        if scoped:
            cands = tuple(scoped)
    full = [k for k in cands if k.full]
    pool = full or list(cands)
    pool.sort(key=lambda k: (KIND_RANK[k.division.kind], not k.division.current))
    best = pool[0]
    if not best.full and best.division.kind == "county" and not allow_county_short:
        in_scope = scope is not None and _in_scope(best.division, scope)
        if not in_scope and _doubtful_short(key):
            return None
    same = [k for k in pool if KIND_RANK[k.division.kind] == KIND_RANK[best.division.kind]]
    codes = {k.division.code for k in same}
    if len(codes) > 1 and best.division.kind == "county":
        div = best.division
        return Division(None, div.name if len({k.division.name for k in same}) == 1 else key, div.kind, None)
    return best.division


def _doubtful_short(key: str) -> bool:
    """A county short form this short, not ending like a division name, is an ordinary word too."""
    return len(key) < 4 and key[-1] not in _ADMIN_ENDINGS


def _party(written: str, div: Division) -> Party:
    return Party(written, div.name, div.kind, div.code)


def lookup(name: str, *, scope: set[str] | None = None) -> Party | None:
    """Resolve one written name (深圳, 巴州, 塔什库尔干县, 兵团农三师) to its canonical party."""
    name = re.sub(r"\s+", "", name)
    m = _corps_re().fullmatch(name)
    if m:
        place = _corps_place(m)
        return place.party if place else None
    div = _choose(name, scope, allow_county_short=True)
    return _party(name, div) if div else None


def find_places(
    text: str, start: int = 0, end: int | None = None, *, scope: set[str] | None = None
) -> list[Place]:
    """Division and 兵团 names in text[start:end], leftmost-longest, not overlapping.

    Every province or prefecture found widens the scope for the county short forms after it.
    Only positions where some name starts are visited (found once per text, see `_hits`).
    """
    end = len(text) if end is None else end
    corps = _corps_in(text, start, end)
    starts, names = _hits(text)
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    if lo == hi and not corps:  # most sentences name no place
        return []
    live: set[str] = scope if scope is not None else set()  # copied before the first addition
    own = scope is None
    settled = _gazetteer().settled
    cands = zip(starts[lo:hi], names[lo:hi], strict=True)
    if corps:  # rare: merge the 兵团 starts in, a name found there too is kept for its fallback
        at = dict(cands)
        cands = ((pos, at.get(pos)) for pos in sorted(at.keys() | corps.keys()))  # type: ignore[assignment]
    out: list[Place] = []
    breakers = _breakers()
    i = start
    for pos, found in cands:
        if pos < i:
            continue
        cm = corps.get(pos) if corps else None
        if cm is not None:
            place = _corps_place(cm)
            if place is not None:
                out.append(place)
                i = cm.end()
                if cm.group("regiment"):  # 第四师六十二团、六十四团: the list's regiments share the 师
                    out.extend(_more_regiments(text, place, cm.group("regiment"), end))
                    i = out[-1].char_end
                continue
        hit = found
        if hit is not None and pos + len(hit) > end:  # the longest name runs past the span
            hit = _longest(text, pos, end)
        if hit is None:
            continue
        entry = settled.get(hit)
        div = entry[0] if entry else _choose(hit, live, allow_county_short=False)
        short = div is not None and hit != div.name
        if div is None or (short and pos + len(hit) < end and text[pos + len(hit)] in breakers):
            continue
        stop = pos + len(hit)
        if (
            short
            and (k := bisect_right(starts, pos)) < len(starts)
            and starts[k] < stop  # (else no name starts inside it)
            and _full_name_inside(text, pos, stop, end, starts, names)
        ):
            continue  # 援建平武县: the short form 建平 gives way to the full name 平武县 it cuts into
        out.append(Place(pos, pos + len(hit), entry[1] if entry else _party(hit, div), div))
        if div.code and div.kind in ("province", "prefecture") and div.code not in live:
            if not own:
                live, own = set(live), True
            live.add(div.code)
        i = pos + len(hit)
    return out


def _full_name_inside(
    text: str, pos: int, stop: int, end: int, starts: list[int], names: list[str]
) -> bool:
    """A full division name starts inside text[pos:stop] and runs past it (so the two overlap)."""
    keys = _gazetteer().keys
    for k in range(bisect_right(starts, pos), bisect_left(starts, stop)):
        name = names[k]
        if starts[k] + len(name) > end:
            name = _longest(text, starts[k], end) or ""
        if starts[k] + len(name) > stop and any(key.full for key in keys.get(name, ())):
            return True
    return False


@cache
def _breakers() -> frozenset[str]:
    return frozenset(load_lines("place_breakers.txt"))


def _corps_in(text: str, start: int, end: int) -> dict[int, re.Match[str]]:
    """兵团 unit names in text[start:end] by start: the text's matches, unless one straddles a bound."""
    if text.find("师", start, end) < 0:  # every 兵团 unit name holds 师
        return {}
    matches = _corps_matches(text)
    lo = bisect_right(matches, start, key=lambda m: m.end())
    inside: dict[int, re.Match[str]] = {}
    for m in matches[lo:]:
        if m.start() >= end:
            break
        if m.start() < start or m.end() > end:  # cut by the span: match within it instead
            return {m.start(): m for m in _corps_re().finditer(text, start, end)}
        inside[m.start()] = m
    return inside


@lru_cache(maxsize=16)
def _corps_matches(text: str) -> list[re.Match[str]]:
    """What `finditer` finds, tried only at the few starts within `_corps_lead` before a 师.

    Every unit name holds a 师 at most that far from its start, so a start tried in no window
    cannot match, and the first start that matches is the one `finditer` would find.
    """
    pattern, lead = _corps_re(), _corps_lead()
    if lead is None:
        return list(pattern.finditer(text))
    out: list[re.Match[str]] = []
    done = 0  # starts below this are tried or inside the last match
    at = text.find("师")
    while at >= 0:
        for start in range(max(done, at - lead), at + 1):
            if m := pattern.match(text, start):
                out.append(m)
                done = m.end()
                break
        else:
            done = at + 1
        at = text.find("师", max(at + 1, done))
    return out


@lru_cache(maxsize=16)
def _hits(text: str) -> tuple[list[int], list[str]]:
    """Every position of text where a name starts, with the longest name there.

    Cached per text: the pairings extractor asks for the places of each section, sentence
    and table row of the same document, and this scan is the costly part. The regex engine
    finds the positions whose two chars could open a name (one char class each, in C), then
    one dict probe per such position keeps those whose bigram opens some name.
    """
    gaz = _gazetteer()
    get = gaz.prefixes.get
    starts: list[int] = []
    names: list[str] = []
    for i in map(re.Match.start, gaz.openers.finditer(text)):
        for name in get(text[i : i + 2], ()):
            if text.startswith(name, i):
                starts.append(i)
                names.append(name)
                break
    return starts, names



def _longest(text: str, i: int, end: int) -> str | None:
    """The longest name starting at i and ending by end."""
    for name in _gazetteer().prefixes.get(text[i : i + 2], ()):
        if i + len(name) <= end and text.startswith(name, i):
            return name
    return None


@cache
def name_chars() -> frozenset[str]:
    """Every char some division name or short form holds."""
    return frozenset("".join(_gazetteer().keys))


def is_ancestor(upper: Division | None, lower: Division | None) -> bool:
    """True when `upper` contains `lower` (喀什地区 contains 疏附县; 新疆 contains 兵团 units)."""
    if upper is None or lower is None:
        return False
    if upper.kind == "corps" and lower.kind == "corps":  # 农一师的阿拉尔市
        num = _gazetteer().corps_cities.get(lower.name)
        return bool(num) and upper.name == f"{_CORPS_FULL}第{num}师"
    if not upper.code:
        return False
    if lower.parent == upper.code:
        return True
    parent = _gazetteer().by_code.get(lower.parent or "")
    return bool(parent and parent.parent == upper.code)


def parent_of(div: Division | None) -> Division | None:
    """The division directly above (疏附县 -> 喀什地区), None at the top or when unknown."""
    if div is None or not div.parent:
        return None
    return _gazetteer().by_code.get(div.parent)


def jieba_words() -> list[tuple[str, int, str]]:
    """Every division name and safe short form as a jieba user word (word, freq, 'ns')."""
    words: list[tuple[str, int, str]] = []
    for key, cands in sorted(_gazetteer().keys.items()):
        if any(k.full or k.division.kind != "county" for k in cands):
            words.append((key, 2000 if len(key) > 2 else 500, "ns"))
    return words
