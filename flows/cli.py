"""`duikou`: a thin command line over the flows.

Prefect is configured here, before it is imported, so that a run works offline: a
Prefect home under the output directory, analytics off, and SIGTERM turned into a
normal exit so that whatever we started (worker processes, a local Prefect server) is
stopped with us. How a flow is executed (plain functions, Prefect, Prefect on Dask) is
decided by `flows/engine.py`; with no Prefect API configured, `run` and `flow` never
start a Prefect server at all.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from .engine import ENV_DASK, ENV_PREFECT  # stdlib only: Prefect is not imported yet

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
duikou-etl: turn scraped reports on 对口支援 (paired assistance) into analyst-ready Parquet tables.

Raw HTML pages and text dumps under --raw are decoded, stripped of site boilerplate,
repaired and split into articles, then tokenised with jieba; pairings (supporter ->
recipient), money amounts and years are extracted. Tables land under --out as
<table>.parquet, readable with pandas.read_parquet or DuckDB's read_parquet.
"""

EPILOG = """\
examples:
  duikou run                          process data/raw into data/clean (only what changed)
  duikou run --full --workers 2       reprocess everything with two worker processes
  duikou flow extract                 re-run extraction over the ingested documents
  duikou flow ingest data/raw/a.html  re-ingest one file
  duikou status                       tables, last runs, quarantined inputs
  duikou explain data/raw/a.txt       show each line of a page, kept or dropped, and why
  duikou run --prefect                record the run in Prefect (a local server if none is configured)
  duikou run --dask-address tcp://scheduler:8786   the batch work on a Dask cluster
  duikou serve --cron "0 3 * * *"     run the pipeline every night at 03:00 as a Prefect deployment

exit status: 0 the run finished (quarantined inputs are reported, not fatal);
1 the pipeline failed; 2 usage error.
"""


