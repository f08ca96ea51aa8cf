"""The pipeline flow behind `duikou run`: ingest and extract in one run and one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import engine, runs
from .extract import extract_into
from .ingest import ingest_into
from .progress import Progress
from .settings import build_settings
from .sources import pipeline_version


def run_pipeline(
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
    """Changed inputs are cleaned and extracted in the same batch; documents ingested earlier
    without extraction (by `duikou flow ingest`) are extracted too."""
    settings = build_settings(overrides)
    version = pipeline_version()
    with runs.open_run(Path(out), "pipeline", version, lock_timeout=lock_timeout) as (txn, stats):
        ingest_into(
            txn,
            stats,
            Path(raw),
            [Path(p) for p in paths] if paths else None,
            full=full,
            extract=True,
            settings=settings,
            workers=workers,
            window=concurrency,
            progress=progress,
        )
        stale = {
            e["doc_id"]
            for e in txn.sources.values()
            if e.get("status") == "document" and e.get("extracted") != version
        }
        if stale:
            processed = stats.n_processed
            extract_into(txn, stats, stale, settings=settings, workers=workers, window=concurrency)
            stats.n_processed = processed
    return stats


# `pipeline_flow`, the Prefect flow: built on first use, so a local run never imports Prefect
__getattr__ = engine.lazy_flows(globals(), {"pipeline_flow": (run_pipeline, "pipeline")})
