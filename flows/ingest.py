"""The ingest flow: raw files -> documents, sections, rejects (in `duikou run` also the extract tables)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from extractors.settings import Settings

from . import engine, executor, runs, storage
from . import tables as T
from .batches import BatchResult, ingest_encoded, reject_row
from .progress import Progress
from .settings import build_settings
from .sources import RawFile, discover, hash_file, make_plan, pipeline_version


def ingest_batch(
    files: list[RawFile], settings: Settings, version: str, extract: bool, workers: int
) -> BatchResult:
    return executor.run(workers, ingest_encoded, files, settings=settings, version=version, extract=extract)


def make_batches(files: list[RawFile], settings: Settings) -> Iterator[list[RawFile]]:
    """Batches of at most batch_size files and about max_batch_chars bytes, in path order."""
    batch: list[RawFile] = []
    size = 0
    for f in files:
        if batch and (len(batch) >= settings.batch_size or size + f.size > settings.max_batch_chars):
            yield batch
            batch, size = [], 0
        batch.append(f)
        size += f.size
    if batch:
        yield batch


def run_ordered(
    submit: Callable[[Any], engine.HasResult[Any]], items: list[Any], window: int
) -> Iterator[Any]:
    """Submit at most `window` items ahead and yield results in submission order (flat memory)."""
    pending: list[engine.HasResult[Any]] = []
    it = iter(items)
    for item in it:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.pop(0).result()
    while pending:
        yield pending.pop(0).result()


def ingest_into(
    txn: storage.Transaction,
    stats: runs.RunStats,
    raw: Path,
    paths: list[Path] | None,
    *,
    full: bool,
    extract: bool,
    settings: Settings,
    workers: int,
    window: int | None = None,
    progress: Progress | None = None,
) -> set[str]:
    """Plan, process changed inputs in batches and stage their rows; returns the new doc_ids."""
    files = [hash_file(f, settings) for f in discover(raw, paths)]
    plan = make_plan(files, txn.sources, version=stats.pipeline_version, full=full, whole_dir=paths is None)
    stats.n_inputs = plan.n_inputs
    stats.n_skipped = len(plan.skip)
    txn.drop_docs(plan.drop_doc_ids)
    rejects = [reject_row(f.rel, f.sha256, reason, detail) for f, reason, detail in plan.reject]
    for f, reason, _ in plan.reject:
        txn.sources[f.rel] = {
            "sha256": f.sha256,
            "size": f.size,
            "mtime_ns": f.mtime_ns,
            "status": "rejected",
            "pipeline_version": stats.pipeline_version,
            "doc_id": None,
            "reason": reason,
        }
    for rel in plan.forget:
        txn.sources.pop(rel, None)

    new_ids: set[str] = set()
    batches = list(make_batches(plan.process, settings))
    if progress:
        progress.start(len(plan.process))
    done = 0
    results = run_ordered(
        lambda b: engine.submit(
            "ingest-batch", ingest_batch, b, settings, stats.pipeline_version, extract, workers
        ),
        batches,
        window=window or max(2, workers * 2),
    )
    for batch, res in zip(batches, results, strict=True):
        for table, part in res.encoded.items():
            txn.add_encoded(table, part)
        new_ids.update(res.encoded["documents"].doc_ids)
        rejects.extend(res.rejects)
        txn.sources.update(res.sources)
        for stage, secs in res.seconds.items():
            stats.seconds[stage] = stats.seconds.get(stage, 0.0) + secs
        done += len(batch)
        if progress:
            progress(done)
    stats.n_processed = len(plan.process)
    stats.n_rejected = len(rejects)
    if extract:
        for doc_id_entry in txn.sources.values():
            if doc_id_entry.get("doc_id") in new_ids:
                doc_id_entry["extracted"] = stats.pipeline_version
    drop = ({f.rel for f in files} - {f.rel for f in plan.skip}) | plan.forget
    _replace_rejects(txn, rejects, drop)
    return new_ids


def _replace_rejects(txn: storage.Transaction, new_rows: list[dict[str, Any]], drop: set[str]) -> None:
    """Rejects hold the current verdict per input: rows of inputs this run looked at are replaced."""
    old = txn.read("rejects")
    kept = old.filter(pc.invert(pc.is_in(old["source_path"], pa.array(sorted(drop), pa.string()))))
    merged = pa.concat_tables([kept, T.build("rejects", new_rows)])
    order = pc.sort_indices(merged, sort_keys=[("source_path", "ascending")])
    txn.replace_table("rejects", merged.take(order))


def run_ingest(
    raw: str = "data/raw",
    out: str = "data/clean",
    paths: list[str] | None = None,
    full: bool = False,
    workers: int = 1,
    lock_timeout: float = 60.0,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
    concurrency: int | None = None,
) -> runs.RunStats:
    """Raw files -> documents, sections, rejects; extraction is left to the extract flow.

    `workers` local processes do each batch's work; `concurrency` batches are in flight
    (default two per worker; on Dask, two per cluster thread)."""
    settings = build_settings(overrides)
    version = pipeline_version()
    with runs.open_run(Path(out), "ingest", version, lock_timeout=lock_timeout) as (txn, stats):
        ingest_into(
            txn,
            stats,
            Path(raw),
            [Path(p) for p in paths] if paths else None,
            full=full,
            extract=False,
            settings=settings,
            workers=workers,
            window=concurrency,
            progress=progress,
        )
    return stats


# `ingest_flow`, the Prefect flow: built on first use, so a local run never imports Prefect
__getattr__ = engine.lazy_flows(globals(), {"ingest_flow": (run_ingest, "ingest")})
