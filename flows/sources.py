"""Listing raw inputs, reading their bytes safely, and deciding what a run must (re)process.

The sources manifest (kept in each committed version's state.json) maps every raw
path to the hash of the bytes last processed and the pipeline version that did it;
an input is skipped when both are unchanged. Prefect's task cache is not used for
this: it would cost a task run per skipped file and vanish with PREFECT_HOME.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import extractors
from extractors.errors import BadInput
from extractors.settings import Settings

T = TypeVar("T")

_HASH_CHUNK = 1 << 20


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Package version plus a digest of the extractors' code and data: any rule change reprocesses."""
    root = Path(extractors.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{extractors.__version__}+{digest.hexdigest()[:10]}"


@dataclass(frozen=True, slots=True)
class RawFile:
    rel: str  # path relative to the raw directory, with '/'
    path: Path
    size: int
    mtime_ns: int
    sha256: str | None = None  # None when the file could not be hashed (see `problem`)
    problem: tuple[str, str] | None = None  # (reason, detail) found while listing

    @property
    def doc_id(self) -> str:
        assert self.sha256 is not None
        return self.sha256[:16]


def discover(raw: Path, only: Iterable[Path] | None = None) -> list[RawFile]:
    """Every regular file under `raw` (or the given ones), sorted by relative path, hashed.

    Symlinks are followed only when they stay inside `raw`; problems found here are
    carried on the RawFile so that the flow records them as rejects.
    """
    raw = raw.resolve()
    candidates = _walk(raw) if only is None else [Path(os.path.abspath(p)) for p in only]
    seen: dict[str, RawFile] = {}
    for path in candidates:
        rf = _inspect(raw, path)
        if rf is not None:
            seen.setdefault(rf.rel, rf)
    return [seen[k] for k in sorted(seen)]


def _walk(raw: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return out


def _rel_name(raw: Path, path: Path) -> tuple[str, bool]:
    """The path relative to raw as text; False when the name is not valid UTF-8."""
    try:
        rel = path.relative_to(raw)
    except ValueError:
        rel = Path(path.name)
    name = os.fsencode(rel).decode("utf-8", "backslashreplace")
    try:
        os.fsencode(rel).decode("utf-8")
    except UnicodeDecodeError:
        return name, False
    return rel.as_posix(), True


def _inspect(raw: Path, path: Path) -> RawFile | None:
    rel, name_ok = _rel_name(raw, path)
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return RawFile(
            rel, path, 0, 0, problem=("vanished", f"{rel}: the file disappeared before it was read")
        )
    except OSError as exc:
        return RawFile(rel, path, 0, 0, problem=("unreadable", f"{rel}: cannot stat: {exc.strerror}"))
    if stat.S_ISLNK(lst.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(raw):
            return RawFile(
                rel,
                path,
                0,
                0,
                problem=("symlink_outside", f"{rel}: symlink to {target} outside the raw directory"),
            )
        try:
            lst = os.stat(path)
        except OSError as exc:
            return RawFile(rel, path, 0, 0, problem=("unreadable", f"{rel}: broken symlink: {exc.strerror}"))
    if stat.S_ISDIR(lst.st_mode):
        return None
    if not stat.S_ISREG(lst.st_mode):
        return RawFile(rel, path, 0, 0, problem=("unreadable", f"{rel}: not a regular file"))
    if not name_ok:
        return RawFile(
            rel,
            path,
            lst.st_size,
            lst.st_mtime_ns,
            problem=("bad_name", f"{rel}: the file name is not valid UTF-8; rename it to ingest it"),
        )
    return RawFile(rel, path, lst.st_size, lst.st_mtime_ns)


def hash_file(rf: RawFile, settings: Settings) -> RawFile:
    """Fill in sha256 (streamed, so a huge file costs no memory); problems become `problem`."""
    if rf.problem:
        return rf
    if rf.size > settings.max_file_bytes:
        return _with(
            rf,
            problem=(
                "too_large",
                f"{rf.rel}: {rf.size} bytes, over the {settings.max_file_bytes}-byte limit",
            ),
        )
    def digest_file() -> str:
        digest = hashlib.sha256()
        with open(rf.path, "rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    try:
        sha = _retrying(digest_file, settings)
    except FileNotFoundError:
        return _with(rf, problem=("vanished", f"{rf.rel}: the file disappeared before it was read"))
    except OSError as exc:
        return _with(rf, problem=("unreadable", f"{rf.rel}: cannot read: {exc.strerror}"))
    return _with(rf, sha256=sha)


# errors a network or overloaded filesystem gives and a second attempt may not; a missing
# file or a permission is deterministic and never retried
_TRANSIENT = frozenset({errno.EIO, errno.EAGAIN, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE, errno.EBUSY})


def _retrying(read: Callable[[], T], settings: Settings) -> T:
    """Run an I/O read again after a transient error, with a doubling pause."""
    delay = settings.io_retry_delay
    for attempt in range(settings.io_retries + 1):
        try:
            return read()
        except OSError as exc:
            if exc.errno not in _TRANSIENT or attempt == settings.io_retries:
                raise
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _with(rf: RawFile, **changes: Any) -> RawFile:
    fields = {f: getattr(rf, f) for f in rf.__dataclass_fields__}
    fields.update(changes)
    return RawFile(**fields)


def read_raw(path: Path, rel: str, settings: Settings) -> tuple[bytes, bytes]:
    """The file's bytes and its content: gunzipped for `.gz` names, capped against bombs."""
    def read() -> bytes:
        # read(n) allocates n bytes before reading: ask for the file's size (and one byte more, to
        # see it grow), not for the 50 MB cap, which cost a 50 MB allocation per file
        limit = settings.max_file_bytes + 1
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(min(size + 1, limit))
            if size < len(data) < limit:  # it is growing: read on, up to the cap
                data += fh.read(limit - len(data))
            return data

    try:
        data = _retrying(read, settings)
    except FileNotFoundError:
        raise BadInput("vanished", f"{rel}: the file disappeared before it was read") from None
    except OSError as exc:
        raise BadInput("unreadable", f"{rel}: cannot read: {exc.strerror}") from None
    if len(data) > settings.max_file_bytes:
        raise BadInput("too_large", f"{rel}: over the {settings.max_file_bytes}-byte limit")
    if rel.lower().endswith(".gz"):
        return data, _gunzip(data, rel, settings.max_gunzip_bytes)
    return data, data


def _gunzip(data: bytes, rel: str, cap: int) -> bytes:
    dec = zlib.decompressobj(wbits=47)  # gzip or zlib header
    try:
        out = dec.decompress(data, cap + 1)
    except zlib.error as exc:
        raise BadInput("parse_error", f"{rel}: not a readable gzip file: {exc}") from None
    if len(out) > cap or dec.unconsumed_tail:
        raise BadInput("gzip_bomb", f"{rel}: decompresses to more than {cap} bytes")
    if not dec.eof:
        raise BadInput("parse_error", f"{rel}: truncated gzip data")
    return out


def inner_name(rel: str) -> str:
    """The name that tells the format: `a/page.html.gz` -> `page.html`."""
    name = rel.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".gz") else name


# --------------------------------------------------------------------------- planning


@dataclass
class Plan:
    """What a run does with each input in its scope."""

    process: list[RawFile] = field(default_factory=list)  # decode, clean, extract
    skip: list[RawFile] = field(default_factory=list)  # unchanged since the last run
    reject: list[tuple[RawFile, str, str]] = field(default_factory=list)  # (file, reason, detail)
    drop_doc_ids: set[str] = field(default_factory=set)  # rows to remove before adding new ones
    forget: set[str] = field(default_factory=set)  # manifest paths that vanished from the raw dir
    n_inputs: int = 0


def make_plan(
    files: list[RawFile],
    sources: dict[str, dict[str, Any]],
    *,
    version: str,
    full: bool,
    whole_dir: bool,
) -> Plan:
    """Decide per input: skip, process or reject; duplicates keep the first path in sorted order."""
    plan = Plan(n_inputs=len(files))
    in_scope = {f.rel for f in files}
    if whole_dir:
        plan.forget = {rel for rel in sources if rel not in in_scope}
    for rel in plan.forget:
        if sources[rel].get("doc_id"):
            plan.drop_doc_ids.add(sources[rel]["doc_id"])

    # canonical path per content hash, over the inputs in scope and the documents kept outside it
    owner: dict[str, str] = {}
    for rel, entry in sources.items():
        if rel not in in_scope and rel not in plan.forget and entry.get("status") == "document":
            owner[entry["sha256"]] = min(rel, owner.get(entry["sha256"], rel))
    for f in files:
        if f.sha256 and not f.problem:
            owner[f.sha256] = min(f.rel, owner.get(f.sha256, f.rel))

    for f in files:
        prev = sources.get(f.rel, {})
        if f.problem:
            reason, detail = f.problem
            plan.reject.append((f, reason, detail))
            if prev.get("doc_id") and reason not in ("unreadable", "vanished"):
                plan.drop_doc_ids.add(prev["doc_id"])
            continue
        assert f.sha256 is not None
        unchanged = not full and prev.get("sha256") == f.sha256 and prev.get("pipeline_version") == version
        if owner[f.sha256] != f.rel:
            if prev.get("doc_id"):
                plan.drop_doc_ids.add(prev["doc_id"])
            plan.reject.append((f, "duplicate", f"{f.rel}: same bytes as {owner[f.sha256]}, kept there"))
            continue
        was_duplicate = prev.get("status") == "rejected" and prev.get("reason") == "duplicate"
        if unchanged and prev.get("status") in ("document", "rejected") and not was_duplicate:
            plan.skip.append(f)
            continue
        if prev.get("doc_id"):
            plan.drop_doc_ids.add(prev["doc_id"])
        plan.process.append(f)
    # a document that stays elsewhere must not lose its rows to a path that merely duplicates it
    kept_ids = {f.doc_id for f in plan.skip if sources.get(f.rel, {}).get("status") == "document"}
    plan.drop_doc_ids -= kept_ids
    return plan
