"""`duikou serve`: the pipeline as a scheduled Prefect deployment, served from this process.

`flow.serve` registers a deployment with a schedule and polls for its runs; each run is a
subprocess that loads `flows.pipeline:pipeline_flow` and reports to the Prefect API.
Scheduling needs a real server (the temporary one lives inside one process), so with no
API configured a local one is started for as long as we serve (`flows/server.py`).
Runs that overlap wait for the output directory's writer lock (`--lock-timeout`) and
then fail cleanly; they never write at the same time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

from . import engine, server

STOP_GRACE = 10.0  # seconds a flow run in flight gets to stop on SIGTERM before SIGKILL


def serve_pipeline(
    *,
    raw: Path,
    out: Path,
    name: str,
    cron: str | None,
    interval: float | None,
    workers: int,
    lock_timeout: float,
) -> None:
    """Serve until interrupted; returns after SIGINT/SIGTERM, with the local server stopped."""
    from prefect.deployments.runner import EntrypointType

    from .pipeline import pipeline_flow

    parameters = {
        "raw": str(raw.resolve()),  # runs start in other processes, maybe another directory
        "out": str(out.resolve()),
        "workers": workers,
        "lock_timeout": lock_timeout,
    }
    home = Path(os.environ["PREFECT_HOME"])
    with engine.prefect_api(home), _stopping_flow_runs():
        pipeline_flow.serve(
            name=name,
            cron=cron,
            interval=interval,
            parameters=parameters,
            description=f"duikou run --raw {parameters['raw']} --out {parameters['out']}",
            tags=["duikou"],
            # the runs import the installed package, whatever the current directory is
            entrypoint_type=EntrypointType.MODULE_PATH,
            print_starting_message=False,
        )


@contextlib.contextmanager
def _stopping_flow_runs() -> Iterator[None]:
    """On the way out, stop the flow runs still in flight, while the API is still up to hear it.

    Prefect 3.8.8's runner does not: its SIGTERM handler exits without awaiting its own
    stop, and a run it had started would be left retrying against a stopped server.
    """
    try:
        yield
    finally:
        stop_children(exclude=server.pids())


def stop_children(exclude: set[int], grace: float = STOP_GRACE) -> None:
    """SIGTERM our child processes (the runner's flow runs), SIGKILL those left after `grace`."""
    kids = [pid for pid in _children(os.getpid()) if pid not in exclude and not _is_resource_tracker(pid)]
    for pid in kids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while kids and time.monotonic() < deadline:
        kids = [pid for pid in kids if _alive(pid)]
        time.sleep(0.2)
    for pid in kids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    """Direct children, from /proc (Linux); none elsewhere."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _is_resource_tracker(pid: int) -> bool:
    """multiprocessing's helper ignores SIGTERM and leaves by itself once we exit."""
    try:
        return b"multiprocessing.resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Running; a zombie counts as gone (we do not reap it: its owner in the runner does)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
