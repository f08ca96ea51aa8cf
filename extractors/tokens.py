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
from .spans import Doc, Token

Tagger = Callable[[str], Iterable[tuple[str, str]]]
_ASCII_RUN = re.compile(r"[a-zA-Z0-9]+")


class TokenAlignmentError(RuntimeError):
    """The tokenizer returned words that do not spell the input text."""


def _user_words() -> list[tuple[str, int, str]]:
    try:
        from . import gazetteer
    except ImportError:  # pragma: no cover - the gazetteer ships with the package
        return []
    words_fn = getattr(gazetteer, "jieba_words", None)
    return list(words_fn()) if words_fn else []


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

        def tag(text: str) -> Iterable[tuple[str, str]]:
            for w, t in jb.tag(text, False):
                if w in user_tags:
                    yield w, user_tags[w]
                elif _ASCII_RUN.fullmatch(w) and not jb.has_word(w):
                    yield w, "eng"  # jieba's posseg tags every non-dictionary ASCII run `eng`
                else:
                    yield w, t

        return tag

    import jieba
    import jieba.posseg

    tk = jieba.Tokenizer()
    for word, freq, tag in words:
        tk.add_word(word, freq, tag)
    pt = jieba.posseg.POSTokenizer(tk)
    return lambda text: ((p.word, p.flag) for p in pt.cut(text, HMM=False))


def find_tokens(doc: Doc, *, settings: Settings = DEFAULT) -> list[Token]:
    """Tokenise every sentence; white-space tokens are not rows."""
    tag = get_tagger()
    text = doc.text
    out: list[Token] = []
    for sent in doc.sentences:
        pos = sent.char_start
        no = 0
        for word, flag in tag(text[sent.char_start : sent.char_end]):
            end = pos + len(word)
            if text[pos:end] != word:
                raise TokenAlignmentError(f"token {word!r} does not match text at {pos}: {text[pos:end]!r}")
            if not word.isspace():
                no += 1
                out.append(Token(pos, end, flag, sent.section_no, sent.sentence_no, no))
            pos = end
        if pos != sent.char_end:
            raise TokenAlignmentError(
                f"tokens cover {sent.char_start}..{pos}, sentence ends at {sent.char_end}"
            )
    return out
