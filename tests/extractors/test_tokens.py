"""Tokens: rjieba (fast) must give jieba's own words and tags, with the division names loaded in both."""

from __future__ import annotations

import subprocess
import sys

import jieba
import jieba.posseg
import pytest

from extractors import gazetteer, pipeline, tokens
from extractors.settings import Settings
from extractors.spans import Section
from tests.conftest import FIXTURES, ROOT, SAMPLES

CASES = [
    (
        "北京市对口支援和田地区的和田县",
        [("北京市", "ns"), ("对口", "vn"), ("支援", "v"), ("和田地区", "ns"), ("的", "uj"), ("和田县", "ns")],
    ),
    (
        "深圳对口支援塔什库尔干塔吉克自治县",
        [("深圳", "ns"), ("对口", "vn"), ("支援", "v"), ("塔什库尔干塔吉克自治县", "ns")],
    ),
    ("昌吉回族自治州阜康市", [("昌吉回族自治州", "ns"), ("阜康市", "ns")]),
]


def _doc(text: str):
    return pipeline.make_doc(text, (Section(0, len(text), 1),))


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:6] for c in CASES])
def test_division_names_are_whole_ns_tokens(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(text[t.char_start : t.char_end], t.pos) for t in tokens.find_tokens(_doc(text))]
    assert got == expected


def test_offsets_and_numbering() -> None:
    text = "一句话。\n第二 句。"
    got = tokens.find_tokens(_doc(text))
    assert [(text[t.char_start : t.char_end], t.sentence_no, t.token_no) for t in got] == [
        ("一句", 1, 1),
        ("话", 1, 2),
        ("。", 1, 3),
        ("第二", 2, 1),
        ("句", 2, 2),
        ("。", 2, 3),
    ]


@pytest.fixture(scope="module")
def reference_jieba() -> jieba.posseg.POSTokenizer:
    tk = jieba.Tokenizer()
    for word, freq, tag in gazetteer.jieba_words():
        tk.add_word(word, freq, tag)
    return jieba.posseg.POSTokenizer(tk)


def test_fast_backend_equals_jieba_on_every_sentence_of_the_samples(reference_jieba) -> None:
    if tokens.backend_name() != "rjieba":
        pytest.skip("rjieba is not installed: the jieba fallback is the reference itself")
    tagger = tokens.get_tagger()
    n = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        clean = pipeline.clean(path.read_bytes(), name=path.name)
        doc = pipeline.make_doc(clean.text, clean.sections)
        for sent in doc.sentences:
            s = clean.text[sent.char_start : sent.char_end]
            fast = list(tagger(s))
            ref = [(p.word, p.flag) for p in reference_jieba.cut(s, HMM=False)]
            assert fast == ref, s
            assert [w for w, _ in fast] == reference_jieba.tokenizer.lcut(s, HMM=False), s
            n += 1
    assert n > 500


@pytest.mark.parametrize(
    "text",
    [
        "北京市对口支援和田地区的和田县，投入资金3.5亿元。\n二是援建学校。",
        "二是 援建 Hope 学校。\n北京市 对口支援和田县。",
    ],
    ids=["no_space", "spaces_inside_sentences"],
)
def test_a_word_that_does_not_stand_alone_is_tagged_in_its_sentence(monkeypatch, text: str) -> None:
    """Tags are remembered per word; a word the backend would cut differently on its own
    (none is known today, the fallback guards against one) makes the document tag sentences whole."""
    doc = _doc(text)
    expected = [(text[t.char_start : t.char_end], t.pos, t.token_no) for t in tokens.find_tokens(doc)]
    backend = tokens._backend()
    real = backend.tag_pairs
    monkeypatch.setattr(backend, "_codes", {})
    monkeypatch.setattr(
        backend, "tag_pairs", lambda s: real(s) if len(s) > 3 else [(s[:1], "x"), (s[1:], "x")]
    )
    got = [(text[t.char_start : t.char_end], t.pos, t.token_no) for t in tokens.find_tokens(doc)]
    assert got == expected
    assert backend._codes == {}  # nothing was remembered from the split probes


def _corpus_docs() -> list:
    docs = []
    for path in sorted(SAMPLES.glob("*.txt")) + sorted((FIXTURES / "e2e").glob("*.*")):
        if path.suffix not in (".txt", ".html"):
            continue
        clean = pipeline.clean(path.read_bytes(), name=path.name)
        docs.append(pipeline.make_doc(clean.text, clean.sections))
    return docs


def test_cutting_the_whole_text_gives_each_sentence_its_own_cut() -> None:
    """find_tokens cuts a document once when every sentence bound is a word bound; the words,
    offsets and sentences must be those of cutting sentence by sentence."""
    backend = tokens._backend()
    docs = _corpus_docs()
    assert len(docs) > 10
    whole = 0
    for doc in docs:
        fast = tokens._whole_text(backend, doc)
        slow = tokens._by_sentence(backend, doc)
        if fast is None:
            continue
        whole += 1
        assert fast[0] == slow[0]
        for a, b in zip(fast[1:], slow[1:], strict=True):
            assert a.tolist() == b.tolist()
    assert whole >= len(docs) - 2


def test_a_sentence_cut_inside_a_run_of_hanzi_is_cut_on_its_own() -> None:
    """An over-long sentence with no comma is cut hard, between two hanzi: the whole-text cut could
    join a word across that bound, so the document is cut sentence by sentence."""
    text = "北京市对口支援和田地区和田县投入资金建设学校医院和道路" * 3
    doc = pipeline.make_doc(text, (Section(0, len(text), 1),), settings=Settings(max_sentence_chars=10))
    assert len(doc.sentences) > 1
    assert tokens._whole_text(tokens._backend(), doc) is None
    got = tokens.find_tokens(doc)
    for t in got:
        sent = doc.sentences[t.sentence_no - 1]
        assert sent.char_start <= t.char_start < t.char_end <= sent.char_end
    assert "".join(text[t.char_start : t.char_end] for t in got) == text


def test_building_the_backend_again_leaves_cuts_and_tags_as_they_were() -> None:
    """The user words go into rjieba's one module-level dictionary: adding them a second time
    (a cleared cache, a test, a reload) must not shift any word's frequency or tag."""
    docs = _corpus_docs()
    texts = [doc.text for doc in docs]
    before = tokens._backend()
    first = [(before.cut(t), before.tag_pairs(t)) for t in texts]
    tokens._loaded.cache_clear()
    try:
        tokens._backend()
        tokens._loaded.cache_clear()
        again = tokens._backend()
        assert again is not before
        assert [(again.cut(t), again.tag_pairs(t)) for t in texts] == first
    finally:
        tokens._loaded.cache_clear()
        tokens.get_tagger.cache_clear()


# a one-worker run tokenises in several batch threads of one process; in a fresh process (the
# backend not loaded yet) they all meet their first document at once
_FIRST_USE_IN_THREADS = """
import threading
from extractors import pipeline, tokens
from extractors.spans import Section
text = "北京市对口支援和田地区的和田县，投入资金3.5亿元。" * 4000
doc = pipeline.make_doc(text, (Section(0, len(text), 1),))
start = threading.Barrier(4)
words, errors = [], []
def work():
    start.wait()
    try:
        words.append(tokens.find_tokens(doc).text)
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(errors, len(words), len(set(words)))
"""


def test_threads_meeting_their_first_document_at_once_all_get_its_tokens() -> None:
    """Loading the backend is serialised: each thread used to build its own, and rjieba refused the
    second build's words while the first thread cut ("Already borrowed", a rejected document)."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_USE_IN_THREADS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "[] 4 1"
