"""The flows end to end on a temporary raw directory, under one Prefect test harness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows import storage
from flows import tables as T
from flows.extract import extract_flow
from flows.ingest import ingest_flow
from flows.pipeline import pipeline_flow

pytestmark = pytest.mark.usefixtures("prefect_harness")

CONTENT_TABLES = ("documents", "sections", "tokens", "pairings", "amounts", "years")
VOLATILE = {"ingested_at", "seen_at"}


def snapshot(out: Path) -> dict[str, pd.DataFrame]:
    """Every table but runs, without timestamps, in a canonical row order."""
    snap = {}
    for table in (*CONTENT_TABLES, "rejects"):
        df = pd.read_parquet(out / f"{table}.parquet")
        df = df.drop(columns=[c for c in df.columns if c in VOLATILE])
        snap[table] = df.sort_values(list(df.columns[:4])).reset_index(drop=True)
    return snap


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def test_pipeline_writes_every_table_and_a_rerun_skips(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (raw_dir / "empty.html").write_bytes(b"")
    stats = pipeline_flow(raw=str(raw_dir), out=str(out))
    assert (stats.n_inputs, stats.n_processed, stats.n_skipped, stats.n_rejected) == (3, 3, 0, 1)
    first = snapshot(out)
    for table in CONTENT_TABLES:
        assert len(first[table]) > 0, table
    assert sorted(first["documents"]["source_path"]) == sorted(p.name for p in raw_dir.glob("0*"))
    rejects = pd.read_parquet(out / "rejects.parquet")
    assert rejects[["source_path", "reason"]].values.tolist() == [["empty.html", "empty"]]
    assert "empty.html" in rejects["detail"][0]

    again = pipeline_flow(raw=str(raw_dir), out=str(out))
    assert (again.n_inputs, again.n_processed, again.n_skipped) == (3, 0, 3)
    assert_same(first, snapshot(out))
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["status"].tolist() == ["completed", "completed"]
    assert runs["rows_documents"].tolist() == [2, 0]


def test_offsets_hold_in_every_span_table(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline_flow(raw=str(raw_dir), out=str(out))
    docs = storage.read_table(out, "documents")
    texts = dict(zip(docs["doc_id"].to_pylist(), docs["text"].to_pylist(), strict=True))
    for table in (*T.SPAN_TEXT_COLUMNS, "sections"):
        data = storage.read_table(out, table)
        assert T.validate(table, data, texts) == [], table
    secs = storage.read_table(out, "sections").to_pandas()
    for doc_id, group in secs.groupby("doc_id"):
        # sections partition the text: contiguous, from 0 to the end
        starts, ends = group["char_start"].tolist(), group["char_end"].tolist()
        assert starts[0] == 0 and ends[-1] == len(texts[doc_id]) and starts[1:] == ends[:-1]


def test_changed_file_replaces_exactly_its_rows(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline_flow(raw=str(raw_dir), out=str(out))
    before = snapshot(out)
    first, second = sorted(p.name for p in raw_dir.glob("0*"))
    path = raw_dir / first
    path.write_bytes(path.read_bytes() + "\n2019年，某市对口支援某县资金300万元。\n".encode())
    stats = pipeline_flow(raw=str(raw_dir), out=str(out))
    assert (stats.n_processed, stats.n_skipped) == (1, 1)
    after = snapshot(out)
    docs = after["documents"].set_index("source_path")
    assert docs.loc[second, "doc_id"] == before["documents"].set_index("source_path").loc[second, "doc_id"]
    new_id = docs.loc[first, "doc_id"]
    old_ids = set(before["documents"]["doc_id"])
    assert new_id not in old_ids
    for table in CONTENT_TABLES:
        assert set(after[table]["doc_id"]) == {new_id, docs.loc[second, "doc_id"]}, table
        unchanged = after[table][after[table]["doc_id"] != new_id].reset_index(drop=True)
        kept = before[table][before[table]["doc_id"] != before["documents"].set_index("source_path")
                             .loc[first, "doc_id"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(unchanged, kept, obj=table)


def test_duplicates_and_removed_files(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sorted(p.name for p in raw_dir.glob("0*"))[0]
    shutil.copy2(raw_dir / first, raw_dir / "zz-copy.txt")
    pipeline_flow(raw=str(raw_dir), out=str(out))
    rejects = pd.read_parquet(out / "rejects.parquet")
    assert rejects[["source_path", "reason"]].values.tolist() == [["zz-copy.txt", "duplicate"]]
    assert first in rejects["detail"][0]
    (raw_dir / first).unlink()
    pipeline_flow(raw=str(raw_dir), out=str(out))
    docs = pd.read_parquet(out / "documents.parquet")
    assert "zz-copy.txt" in docs["source_path"].tolist()  # the copy now holds the content
    assert pd.read_parquet(out / "rejects.parquet").empty


def test_ingest_then_extract_alone_equals_the_pipeline(raw_dir: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref"
    pipeline_flow(raw=str(raw_dir), out=str(ref))
    out = tmp_path / "out"
    ingest_flow(raw=str(raw_dir), out=str(out))
    assert pd.read_parquet(out / "tokens.parquet").empty
    stats = extract_flow(raw=str(raw_dir), out=str(out))
    assert stats.n_processed == 2
    assert_same(snapshot(ref), snapshot(out))
    one = sorted(raw_dir.glob("0*"))[0]
    stats = extract_flow(raw=str(raw_dir), out=str(out), paths=[str(one)])
    assert stats.n_processed == 1
    assert_same(snapshot(ref), snapshot(out))


def test_failed_run_keeps_previous_tables_and_records_failure(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    pipeline_flow(raw=str(raw_dir), out=str(out))
    before = snapshot(out)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("flows.extract.extract_encoded", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        extract_flow(raw=str(raw_dir), out=str(out))
    assert_same(before, snapshot(out))
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["status"].tolist() == ["completed", "failed"]
    assert "disk on fire" in runs["message"].iloc[-1]


def test_a_bug_on_one_input_quarantines_it_and_the_run_goes_on(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extractors.pipeline

    real_clean = extractors.pipeline.clean
    victim = sorted(p.name for p in raw_dir.iterdir())[0]

    def clean_or_crash(raw: bytes, *, name: str, **kwargs):
        if name == victim:
            raise IndexError("list index out of range")
        return real_clean(raw, name=name, **kwargs)

    monkeypatch.setattr(extractors.pipeline, "clean", clean_or_crash)
    out = tmp_path / "out"
    stats = pipeline_flow.fn(raw=str(raw_dir), out=str(out), workers=1)
    assert (stats.status, stats.n_processed, stats.n_rejected) == ("completed", 2, 1)
    docs = pd.read_parquet(out / "documents.parquet")
    rejects = pd.read_parquet(out / "rejects.parquet")
    assert victim not in set(docs["source_path"]) and len(docs) == 1
    assert rejects[["source_path", "reason"]].values.tolist() == [[victim, "extractor_error"]]
    assert rejects["detail"].iloc[0].startswith(f"{victim}: IndexError: list index out of range")
    # the other input's rows are all there
    assert set(pd.read_parquet(out / "tokens.parquet")["doc_id"]) == set(docs["doc_id"])


def test_a_record_that_does_not_fit_its_table_quarantines_its_document_only(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows become Arrow tables once per batch; a row the schema refuses costs its document, not the batch."""
    import flows.tables

    real_rows = flows.tables.year_rows
    docs_in = sorted(p.name for p in raw_dir.iterdir())
    victim_id: list[str] = []

    def rows_with_a_bad_type(doc_id: str, text: str, idx, years):
        rows = real_rows(doc_id, text, idx, years)
        if not victim_id:  # the first document of the batch gets a year that is not a number
            victim_id.append(doc_id)
            rows[0]["year_start"] = "two thousand and ten"
        return rows

    monkeypatch.setattr(flows.tables, "year_rows", rows_with_a_bad_type)
    out = tmp_path / "out"
    stats = pipeline_flow.fn(raw=str(raw_dir), out=str(out), workers=1)
    assert (stats.status, stats.n_processed, stats.n_rejected) == ("completed", len(docs_in), 1)
    docs = pd.read_parquet(out / "documents.parquet")
    rejects = pd.read_parquet(out / "rejects.parquet")
    assert victim_id[0] not in set(docs["doc_id"]) and len(docs) == len(docs_in) - 1
    assert rejects["reason"].tolist() == ["extractor_error"]
    assert rejects["source_path"].iloc[0] in docs_in and rejects["detail"].iloc[0].startswith(
        rejects["source_path"].iloc[0] + ": Arrow"
    )
    for table in ("tokens", "years", "amounts", "pairings", "sections"):
        assert set(pd.read_parquet(out / f"{table}.parquet")["doc_id"]) <= set(docs["doc_id"]), table
    assert set(pd.read_parquet(out / "tokens.parquet")["doc_id"]) == set(docs["doc_id"])


def _count_flow_runs() -> int:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.count_flow_runs()


def test_local_mode_writes_the_same_tables_without_prefect(raw_dir: Path, tmp_path: Path) -> None:
    """`duikou run` with no Prefect API calls the flow's function: same tables, no Prefect run recorded."""
    before = _count_flow_runs()
    local = pipeline_flow.fn(raw=str(raw_dir), out=str(tmp_path / "local"), workers=1)
    assert _count_flow_runs() == before
    real = pipeline_flow(raw=str(raw_dir), out=str(tmp_path / "prefect"), workers=1)
    assert _count_flow_runs() == before + 1
    assert (local.n_processed, real.n_processed) == (2, 2)
    assert_same(snapshot(tmp_path / "local"), snapshot(tmp_path / "prefect"))
