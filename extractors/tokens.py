"""jieba tokens with part-of-speech tags, aligned to the clean text.

The backend is rjieba (the jieba-rs port: jieba's dictionary, identical words with
HMM off, far faster) when installed, else jieba's own posseg. Either way the
division names of the gazetteer are added as `ns` words, so county names stay
whole, and each word is found again in the text: a mismatch raises instead of
shifting every later offset.

A report has about one token per two characters, so the per-token work runs in C
(map and compress over the backend's lists, numpy for offsets and numbers): a Python
statement per token cost more than the tokenizer itself.
"""

from __future__ import annotations

import re
import threading
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
        self._codes: dict[str, int] = {}  # word -> the index of its tag in tag_names
        self.tag_names: list[str] = []  # only grows: a code keeps its tag
        self._code_of: dict[str, int] = {}
        self._new_tag = threading.Lock()

    def _jieba_tag(self, word: str, tag: str) -> str:
        if self.user_tags is None:
            return tag
        if word in self.user_tags:
            return self.user_tags[word]
        if word.isascii() and _ASCII_RUN.fullmatch(word) and not self.has_word(word):  # type: ignore[misc]
            return "eng"
        return tag

    def code(self, tag: str) -> int:
        """The index of `tag` in tag_names, added when new (under a lock: two threads meeting two
        new tags at once must not give both the same index)."""
        if (c := self._code_of.get(tag)) is None:
            with self._new_tag:
                if (c := self._code_of.get(tag)) is None:
                    self.tag_names.append(tag)
                    c = self._code_of[tag] = len(self.tag_names) - 1
        return c

    def tags(self, text: str, words: list[str]) -> list[str]:
        """The jieba tags of `words`, the cut of `text`."""
        codes = self.standalone_codes(words)
        if codes is None:
            return self.in_context(text, words)
        return [self.tag_names[c] for c in codes]

    def standalone_codes(self, words: list[str]) -> list[int] | None:
        """Each word's tag on its own, as a code (see `code`); None when some word is not a word on
        its own. Codes, not tag strings: the tokens table takes them as Arrow dictionary indices,
        where a million tag strings cost a conversion each."""
        known = self._codes
        out = list(map(known.get, words))
        if None in out:  # a word not seen yet
            if len(known) > _MAX_REMEMBERED:  # numbers and names are endless: stay bounded
                known.clear()
            for i, (w, c) in enumerate(zip(words, out, strict=True)):
                if c is None:
                    alone = self.tag_pairs(w)
                    if len(alone) != 1 or alone[0][0] != w:
                        return None
                    out[i] = known[w] = self.code(self._jieba_tag(w, alone[0][1]))
        return out  # type: ignore[return-value]

    def in_context(self, text: str, words: list[str], *, with_space: bool = True) -> list[str]:
        """The tags of `words` (the cut of `text`, without its white space unless `with_space`)."""
        pairs = self.tag_pairs(text)
        if not with_space:
            pairs = [p for p in pairs if not p[0].isspace()]
        if list(map(_word, pairs)) != words:
            raise TokenAlignmentError(f"cut and tag disagree on {text[:40]!r}")
        return [self._jieba_tag(w, t) for w, t in pairs]


# the batch threads of a one-worker run meet their first documents at once: without the lock each
# would miss the cache and build a backend, and rjieba refuses a new word while another thread cuts
_LOAD = threading.Lock()


def _backend() -> _Backend:
    with _LOAD:  # held for a cache lookup once loaded
        return _loaded()


