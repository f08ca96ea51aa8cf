"""Runs killed at any moment: the tables stay readable and equal to the state before or after a run.

Two layers: a failure injected at every filesystem step of a commit (deterministic), and
`duikou run` processes SIGKILLed at random moments on a 200-document corpus, each kill
followed by a complete run, with overlapping runs shown never to interleave.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from flows import storage
from flows.pipeline import pipeline_flow

VOLATILE = {"ingested_at", "seen_at"}
TABLES = ("documents", "sections", "tokens", "pairings", "amounts", "years", "rejects")

SUPPORTERS = [
    "北京市",
    "上海市",
    "广东省",
    "深圳市",
    "江苏省",
    "浙江省",
    "山东省",
    "天津市",
    "福建省",
    "辽宁省",
]
RECIPIENTS = [
    "和田县",
    "墨玉县",
    "莎车县",
    "疏附县",
    "喀什市",
    "阿图什市",
    "伊宁县",
    "阜康市",
    "吐鲁番市",
    "哈密市",
]
VERBS = ["对口支援", "援建", "结对帮扶"]
THINGS = ["学校", "医院", "安居房", "产业园", "饮水工程", "职业技术学校"]


def make_doc(rng: random.Random, n: int) -> str:
    """A short report with varied names, numbers and years (no two documents alike)."""
    lines = [f"对口支援工作简报（第{n}期）"]
    for _ in range(rng.randint(3, 8)):
        year = rng.randint(1995, 2024)
        lines.append(
            f"{year}年，{rng.choice(SUPPORTERS)}{rng.choice(VERBS)}{rng.choice(RECIPIENTS)}，"
            f"投入资金{rng.randint(1, 900)}.{rng.randint(0, 9)}万元，"
            f"建设{rng.choice(THINGS)}{rng.randint(1, 60)}所。"
        )
    return "\n".join(lines) + "\n"


def write_corpus(raw: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n):
        (raw / f"doc{i:04d}.txt").write_text(make_doc(rng, i), encoding="utf-8")


def snapshot(out: Path) -> dict[str, list[tuple]]:
    """Every content table as a sorted list of rows, timestamps left out (readable or it raises)."""
    snap = {}
    for table in TABLES:
        df = pd.read_parquet(out / f"{table}.parquet")
        df = df.drop(columns=[c for c in df.columns if c in VOLATILE])
        snap[table] = sorted(map(tuple, df.astype(str).itertuples(index=False)))
    return snap


# --------------------------------------------------------------------------- deterministic


STEPS = [
    "_write_parquet",
    "_link_or_copy",
    "_write_atomic",
    "_fsync_dir",
    "_switch_symlink",
    "_ensure_table_links",
]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.usefixtures("prefect_harness")
def test_failure_at_each_commit_step_leaves_before_or_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    write_corpus(raw, 6, seed=1)
    pipeline_flow(raw=str(raw), out=str(out))
    before = snapshot(out)
    write_corpus(raw, 9, seed=2)  # changes and additions
    real = getattr(storage, step)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # fail part-way through, not on the first call
            raise OSError(5, "injected I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(storage, step, failing)
    try:
        pipeline_flow(raw=str(raw), out=str(out))
        failed = False
    except OSError:
        failed = True
    monkeypatch.setattr(storage, step, real)
    state = snapshot(out)
    pipeline_flow(raw=str(raw), out=str(out))
    after = snapshot(out)
    assert state in (before, after), step
    if failed:
        assert calls["n"] >= 2


# --------------------------------------------------------------------------- SIGKILL


def _cmd(raw: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--out", str(out), "--quiet", *extra]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def _processes_mentioning(needle: str) -> list[int]:
    """Live processes whose command line or environment names `needle` (e.g. their PREFECT_HOME)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            blob = Path(f"/proc/{pid}/cmdline").read_bytes() + Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if needle.encode() in blob and int(pid) != os.getpid():
            found.append(int(pid))
    return found


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


KILLS = 10  # runs killed while still going
MAX_ROUNDS = 25  # a round whose run finished before its kill moment does not count


def _timed_run(raw: Path, out: Path) -> float:
    t0 = time.monotonic()
    done = subprocess.run(
        _cmd(raw, out, "--workers", "1", "--full"), env=_env(), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return time.monotonic() - t0


@pytest.mark.usefixtures("prefect_harness")
def test_sigkill_at_random_moments_never_corrupts_tables(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    write_corpus(raw, 200, seed=10)
    _timed_run(raw, out)
    full_run = _timed_run(raw, out)  # warm: what a killed run would have taken
    rng = random.Random(2026)
    before = snapshot(out)
    observed = {"before": 0, "after": 0}
    kills = rounds = 0
    scale = 1.0
    while kills < KILLS:
        rounds += 1
        assert rounds <= MAX_ROUNDS, f"only {kills} of {rounds - 1} runs were still going when killed"
        # some inputs change every round, so every run has writing to do
        for i in rng.sample(range(200), 40):
            (raw / f"doc{i:04d}.txt").write_text(make_doc(rng, 1000 * rounds + i), encoding="utf-8")
        proc = subprocess.Popen(
            _cmd(raw, out, "--workers", "1", "--full"),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # anywhere in the run, weighted to its second half where the tables are written; a run
        # that finished first shrinks the window (runs get faster once caches are warm)
        time.sleep(scale * full_run * max(rng.uniform(0.05, 1.0), rng.uniform(0.05, 1.0)))
        if proc.poll() is None:
            kills += 1
        else:
            scale *= 0.8
        _kill_group(proc)
        state = snapshot(out)  # readable after every kill
        pipeline_flow(raw=str(raw), out=str(out))  # the next run finishes the work
        after = snapshot(out)
        assert state in (before, after), f"round {rounds}: tables are neither the old nor the new state"
        observed["before" if state == before else "after"] += 1
        before = after
    # no temporary Prefect server or worker outlived its killed run
    assert _processes_mentioning(str(out)) == []
    # the final tables equal a clean run's on the same inputs
    clean = tmp_path / "clean"
    pipeline_flow(raw=str(raw), out=str(clean))
    assert snapshot(clean) == snapshot(out)
    print(f"kills {kills} in {rounds} rounds, states observed {observed}, full run {full_run:.1f}s")


@pytest.mark.usefixtures("prefect_harness")
def test_overlapping_runs_never_interleave(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    write_corpus(raw, 120, seed=3)
    procs = [
        subprocess.Popen(
            _cmd(raw, out, "--workers", "1", "--full", "--lock-timeout", "300"),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    runs = pd.read_parquet(out / "runs.parquet").sort_values("started_at")
    assert runs["status"].tolist() == ["completed", "completed"]
    first, second = runs.iloc[0], runs.iloc[1]
    assert first["finished_at"] <= second["started_at"]  # the second waited for the lock
    state = json.loads((out / ".duikou" / "current" / "state.json").read_text())
    assert state["version"] == 2

    # a run that cannot get the lock in time exits 1 with a message naming the holder
    with storage.writer_lock(out, timeout=5):
        blocked = subprocess.run(
            _cmd(raw, out, "--lock-timeout", "0.5"), env=_env(), capture_output=True, text=True, timeout=300
        )
    assert blocked.returncode == 1
    assert "another duikou run holds the output directory" in blocked.stderr
    assert f"pid {os.getpid()}" in blocked.stderr
