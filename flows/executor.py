"""Local worker processes for the CPU-bound batch work.

Prefect's own ProcessPoolTaskRunner runs the task engine in every worker process, and
with no Prefect server configured each of those starts its own temporary server (several
seconds each). So tasks stay in the flow process (threads) and hand their batch to a
plain process pool that imports only the extractors. The pool's forkserver loads the
dictionaries and patterns once (`flows.worker_preload`) and every worker forks with them
loaded. With one worker the work runs in-process and no pool is started at all.

A worker exits when the process that started the pool dies, even by SIGKILL: it holds
both ends of its own task pipe (and keeps the forkserver and resource tracker alive),
so without a watch it would wait for work forever as an orphan.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_workers = 0


def _init_worker(owner: int) -> None:
    """Watch the pool's owner; load the tokenizer's dictionary now (a no-op when the forkserver's
    preload did), not inside the first batch."""
    threading.Thread(target=_exit_with, args=(owner,), name="duikou-owner-watch", daemon=True).start()
    from extractors import tokens

    tokens.get_tagger()


def _exit_with(pid: int) -> None:
    """Block until process `pid` is gone, then leave at once (no cleanup: the owner is dead)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): poll
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            time.sleep(1.0)
    select.select([fd], [], [])  # a pidfd becomes readable when its process exits
    os._exit(1)


def pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_workers
    with _lock:
        if _pool is None or _pool_workers != workers:
            if _pool is not None:
                _pool.shutdown(cancel_futures=True)
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["flows.worker_preload"])
            _pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(),)
            )
            _pool_workers = workers
        return _pool


def warm(workers: int) -> None:
    """Start the worker processes now, in the background: their start-up (the forkserver's
    preload of the extractors and their dictionaries) then overlaps the flow's own (imports,
    hashing and planning the inputs) instead of delaying the first batch by it. Nothing to
    start with one worker."""
    if workers <= 1:
        return

    def start() -> None:
        try:
            for future in [pool(workers).submit(os.getpid) for _ in range(workers)]:
                future.result()
        except Exception:  # the run ended (the pool is shut down) before the workers were up
            pass

    threading.Thread(target=start, name="duikou-warm-workers", daemon=True).start()


def run(workers: int, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Run `fn` in a worker process (or here, with one worker) and wait for its result."""
    if workers <= 1:
        return fn(*args, **kwargs)
    return pool(workers).submit(fn, *args, **kwargs).result()


@atexit.register
def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
            _pool = None
