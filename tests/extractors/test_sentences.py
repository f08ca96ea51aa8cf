"""Sentence spans: stops, closing quotes, line ends, over-long runs, sections never crossed."""

from __future__ import annotations

import pytest

from extractors.sentences import find_sentences
from extractors.settings import Settings
from extractors.spans import Section

CASES = [
    ("一句。二句！三句？", ["一句。", "二句！", "三句？"]),
    ("他说：“援建完成。”随后离开。", ["他说：“援建完成。”", "随后离开。"]),
    ("标题\n正文第一句。正文第二句", ["标题", "正文第一句。", "正文第二句"]),
    ("  前后空白。  \n\n  下一行。 ", ["前后空白。", "下一行。"]),
    ("省略号……然后继续。", ["省略号……", "然后继续。"]),
    ("中文;分号,不断句。", ["中文;分号,不断句。"]),
    ("English stop? Yes!", ["English stop?", "Yes!"]),
    ("", []),
    ("\n\n", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:8] or "empty" for c in CASES])
def test_sentences(text: str, expected: list[str]) -> None:
    got = find_sentences(text, (Section(0, len(text), 1),))
    assert [text[s.char_start : s.char_end] for s in got] == expected
    assert [s.sentence_no for s in got] == list(range(1, len(expected) + 1))


def test_sections_are_never_crossed_and_numbering_restarts() -> None:
    text = "第一篇:甲\n甲文。乙\n第二篇:丙\n丙文。"
    cut = text.index("第二篇")
    got = find_sentences(text, (Section(0, cut, 1), Section(cut, len(text), 2)))
    assert [(s.section_no, s.sentence_no, text[s.char_start : s.char_end]) for s in got] == [
        (1, 1, "第一篇:甲"), (1, 2, "甲文。"), (1, 3, "乙"), (2, 1, "第二篇:丙"), (2, 2, "丙文。"),
    ]


def test_over_long_run_is_cut_between_clauses() -> None:
    clause = "对口支援项目建设进展顺利，"
    text = clause * 10 + "完成。"
    got = find_sentences(text, (Section(0, len(text), 1),), settings=Settings(max_sentence_chars=40))
    pieces = [text[s.char_start : s.char_end] for s in got]
    assert "".join(pieces) == text
    assert all(len(p) <= 40 for p in pieces)
    assert all(p.endswith("，") for p in pieces[:-1])
