"""Every table of the contract declared once, as an Arrow schema, and the rows built from records.

The writer, `validate`, `duikou status` and the tests all read `SCHEMAS`; tables are
built with `pa.Table.from_pylist(rows, schema=...)`, never inferred, so a nullable
int column stays int32 and a renamed field fails loudly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from extractors.spans import Amount, Pairing, Section, TokenColumns, YearMention

_TS = pa.timestamp("us", tz="UTC")

_KEY = [pa.field("doc_id", pa.string(), nullable=False), pa.field("section_no", pa.int32(), nullable=False)]
_SPAN = [pa.field("char_start", pa.int64(), nullable=False), pa.field("char_end", pa.int64(), nullable=False)]


def _f(name: str, typ: pa.DataType, nullable: bool = False) -> pa.Field:
    return pa.field(name, typ, nullable=nullable)


SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            _f("doc_id", pa.string()),
            _f("source_path", pa.string()),
            _f("source_format", pa.string()),
            _f("encoding", pa.string()),
            _f("title", pa.string(), True),
            _f("published", pa.date32(), True),
            _f("text", pa.string()),
            _f("raw_chars", pa.int64()),
            _f("clean_chars", pa.int64()),
            _f("n_sections", pa.int32()),
            _f("ingested_at", _TS),
            _f("pipeline_version", pa.string()),
            # beyond the contract: the full hash and the audit count of dropped lines
            _f("sha256", pa.string()),
            _f("n_removed", pa.int32()),
        ]
    ),
    "sections": pa.schema([*_KEY, _f("title", pa.string(), True), *_SPAN]),
    "tokens": pa.schema(
        [
            *_KEY,
            _f("sentence_no", pa.int32()),
            _f("token_no", pa.int32()),
            _f("text", pa.string()),
            _f("pos", pa.string()),
            *_SPAN,
        ]
    ),
    "pairings": pa.schema(
        [
            *_KEY,
            _f("supporter", pa.string()),
            _f("recipient", pa.string()),
            _f("supporter_name", pa.string()),
            _f("recipient_name", pa.string()),
            _f("supporter_code", pa.string(), True),
            _f("recipient_code", pa.string(), True),
            _f("supporter_kind", pa.string()),
            _f("recipient_kind", pa.string()),
            _f("relation", pa.string()),
            _f("year_start", pa.int32(), True),
            _f("year_end", pa.int32(), True),
            _f("evidence", pa.string()),
            *_SPAN,
            _f("rule", pa.string()),
        ]
    ),
    "amounts": pa.schema(
        [
            *_KEY,
            _f("text", pa.string()),
            _f("value", pa.float64()),
            _f("value_max", pa.float64(), True),
            _f("currency", pa.string()),
            _f("qualifier", pa.string()),
            _f("year_start", pa.int32(), True),
            _f("year_end", pa.int32(), True),
            _f("context", pa.string()),
            *_SPAN,
            _f("context_start", pa.int64()),
            _f("context_end", pa.int64()),
        ]
    ),
    "years": pa.schema(
        [
            *_KEY,
            _f("text", pa.string()),
            _f("kind", pa.string()),
            _f("year_start", pa.int32(), True),
            _f("year_end", pa.int32(), True),
            _f("month", pa.int32(), True),
            _f("day", pa.int32(), True),
            _f("context", pa.string()),
            *_SPAN,
            _f("context_start", pa.int64()),
            _f("context_end", pa.int64()),
        ]
    ),
    "rejects": pa.schema(
        [
            _f("source_path", pa.string()),
            _f("sha256", pa.string(), True),
            _f("reason", pa.string()),
            _f("detail", pa.string()),
            _f("seen_at", _TS),
        ]
    ),
    "runs": pa.schema(
        [
            _f("run_id", pa.string()),
            _f("flow", pa.string()),
            _f("started_at", _TS),
            _f("finished_at", _TS),
            _f("status", pa.string()),
            _f("pipeline_version", pa.string()),
            _f("n_inputs", pa.int64()),
            _f("n_processed", pa.int64()),
            _f("n_skipped", pa.int64()),
            _f("n_rejected", pa.int64()),
            _f("rows_documents", pa.int64()),
            _f("rows_sections", pa.int64()),
            _f("rows_tokens", pa.int64()),
            _f("rows_pairings", pa.int64()),
            _f("rows_amounts", pa.int64()),
            _f("rows_years", pa.int64()),
            _f("rows_rejects", pa.int64()),
            _f("message", pa.string(), True),
        ]
    ),
}

DOC_TABLES = ("documents", "sections")  # written by ingest, keyed by doc_id
EXTRACT_TABLES = ("tokens", "pairings", "amounts", "years")  # written by extract, keyed by doc_id
KEYED_TABLES = DOC_TABLES + EXTRACT_TABLES
# tables whose rows carry a `text`-like column sliced from documents.text, and its span columns
SPAN_TEXT_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "tokens": (("text", "char_start", "char_end"),),
    "pairings": (("evidence", "char_start", "char_end"),),
    "amounts": (("text", "char_start", "char_end"), ("context", "context_start", "context_end")),
    "years": (("text", "char_start", "char_end"), ("context", "context_start", "context_end")),
}


def build(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """An Arrow table of exactly the declared schema; a missing or mistyped column raises."""
    return pa.Table.from_pylist(list(rows), schema=SCHEMAS[table])


def empty(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table()


@dataclass(frozen=True, slots=True)
class _SectionIndex:
    starts: list[int]
    numbers: list[int]

    def at(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.numbers[max(i, 0)]


def section_index(sections: Sequence[Section]) -> _SectionIndex:
    ordered = sorted(sections, key=lambda s: s.char_start)
    return _SectionIndex([s.char_start for s in ordered] or [0], [s.section_no for s in ordered] or [1])


def section_rows(doc_id: str, sections: Iterable[Section]) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc_id,
            "section_no": s.section_no,
            "title": s.title,
            "char_start": s.char_start,
            "char_end": s.char_end,
        }
        for s in sections
    ]


def _token_texts(columns: Sequence[TokenColumns]) -> pa.Array:
    """The words of every document as one string array, made in numpy: the UTF-8 of the run-together
    words is the array's data, and a word ends where the character after its last one starts (a
    character starts at every byte that is not a continuation byte, 10xxxxxx). A list of a million
    words cost a conversion each."""
    data = "".join(c.text for c in columns).encode("utf-8")
    octets = np.frombuffer(data, dtype=np.uint8)
    byte_at = np.append(np.flatnonzero((octets & 0xC0) != 0x80), len(data))  # by character index
    lengths = [c.char_end - c.char_start for c in columns]
    char_at = np.zeros(sum(map(len, lengths)) + 1, np.int64)
    if len(char_at) > 1:
        np.cumsum(np.concatenate(lengths), out=char_at[1:])
    offsets = pa.py_buffer(byte_at[char_at].astype(np.int64))
    words = pa.LargeStringArray.from_buffers(len(char_at) - 1, offsets, pa.py_buffer(data))
    return words.cast(pa.string())  # 32-bit offsets; raises past 2 GiB of words


def _token_tags(columns: Sequence[TokenColumns]) -> pa.Array:
    """Tags from their codes: the documents' tag tables only ever grow, so the longest holds them all."""
    names = max((c.tags for c in columns), key=len, default=())
    codes = np.concatenate([c.pos for c in columns]) if columns else np.empty(0, np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(names, pa.string())).cast(
        pa.string()
    )


