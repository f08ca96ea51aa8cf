"""A local Prefect server for the commands that need a real one (`serve`, `run --dask-address`, `--prefect`).

Prefect's temporary server lives inside one process: it cannot schedule deployments, and
every Dask worker would start its own. So when no Prefect API is configured we start
`prefect server start` on 127.0.0.1 (a free port, analytics off, its database under the
output directory's Prefect home), wait until it answers, and stop it when we are done.

It never outlives us: it is stopped on a normal exit, on an error and on SIGINT/SIGTERM
(they unwind through the context manager), and the kernel sends it SIGTERM if we are
killed outright (PR_SET_PDEATHSIG), so no orphaned server is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

STARTUP_TIMEOUT = 90.0  # seconds; a first start migrates a new SQLite database (~9 s on 2 busy cores)
STOP_TIMEOUT = 15.0  # seconds to shut down gracefully before SIGKILL
_PR_SET_PDEATHSIG = 1


class ServerError(RuntimeError):
    """The local Prefect server did not start or did not become healthy."""


_running: set[int] = set()  # pids of the servers this process started and has not stopped yet


def pids() -> set[int]:
    return set(_running)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the process that started us dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def server_env(home: Path) -> dict[str, str]:
    """The server's environment: our own, with its home, offline and quiet."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_API_KEY")}
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_UI_ENABLED": env.get("PREFECT_UI_ENABLED", "false"),
            "PREFECT_SERVER_LOGGING_LEVEL": env.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"),
        }
    )
    return env


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextlib.contextmanager
def local_server(home: Path, *, timeout: float = STARTUP_TIMEOUT) -> Iterator[str]:
    """Start a Prefect server on 127.0.0.1 for the duration of the block; yields its API URL."""
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "server.log"
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    # one start at a time per home: two first starts would both migrate the same database
    with open(home / "server.lock", "w") as lock, open(log_path, "ab") as log:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=server_env(home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C at the terminal reaches us; we stop it in order
            preexec_fn=_die_with_parent,
        )
        _running.add(proc.pid)
        try:
            _wait_healthy(proc, api_url, timeout, log_path)
            fcntl.flock(lock, fcntl.LOCK_UN)
            print(
                f"duikou: local Prefect server at {api_url} (pid {proc.pid}, log {log_path})",
                file=sys.stderr,
            )
            yield api_url
        finally:
            stop(proc)
            _running.discard(proc.pid)


def _wait_healthy(proc: subprocess.Popen[bytes], api_url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(
                f"the local Prefect server exited with status {proc.returncode} before it was ready; "
                f"see {log_path}: {_tail(log_path)}"
            )
        if healthy(api_url, timeout=1.0):
            return
        time.sleep(0.25)
    raise ServerError(
        f"the local Prefect server at {api_url} was not healthy within {timeout:g} s; see {log_path}"
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after STOP_TIMEOUT; the whole process group, so nothing it spawned lingers."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(STOP_TIMEOUT)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:]) or "(empty log)"
