"""jieba tokens with part-of-speech tags, aligned to the clean text.

The backend is rjieba (the jieba-rs port: jieba's dictionary, identical words with
HMM off, far faster) when installed, else jieba's own posseg. Either way the
division names of the gazetteer are added as `ns` words, so county names stay
whole, and each word is found again in the text: a mismatch raises instead of
shifting every later offset.

A report has about one token per two characters, so the per-token work runs in C
(map, accumulate, compress over the backend's lists): a Python statement per token
cost more than the tokenizer itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import itemgetter, not_

from .settings import DEFAULT, Settings
from .spans import Doc, TokenColumns

Tagger = Callable[[str], Iterable[tuple[str, str]]]
_ASCII_RUN = re.compile(r"[a-zA-Z0-9]+")
_word, _tag = itemgetter(0), itemgetter(1)


class TokenAlignmentError(RuntimeError):
    """The tokenizer returned words that do not spell the input text."""


def _user_words() -> list[tuple[str, int, str]]:
    from . import gazetteer  # loaded with the tagger, not when tokens is imported

    return list(gazetteer.jieba_words())


@lru_cache(maxsize=1)
def backend_name() -> str:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


@dataclass(frozen=True)
class _Backend:
    """The backend's own (word, tag) pairs, and what turns its tags into jieba's."""

    pairs: Callable[[str], list[tuple[str, str]]]
    user_tags: dict[str, str] | None = None  # None: the tags are jieba's already
    has_word: Callable[[str], bool] | None = None

    def jieba_tags(self, words: list[str], tags: list[str]) -> list[str]:
        """jieba lets a user word's tag replace the dictionary's (和田县 nr -> ns), rjieba keeps the
        old one; and jieba's posseg tags every ASCII run it has no entry for `eng`."""
        if self.user_tags is None:
            return tags
        user_tags = self.user_tags
        out = list(map(user_tags.get, words, tags))
        has_word = self.has_word
        for i in compress(range(len(words)), map(str.isascii, words)):
            w = words[i]
            if w not in user_tags and _ASCII_RUN.fullmatch(w) and not has_word(w):  # type: ignore[misc]
                out[i] = "eng"
        return out


@lru_cache(maxsize=1)
def _backend() -> _Backend:
    """Built once per process (dictionary loads cost about a second)."""
    words = _user_words()
    if backend_name() == "rjieba":
        import rjieba

        jb = rjieba.Jieba()
        for word, freq, tag in words:
            jb.add_word(word, freq, tag)
        return _Backend(lambda text: jb.tag(text, False), {w: t for w, _, t in words}, jb.has_word)

    import jieba
    import jieba.posseg

    tk = jieba.Tokenizer()
    for word, freq, tag in words:
        tk.add_word(word, freq, tag)
    pt = jieba.posseg.POSTokenizer(tk)
    return _Backend(lambda text: [(p.word, p.flag) for p in pt.cut(text, HMM=False)])


@lru_cache(maxsize=1)
def get_tagger() -> Tagger:
    """text -> [(word, jieba tag)], the same words and tags as jieba.posseg with HMM off."""
    backend = _backend()

    def tag(text: str) -> list[tuple[str, str]]:
        pairs = backend.pairs(text)
        words = list(map(_word, pairs))
        return list(zip(words, backend.jieba_tags(words, list(map(_tag, pairs))), strict=True))

    return tag


def find_tokens(doc: Doc, *, settings: Settings = DEFAULT) -> TokenColumns:
    """Tokenise every sentence; white-space tokens are not rows.

    The words must spell the sentence exactly (checked once per sentence), so each
    word's offset is the running sum of the lengths before it.
    """
    backend = _backend()
    text = doc.text
    cols = TokenColumns([], [], [], [], [], [], [])
    tags: list[str] = []
    for sent in doc.sentences:
        s = text[sent.char_start : sent.char_end]
        pairs = backend.pairs(s)
        words = list(map(_word, pairs))
        if "".join(words) != s:
            raise TokenAlignmentError(
                f"tokens do not spell the sentence at {sent.char_start}..{sent.char_end}: {s[:40]!r}"
            )
        starts = list(accumulate(map(len, words), initial=sent.char_start))
        ends = starts[1:]
        del starts[-1]
        flags = list(map(_tag, pairs))
        if any(map(str.isspace, words)):
            keep = list(map(not_, map(str.isspace, words)))
            words, flags = list(compress(words, keep)), list(compress(flags, keep))
            starts, ends = list(compress(starts, keep)), list(compress(ends, keep))
        n = len(words)
        cols.text.extend(words)
        tags.extend(flags)
        cols.char_start.extend(starts)
        cols.char_end.extend(ends)
        cols.section_no.extend(repeat(sent.section_no, n))
        cols.sentence_no.extend(repeat(sent.sentence_no, n))
        cols.token_no.extend(range(1, n + 1))
    cols.pos.extend(backend.jieba_tags(cols.text, tags))
    return cols
