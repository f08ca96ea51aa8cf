"""The two entry points the flows call: `clean` (raw bytes -> CleanDoc) and `extract` (Doc -> records).

`EXTRACTORS` lists the extractors in run order under their table names; each is
`find_x(doc: Doc, *, settings: Settings) -> list[X]`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from . import amounts, pairings, sentences, tokens, years
from .cleaning import clean_document
from .settings import DEFAULT, Settings
from .spans import CleanDoc, Doc, Section

Extractor = Callable[..., list[Any]]

EXTRACTORS: dict[str, Extractor] = {
    "tokens": tokens.find_tokens,
    "years": years.find_years,
    "amounts": amounts.find_amounts,
    "pairings": pairings.find_pairings,
}
USES_YEARS = frozenset({"amounts", "pairings"})  # they attach periods from the years found first


def clean(raw: bytes, *, name: str, settings: Settings = DEFAULT) -> CleanDoc:
    """Decode, strip boilerplate, repair and split one raw input. Raises BadInput."""
    return clean_document(raw, name=name, settings=settings)


def make_doc(
    text: str,
    sections: Sequence[Section],
    *,
    title: str | None = None,
    published: date | None = None,
    settings: Settings = DEFAULT,
) -> Doc:
    """The extractors' view of a document: sentences are computed once, here."""
    secs = tuple(sections) or (Section(0, len(text), 1, title),)
    return Doc(
        text=text,
        sentences=sentences.find_sentences(text, secs, settings=settings),
        sections=secs,
        title=title,
        published=published,
    )


def extract(doc: Doc, *, settings: Settings = DEFAULT) -> dict[str, list[Any]]:
    """Run every extractor over one document; amounts and pairings reuse the year mentions."""
    out: dict[str, list[Any]] = {}
    for name, fn in EXTRACTORS.items():
        kwargs = {"years": out["years"]} if name in USES_YEARS else {}
        out[name] = fn(doc, settings=settings, **kwargs)
    return out
