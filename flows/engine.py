"""How a flow is executed: as plain functions, as real Prefect runs, or with its tasks on Dask.

- `local`: no Prefect API is configured. The flow's function is called (`flow.fn`) and
  batch tasks run as plain functions on a small thread pool (they hand their work to the
  local worker processes of `executor`). Prefect's engine and its temporary server (6-7 s
  per run, recording into a throwaway database nobody reads) are never touched; our own
  `runs` table is the record.
- `prefect`: a Prefect API is configured (PREFECT_API_URL or a profile), or asked for with
  `--prefect` / DUIKOU_PREFECT=1: real flow and task runs that show in the UI. With no API
  configured a local server is started for the run (`flows/server.py`).
- `dask`: `prefect` mode with Prefect's Dask task runner, the batch tasks on a cluster.

The flows stay the same code in every mode: they submit batch tasks through `submit`.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

R_co = TypeVar("R_co", covariant=True)
Mode = Literal["local", "prefect", "dask"]
ENV_PREFECT = "DUIKOU_PREFECT"
ENV_DASK = "DUIKOU_DASK_ADDRESS"
DASK_CONNECT_TIMEOUT = 15.0  # seconds to reach the Dask scheduler before we give up
API_CHECK_TIMEOUT = 15.0  # seconds for a configured Prefect API to answer its health check
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class EngineError(RuntimeError):
    """The Prefect API or the Dask cluster this run needs cannot be used."""


class HasResult(Protocol[R_co]):  # a PrefectFuture or a concurrent.futures.Future
    def result(self) -> R_co: ...


# --------------------------------------------------------------------------- choosing a mode


def configured_api_url() -> str | None:
    """Prefect's own view: environment, profile, prefect.toml; None when no API is configured."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def prefect_wanted(flag: bool | None, env: dict[str, str] | None = None) -> bool | None:
    """--prefect/--no-prefect, else DUIKOU_PREFECT; None when neither says."""
    if flag is not None:
        return flag
    value = (os.environ if env is None else env).get(ENV_PREFECT)
    if value is None:
        return None
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise EngineError(f"{ENV_PREFECT}={value!r}: expected 1 or 0")


def choose(prefect: bool | None, dask_address: str | None) -> Mode:
    """Dask when an address is given; Prefect when asked or configured; local otherwise."""
    if dask_address:
        return "dask"
    if prefect is not None:
        return "prefect" if prefect else "local"
    return "prefect" if configured_api_url() else "local"


# --------------------------------------------------------------------------- submitting tasks

_lock = threading.Lock()
_threads: ThreadPoolExecutor | None = None


def _local_threads() -> ThreadPoolExecutor:
    global _threads
    with _lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(max_workers=32, thread_name_prefix="duikou-task")
        return _threads


def submit(task: Any, *args: Any, **kwargs: Any) -> HasResult[Any]:
    """`task.submit` inside a Prefect flow run; the task's plain function on a thread otherwise.

    Threads, not the caller: a flow keeps several batches in flight (each waits on a
    worker process), as Prefect's thread-pool task runner does.
    """
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is not None:
        return task.submit(*args, **kwargs)
    fn: Callable[..., Any] = task.fn
    future: Future[Any] = _local_threads().submit(fn, *args, **kwargs)
    return future


@atexit.register
def _shutdown_threads() -> None:
    global _threads
    with _lock:
        if _threads is not None:
            _threads.shutdown(wait=False, cancel_futures=True)
            _threads = None


# --------------------------------------------------------------------------- running a flow


@contextlib.contextmanager
def prefect_api(home: Path) -> Iterator[str]:
    """The configured Prefect API (checked to answer), or a local server for the duration."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = configured_api_url()
    if url:
        _check_api(url)
        yield url
        return
    from .server import local_server

    with local_server(home) as url:
        os.environ["PREFECT_API_URL"] = url  # for the processes we start (runner, Dask workers)
        try:
            with temporary_settings({PREFECT_API_URL: url}):
                try:
                    yield url
                finally:
                    _drain()
        finally:
            os.environ.pop("PREFECT_API_URL", None)


def _drain() -> None:
    """Send the logs and events still queued before the server goes (as Prefect's test harness does)."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        with contextlib.suppress(RuntimeError):  # never started
            if inspect.isawaitable(result := APILogWorker.instance().drain()):
                await result
        if inspect.isawaitable(result := EventsWorker.drain_all()):
            await result

    with contextlib.suppress(Exception):
        run_coro_as_sync(drain())


def _check_api(url: str) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True, httpx_settings={"timeout": API_CHECK_TIMEOUT}) as client:
        exc = client.api_healthcheck()
    if exc is not None:
        raise EngineError(f"the Prefect API at {url} (PREFECT_API_URL) does not answer: {exc}")


def dask_threads(address: str) -> int:
    """Threads across the cluster's workers; also proves the scheduler answers, within a bound."""
    try:
        from distributed import Client
    except ImportError:
        raise EngineError(
            "--dask-address needs the dask extra: pip install 'duikou-etl[dask]'"
        ) from None
    try:
        with Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False) as client:
            return max(1, sum(client.nthreads().values()))
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"the Dask scheduler at {address} does not answer: {exc}") from None


def run_flow(flow: Any, mode: Mode, params: dict[str, Any], *, dask_address: str | None = None) -> Any:
    """Run one of our flows in the given mode and return what it returns."""
    if mode == "local":
        from prefect.settings import PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

        # a stray Prefect API call would start the temporary server: make it fail loudly instead
        with temporary_settings({PREFECT_SERVER_EPHEMERAL_ENABLED: False}):
            return flow.fn(**params)
    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    if mode == "dask":
        assert dask_address
        threads = dask_threads(dask_address)
        from prefect_dask import DaskTaskRunner

        flow = flow.with_options(task_runner=DaskTaskRunner(address=dask_address))
        # the batch runs inside the Dask worker (no local pool); keep every cluster thread busy
        params = {**params, "workers": 1, "concurrency": 2 * threads}
    with prefect_api(home):
        return flow(**params)
