"""Where tables live and how a run commits them: one writer, atomic versions, nothing half-written.

Layout under the output directory::

    documents.parquet -> .duikou/current/documents.parquet    (one symlink per table, made once)
    .duikou/current -> versions/v00000007                      (switched atomically by rename)
    .duikou/versions/v00000007/<table>.parquet/part-*.parquet  (a complete set of tables)
    .duikou/versions/v00000007/state.json                      (parts per table, the sources manifest)
    .duikou/lock                                               (flock: one writer at a time)

A run stages its new part files in `versions/.staging-<run_id>/`, hard-links the
unchanged parts of the current version beside them, writes `state.json`, renames the
staging directory to the next version and then swaps `current`. Readers therefore
see either the previous complete set of tables or the new one, never a mix; a run
killed at any moment leaves `current` untouched, and the next run clears its debris.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import tables as T

STATE_DIR = ".duikou"
STATE_FILE = "state.json"
KEEP_VERSIONS = 2  # the previous version stays for readers that opened it just before a switch
ROW_GROUP_SIZE = 64 * 1024


class LockTimeout(RuntimeError):
    """Another run holds the output directory for longer than we were willing to wait."""


# --------------------------------------------------------------------------- locking


@contextlib.contextmanager
def writer_lock(out: Path, timeout: float) -> Iterator[None]:
    """Hold the output directory's lock; a dead holder's lock is released by the kernel.

    flock locks die with their process, so a lock left by a killed run is never stale.
    """
    state = out / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    path = state / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(timeout, 0.0)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_holder(path)
                    raise LockTimeout(
                        f"{out}: another duikou run holds the output directory ({holder}); "
                        f"waited {timeout:g} s. Try again later or raise --lock-timeout."
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(
            fd,
            f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}\n"
            .encode(),
        )
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "unknown holder"
    except OSError:
        return "unknown holder"


# --------------------------------------------------------------------------- versions


@dataclass
class Part:
    file: str  # name inside the table directory
    rows: int
    doc_ids: list[str] = field(default_factory=list)  # keyed tables only


@dataclass(frozen=True)
class EncodedPart:
    """A part file's bytes, made where the rows were made (a worker process or a Dask worker).

    A batch's tables are ten times smaller as Parquet than as Arrow, so shipping them encoded
    spares the pipe, and the flow's process only writes bytes: it was the third process on
    two cores, encoding every batch while both workers waited for CPU.
    """

    payload: bytes
    rows: int
    doc_ids: list[str]


def encode_part(table: str, data: pa.Table) -> EncodedPart:
    """Validate and encode one table's rows as a part file; a schema mismatch raises."""
    errors = T.validate(table, data)
    if errors:
        raise ValueError("; ".join(errors))
    sink = pa.BufferOutputStream()
    pq.write_table(data, sink, **_parquet_options(data.schema))
    # distinct ids in Arrow first: the tokens part has a row per token
    ids = sorted(pc.unique(data.column("doc_id")).to_pylist()) if table in T.KEYED_TABLES else []
    return EncodedPart(sink.getvalue().to_pybytes(), data.num_rows, ids)


@dataclass
class Version:
    """The committed state a run starts from (or an empty one)."""

    number: int
    path: Path | None
    parts: dict[str, list[Part]]
    sources: dict[str, dict[str, Any]]

    def table_files(self, table: str) -> list[Path]:
        if self.path is None:
            return []
        return [self.path / f"{table}.parquet" / p.file for p in self.parts.get(table, []) if p.rows]


def _state_root(out: Path) -> Path:
    return out / STATE_DIR


def current_version(out: Path) -> Version:
    """The version `current` points at; an empty version when nothing was committed yet."""
    link = _state_root(out) / "current"
    try:
        target = (link.parent / os.readlink(link)).resolve()
    except OSError:
        return Version(0, None, {t: [] for t in T.SCHEMAS}, {})
    state = json.loads((target / STATE_FILE).read_text(encoding="utf-8"))
    parts = {t: [Part(**p) for p in state["tables"].get(t, [])] for t in T.SCHEMAS}
    return Version(int(state["version"]), target, parts, state.get("sources", {}))