def token_table(doc_ids: Sequence[str], columns: Sequence[TokenColumns]) -> pa.Table:
    """A batch's tokens straight into Arrow as columns, one conversion per column per batch.

    A row per token as a dict, or a table per document, cost more than tokenising; the
    doc_id column is the batch's ids taken by index, not a Python list of repeated strings.
    """
    counts = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
    which = pa.array(np.repeat(np.arange(len(columns), dtype=np.int32), counts))

    def numbers(name: str, typ: pa.DataType) -> pa.Array:
        parts = [getattr(c, name) for c in columns]
        return pa.array(np.concatenate(parts) if parts else np.empty(0, np.int64), typ)

    return pa.table(
        {
            "doc_id": pa.array(doc_ids, pa.string()).take(which),
            "section_no": numbers("section_no", pa.int32()),
            "sentence_no": numbers("sentence_no", pa.int32()),
            "token_no": numbers("token_no", pa.int32()),
            "text": _token_texts(columns),
            "pos": _token_tags(columns),
            "char_start": numbers("char_start", pa.int64()),
            "char_end": numbers("char_end", pa.int64()),
        },
        schema=SCHEMAS["tokens"],
    )


def amount_rows(
    doc_id: str, text: str, idx: _SectionIndex, amounts: Iterable[Amount]
) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc_id,
            "section_no": idx.at(a.char_start),
            "text": text[a.char_start : a.char_end],
            "value": float(a.value),
            "value_max": None if a.value_max is None else float(a.value_max),
            "currency": a.currency,
            "qualifier": a.qualifier,
            "year_start": a.year_start,
            "year_end": a.year_end,
            "context": text[a.context_start : a.context_end],
            "char_start": a.char_start,
            "char_end": a.char_end,
            "context_start": a.context_start,
            "context_end": a.context_end,
        }
        for a in amounts
    ]


