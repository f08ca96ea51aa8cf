"""Sentence spans: the unit of `context`, of token numbering and of the period an amount belongs to.

A sentence ends at a Chinese or Western full stop, question or exclamation mark
(with any closing quotes or brackets that follow it) or at a line end: the clean
text has one paragraph per line, so a line end is always a boundary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .settings import DEFAULT, Settings
from .spans import Section, Sentence

# stops with their closing quotes and brackets, or a line end; written to open with one character class
# ("[。！？!?…]+[”’」』）)\]】]*|\n" matches the same) so the regex engine can skip ahead to a candidate
_END = re.compile(r"[\n。！？!?…](?:(?<=\n)|[。！？!?…]*[”’」』）)\]】]*)")
_SOFT_BREAK = re.compile(r"[，,；;：:、 ]")
_WS = " \t\r\n\u3000"


def find_sentences(
    text: str, sections: Sequence[Section], *, settings: Settings = DEFAULT
) -> tuple[Sentence, ...]:
    """Split every section into sentences; spans are trimmed of surrounding white space."""
    out: list[Sentence] = []
    bounds = sections or (Section(0, len(text), 1),)
    for sec in bounds:
        pieces = _split(text, sec.char_start, sec.char_end, settings.max_sentence_chars)
        out.extend(Sentence(start, end, sec.section_no, no) for no, (start, end) in enumerate(pieces, 1))
    return tuple(out)


def _split(text: str, lo: int, hi: int, limit: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    append = spans.append
    pos = lo
    for m in _END.finditer(text, lo, hi):
        start, stop = m.span()
        end = start if text[start] == "\n" else stop  # only the line-end alternative starts with \n
        # the trimming of _trimmed_pieces inline: nearly every sentence is short and needs no cut
        while pos < end and text[pos] in _WS:
            pos += 1
        while end > pos and text[end - 1] in _WS:
            end -= 1
        if end - pos > limit:
            spans.extend(_trimmed_pieces(text, pos, end, limit))
        elif pos < end:
            append((pos, end))
        pos = stop
    spans.extend(_trimmed_pieces(text, pos, hi, limit))
    return spans


def _trimmed_pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    if start >= end:
        return []
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        cut = _soft_cut(text, start, start + limit)
        pieces.append((start, cut))
        start = cut
        while start < end and text[start] in _WS:
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _soft_cut(text: str, start: int, hard: int) -> int:
    """The last comma-like break before `hard`, so an over-long run is cut between clauses."""
    best = -1
    for m in _SOFT_BREAK.finditer(text, start + 1, hard):
        best = m.end()
    return best if best > start else hard
