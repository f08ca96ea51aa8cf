"""The local worker pool: started ahead of the first batch, used by it, one worker means none."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Iterator

import pytest

from flows import executor


@pytest.fixture
def no_pool() -> Iterator[None]:
    executor.shutdown()
    yield
    executor.shutdown()


def _wait_for_children(n: int, timeout: float = 60.0) -> list[mp.process.BaseProcess]:
    deadline = time.monotonic() + timeout
    while len(mp.active_children()) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return mp.active_children()


def test_warm_starts_the_workers_that_the_first_batch_then_runs_on(no_pool: None) -> None:
    before = {p.pid for p in mp.active_children()}
    executor.warm(2)  # returns at once: the start-up happens on a thread
    started = {p.pid for p in _wait_for_children(len(before) + 2)} - before
    assert len(started) == 2, "warm did not start two worker processes"
    assert executor.run(2, os.getpid) in started  # the batch ran on a warmed worker, not a new one
    assert {p.pid for p in mp.active_children()} - before == started


def test_warm_with_one_worker_starts_nothing(no_pool: None) -> None:
    before = {p.pid for p in mp.active_children()}
    executor.warm(1)
    time.sleep(0.5)
    assert {p.pid for p in mp.active_children()} == before
    assert executor.run(1, os.getpid) == os.getpid()  # one worker runs in-process


# what a worker has before its first batch: the tagger, a pattern only a pairing rule builds
# (`_cue_re`), pyarrow's first list conversion working, and pandas not imported for it
_LOADED = (
    "[__import__('extractors.tokens', fromlist=['_'])._loaded.cache_info().currsize, "
    "__import__('extractors.pairings', fromlist=['_'])._cue_re.cache_info().currsize, "
    "__import__('pyarrow').array(['x']).to_pylist(), "
    "'pandas' in __import__('sys').modules]"
)


def test_workers_fork_with_the_dictionaries_and_patterns_loaded_and_no_pandas(no_pool: None) -> None:
    # eval: a builtin pickles by name, so the worker runs the probe without importing this test module
    assert executor.run(2, eval, _LOADED) == [1, 1, ["x"], False]
