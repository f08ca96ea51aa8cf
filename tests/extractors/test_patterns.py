"""phrase_alternation: the first-character guard must change no match of the plain alternation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.patterns import phrase_alternation
from extractors.resources import load_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _plain(phrases: tuple[str, ...], flags: int) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)), flags)


CASES = [
    # phrases, flags, text, expected match (None: no match)
    (("打印本页", "打印"), 0, "【打印本页】【关闭窗口】", "打印本页"),
    (("APP下载", "扫一扫"), re.I, "请 app下载 后阅读", "app下载"),
    (("APP下载",), 0, "请 app下载 后阅读", None),
    (("a.b", "(x)"), 0, "a-b (x)", "(x)"),  # phrases are literals, not patterns
    (("版权所有",), 0, "", None),
]


@pytest.mark.parametrize(("phrases", "flags", "text", "expected"), CASES)
def test_finds_what_the_plain_alternation_finds(phrases, flags, text, expected) -> None:
    m = phrase_alternation(phrases, flags).search(text)
    assert (m.group() if m else None) == expected
    plain = _plain(phrases, flags).search(text)
    assert (m.span() if m else None) == (plain.span() if plain else None)


@pytest.mark.parametrize("name", ["html_furniture.txt", "footer_phrases.txt", "site_notices.txt"])
def test_same_matches_as_the_plain_alternation_on_every_fixture_line(name: str) -> None:
    phrases = load_lines(name)
    guarded, plain = phrase_alternation(phrases, re.I), _plain(phrases, re.I)
    lines = [
        line
        for path in sorted(FIXTURES.rglob("*.txt"))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    assert len(lines) > 500
    found = 0
    for line in lines:
        a, b = guarded.search(line), plain.search(line)
        assert (a.span() if a else None) == (b.span() if b else None), line
        found += a is not None
    assert found > 0, "no fixture line holds a phrase: the comparison says nothing"


def test_refuses_an_empty_phrase() -> None:
    with pytest.raises(ValueError):
        phrase_alternation(["打印", ""])
