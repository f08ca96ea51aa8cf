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


# a page and a text dump that pass through every stage: decoding, the HTML walk, boilerplate
# rules, Traditional conversion, rejoining, sections, tokens, years, amounts and pairings
_WARM_INPUTS = (
    (
        "warm.html",
        "<html><head><meta charset='utf-8'><title>对口支援工作简报</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/news'>新闻</a></div>"
        "<div class='content'><h1>对口支援工作简报</h1><p>发布时间：2023-05-06</p>"
        "<p>2023年，江苏省对口支援新疆克州，全年投入援疆资金12.5亿元，实施项目86个。</p>"
        "<table><tr><td>支援方</td><td>受援方</td></tr><tr><td>南京市</td><td>阿图什市</td></tr></table>"
        "</div><div class='footer'>上一篇：无 下一篇：无</div></body></html>",
    ),
    (
        "warm.txt",
        "首页 > 新闻中心 > 正文\n對口支援簡報\n"
        "2021年至2025年，上海市对口支援西藏日喀则市，\n累计安排资金约3亿元。\n"
        "一、援疆干部\n第十批援疆干部赴喀什地区莎车县开展工作。\n上一篇：无\n下一篇：无\n责任编辑：王明\n",
    ),
)


def warm(*, settings: Settings = DEFAULT) -> None:
    """Load the dictionaries and build every lazily compiled pattern now, by running a page and a
    text dump through the whole pipeline: a process that forks workers does this once for all."""
    for name, raw in _WARM_INPUTS:
        cd = clean(raw.encode("utf-8"), name=name, settings=settings)
        doc = make_doc(cd.text, cd.sections, title=cd.title, published=cd.published, settings=settings)
        extract(doc, settings=settings)
