"""End to end over tests/fixtures/e2e: clean + extract each hand-written page or dump, score it on its gold.

The gold files follow EXTRACTION.md and the format of the shared eval gold; the scorer below
uses the same matching rules as the shared score.py (names equal up to 省/市/县-style suffixes,
amounts on value, years on (year_start, year_end)), so these tests run without /work/shared
and without Prefect. The floors are the scores reached when the fixtures were written: a
change that loses a pairing, amount or year on them fails here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from extractors import pipeline

E2E = Path(__file__).parent.parent / "fixtures" / "e2e"
GOLD = sorted(E2E.glob("*.json"))  # <name>.txt.json and <name>.html.json

# per fixture: pairings F1 (non-hard rows), hard recall, amounts F1, years F1
FLOORS: dict[str, tuple[float, float, float, float]] = {
    "broken_lines_report.txt": (1.0, 1.0, 1.0, 1.0),
    "city_woshi_gbk.txt": (1.0, 0.75, 1.0, 1.0),
    "county_gbk_lie.html": (1.0, 1.0, 1.0, 1.0),
    "dongxi_xiezuo.txt": (1.0, 1.0, 1.0, 1.0),
    "fanwen_pian.txt": (1.0, 1.0, 1.0, 1.0),
    "fanwen_traditional.txt": (1.0, 1.0, 1.0, 1.0),
    "fanwen_yuanjiang.txt": (0.88, 1.0, 1.0, 1.0),
    "fgw_table.html": (1.0, 1.0, 1.0, 1.0),
    "gov_office_table.txt": (1.0, 1.0, 1.0, 1.0),
    # 我院/我校 name the site's own body, which only the <title> suffix and the banner print: not in the text
    "hospital_woyuan.html": (1.0, 0.0, 1.0, 1.0),
    "news_nested.html": (1.0, 1.0, 1.0, 1.0),
    "news_yuanzang.txt": (1.0, 1.0, 1.0, 1.0),
    "quake_yuanjian.txt": (1.0, 1.0, 1.0, 1.0),
    "university_woxiao.html": (1.0, 0.0, 1.0, 1.0),
    "xinhua_dateline.txt": (1.0, 1.0, 1.0, 1.0),
    "years_report.txt": (1.0, 1.0, 1.0, 1.0),
    "yuanzang_table.txt": (1.0, 1.0, 1.0, 1.0),
}
NEUTRAL = {"全国", "中央", "国家", "中央政府", "国务院"}
ALIASES = {"巴州": "巴音郭楞蒙古自治州", "博州": "博尔塔拉蒙古自治州", "克州": "克孜勒苏柯尔克孜自治州"}
SUFFIXES = sorted(
    [
        *("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "地区"),
        *("自治州", "州", "自治县", "县", "区", "旗"),
    ],
    key=len,
    reverse=True,
)
AUTONOMOUS = {"县": "自治县", "州": "自治州"}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _norm(name: str) -> str:
    s = re.sub(r"\([^)]*\)", "", _squash(name))
    s = s.replace("新疆生产建设兵团", "兵团").replace("生产建设兵团", "兵团")
    return ALIASES.get(s, s)


def _split(s: str) -> tuple[str, str]:
    for suf in SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf) + 1:
            return s[: -len(suf)], suf
    return s, ""


def names_match(a: str, b: str) -> bool:
    """深圳 = 深圳市, 塔什库尔干县 = 塔什库尔干塔吉克自治县, 和田市 != 和田县, 北京 != 北京大学."""
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    (sa, fa), (sb, fb) = _split(na), _split(nb)
    if sa == sb and (not fa or not fb or fa == fb):
        return True
    for (s1, f1), (s2, f2) in (((sa, fa), (sb, fb)), ((sb, fb), (sa, fa))):
        if f1 in AUTONOMOUS and f2 == AUTONOMOUS[f1] and len(s1) >= 2 and s2.startswith(s1):
            return True
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 4 and short in long_


def _f1(tp: int, n_sys: int, n_gold: int) -> float:
    p = tp / n_sys if n_sys else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score_pairings(gold: list[dict[str, Any]], rows: list[tuple[str, str]]) -> tuple[float, float]:
    """(F1 of the non-hard rows, recall of the hard rows); a repeat of a matched pair is not spurious."""
    used: set[int] = set()

    def find(g: dict[str, Any]) -> bool:
        for i, (s, r) in enumerate(rows):
            if i not in used and names_match(g["supporter"], s) and names_match(g["recipient"], r):
                used.add(i)
                return True
        return False

    core = [g for g in gold if not g["hard"]]
    hard = [g for g in gold if g["hard"]]
    tp = sum(find(g) for g in core)
    hard_tp = sum(find(g) for g in hard)
    spurious = sum(
        1
        for i, (s, r) in enumerate(rows)
        if i not in used
        and _norm(s) not in NEUTRAL
        and not any(names_match(s, rows[j][0]) and names_match(r, rows[j][1]) for j in used)
    )
    return _f1(tp, tp + spurious, len(core)), (hard_tp / len(hard) if hard else 1.0)


def score_values(gold: list[Any], found: list[Any]) -> float:
    pool = Counter(found)
    tp = 0
    for k in gold:
        if pool[k] > 0:
            pool[k] -= 1
            tp += 1
    return _f1(tp, len(found), len(gold))


def _run(name: str) -> tuple[Any, dict[str, list[Any]]]:
    raw = (E2E / name).read_bytes()
    clean = pipeline.clean(raw, name=name)
    doc = pipeline.make_doc(clean.text, clean.sections, title=clean.title, published=clean.published)
    return clean, pipeline.extract(doc)


def test_every_fixture_has_floors() -> None:
    assert sorted(FLOORS) == sorted(g.name.removesuffix(".json") for g in GOLD)


@pytest.mark.parametrize("gold_path", GOLD, ids=[g.name.removesuffix(".json") for g in GOLD])
def test_fixture_against_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    clean, out = _run(gold["source"])
    flat = _squash(clean.text)
    assert clean.title == gold["title"]
    assert (clean.published.isoformat() if clean.published else None) == gold["published"]
    assert len(clean.sections) == gold["n_sections"]
    assert [k for k in gold["content"]["keep"] if _squash(k) not in flat] == []
    assert [d for d in gold["content"]["drop"] if _squash(d) in flat] == []
    pair_f1, hard_recall = score_pairings(
        gold["pairings"], [(p.supporter.written, p.recipient.written) for p in out["pairings"]]
    )
    amounts_f1 = score_values(
        [round(float(a["value"]), 2) for a in gold["amounts"]], [round(a.value, 2) for a in out["amounts"]]
    )
    years_f1 = score_values(
        [(y["year_start"], y["year_end"]) for y in gold["years"]],
        [(y.year_start, y.year_end) for y in out["years"]],
    )
    floors = FLOORS[gold["source"]]
    got = (round(pair_f1, 4), round(hard_recall, 4), round(amounts_f1, 4), round(years_f1, 4))
    assert all(g >= f for g, f in zip(got, floors, strict=True)), f"scores {got} below floors {floors}"


@pytest.mark.parametrize("gold_path", GOLD, ids=[g.name.removesuffix(".json") for g in GOLD])
def test_fixture_offsets(gold_path: Path) -> None:
    """Every record's span is exact text of the clean document: text[char_start:char_end] == written."""
    clean, out = _run(gold_path.name.removesuffix(".json"))
    text = clean.text
    secs = clean.sections
    assert secs[0].char_start == 0 and secs[-1].char_end == len(text)
    assert all(a.char_end == b.char_start for a, b in pairwise(secs))
    for a in out["amounts"]:
        assert 0 <= a.context_start <= a.char_start < a.char_end <= a.context_end <= len(text)
        assert re.search(r"元|币", text[a.char_start : a.char_end])
    for y in out["years"]:
        assert 0 <= y.context_start <= y.char_start < y.char_end <= y.context_end <= len(text)
        assert text[y.char_start : y.char_end].strip() == text[y.char_start : y.char_end]
    for p in out["pairings"]:
        assert 0 <= p.char_start < p.char_end <= len(text)
    toks = out["tokens"]
    assert all(text[a:b] == w for w, a, b in zip(toks.words(), toks.char_start, toks.char_end, strict=True))
