"""The extract flow: documents -> tokens, pairings, amounts, years."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from extractors.settings import Settings

from . import engine, executor, runs, storage
from . import tables as T
from .batches import BatchResult, extract_encoded
from .ingest import run_ordered
from .progress import Progress
from .settings import build_settings
from .sources import discover, pipeline_version

DOC_COLUMNS = ["doc_id", "text", "title", "published"]


def extract_batch(docs: pa.Table, sections: pa.Table, settings: Settings, workers: int) -> BatchResult:
    return executor.run(workers, extract_encoded, docs, sections, settings=settings)


def _doc_batches(txn: storage.Transaction, doc_ids: set[str], settings: Settings) -> list[set[str]]:
    ordered = sorted(doc_ids)
    step = max(1, settings.batch_size)
    return [set(ordered[i : i + step]) for i in range(0, len(ordered), step)]


def _load(txn: storage.Transaction, ids: set[str]) -> tuple[pa.Table, pa.Table]:
    docs = pa.concat_tables(
        list(txn.iter_docs("documents", ids, DOC_COLUMNS)) or [T.empty("documents").select(DOC_COLUMNS)]
    )
    secs = pa.concat_tables(list(txn.iter_docs("sections", ids)) or [T.empty("sections")])
    return docs, secs


def extract_into(
    txn: storage.Transaction,
    stats: runs.RunStats,
    doc_ids: set[str],
    *,
    settings: Settings,
    workers: int,
    window: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Replace the extract tables' rows of these documents."""
    txn.drop_docs(doc_ids, T.EXTRACT_TABLES)
    batches = _doc_batches(txn, doc_ids, settings)
    if progress:
        progress.start(len(doc_ids), "documents")
    done = 0
    results = run_ordered(
        lambda ids: engine.submit("extract-batch", extract_batch, *_load(txn, ids), settings, workers),
        batches,
        window=window or max(2, workers * 2),
    )
    for ids, res in zip(batches, results, strict=True):
        for table, part in res.encoded.items():
            txn.add_encoded(table, part)
        done += len(ids)
        if progress:
            progress(done)
    for entry in txn.sources.values():
        if entry.get("doc_id") in doc_ids:
            entry["extracted"] = stats.pipeline_version
    stats.n_processed += len(doc_ids)


def select_doc_ids(txn: storage.Transaction, raw: Path, paths: list[Path] | None) -> set[str]:
    """All documents, or those of the given raw files."""
    if not paths:
        return txn.doc_ids()
    wanted = {f.rel for f in discover(raw, paths)}
    return {e["doc_id"] for rel, e in txn.sources.items() if rel in wanted and e.get("doc_id")}


def run_extract(
    raw: str = "data/raw",
    out: str = "data/clean",
    paths: list[str] | None = None,
    workers: int = 1,
    lock_timeout: float = 60.0,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
    concurrency: int | None = None,
) -> runs.RunStats:
    """Re-run extraction over documents already ingested (all, or those of the given raw files)."""
    settings = build_settings(overrides)
    with runs.open_run(Path(out), "extract", pipeline_version(), lock_timeout=lock_timeout) as (txn, stats):
        ids = select_doc_ids(txn, Path(raw), [Path(p) for p in paths] if paths else None)
        stats.n_inputs = len(ids)
        extract_into(
            txn, stats, ids, settings=settings, workers=workers, window=concurrency, progress=progress
        )
    return stats


# `extract_flow`, the Prefect flow: built on first use, so a local run never imports Prefect
__getattr__ = engine.lazy_flows(globals(), {"extract_flow": (run_extract, "extract")})
