"""Split a compound page (第一篇 … 第五篇, 篇1 … 篇5) into its articles.

A page is split only when its heading lines number 1, 2, 3 … in order, so a stray
"第二篇" in prose or a lone heading never cuts a page. Sections partition the text:
the first starts at 0 (the page title belongs to it), each next one at its heading.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import load_lines
from .settings import DEFAULT, Settings
from .spans import Section

_CN_DIGITS = {
    "零": 0,
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


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in load_lines("section_headings.tsv"))


def parse_number(token: str) -> int | None:
    """Arabic or Chinese numerals up to 999: 3, 十二, 二十, 一百零五."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _heading(line: str, settings: Settings) -> tuple[int, str] | None:
    s = line.strip()
    if not s or len(s) > settings.section_heading_max_chars:
        return None
    for pat in _patterns():
        m = pat.match(s)
        if m:
            num = parse_number(m.group("num"))
            if num is not None:
                return num, (m.group("title") or "").strip(" :：、.．") or s
    return None


def find_sections(text: str, *, settings: Settings = DEFAULT) -> tuple[Section, ...]:
    """Sections of a clean text (one paragraph a line)."""
    found: list[tuple[int, tuple[int, str] | None]] = []  # (offset, heading) of each non-blank line
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            found.append((pos, _heading(line, settings)))
        pos += len(line) + 1
    # a heading right above another heading heads no text: a table of contents (篇一… 篇二… 篇三…)
    heads = [
        (offset, h[0], h[1])
        for k, (offset, h) in enumerate(found)
        if h is not None and (k + 1 == len(found) or found[k + 1][1] is None)
    ]
    chosen = _numbered_run(heads)
    if len(chosen) < settings.min_sections_to_split:
        return (Section(0, len(text), 1, None),)
    out: list[Section] = []
    for k, (offset, _, title) in enumerate(chosen):
        start = 0 if k == 0 else offset
        end = chosen[k + 1][0] if k + 1 < len(chosen) else len(text)
        out.append(Section(start, end, k + 1, title))
    return tuple(out)


def _numbered_run(heads: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The longest run of headings numbered 1, 2, 3 … in text order."""
    best: list[tuple[int, int, str]] = []
    for i, h in enumerate(heads):
        if h[1] != 1:
            continue
        run = [h]
        for nxt in heads[i + 1 :]:
            if nxt[1] == run[-1][1] + 1:
                run.append(nxt)
        if len(run) > len(best):
            best = run
    return best
