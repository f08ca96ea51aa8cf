"""`duikou status` and the summary printed after a run: read-only views of the committed tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc

from . import storage
from . import tables as T
from .runs import RunStats


def print_status(out: Path, *, n_runs: int = 5) -> int:
    version = storage.current_version(out)
    if version.path is None:
        print(f"{out}: no tables yet (run `duikou run --out {out}`)")
        return 0
    print(f"{out}: version {version.number} ({version.path.name})")
    print("tables:")
    for table in T.SCHEMAS:
        rows = sum(p.rows for p in version.parts[table])
        print(f"  {table:10} {rows:>10,} rows  {len([p for p in version.parts[table] if p.rows])} files")
    runs = storage.read_table(out, "runs")
    if runs.num_rows:
        print(f"last {min(n_runs, runs.num_rows)} runs:")
        recent = runs.slice(max(0, runs.num_rows - n_runs)).to_pylist()
        for r in reversed(recent):
            secs = (r["finished_at"] - r["started_at"]).total_seconds()
            print(
                f"  {r['started_at']:%Y-%m-%d %H:%M:%S} {r['flow']:8} {r['status']:9} {secs:6.1f}s  "
                f"inputs {r['n_inputs']}, processed {r['n_processed']}, skipped {r['n_skipped']}, "
                f"rejected {r['n_rejected']}" + (f"  ({r['message']})" if r["message"] else "")
            )
    rejects = storage.read_table(out, "rejects")
    print(f"quarantined inputs: {rejects.num_rows}")
    if rejects.num_rows:
        counts = pc.value_counts(rejects["reason"]).to_pylist()
        print("  by reason: " + ", ".join(f"{c['values']} {c['counts']}" for c in counts))
        for r in rejects.to_pylist()[:20]:
            print(f"  {r['reason']:14} {r['detail']}")
        if rejects.num_rows > 20:
            print(f"  ... and {rejects.num_rows - 20} more (read rejects.parquet)")
    return 0


def print_run_summary(stats: RunStats, out: Path) -> None:
    rows = ", ".join(f"{t} {stats.rows.get(t, 0)}" for t in T.SCHEMAS if t not in ("runs",))
    print(
        f"{stats.flow} run {stats.run_id} {stats.status}: {stats.n_inputs} inputs, "
        f"{stats.n_processed} processed, {stats.n_skipped} skipped, {stats.n_rejected} rejected"
    )
    print(f"rows written: {rows}")
    if stats.n_rejected:
        rejects = storage.read_table(out, "rejects").to_pylist()
        for r in rejects:
            print(f"  rejected {r['reason']:12} {r['detail']}")
    print(f"tables: {out}/<table>.parquet")
