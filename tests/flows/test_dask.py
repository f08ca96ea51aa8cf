"""`duikou run --dask-address`: the batch tasks on a Dask cluster, the same tables as a local run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

VOLATILE = {"ingested_at", "seen_at"}
TABLES = ("documents", "sections", "tokens", "pairings", "amounts", "years", "rejects")


@pytest.fixture
def cluster() -> Iterator[Any]:
    """Two worker processes on loopback, as a team's cluster would be, only smaller."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as c:
        yield c


def snapshot(out: Path) -> dict[str, pd.DataFrame]:
    snap = {}
    for table in TABLES:
        df = pd.read_parquet(out / f"{table}.parquet")
        df = df.drop(columns=[c for c in df.columns if c in VOLATILE])
        snap[table] = df.sort_values(list(df.columns[:4])).reset_index(drop=True)
    return snap


def duikou(*args: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DUIKOU_"))}
    env["PREFECT_PROFILES_PATH"] = str(tmp_path / "no-profiles.toml")  # no Prefect server configured
    env.update(extra)
    cmd = [sys.executable, "-m", "flows.cli", *args, "--quiet"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)


def test_dask_run_equals_a_local_run(raw_dir: Path, tmp_path: Path, cluster: Any) -> None:
    """The batches run on the cluster's workers against a local Prefect server; the flow commits."""
    originals = sorted(raw_dir.glob("0*"))
    for i in range(3):
        for f in originals:
            (raw_dir / f"{i}-{f.name}").write_bytes(f.read_bytes() + f"\n第{i}号。\n".encode())
    small = {"DUIKOU_BATCH_SIZE": "2"}  # four batches: both workers get some
    local = duikou("run", "--raw", str(raw_dir), "--out", str(tmp_path / "local"), tmp_path=tmp_path, **small)
    assert local.returncode == 0, local.stderr
    # the address through the environment, as a scheduled job would set it
    dask = duikou(
        "run", "--raw", str(raw_dir), "--out", str(tmp_path / "dask"), tmp_path=tmp_path,
        DUIKOU_DASK_ADDRESS=cluster.scheduler_address, **small,
    )
    assert dask.returncode == 0, dask.stderr
    assert "8 inputs, 8 processed, 0 skipped, 0 rejected" in dask.stdout
    assert "local Prefect server at http://127.0.0.1:" in dask.stderr
    batches = cluster.scheduler.task_prefixes.get("ingest_batch")
    assert batches is not None and batches.all_durations["compute"] > 0, "no batch ran on the cluster"
    a, b = snapshot(tmp_path / "local"), snapshot(tmp_path / "dask")
    for table in TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)

