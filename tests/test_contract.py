"""The declared schemas carry every column CONTRACT.md names, with its type."""

from __future__ import annotations

import pyarrow as pa
import pytest

from flows.tables import SCHEMAS

S, I32, I64, F64 = pa.string(), pa.int32(), pa.int64(), pa.float64()
TS = pa.timestamp("us", tz="UTC")

# table -> {column: type}, transcribed from CONTRACT.md
CONTRACT = {
    "documents": {
        "doc_id": S,
        "source_path": S,
        "source_format": S,
        "encoding": S,
        "title": S,
        "published": pa.date32(),
        "text": S,
        "raw_chars": I64,
        "clean_chars": I64,
        "n_sections": I32,
        "ingested_at": TS,
        "pipeline_version": S,
    },
    "sections": {"doc_id": S, "section_no": I32, "title": S, "char_start": I64, "char_end": I64},
    "tokens": {
        "doc_id": S,
        "section_no": I32,
        "sentence_no": I32,
        "token_no": I32,
        "text": S,
        "pos": S,
        "char_start": I64,
        "char_end": I64,
    },
    "pairings": {
        "doc_id": S,
        "section_no": I32,
        "supporter": S,
        "recipient": S,
        "supporter_name": S,
        "recipient_name": S,
        "supporter_code": S,
        "recipient_code": S,
        "supporter_kind": S,
        "recipient_kind": S,
        "relation": S,
        "year_start": I32,
        "year_end": I32,
        "evidence": S,
        "char_start": I64,
        "char_end": I64,
    },
    "amounts": {
        "doc_id": S,
        "section_no": I32,
        "text": S,
        "value": F64,
        "value_max": F64,
        "currency": S,
        "qualifier": S,
        "year_start": I32,
        "year_end": I32,
        "context": S,
        "char_start": I64,
        "char_end": I64,
    },
    "years": {
        "doc_id": S,
        "section_no": I32,
        "text": S,
        "kind": S,
        "year_start": I32,
        "year_end": I32,
        "month": I32,
        "day": I32,
        "context": S,
        "char_start": I64,
        "char_end": I64,
    },
    "rejects": {"source_path": S, "sha256": S, "reason": S, "detail": S, "seen_at": TS},
    "runs": {
        "run_id": S,
        "flow": S,
        "started_at": TS,
        "finished_at": TS,
        "status": S,
        "pipeline_version": S,
        "n_inputs": I64,
        "n_processed": I64,
        "n_skipped": I64,
        "n_rejected": I64,
        **{
            f"rows_{t}": I64
            for t in ("documents", "sections", "tokens", "pairings", "amounts", "years", "rejects")
        },
    },
}
NULLABLE = {
    ("documents", "title"),
    ("documents", "published"),
    ("sections", "title"),
    ("pairings", "supporter_code"),
    ("pairings", "recipient_code"),
    ("pairings", "year_start"),
    ("pairings", "year_end"),
    ("amounts", "value_max"),
    ("amounts", "year_start"),
    ("amounts", "year_end"),
    ("years", "year_start"),
    ("years", "year_end"),
    ("years", "month"),
    ("years", "day"),
    ("rejects", "sha256"),
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_schema_has_contract_columns(table: str) -> None:
    schema = SCHEMAS[table]
    for column, typ in CONTRACT[table].items():
        field = schema.field(column)
        assert field.type == typ, (table, column)
        assert field.nullable == ((table, column) in NULLABLE), (table, column)


def test_no_table_beyond_the_contract_is_missing() -> None:
    assert set(CONTRACT) == set(SCHEMAS)
