"""The `duikou` command as an operator uses it: exit codes, messages, a real run in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import EXIT_USAGE, build_parser, main


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["flow", "load"], ["run", "--workers", "many"], ["run", "--workers", "0"]],
    ids=["nothing", "unknown-command", "unknown-flow", "bad-number", "zero-workers"],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == EXIT_USAGE


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
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
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
    status = subprocess.run(
        [sys.executable, "-m", "flows.cli", "status", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0
    assert "documents" in status.stdout and "pipeline completed" in status.stdout
