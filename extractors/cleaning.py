"""Raw bytes -> CleanDoc: decode, keep the article, repair the lines, split the articles, find title and date.

Every step works on lines, and the text is assembled once at the end, so the section
offsets (and every extractor's offsets) point into exactly the text that is stored.
"""

from __future__ import annotations

from functools import lru_cache

from .boilerplate import Verdict, classify_lines, is_breadcrumb, is_furniture_phrase, is_metadata
from .decoding import decode, utf8_source
from .errors import BadInput
from .html import extract_html
from .meta import parse_date, published_from_lines, title_from_lines
from .normalize import normalize_text, rejoin, rejoin_blocks
from .sections import find_sections
from .settings import DEFAULT, Settings
from .spans import CleanDoc, Removal


def _html_verdict(line: str, settings: Settings) -> Verdict:
    """The text-line checks again on each kept HTML block (after width folding)."""
    s = line.strip()
    if not s:
        return Verdict(False, "blank")
    if is_breadcrumb(s):
        return Verdict(False, "breadcrumb")
    if is_furniture_phrase(s):
        return Verdict(False, "furniture")
    if is_metadata(s, settings):
        return Verdict(False, "metadata")
    return Verdict(True, "content")


@lru_cache(maxsize=256)
def _html_drop(reason: str) -> Verdict:
    """One shared verdict per drop reason (verdicts are frozen): a page drops hundreds of blocks."""
    return Verdict(False, f"html:{reason}")


def _html_lines(
    markup: str, settings: Settings, utf8: bytes | None = None
) -> tuple[list[str], list[Verdict], str | None, str | None, list[Removal]]:
    """Every block of the page in order (so `explain` shows the HTML drops too), with its verdict."""
    page = extract_html(markup, settings=settings, utf8=utf8)
    audit = page.audit or tuple((b, None) for b in page.blocks)
    joined = "\n".join(t.replace("\n", " ") for t, _ in audit)
    texts = normalize_text(joined, settings=settings).split("\n") if audit else []  # a page of no block
    lines, verdicts = [], []
    for line, (_, reason) in zip(texts, audit, strict=True):
        lines.append(line)
        verdicts.append(_html_verdict(line, settings) if reason is None else _html_drop(reason))
    title = normalize_text(page.title, settings=settings) if page.title else None
    return lines, verdicts, title, page.published, []


def _classified(raw: bytes, name: str, settings: Settings):
    decoded = decode(raw, name=name, settings=settings)
    if decoded.source_format == "html":
        utf8 = utf8_source(raw, decoded)
        lines, verdicts, title, published_raw, removed = _html_lines(decoded.text, settings, utf8)
    else:
        lines = normalize_text(decoded.text, settings=settings).splitlines()
        verdicts = classify_lines(lines, settings=settings)
        title, published_raw, removed = None, None, []
    return decoded, lines, verdicts, title, published_raw, removed


def clean_document(raw: bytes, *, name: str, settings: Settings = DEFAULT) -> CleanDoc:
    """Raises BadInput for inputs that hold no article."""
    decoded, lines, verdicts, title, published_raw, removed = _classified(raw, name, settings)
    kept = [line.strip() for line, v in zip(lines, verdicts, strict=True) if v.keep]
    removed += [
        Removal(line.strip(), v.reason)
        for line, v in zip(lines, verdicts, strict=True)
        if not v.keep and v.reason != "blank"
    ]
    html = decoded.source_format == "html"
    paragraphs = rejoin_blocks(kept, settings=settings) if html else rejoin(kept, settings=settings)
    text = "\n".join(paragraphs)
    if len(text) < settings.min_content_chars:
        raise BadInput("no_content", f"{name}: only {len(text)} characters of article text after cleaning")
    page_lines = [line for line, v in zip(lines, verdicts, strict=True) if not v.reason.startswith("html:")]
    published = parse_date(published_raw) or published_from_lines(page_lines, settings=settings)
    if title is None:
        above = _above_metadata(lines, verdicts, settings)
        title = title_from_lines(paragraphs, above_metadata=above, settings=settings)
    return CleanDoc(
        text=text,
        title=title,
        published=published,
        encoding=decoded.encoding,
        source_format=decoded.source_format,
        raw_chars=len(decoded.text),
        sections=find_sections(text, settings=settings),
        removed=tuple(removed),
    )


def _above_metadata(lines: list[str], verdicts: list[Verdict], settings: Settings) -> str | None:
    """The kept line just above the first metadata line near the top (title_from_lines vets it)."""
    last_kept, n_kept = None, 0
    for line, v in zip(lines, verdicts, strict=True):
        if v.reason == "metadata":
            return last_kept
        if v.keep:
            n_kept += 1
            if n_kept > settings.title_scan_lines:
                return None
            last_kept = line
    return None


def explain(raw: bytes, *, name: str, settings: Settings = DEFAULT) -> list[tuple[str, str, str]]:
    """Each non-blank line with `keep`/`drop` and the reason, for auditing a page."""
    _, lines, verdicts, _, _, _ = _classified(raw, name, settings)
    return [
        (line.strip(), "keep" if v.keep else "drop", v.reason)
        for line, v in zip(lines, verdicts, strict=True)
        if v.reason != "blank"
    ]
