"""`duikou serve` end to end: a local Prefect server, a scheduled run that lands, a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import storage
from tests.conftest import processes_with_env

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")

SERVE_DEADLINE = 150.0  # seconds for the server to start and the first scheduled run to commit
STOP_DEADLINE = 45.0  # seconds for serve to stop its runs and its server


def completed_runs(out: Path) -> int:
    try:
        runs = storage.read_table(out, "runs").to_pylist()
    except (OSError, ValueError):  # mid-switch or not there yet
        return 0
    return sum(1 for r in runs if r["flow"] == "pipeline" and r["status"] == "completed")


def test_serve_runs_on_schedule_and_stops_cleanly(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    home = str((out / ".duikou" / "prefect").resolve())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DUIKOU_"))}
    env["PREFECT_PROFILES_PATH"] = str(tmp_path / "no-profiles.toml")  # no server configured
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "2"  # poll for due runs every 2 s, not 10: a shorter test
    cmd = [sys.executable, "-m", "flows.cli", "serve", "--raw", str(raw_dir), "--out", str(out)]
    log = tmp_path / "serve.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([*cmd, "--interval", "5", "--workers", "1"], env=env, stdout=fh, stderr=fh)
    try:
        deadline = time.monotonic() + SERVE_DEADLINE
        while completed_runs(out) < 1 and time.monotonic() < deadline:
            assert proc.poll() is None, f"serve exited early: {log.read_text()[-3000:]}"
            time.sleep(0.5)
        assert completed_runs(out) >= 1, f"no scheduled run completed: {log.read_text()[-3000:]}"
        assert len(storage.read_table(out, "documents")) == 2
        assert "local Prefect server at http://127.0.0.1:" in log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert rc == 0, log.read_text()[-3000:]
    assert "duikou serve: stopped" in log.read_text()
    deadline = time.monotonic() + 10
    while processes_with_env("PREFECT_HOME", home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with_env("PREFECT_HOME", home) == [], "serve left a process behind"
