"""The tokens table is built from columns in numpy, not from a Python string per token: its text
and pos must equal what a plain conversion of the words and tags gives, for every UTF-8 width."""

from __future__ import annotations

import pyarrow as pa
import pytest

from extractors import pipeline, tokens
from extractors.spans import Section
from flows import tables as T

CASES = {
    "hanzi": ["北京市对口支援和田县。"],
    "ascii and digits": ["援建 Hope 学校 3.5 亿元"],
    "four-byte characters": ["𠮷野家在𡈽里，投入𠀋资金"],
    "two-byte characters": ["Zürich café ½ 与 ä"],
    "several documents": ["二是援建学校。", "上海市对口支援日喀则市", "𠮷 and é"],
    "a document without tokens among others": ["   ", "新疆克州"],
}


@pytest.mark.parametrize("texts", CASES.values(), ids=CASES.keys())
def test_token_table_text_and_pos_equal_the_words_and_tags(texts: list[str]) -> None:
    docs = [pipeline.make_doc(t, (Section(0, len(t), 1),)) for t in texts]
    columns = [tokens.find_tokens(d) for d in docs]
    table = T.token_table([f"d{i}" for i in range(len(docs))], columns)
    table.validate(full=True)
    pairs = zip(docs, columns, strict=True)
    words = [(d.text[t.char_start : t.char_end], t.pos) for d, c in pairs for t in c]
    assert list(zip(table["text"].to_pylist(), table["pos"].to_pylist(), strict=True)) == words
    assert table.schema == T.SCHEMAS["tokens"]


def test_token_table_of_no_documents_is_empty() -> None:
    table = T.token_table([], [])
    assert table.num_rows == 0 and table.schema == T.SCHEMAS["tokens"]
    assert table["text"].type == pa.string()
