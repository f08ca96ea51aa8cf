"""The `duikou` command as an operator uses it: exit codes, messages, a real run in a fresh process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import EXIT_USAGE, build_parser, main
from tests.conftest import processes_with_env


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["flow", "load"], ["run", "--workers", "many"], ["run", "--workers", "0"]],
    ids=["nothing", "unknown-command", "unknown-flow", "bad-number", "zero-workers"],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == EXIT_USAGE


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["run", "--dask-address", "localhost:8786"], {}, "tcp://HOST:PORT"),
        (["run", "--dask-address", "tcp://127.0.0.1:1", "--workers", "2"], {}, "--workers"),
        (["run", "--dask-address", "tcp://127.0.0.1:1", "--no-prefect"], {}, "--no-prefect"),
        (["run"], {"DUIKOU_PREFECT": "maybe"}, "DUIKOU_PREFECT"),
        (["serve"], {}, "--interval"),
        (["serve", "--interval", "0"], {}, "--interval"),
    ],
    ids=["dask-no-scheme", "dask-and-workers", "dask-no-prefect", "bad-env", "no-schedule", "zero-interval"],
)
def test_engine_usage_errors_exit_2_naming_the_option(
    argv: list[str], env: dict[str, str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main([*argv, "--raw", str(tmp_path), "--out", str(tmp_path / "o")]) == EXIT_USAGE
    assert named in capsys.readouterr().err


def test_missing_raw_dir_is_a_usage_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == EXIT_USAGE
    assert str(tmp_path / "nope") in capsys.readouterr().err


def test_status_on_an_empty_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["status", "--out", str(tmp_path)]) == 0
    assert "no tables yet" in capsys.readouterr().out


def test_help_mentions_every_command() -> None:
    text = build_parser().format_help()
    for word in ("run", "flow", "serve", "status", "explain"):
        assert word in text


def test_duikou_run_end_to_end_in_a_fresh_process(raw_dir: Path, tmp_path: Path) -> None:
    """The installed command, as a scheduled job runs it: fresh process, no Prefect server configured."""
    out = tmp_path / "out"
    env = _no_prefect_env(tmp_path)
    cmd = [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        "--raw",
        str(raw_dir),
        "--out",
        str(out),
        "--workers",
        "2",
    ]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "2 inputs, 2 processed, 0 skipped, 0 rejected" in first.stdout
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "2 inputs, 0 processed, 2 skipped" in second.stdout
    assert len(pd.read_parquet(out / "documents.parquet")) == 2
    # no Prefect server, not even the temporary one, was started: it would have left its database
    assert not list((out / ".duikou" / "prefect").glob("*.db")), "a Prefect server ran"
    status = subprocess.run(
        [sys.executable, "-m", "flows.cli", "status", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0
    assert "documents" in status.stdout and "pipeline completed" in status.stdout


def test_a_local_run_never_imports_prefect(raw_dir: Path, tmp_path: Path) -> None:
    """Importing Prefect is 0.75 s of a cold start that a run with no Prefect API does not need."""
    cmd = [sys.executable, "-X", "importtime", "-m", "flows.cli", "run", "--raw", str(raw_dir)]
    cmd += ["--out", str(tmp_path / "out"), "--workers", "1"]
    done = subprocess.run(cmd, env=_no_prefect_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 inputs, 2 processed" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "flows.pipeline" in imported and "pyarrow" in imported  # the import log is read right
    assert not {m for m in imported if m.split(".")[0] == "prefect"}


def _no_prefect_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a scheduled job on a machine with no Prefect server configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DUIKOU_"))}
    env["PREFECT_PROFILES_PATH"] = str(tmp_path / "no-profiles.toml")  # ignore the user's own profile
    return env


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_killed_run_leaves_no_process_behind(raw_dir: Path, tmp_path: Path) -> None:
    """SIGKILL gives no chance to clean up: the worker processes must notice and leave by themselves."""
    for i in range(12):  # enough work that the run is still busy when it is killed
        for f in sorted(raw_dir.glob("0*")):
            (raw_dir / f"{i:02d}-{f.name}").write_bytes(f.read_bytes() + f"\n第{i}号。\n".encode())
    out = tmp_path / "out"
    home = str((out / ".duikou" / "prefect").resolve())
    cmd = [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw_dir), "--out", str(out), "--workers=2"]
    env = _no_prefect_env(tmp_path)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(processes_with_env("PREFECT_HOME", home)) < 4 and time.monotonic() < deadline:  # run, pool
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.1)
    assert len(processes_with_env("PREFECT_HOME", home)) >= 4, "the worker pool never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while processes_with_env("PREFECT_HOME", home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with_env("PREFECT_HOME", home) == []
