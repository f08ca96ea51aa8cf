"""The report's title and publication date, from HTML metadata or the lines of a text dump."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from .resources import load_lines
from .settings import DEFAULT, Settings

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|[-/.])\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*(?:[:：时])\s*(?P<M>\d{1,2}))?"
)
_SENTENCE = re.compile(r"[。！？!?；;]")


@lru_cache(maxsize=1)
def _published_key_re() -> re.Pattern[str]:
    keys = sorted(load_lines("published_keys.txt"), key=len, reverse=True)
    # the key starts the line or a field ("来源:… 时间:…"), so 会议时间/截止日期 are not keys
    return re.compile(rf"(?:^|(?<=[\s【\[|｜]))(?:{'|'.join(map(re.escape, keys))})\s*[:：]\s*")


def parse_date(value: str | None) -> dt.date | None:
    """The first plausible calendar date in a string (2024-09-11, 2026年02月10日 07时41分, 2023/05/06)."""
    if not value:
        return None
    for m in _DATE.finditer(value):
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
    return None


def published_from_lines(lines: Sequence[str], *, settings: Settings = DEFAULT) -> dt.date | None:
    """A keyed date ("时间: 2024-09-11", "发表时间：…") anywhere; else a date-time line near the top."""
    key = _published_key_re()
    for line in lines:
        m = key.search(line)
        if m and len(line) <= settings.metadata_max_chars:
            found = parse_date(line[m.end() :])
            if found:
                return found
    for line in lines[: settings.published_scan_lines]:
        s = line.strip()
        m = _DATE.search(s)
        if not m or len(s) > settings.metadata_max_chars or _SENTENCE.search(s):
            continue
        # a date-time, or a bare date among the headline's other fields ("2011年09月20日 来源:…")
        if m["H"] or _field_re().search(s):
            return parse_date(s)
    return None


@lru_cache(maxsize=1)
def _field_re() -> re.Pattern[str]:
    keys = sorted(load_lines("metadata_keys.txt"), key=len, reverse=True)
    return re.compile(rf"(?:^|\s)(?:{'|'.join(map(re.escape, keys))})\s*[:：]\s*\S")


def title_from_lines(
    lines: Sequence[str],
    heading: re.Pattern[str] | None = None,
    *,
    above_metadata: str | None = None,
    settings: Settings = DEFAULT,
) -> str | None:
    """The first kept line that reads as a title: short, no sentence stop, not an article heading.

    A page prints its headline right above the headline's metadata line ("来源：… 时间：…"),
    so that line, when it reads as a title, wins over a banner kept higher up.
    """
    candidates = [above_metadata] if above_metadata else []
    for line in [*candidates, *lines[: settings.title_scan_lines]]:
        s = line.strip()
        if not s or len(s) > settings.title_max_chars or _SENTENCE.search(s):
            continue
        if heading is not None and heading.match(s):
            continue
        if _DATE.fullmatch(s):
            continue
        return s
    return None
