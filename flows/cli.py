"""`duikou`: a thin command line over the flows.

Prefect is configured here, before it is imported, so that a run works offline with
no server: a Prefect home under the output directory, analytics off, a bounded
server start-up time, and SIGTERM turned into a normal exit so that the temporary
server Prefect starts is stopped with us instead of being orphaned.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

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

exit status: 0 the run finished (quarantined inputs are reported, not fatal);
1 the pipeline failed; 2 usage error.
"""


def _prefect_env(out: Path, verbose: bool) -> None:
    """Defaults for an offline, serverless Prefect; the user's own settings win."""
    defaults = {
        "PREFECT_HOME": str((out / ".duikou" / "prefect").resolve()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
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

    def workers(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="worker processes for the batch work (default: number of cores)",
        )
        sp.add_argument(
            "--lock-timeout",
            type=float,
            default=60.0,
            help="seconds to wait when another run holds the output directory (default: 60)",
        )
        sp.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own log lines")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress display")

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

    sv = sub.add_parser("serve", help="serve the pipeline as a scheduled Prefect deployment")
    common(sv)
    sv.add_argument("--cron", help="cron expression for the schedule")
    sv.add_argument("--interval", type=float, help="seconds between runs")

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
            print(
                "duikou serve: scheduling is not available yet (see issue 7); use cron with `duikou run`.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        return _run_flow(args, parser)
    except KeyboardInterrupt:
        print("duikou: interrupted", file=sys.stderr)
        return 130


def _run_flow(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if not args.raw.is_dir():
        print(f"duikou: {args.raw}: the raw directory does not exist or is not a directory", file=sys.stderr)
        return EXIT_USAGE
    for p in getattr(args, "paths", []) or []:
        if not p.exists() and not p.is_symlink():
            print(f"duikou: {p}: no such file", file=sys.stderr)
            return EXIT_USAGE
    _prefect_env(args.out, args.verbose)
    _terminate_cleanly()

    from . import storage
    from .progress import Progress

    progress = None if args.quiet else Progress()
    kwargs: dict[str, Any] = {
        "raw": str(args.raw),
        "out": str(args.out),
        "workers": args.workers,
        "lock_timeout": args.lock_timeout,
        "progress": progress,
    }
    try:
        if args.command == "run":
            from .pipeline import pipeline_flow

            stats = pipeline_flow(full=args.full, **kwargs)
        elif args.name == "ingest":
            from .ingest import ingest_flow

            stats = ingest_flow(paths=[str(p) for p in args.paths] or None, full=args.full, **kwargs)
        else:
            from .extract import extract_flow

            stats = extract_flow(paths=[str(p) for p in args.paths] or None, **kwargs)
    except storage.LockTimeout as exc:
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
