"""How a flow is executed: as plain functions, as real Prefect runs, or with its tasks on Dask.

- `local`: no Prefect API is configured. The flow module's run function is called and
  batch tasks run as plain functions on a small thread pool (they hand their work to the
  local worker processes of `executor`). Prefect is not even imported (0.75 s of every cold
  start), let alone its engine and temporary server (6-7 s per run, recording into a
  throwaway database nobody reads); our own `runs` table is the record.
- `prefect`: a Prefect API is configured (PREFECT_API_URL or a profile), or asked for with
  `--prefect` / DUIKOU_PREFECT=1: real flow and task runs that show in the UI. With no API
  configured a local server is started for the run (`flows/server.py`).
- `dask`: `prefect` mode with Prefect's Dask task runner, the batch tasks on a cluster.

The flows stay the same code in every mode: they submit batch tasks through `submit`, and
each flow module builds its Prefect flow objects only when they are asked for (`lazy_flows`).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
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
    """Prefect's own view: environment, profile, prefect.toml; None when no API is configured.
    Prefect is asked only when one of its settings sources could name an API."""
    if not settings_may_name_an_api():
        return None
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def settings_may_name_an_api(env: dict[str, str] | None = None, cwd: Path | None = None) -> bool:
    """Could any of Prefect's settings sources set an API URL? Read without importing Prefect.

    The sources (prefect/settings/sources.py, Prefect 3.8): the environment, ./.env,
    ./prefect.toml, ./pyproject.toml's [tool.prefect], and the profiles file, whose path the
    first three may also move. Anything unusual counts as a yes, so only a definite no skips
    Prefect's own resolution; the no is the common case of a scheduled job on a plain machine.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    names = [k.upper() for k in env if k.upper().startswith("PREFECT_")]
    if any("API" in k or k.startswith("PREFECT_TESTING") or k == "PREFECT_PROFILE" for k in names):
        return True
    if (cwd / ".env").exists() or (cwd / "prefect.toml").exists():
        return True
    if _mentions(cwd / "pyproject.toml", "TOOL.PREFECT"):
        return True
    if env.get("PREFECT_PROFILES_PATH"):
        profiles = Path(env["PREFECT_PROFILES_PATH"])
    else:
        profiles = Path(env.get("PREFECT_HOME") or "~/.prefect").expanduser() / "profiles.toml"
    return _mentions(profiles, "API")


def _mentions(path: Path, word: str) -> bool:
    """The file holds `word` (case-insensitive); a file that cannot be read might, so it counts."""
    try:
        return word in path.read_text(encoding="utf-8", errors="replace").upper()
    except FileNotFoundError:
        return False
    except OSError:
        return True


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


def submit(name: str, fn: Callable[..., Any], *args: Any) -> HasResult[Any]:
    """`fn` as the Prefect task `name` inside a Prefect flow run; on a thread otherwise.

    Threads, not the caller: a flow keeps several batches in flight (each waits on a
    worker process), as Prefect's thread-pool task runner does. A flow run needs Prefect
    imported, so when it is not, this is no flow run.
    """
    context = sys.modules.get("prefect.context")
    if context is not None and context.FlowRunContext.get() is not None:
        return prefect_task(fn, name).submit(*args)
    future: Future[Any] = _local_threads().submit(fn, *args)
    return future


@functools.cache
def prefect_task(fn: Callable[..., Any], name: str) -> Any:
    """`fn` as a Prefect task (no result caching: a batch's inputs are paths and ids, not its content)."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    return task(name=name, cache_policy=NO_CACHE)(fn)


def lazy_flows(namespace: dict[str, Any], flows: dict[str, tuple[Callable[..., Any], str]]) -> Any:
    """A flow module's `__getattr__` (PEP 562): each attribute in `flows` (e.g. "pipeline_flow" ->
    (run_pipeline, "pipeline")) becomes a Prefect flow of that name on first use, and stays.

    Deployments find a flow by module and `__name__` (`flows.pipeline.pipeline_flow` in
    serve's runs and in prefect.yaml), so each flow takes the name of the attribute it is
    reached by, and that attribute leads back to it."""

    def __getattr__(attr: str) -> Any:
        if attr not in flows:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {attr!r}")
        from prefect import flow

        fn, name = flows[attr]
        built = flow(name=name, log_prints=False, validate_parameters=False)(fn)
        built.__name__ = attr
        namespace[attr] = built
        return built

    return __getattr__


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
        raise EngineError("--dask-address needs the dask extra: pip install 'duikou-etl[dask]'") from None
    try:
        with Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False) as client:
            return max(1, sum(client.nthreads().values()))
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"the Dask scheduler at {address} does not answer: {exc}") from None


def run_flow(flow: Any, mode: Mode, params: dict[str, Any], *, dask_address: str | None = None) -> Any:
    """Run one of our flows in the given mode and return what it returns: `flow` is the flow
    module's run function in local mode, its Prefect flow otherwise."""
    if mode == "local":
        pyarrow_without_pandas()  # only our code runs: no pandas object ever reaches pyarrow
        # a stray Prefect API call would start the temporary server: make it fail loudly instead
        with _no_temporary_server():
            return flow(**params)
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


class _Refuse:
    """A meta path finder that makes `import NAME` fail as it does when NAME is not installed."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.name or fullname.startswith(self.name + "."):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def pyarrow_without_pandas() -> None:
    """Settle pyarrow's probe for pandas as 'not installed', unless pandas is loaded already.

    pyarrow imports pandas on its first conversion of a Python list or numpy array, only to
    ask whether the input is a pandas object: 0.36 s of CPU and 40 MB in each process of a
    run, which builds Arrow tables from lists and arrays alone. The probe runs once per
    process and its answer is kept, so it is made here with the import refused. Conversions
    of lists and arrays come out the same; pandas stays importable, and pyarrow's own pandas
    functions (to_pandas) import it when called.
    """
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    refuse = _Refuse("pandas")
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([0])  # a list goes through the probe (an empty one may not)
    finally:
        sys.meta_path.remove(refuse)


@contextlib.contextmanager
def _no_temporary_server() -> Iterator[None]:
    """Prefect's temporary server disabled for the duration: through its settings if Prefect is
    imported already, else through the environment it would read on import."""
    if "prefect" in sys.modules:
        from prefect.settings import PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

        with temporary_settings({PREFECT_SERVER_EPHEMERAL_ENABLED: False}):
            yield
        return
    key = "PREFECT_SERVER_EPHEMERAL_ENABLED"
    old = os.environ.get(key)
    os.environ[key] = "false"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old
