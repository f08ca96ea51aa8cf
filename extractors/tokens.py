"""jieba tokens with part-of-speech tags, aligned to the clean text.

The backend is rjieba (the jieba-rs port: jieba's dictionary, identical words with
HMM off, far faster) when installed, else jieba's own posseg. Either way the
division names of the gazetteer are added as `ns` words, so county names stay
whole, and each word is found again in the text: a mismatch raises instead of
shifting every later offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .settings import DEFAULT, Settings
from .spans import Doc, TokenColumns

Tagger = Callable[[str], Iterable[tuple[str, str]]]
_ASCII_RUN = re.compile(r"[a-zA-Z0-9]+")


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


@lru_cache(maxsize=1)
def get_tagger() -> Tagger:
    """Build the tagger once per process (dictionary loads cost about a second)."""
    words = _user_words()
    if backend_name() == "rjieba":
        import rjieba

        jb = rjieba.Jieba()
        for word, freq, tag in words:
            jb.add_word(word, freq, tag)
        # jieba lets a user word's tag replace the dictionary's (和田县 nr -> ns); rjieba keeps
        # the old tag, so the user tags are applied here to give jieba's tags
        user_tags = {word: tag for word, _, tag in words}
        has_word = jb.has_word

        def jieba_tag(w: str, t: str) -> str:
            if w in user_tags:
                return user_tags[w]
            if w.isascii() and _ASCII_RUN.fullmatch(w) and not has_word(w):
                return "eng"  # jieba's posseg tags every non-dictionary ASCII run `eng`
            return t

        def tag(text: str) -> list[tuple[str, str]]:
            return [(w, jieba_tag(w, t)) for w, t in jb.tag(text, False)]

        return tag

    import jieba
    import jieba.posseg

    tk = jieba.Tokenizer()
    for word, freq, tag in words:
        tk.add_word(word, freq, tag)
    pt = jieba.posseg.POSTokenizer(tk)
    return lambda text: [(p.word, p.flag) for p in pt.cut(text, HMM=False)]


def find_tokens(doc: Doc, *, settings: Settings = DEFAULT) -> TokenColumns:
    """Tokenise every sentence; white-space tokens are not rows.

    The words must spell the sentence exactly (checked once per sentence), so each
    word's offset is the running sum of the lengths before it.
    """
    tag = get_tagger()
    text = doc.text
    cols = TokenColumns([], [], [], [], [], [], [])
    for sent in doc.sentences:
        s = text[sent.char_start : sent.char_end]
        tagged = tag(s)
        if "".join(w for w, _ in tagged) != s:
            raise TokenAlignmentError(
                f"tokens do not spell the sentence at {sent.char_start}..{sent.char_end}: {s[:40]!r}"
            )
        pos = sent.char_start
        no = 0
        for word, flag in tagged:
            end = pos + len(word)
            if not word.isspace():
                no += 1
                cols.text.append(word)
                cols.pos.append(flag)
                cols.char_start.append(pos)
                cols.char_end.append(end)
            pos = end
        cols.section_no.extend([sent.section_no] * no)
        cols.sentence_no.extend([sent.sentence_no] * no)
        cols.token_no.extend(range(1, no + 1))
    return cols