def read_table(out: Path, table: str, columns: list[str] | None = None) -> pa.Table:
    """The whole current table (empty with the declared schema when there is none)."""
    version = current_version(out)
    return _read_parts(version.table_files(table), table, columns)


def _read_parts(files: Iterable[Path], table: str, columns: list[str] | None) -> pa.Table:
    pieces = [pq.read_table(f, columns=columns, schema=T.SCHEMAS[table]) for f in files]
    if not pieces:
        empty = T.empty(table)
        return empty.select(columns) if columns else empty
    return pa.concat_tables(pieces)


# --------------------------------------------------------------------------- transactions


class Transaction:
    """A run's pending change: new parts staged on disk, rows of replaced documents dropped."""

    def __init__(self, out: Path, run_id: str) -> None:
        self.out = out
        self.run_id = run_id
        self.base = current_version(out)
        root = _state_root(out) / "versions"
        root.mkdir(parents=True, exist_ok=True)
        self.staging = root / f".staging-{run_id}"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        for table in T.SCHEMAS:
            (self.staging / f"{table}.parquet").mkdir(parents=True)
        self.parts: dict[str, list[Part]] = {t: list(ps) for t, ps in self.base.parts.items()}
        self._staged: set[tuple[str, str]] = set()  # (table, file) written by this run
        self.sources: dict[str, dict[str, Any]] = {k: dict(v) for k, v in self.base.sources.items()}
        self._seq = 0
        self.rows_written: dict[str, int] = {t: 0 for t in T.SCHEMAS}

    # -- reading the transaction's own view
    def files(self, table: str) -> list[Path]:
        return [self._part_path(table, p) for p in self.parts[table] if p.rows]

    def _part_path(self, table: str, part: Part) -> Path:
        if (table, part.file) in self._staged or self.base.path is None:
            return self.staging / f"{table}.parquet" / part.file
        return self.base.path / f"{table}.parquet" / part.file

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        return _read_parts(self.files(table), table, columns)

    def iter_docs(
        self, table: str, doc_ids: set[str], columns: list[str] | None = None
    ) -> Iterator[pa.Table]:
        """The rows of the given documents, one part at a time (memory stays flat)."""
        for part in self.parts[table]:
            if part.rows and doc_ids.intersection(part.doc_ids):
                data = pq.read_table(self._part_path(table, part), columns=columns, schema=T.SCHEMAS[table])
                yield data.filter(pc.is_in(data["doc_id"], pa.array(sorted(doc_ids), pa.string())))

    def doc_ids(self, table: str = "documents") -> set[str]:
        return {d for p in self.parts[table] for d in p.doc_ids}

    # -- changing it
    def add(self, table: str, data: pa.Table) -> None:
        """Stage rows as a new part file (keyed tables record which documents it holds)."""
        if data.num_rows:
            self.add_encoded(table, encode_part(table, data))

    def add_encoded(self, table: str, part: EncodedPart) -> None:
        """Stage a part file encoded elsewhere (see `encode_part`)."""
        if part.rows == 0:
            return
        self._seq += 1
        name = f"part-{self.run_id}-{self._seq:06d}.parquet"
        _write_atomic(self.staging / f"{table}.parquet" / name, part.payload)
        self.parts[table].append(Part(name, part.rows, part.doc_ids))
        self._staged.add((table, name))
        self.rows_written[table] += part.rows

    def drop_docs(self, doc_ids: set[str], tables: Iterable[str] = T.KEYED_TABLES) -> None:
        """Remove every row of these documents: whole parts go, mixed parts are rewritten filtered."""
        if not doc_ids:
            return
        for table in tables:
            kept: list[Part] = []
            for part in self.parts[table]:
                hit = doc_ids.intersection(part.doc_ids)
                if not hit:
                    kept.append(part)
                    continue
                if len(hit) == len(part.doc_ids):
                    continue
                data = pq.read_table(self._part_path(table, part), schema=T.SCHEMAS[table])
                mask = pc.invert(pc.is_in(data["doc_id"], pa.array(sorted(doc_ids), pa.string())))
                self._seq += 1
                name = f"part-{self.run_id}-{self._seq:06d}.parquet"
                rest = data.filter(mask)
                _write_parquet(rest, self.staging / f"{table}.parquet" / name)
                self._staged.add((table, name))
                kept.append(Part(name, rest.num_rows, sorted(set(part.doc_ids) - doc_ids)))
            self.parts[table] = kept

    def replace_table(self, table: str, data: pa.Table) -> None:
        """Small unkeyed tables (rejects, runs) are rewritten whole."""
        errors = T.validate(table, data)
        if errors:
            raise ValueError("; ".join(errors))
        self._seq += 1
        name = f"part-{self.run_id}-{self._seq:06d}.parquet"
        _write_parquet(data, self.staging / f"{table}.parquet" / name)
        self._staged.add((table, name))
        self.parts[table] = [Part(name, data.num_rows)]

    # -- finishing
    def commit(self) -> Path:
        """Make the staged version current, atomically; returns its directory."""
        for table in T.SCHEMAS:
            tdir = self.staging / f"{table}.parquet"
            live = [p for p in self.parts[table] if p.rows]
            for part in live:
                if (table, part.file) not in self._staged:
                    _link_or_copy(self._part_path(table, part), tdir / part.file)
            for f in tdir.iterdir():  # parts staged then superseded within this run
                if f.name not in {p.file for p in live}:
                    f.unlink()
            if not live:
                name = "part-empty.parquet"
                _write_parquet(T.empty(table), tdir / name)
                live = [Part(name, 0)]
            self.parts[table] = live
            _fsync_dir(tdir)
        number = self.base.number + 1
        state = {
            "version": number,
            "run_id": self.run_id,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "tables": {t: [vars(p) for p in ps] for t, ps in self.parts.items()},
            "sources": self.sources,
        }
        _write_atomic(
            self.staging / STATE_FILE, json.dumps(state, ensure_ascii=False, sort_keys=True).encode()
        )
        _fsync_dir(self.staging)
        versions = self.staging.parent
        final = versions / f"v{number:08d}"
        if final.exists():  # debris of a run killed between rename and switch
            shutil.rmtree(final)
        os.rename(self.staging, final)
        _fsync_dir(versions)
        _switch_symlink(_state_root(self.out) / "current", f"versions/{final.name}")
        _ensure_table_links(self.out)
        _collect_garbage(self.out, keep=final.name)
        return final

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