@lru_cache(maxsize=1)
def _loaded() -> _Backend:
    """Built once per process (dictionary loads cost about a second)."""
    words = _user_words()
    if backend_name() == "rjieba":
        import rjieba

        # importing rjieba builds its module-level Jieba (the dictionary: 0.1 s, 24 MB): the user
        # words go into that one, as a second Jieba() would load the dictionary again. Adding a
        # word twice with the same frequency and tag leaves the dictionary as it was.
        for word, freq, tag in words:
            rjieba.add_word(word, freq, tag)
        cut, tag_pairs = rjieba.cut, rjieba.tag
        return _Backend(
            lambda text: cut(text, False),
            lambda text: tag_pairs(text, False),
            {w: t for w, _, t in words},
            rjieba.has_word,
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

    The words must spell the text exactly (checked), so each word's offset is the sum of
    the lengths before it.
    """
    backend = _backend()
    text = doc.text
    words, starts, lengths, sent_of = _whole_text(backend, doc) or _by_sentence(backend, doc)
    codes = backend.standalone_codes(words)
    if codes is None:  # some word is tagged by its context: tag each sentence whole
        codes = []
        for k, sent in enumerate(doc.sentences):
            lo, hi = np.searchsorted(sent_of, [k, k + 1])
            s = text[sent.char_start : sent.char_end]
            codes += map(backend.code, backend.in_context(s, words[lo:hi], with_space=False))
    ends = starts + lengths
    # token_no: 1.. within each sentence, counting kept tokens only
    n_sent = len(doc.sentences)
    first = np.searchsorted(sent_of, np.arange(n_sent))
    token_no = np.arange(1, len(words) + 1, dtype=np.int64) - first[sent_of]
    section_of = np.fromiter((x.section_no for x in doc.sentences), dtype=np.int32, count=n_sent)
    sentence_of = np.fromiter((x.sentence_no for x in doc.sentences), dtype=np.int32, count=n_sent)
    return TokenColumns(
        "".join(words),
        np.array(codes, dtype=np.int32),
        tuple(backend.tag_names),
        starts,
        ends,
        section_of[sent_of],
        sentence_of[sent_of],
        token_no.astype(np.int32),
    )


# the words of a document but its white space (no token rows), their starts, lengths, sentence index
Cut = tuple[list[str], np.ndarray, np.ndarray, np.ndarray]


def _by_sentence(backend: _Backend, doc: Doc) -> Cut:
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
    n_sent = len(counts)
    sent_of = np.repeat(np.arange(n_sent), np.array(counts, dtype=np.int64))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    # the words of sentence k start at its char_start: shift the running sum by what precedes it
    sent_starts = np.fromiter((x.char_start for x in doc.sentences), dtype=np.int64, count=n_sent)
    sent_lengths = np.fromiter((x.char_end - x.char_start for x in doc.sentences), np.int64, n_sent)
    before = np.concatenate(([0], np.cumsum(sent_lengths)[:-1]))
    starts = np.cumsum(lengths) - lengths + (sent_starts - before)[sent_of]
    return _without_space(words, starts, lengths, sent_of)


def _without_space(words: list[str], starts: np.ndarray, lengths: np.ndarray, sent_of: np.ndarray) -> Cut:
    keep = ~np.fromiter(map(str.isspace, words), dtype=bool, count=len(words))
    if keep.all():
        return words, starts, lengths, sent_of
    return list(compress(words, keep)), starts[keep], lengths[keep], sent_of[keep]


# characters the backend never joins to a neighbour (it cuts runs of hanzi, ASCII letters, digits
# and +#&._%- ; everything else is a token of its own): a sentence bound next to one is a word bound
_APART = frozenset(" \t\r\n\u3000。！？!?…”’」』）)]】，,；;：:、“‘「『（(【《》〈〉·")


def _whole_text(backend: _Backend, doc: Doc) -> Cut | None:
    """The whole text cut once, its words assigned to sentences.

    None when a sentence bound is not certainly a word bound (a hard cut inside a run of
    hanzi), so the caller cuts sentence by sentence. One call instead of one per sentence:
    the calls were the cost."""
    text = doc.text
    n = len(text)
    sents = doc.sentences
    if not sents:  # white space only: no sentence, so no token
        none = np.empty(0, np.int64)
        return [], none, none, none
    bounds = [b for x in sents for b in (x.char_start, x.char_end) if 0 < b < n]
    if any(text[b - 1] not in _APART and text[b] not in _APART for b in bounds):
        return None
    words = backend.cut(text)
    if "".join(words) != text:
        raise TokenAlignmentError(f"tokens do not spell the text: {text[:40]!r}")
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    sent_starts = np.fromiter((x.char_start for x in sents), dtype=np.int64, count=len(sents))
    sent_ends = np.fromiter((x.char_end for x in sents), dtype=np.int64, count=len(sents))
    k = np.searchsorted(sent_starts, starts, side="right") - 1  # the last sentence starting at or before
    limit = sent_ends[np.maximum(k, 0)]
    inside = (k >= 0) & (starts < limit)
    if (inside & (ends > limit)).any():  # a word runs past its sentence
        return None
    edges = np.concatenate((starts, [n]))  # sorted: every sentence bound must be one of them
    for b in (sent_starts, sent_ends):
        at = np.minimum(np.searchsorted(edges, b), len(edges) - 1)
        if not (edges[at] == b).all():
            return None
    return _without_space(list(compress(words, inside)), starts[inside], lengths[inside], k[inside])