def year_rows(
    doc_id: str, text: str, idx: _SectionIndex, years: Iterable[YearMention]
) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc_id,
            "section_no": idx.at(y.char_start),
            "text": text[y.char_start : y.char_end],
            "kind": y.kind,
            "year_start": y.year_start,
            "year_end": y.year_end,
            "month": y.month,
            "day": y.day,
            "context": text[y.context_start : y.context_end],
            "char_start": y.char_start,
            "char_end": y.char_end,
            "context_start": y.context_start,
            "context_end": y.context_end,
        }
        for y in years
    ]


def pairing_rows(
    doc_id: str, text: str, idx: _SectionIndex, pairings: Iterable[Pairing]
) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc_id,
            "section_no": idx.at(p.char_start),
            "supporter": p.supporter.written,
            "recipient": p.recipient.written,
            "supporter_name": p.supporter.name,
            "recipient_name": p.recipient.name,
            "supporter_code": p.supporter.code,
            "recipient_code": p.recipient.code,
            "supporter_kind": p.supporter.kind,
            "recipient_kind": p.recipient.kind,
            "relation": p.relation,
            "year_start": p.year_start,
            "year_end": p.year_end,
            "evidence": text[p.char_start : p.char_end],
            "char_start": p.char_start,
            "char_end": p.char_end,
            "rule": p.rule,
        }
        for p in pairings
    ]


def validate(table: str, data: pa.Table, texts: dict[str, str] | None = None) -> list[str]:
    """Every failure at once: schema mismatch, and (given the documents' texts) broken offsets."""
    errors: list[str] = []
    if not data.schema.equals(SCHEMAS[table]):
        errors.append(f"{table}: schema differs from the declaration:\n{data.schema}")
        return errors
    if texts is None or table not in SPAN_TEXT_COLUMNS:
        return errors
    cols = data.to_pydict()
    for col, start_col, end_col in SPAN_TEXT_COLUMNS[table]:
        for i, (doc_id, value, s, e) in enumerate(
            zip(cols["doc_id"], cols[col], cols[start_col], cols[end_col], strict=True)
        ):
            doc_text = texts.get(doc_id)
            if doc_text is None:
                errors.append(f"{table} row {i}: doc_id {doc_id} has no document")
            elif doc_text[s:e] != value:
                errors.append(f"{table} row {i}: {col} {value!r} != text[{s}:{e}] {doc_text[s:e]!r}")
    return errors