# free text and token columns: the min and max of a row group of them never let a reader skip it
_NO_STATISTICS = frozenset({"text", "pos", "title", "context", "evidence", "detail", "message"})


def _parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """Integer columns (offsets, numbers) are delta-encoded: they mostly rise by small steps, so the
    tokens table is half the size and writes faster than with dictionary encoding. Statistics are
    kept for the columns a filter can use (ids, keys, numbers, kinds); computing them for the
    text columns cost 9% of encoding a batch."""
    ints = [f.name for f in schema if pa.types.is_integer(f.type)]
    return {
        "row_group_size": ROW_GROUP_SIZE,
        "compression": "zstd",
        "use_dictionary": [f.name for f in schema if f.name not in ints],
        "column_encoding": dict.fromkeys(ints, "DELTA_BINARY_PACKED"),
        "write_statistics": [f.name for f in schema if f.name not in _NO_STATISTICS],
    }


def _write_parquet(data: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(data, tmp, **_parquet_options(data.schema))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_atomic(path: Path, payload: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _switch_symlink(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)
    _fsync_dir(link.parent)


def _ensure_table_links(out: Path) -> None:
    for table in T.SCHEMAS:
        link = out / f"{table}.parquet"
        target = f"{STATE_DIR}/current/{table}.parquet"
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.exists() and not link.is_symlink():
            raise RuntimeError(f"{link}: a file that duikou did not create is in the way; move it aside")
        _switch_symlink(link, target)


def _collect_garbage(out: Path, keep: str) -> None:
    """Old versions beyond KEEP_VERSIONS and staging debris of killed runs (we hold the lock)."""
    versions = _state_root(out) / "versions"
    done = sorted(p.name for p in versions.iterdir() if p.name.startswith("v") and p.name <= keep)
    for name in done[:-KEEP_VERSIONS]:
        shutil.rmtree(versions / name, ignore_errors=True)
    for p in versions.iterdir():
        if p.name.startswith(".staging-") or (p.name.startswith("v") and p.name > keep):
            shutil.rmtree(p, ignore_errors=True)
