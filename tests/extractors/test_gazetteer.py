"""gazetteer: names -> canonical party and GB/T 2260 code; place names in text; jieba words."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from extractors.gazetteer import (
    Place,
    _breakers,
    _choose,
    _choose_in,
    _corps_place,
    _corps_re,
    _gazetteer,
    find_places,
    is_ancestor,
    jieba_words,
    lookup,
)
from extractors.spans import Party

CASES = Path(__file__).resolve().parent / "cases" / "gazetteer.tsv"


def _rows() -> list[tuple[str, str, str, str | None]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        written, name, kind, code = line.split("\t")
        rows.append((written, name, kind, None if code == "-" else code))
    return rows


@pytest.mark.parametrize(("written", "name", "kind", "code"), _rows(), ids=[r[0] for r in _rows()])
def test_lookup(written: str, name: str, kind: str, code: str | None) -> None:
    party = lookup(written)
    assert party is not None
    assert (party.written, party.name, party.kind, party.code) == (written, name, kind, code)


@pytest.mark.parametrize("written", ["支援", "全国", "中央", "项目", "大学", "十师", "民"])
def test_lookup_rejects(written: str) -> None:
    assert lookup(written) is None


def test_lookup_scope_resolves_duplicate_names() -> None:
    party = lookup("南山区", scope={"440300"})
    assert party is not None and party.code == "440305"


PLACES = [
    # (text, [(matched text, canonical name)])
    (
        "天津市支援和田地区的民丰、策勒和于田",
        [
            ("天津市", "天津市"),
            ("和田地区", "和田地区"),
            ("民丰", "民丰县"),
            ("策勒", "策勒县"),
            ("于田", "于田县"),
        ],
    ),
    ("吉林、黑龙江阿勒泰地区12", [("吉林", "吉林省"), ("黑龙江", "黑龙江省"), ("阿勒泰地区", "阿勒泰地区")]),
    (
        "深圳喀什市、塔什库尔干县",
        [("深圳", "深圳市"), ("喀什市", "喀什市"), ("塔什库尔干县", "塔什库尔干塔吉克自治县")],
    ),
    ("兵团农三师图木舒克市及团场", [("兵团农三师图木舒克市及团场", "新疆生产建设兵团第三师图木舒克市")]),
    # a county short form with no area above it in the span is an ordinary word
    ("民丰县城温泉不多", [("民丰县", "民丰县")]),
    # a short form glued to a township word is part of a smaller name
    ("淳安县安阳乡", [("淳安县", "淳安县")]),
    ("四川南充", [("四川", "四川省"), ("南充", "南充市")]),
]


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=[p[0] for p in PLACES])
def test_find_places(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_places(text)
    assert [(text[p.char_start : p.char_end], p.party.name) for p in found] == expected


def test_find_places_offsets_are_document_level() -> None:
    text = "前言。广东省对口援建汶川县。"
    found = find_places(text, 3, len(text))
    assert [(p.char_start, p.char_end) for p in found] == [(3, 6), (10, 13)]


@pytest.mark.parametrize(
    ("upper", "lower", "expected"),
    [
        ("喀什地区", "疏附县", True),
        ("新疆", "疏附县", True),
        ("和田地区", "疏附县", False),
        ("兵团农一师", "阿拉尔市", True),
        ("兵团农二师", "阿拉尔市", False),
    ],
)
def test_is_ancestor(upper: str, lower: str, expected: bool) -> None:
    up = find_places(upper)[0].division
    low = find_places(lower)[0].division
    assert is_ancestor(up, low) is expected


def test_jieba_words() -> None:
    words = {w: (f, t) for w, f, t in jieba_words()}
    assert words["塔什库尔干塔吉克自治县"][1] == "ns"
    assert "深圳" in words and "巴州" in words
    assert "民丰" not in words  # county short forms are too often ordinary words
    assert all(len(w) >= 2 for w in words)


# ---------------------------------------------------------------- find_places: same results as the char trie

SEEDS = sorted((Path(__file__).resolve().parents[2] / "data" / "raw").glob("*.txt"))


@cache
def _trie() -> dict:
    trie: dict = {}
    for name in _gazetteer().keys:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = name
    return trie


def _trie_places(text: str, start: int, end: int, scope: set[str] | None) -> list[Place]:
    """The former find_places (walk a char trie at every position): the reference for sameness."""
    trie = _trie()
    live = set(scope or ())
    corps = {m.start(): m for m in _corps_re().finditer(text, start, end)}
    out: list[Place] = []
    i = start
    while i < end:
        cm = corps.get(i)
        place = _corps_place(cm) if cm is not None else None
        if cm is not None and place is not None:
            out.append(place)
            i = cm.end()
            continue
        node, hit, j = trie, None, i
        while j < end and (node := node.get(text[j])) is not None:
            j += 1
            hit = node.get("", hit)
        div = _choose(hit, live, allow_county_short=False) if hit else None
        if div is None or (hit != div.name and i + len(hit) < end and text[i + len(hit)] in _breakers()):
            i += 1
            continue
        out.append(Place(i, i + len(hit), Party(hit, div.name, div.kind, div.code), div))
        if div.code and div.kind in ("province", "prefecture"):
            live.add(div.code)
        i += len(hit)
    return out


@pytest.mark.skipif(not SEEDS, reason="no seed documents")
@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_find_places_same_as_trie_walk(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rnd = random.Random(7)
    spans = [(0, len(text))]
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    spans += [(a, min(len(text), a + rnd.randint(1, 40))) for a in rnd.sample(range(len(text)), 500)]
    for a, b in spans:
        for scope in (None, {"650000"}):
            assert find_places(text, a, b, scope=scope) == _trie_places(text, a, b, scope), text[a:b]


def test_choose_reads_only_its_scope_codes() -> None:
    """The kept choice per name and share of the scope is the choice made under the whole scope."""
    gaz = _gazetteer()
    rnd = random.Random(11)
    codes = sorted(gaz.by_code)
    doubtful = sorted(k for k in gaz.keys if k not in gaz.settled)
    for key in doubtful:
        near = set()
        for k in gaz.keys[key]:
            near |= {c for c in (k.division.code, k.division.parent) if c}
            up = gaz.by_code.get(k.division.parent or "")
            if up and up.parent:
                near.add(up.parent)
        scopes: list[set[str] | None] = [None, set(), set(rnd.sample(codes, 5))]
        scopes += [{c} for c in near] + [near, near | set(rnd.sample(codes, 5))]
        for scope in scopes:
            for allow in (False, True):
                assert _choose(key, scope, allow) == _choose_in(key, scope, allow), (key, scope)
