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
from functools import lru_cache
from itertools import compress
from operator import itemgetter

import numpy as np

from .settings import DEFAULT, Settings
from .spans import Doc, TokenColumns

Tagger = Callable[[str], Iterable[tuple[str, str]]]
_ASCII_RUN = re.compile(r"[a-zA-Z0-9]+")
_word = itemgetter(0)
_MAX_REMEMBERED = 400_000  # distinct words whose tag is remembered (about 40 MB)


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


class _Backend:
    """Words of a text, and each word's jieba tag.

    rjieba's tag of a word depends on the word alone (its dictionary entry, else the kind of
    characters), so tags are looked up per distinct word and remembered: cutting and a dict
    lookup per token cost about half of rjieba's own tagging. Two differences from jieba are
    mended when a word is first seen: jieba lets a user word's tag replace the dictionary's
    (和田县 nr -> ns), rjieba keeps the old one; and jieba's posseg tags every ASCII run it has
    no entry for `eng`.
    """

    def __init__(
        self,
        cut: Callable[[str], list[str]],
        tag_pairs: Callable[[str], list[tuple[str, str]]],
        user_tags: dict[str, str] | None = None,
        has_word: Callable[[str], bool] | None = None,
    ) -> None:
        self.cut = cut
        self.tag_pairs = tag_pairs
        self.user_tags = user_tags
        self.has_word = has_word
        self._tags: dict[str, str] = {}

    def _jieba_tag(self, word: str, tag: str) -> str:
        if self.user_tags is None:
            return tag
        if word in self.user_tags:
            return self.user_tags[word]
        if word.isascii() and _ASCII_RUN.fullmatch(word) and not self.has_word(word):  # type: ignore[misc]
            return "eng"
        return tag

    def tags(self, text: str, words: list[str]) -> list[str]:
        """The jieba tags of `words`, the cut of `text`."""
        out = self.standalone_tags(words)
        return self.in_context(text, words) if out is None else out

    def standalone_tags(self, words: list[str]) -> list[str] | None:
        """Each word's tag on its own; None when some word is not a word on its own."""
        known = self._tags
        out = list(map(known.get, words))
        if None in out:
            if len(known) > _MAX_REMEMBERED:  # numbers and names are endless: stay bounded
                known.clear()
            for i, (w, t) in enumerate(zip(words, out, strict=True)):
                if t is None:
                    alone = self.tag_pairs(w)
                    if len(alone) != 1 or alone[0][0] != w:
                        return None
                    out[i] = known[w] = self._jieba_tag(w, alone[0][1])
        return out  # type: ignore[return-value]

    def in_context(self, text: str, words: list[str]) -> list[str]:
        pairs = self.tag_pairs(text)
        if list(map(_word, pairs)) != words:
            raise TokenAlignmentError(f"cut and tag disagree on {text[:40]!r}")
        return [self._jieba_tag(w, t) for w, t in pairs]


@lru_cache(maxsize=1)
def _backend() -> _Backend:
    """Built once per process (dictionary loads cost about a second)."""
    words = _user_words()
    if backend_name() == "rjieba":
        import rjieba

        jb = rjieba.Jieba()
        for word, freq, tag in words:
            jb.add_word(word, freq, tag)
        return _Backend(
            lambda text: jb.cut(text, False),
            lambda text: jb.tag(text, False),
            {w: t for w, _, t in words},
            jb.has_word,
        )

    import jieba
    import jieba.posseg

    tk = jieba.Tokenizer()
    for word, freq, tag in words:
        tk.add_word(word, freq, tag)
    pt = jieba.posseg.POSTokenizer(tk)

    def pairs(text: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in pt.cut(text, HMM=False)]

    return _Backend(lambda text: list(map(_word, pairs(text))), pairs)


@lru_cache(maxsize=1)
def get_tagger() -> Tagger:
    """text -> [(word, jieba tag)], the same words and tags as jieba.posseg with HMM off."""
    backend = _backend()

    def tag(text: str) -> list[tuple[str, str]]:
        words = backend.cut(text)
        return list(zip(words, backend.tags(text, words), strict=True))

    return tag


def find_tokens(doc: Doc, *, settings: Settings = DEFAULT) -> TokenColumns:
    """Tokenise every sentence; white-space tokens are not rows.

    The words must spell the sentence exactly (checked once per sentence), so each
    word's offset is its sentence's start plus the lengths of the words before it.
    """
    backend = _backend()
    text = doc.text
    words: list[str] = []
    counts: list[int] = []
    for sent in doc.sentences:
        s = text[sent.char_start : sent.char_end]
        cut = backend.cut(s)
        if "".join(cut) != s:
            raise TokenAlignmentError(
                f"tokens do not spell the sentence at {sent.char_start}..{sent.char_end}: {s[:40]!r}"
            )
        words += cut
        counts.append(len(cut))
    tags = backend.standalone_tags(words)
    if tags is None:  # some word is tagged by its context: tag each sentence whole
        tags = []
        pos = 0
        for sent, n in zip(doc.sentences, counts, strict=True):
            tags += backend.in_context(text[sent.char_start : sent.char_end], words[pos : pos + n])
            pos += n
    n_sent = len(counts)
    per_sent = np.array(counts, dtype=np.int64)
    sent_of = np.repeat(np.arange(n_sent), per_sent)  # each token's sentence
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths)
    # the words of sentence k start at its char_start: shift the running sum by what precedes it
    starts_at = np.fromiter((x.char_start for x in doc.sentences), dtype=np.int64, count=n_sent)
    before = np.concatenate(([0], np.cumsum(_sentence_lengths(doc))[:-1]))
    char_end = ends + (starts_at - before)[sent_of]
    char_start = char_end - lengths
    keep = ~np.fromiter(map(str.isspace, words), dtype=bool, count=len(words))
    if not keep.all():
        words, tags = list(compress(words, keep)), list(compress(tags, keep))
        char_start, char_end, sent_of = char_start[keep], char_end[keep], sent_of[keep]
    # token_no: 1.. within each sentence, counting kept tokens only
    first = np.searchsorted(sent_of, np.arange(n_sent))
    token_no = np.arange(1, len(words) + 1, dtype=np.int64) - first[sent_of]
    section_of = np.fromiter((x.section_no for x in doc.sentences), dtype=np.int32, count=n_sent)
    sentence_of = np.fromiter((x.sentence_no for x in doc.sentences), dtype=np.int32, count=n_sent)
    return TokenColumns(
        words,
        tags,
        char_start,
        char_end,
        section_of[sent_of],
        sentence_of[sent_of],
        token_no.astype(np.int32),
    )


def _sentence_lengths(doc: Doc) -> np.ndarray:
    return np.fromiter(
        (x.char_end - x.char_start for x in doc.sentences), dtype=np.int64, count=len(doc.sentences)
    )