def _prefect_env(out: Path, verbose: bool) -> None:
    """Defaults for an offline Prefect; the user's own settings win.

    The home (a local server's database, Prefect's own files) moves under the output
    directory, but the user's profiles stay where they are: a PREFECT_API_URL set with
    `prefect config set` is still seen, and then the runs go to that server.
    """
    user_profiles = Path("~/.prefect/profiles.toml").expanduser()
    if "PREFECT_HOME" not in os.environ and user_profiles.is_file():
        os.environ.setdefault("PREFECT_PROFILES_PATH", str(user_profiles))
    defaults = {
        "PREFECT_HOME": str((out / ".duikou" / "prefect").resolve()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "PREFECT_UI_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def _terminate_cleanly() -> None:
    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="duikou",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(sp: argparse.ArgumentParser, raw: bool = True) -> None:
        if raw:
            sp.add_argument(
                "--raw", type=Path, default=Path("data/raw"), help="raw input directory (default: data/raw)"
            )
        sp.add_argument(
            "--out", type=Path, default=Path("data/clean"), help="output directory (default: data/clean)"
        )

    def workers(sp: argparse.ArgumentParser, engine: bool = True) -> None:
        sp.add_argument(
            "--workers",
            type=int,
            default=None,
            help="local worker processes for the batch work (default: number of cores)",
        )
        sp.add_argument(
            "--lock-timeout",
            type=float,
            default=60.0,
            help="seconds to wait when another run holds the output directory (default: 60)",
        )
        sp.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own log lines")
        if not engine:
            return
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress display")
        sp.add_argument(
            "--prefect",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"run as Prefect flow and task runs (default: when a Prefect API is configured; "
            f"env {ENV_PREFECT}=1/0); with no API configured a local Prefect server is started",
        )
        sp.add_argument(
            "--dask-address",
            default=os.environ.get(ENV_DASK) or None,
            metavar="tcp://HOST:PORT",
            help=f"run the batch tasks on this Dask scheduler's cluster (env {ENV_DASK}); "
            "needs the dask extra, and the workers must see --raw at the same path",
        )

    run = sub.add_parser(
        "run",
        help="the whole pipeline: ingest, then extract",
        description="Run the whole "
        "pipeline over every file under --raw. Unchanged inputs are skipped unless --full.",
    )
    common(run)
    workers(run)
    run.add_argument("--full", action="store_true", help="reprocess every input, changed or not")

    fl = sub.add_parser(
        "flow",
        help="re-run one flow (ingest or extract) alone",
        description="Re-run one flow alone, over every input or only the given raw files.",
    )
    fl.add_argument("name", choices=["ingest", "extract"], help="the flow to run")
    fl.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="raw files to limit the flow to")
    common(fl)
    workers(fl)
    fl.add_argument("--full", action="store_true", help="ingest: reprocess the inputs even if unchanged")

    sv = sub.add_parser(
        "serve",
        help="serve the pipeline as a scheduled Prefect deployment",
        description="Register the pipeline as a Prefect deployment with a schedule and run it "
        "until interrupted. With no PREFECT_API_URL configured, a local Prefect server is started "
        "on 127.0.0.1 for as long as this runs (its database under --out).",
    )
    common(sv)
    workers(sv, engine=False)
    sv.add_argument("--cron", metavar="EXPR", help='cron expression for the schedule, e.g. "0 3 * * *"')
    sv.add_argument("--interval", type=float, metavar="SECONDS", help="seconds between runs")
    sv.add_argument("--name", default="duikou", help="the deployment's name (default: duikou)")

    st = sub.add_parser("status", help="tables, last runs and quarantined inputs")
    common(st, raw=False)
    st.add_argument("--runs", type=int, default=5, help="how many recent runs to show (default: 5)")

    ex = sub.add_parser("explain", help="show each line of a raw file, kept or dropped, with the reason")
    ex.add_argument("file", type=Path, help="a raw file")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "status":
            from .status import print_status

            return print_status(args.out, n_runs=args.runs)
        if args.command == "explain":
            return _explain(args.file)
        if args.command == "serve":
            return _serve(args, parser)
        return _run_flow(args, parser)
    except KeyboardInterrupt:
        print("duikou: interrupted", file=sys.stderr)
        return 130


def _workers(args: argparse.Namespace) -> int:
    """--workers, else one local process per core."""
    return args.workers or os.cpu_count() or 1


def _usage(message: str) -> int:
    print(f"duikou: {message}", file=sys.stderr)
    return EXIT_USAGE


def _check_common(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int | None:
    """Usage errors shared by run, flow and serve; None when all is well."""
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if not args.raw.is_dir():
        return _usage(f"{args.raw}: the raw directory does not exist or is not a directory")
    return None


def _run_flow(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if (bad := _check_common(args, parser)) is not None:
        return bad
    for p in getattr(args, "paths", []) or []:
        if not p.exists() and not p.is_symlink():
            return _usage(f"{p}: no such file")
    from . import engine

    try:
        wanted = engine.prefect_wanted(args.prefect)
    except engine.EngineError as exc:
        return _usage(str(exc))
    if args.dask_address:
        if wanted is False:
            return _usage("--dask-address runs Prefect tasks on the cluster: it cannot go with --no-prefect")
        if "://" not in args.dask_address:
            return _usage(f"--dask-address {args.dask_address!r}: expected tcp://HOST:PORT")
        if args.workers is not None:
            return _usage("--workers is for local processes: with --dask-address the cluster's workers work")
    _prefect_env(args.out, args.verbose)
    _terminate_cleanly()
    if not args.dask_address:  # Dask mode runs batches on the cluster, not in local workers
        from . import executor

        executor.warm(_workers(args))

    from . import server, storage
    from .progress import Progress

    mode = engine.choose(wanted, args.dask_address)
    progress = None if args.quiet else Progress()
    kwargs: dict[str, Any] = {
        "raw": str(args.raw),
        "out": str(args.out),
        "workers": _workers(args),
        "lock_timeout": args.lock_timeout,
        "progress": progress,
    }
    if args.command == "run":
        from . import pipeline as module

        kwargs["full"] = args.full
        run, flow = "run_pipeline", "pipeline_flow"
    elif args.name == "ingest":
        from . import ingest as module

        kwargs.update(paths=[str(p) for p in args.paths] or None, full=args.full)
        run, flow = "run_ingest", "ingest_flow"
    else:
        from . import extract as module

        kwargs["paths"] = [str(p) for p in args.paths] or None
        run, flow = "run_extract", "extract_flow"
    try:
        # the plain function runs locally; the Prefect flow (and Prefect's import) only otherwise
        target = getattr(module, run if mode == "local" else flow)
        stats = engine.run_flow(target, mode, kwargs, dask_address=args.dask_address)
    except (storage.LockTimeout, engine.EngineError, server.ServerError) as exc:
        print(f"duikou: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SystemExit:
        raise
    except Exception as exc:  # the pipeline itself failed: say so, exit 1
        print(
            f"duikou: the {getattr(args, 'name', 'pipeline')} run failed: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    finally:
        if progress:
            progress.close()
    from .status import print_run_summary

    print_run_summary(stats, args.out)
    return EXIT_OK


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if (bad := _check_common(args, parser)) is not None:
        return bad
    if args.cron is None and args.interval is None:
        return _usage("serve needs a schedule: --cron EXPR or --interval SECONDS")
    if args.interval is not None and not args.interval > 0:
        return _usage(f"--interval {args.interval:g}: must be a positive number of seconds")
    _prefect_env(args.out, verbose=True)  # the runner's log lines are what an operator watches
    _terminate_cleanly()
    if args.cron is not None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=args.cron)
        except ValueError as exc:
            return _usage(f"--cron {args.cron!r}: not a valid cron expression ({exc})")

    from . import engine, server
    from .serve import serve_pipeline

    try:
        serve_pipeline(
            raw=args.raw,
            out=args.out,
            name=args.name,
            cron=args.cron,
            interval=args.interval,
            workers=_workers(args),
            lock_timeout=args.lock_timeout,
        )
    except (KeyboardInterrupt, SystemExit):
        print("duikou serve: stopped", file=sys.stderr)
        return EXIT_OK
    except (engine.EngineError, server.ServerError) as exc:
        print(f"duikou serve: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        print(f"duikou serve: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print("duikou serve: stopped", file=sys.stderr)
    return EXIT_OK


def _explain(path: Path) -> int:
    from extractors import cleaning

    from .settings import build_settings
    from .sources import inner_name, read_raw

    settings = build_settings()
    try:
        _, raw = read_raw(path, str(path), settings)
        rows = cleaning.explain(raw, name=inner_name(path.name), settings=settings)
    except Exception as exc:
        print(f"duikou: {path}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for line, verdict, reason in rows:
        print(f"{verdict:4} {reason:18} {line}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
