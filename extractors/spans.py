"""Typed span records shared by every extractor.

An annotation is its offsets: every record holds code-point offsets into the one
clean text (`documents.text`), and the flows slice `text`/`evidence`/`context`
from that text, so `text[char_start:char_end] == row.text` holds by construction.
Field names equal the contract's column names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

import numpy as np

SourceFormat = Literal["html", "text"]
Qualifier = Literal["exact", "approx", "over", "under", "range"]
YearKind = Literal["year", "year_range", "month", "date", "date_range", "decade", "plan", "relative"]
PartyKind = Literal[
    "province", "prefecture", "county", "corps", "university", "hospital", "organisation", "other"
]


@dataclass(frozen=True, slots=True)
class Span:
    char_start: int  # code point into documents.text
    char_end: int  # exclusive


@dataclass(frozen=True, slots=True)
class Section(Span):
    section_no: int  # from 1; sections partition the text, the first starts at 0
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    section_no: int
    sentence_no: int  # from 1 within its section


@dataclass(frozen=True, slots=True)
class Token(Span):
    pos: str  # jieba part-of-speech tag
    section_no: int
    sentence_no: int
    token_no: int  # from 1 within its sentence


@dataclass(frozen=True, slots=True)
class TokenColumns:
    """A document's tokens as parallel columns.

    A report has about one token per two characters, so one object per token was the
    largest cost of a run; the number columns are numpy arrays (int64 offsets, int32
    numbers) that go straight into Arrow, and so are the words and tags: the words run
    together as one string (token k's text is its char_end - char_start characters after
    the previous tokens'), the tags are int32 indices into `tags`. Iterating yields `Token`s.
    """

    text: str
    pos: np.ndarray
    tags: tuple[str, ...]
    char_start: np.ndarray
    char_end: np.ndarray
    section_no: np.ndarray
    sentence_no: np.ndarray
    token_no: np.ndarray

    def __len__(self) -> int:
        return len(self.char_start)

    def words(self) -> list[str]:
        """Each token's text."""
        bounds = [0, *np.cumsum(self.char_end - self.char_start).tolist()]
        return [self.text[a:b] for a, b in pairwise(bounds)]

    def __iter__(self) -> Iterator[Token]:
        cols = zip(
            self.char_start.tolist(),
            self.char_end.tolist(),
            [self.tags[c] for c in self.pos.tolist()],
            self.section_no.tolist(),
            self.sentence_no.tolist(),
            self.token_no.tolist(),
            strict=True,
        )
        return (Token(*c) for c in cols)


@dataclass(frozen=True, slots=True)
class Removal:
    """A line or block that cleaning dropped, kept so a user can audit a page."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanDoc:
    """What cleaning makes of one raw input: the text every offset points into."""

    text: str
    title: str | None
    published: date | None
    encoding: str
    source_format: SourceFormat
    raw_chars: int
    sections: tuple[Section, ...]
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True, slots=True)
class Doc:
    """What an extractor sees: the clean text with its sentence and section spans."""

    text: str
    sentences: tuple[Sentence, ...]
    sections: tuple[Section, ...]
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Amount(Span):
    value: float
    qualifier: Qualifier
    context_start: int  # the sentence the amount stands in
    context_end: int
    value_max: float | None = None
    currency: str = "CNY"
    year_start: int | None = None
    year_end: int | None = None


@dataclass(frozen=True, slots=True)
class YearMention(Span):
    kind: YearKind
    context_start: int
    context_end: int
    year_start: int | None = None
    year_end: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a pairing: as written, canonical name, kind and division code."""

    written: str
    name: str
    kind: PartyKind
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Pairing(Span):
    """A supporter -> recipient relation; the span is the evidence sentence or table row."""

    supporter: Party
    recipient: Party
    relation: str
    rule: str  # which construction produced the row, for auditing
    year_start: int | None = None
    year_end: int | None = None
