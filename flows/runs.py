"""One flow run = one writer-locked transaction = one row in the `runs` table.

A failed run commits nothing of its data: only its `runs` row (status `failed`, with
the error) is recorded, on top of the previous tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from . import storage
from . import tables as T


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class RunStats:
    run_id: str
    flow: str
    pipeline_version: str
    started_at: dt.datetime
    n_inputs: int = 0
    n_processed: int = 0
    n_skipped: int = 0
    n_rejected: int = 0
    status: str = "running"
    message: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def row(self) -> dict[str, object]:
        out: dict[str, object] = {
            "run_id": self.run_id,
            "flow": self.flow,
            "started_at": self.started_at,
            "finished_at": now(),
            "status": self.status,
            "pipeline_version": self.pipeline_version,
            "n_inputs": self.n_inputs,
            "n_processed": self.n_processed,
            "n_skipped": self.n_skipped,
            "n_rejected": self.n_rejected,
            "message": self.message,
        }
        for table in ("documents", "sections", "tokens", "pairings", "amounts", "years", "rejects"):
            out[f"rows_{table}"] = self.rows.get(table, 0)
        return out


def new_run_id() -> str:
    """Sortable by start time, unique across hosts."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]


@contextlib.contextmanager
def open_run(
    out: Path, flow: str, version: str, *, lock_timeout: float
) -> Iterator[tuple[storage.Transaction, RunStats]]:
    """Lock the output, stage a transaction, and commit it with its runs row (or record the failure)."""
    out.mkdir(parents=True, exist_ok=True)
    with storage.writer_lock(out, lock_timeout):
        stats = RunStats(new_run_id(), flow, version, now())
        txn = storage.Transaction(out, stats.run_id)
        try:
            yield txn, stats
        except BaseException as exc:
            txn.abort()
            stats.status = "failed" if not isinstance(exc, KeyboardInterrupt) else "cancelled"
            stats.message = f"{type(exc).__name__}: {exc}"[:2000]
            with contextlib.suppress(Exception):
                failed = storage.Transaction(out, stats.run_id + "-f")
                _append_run(failed, stats)
                failed.commit()
            raise
        stats.status = "completed"
        stats.rows = {t: n for t, n in txn.rows_written.items() if t not in ("runs",)}
        if "rejects" not in stats.rows or not stats.rows["rejects"]:
            stats.rows["rejects"] = stats.n_rejected
        _append_run(txn, stats)
        txn.commit()


def _append_run(txn: storage.Transaction, stats: RunStats) -> None:
    previous = txn.read("runs")
    txn.replace_table("runs", pa.concat_tables([previous, T.build("runs", [stats.row()])]))
