"""Atomic versions: a reader sees the previous complete tables until a commit switches them all."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import time
from pathlib import Path

import pandas as pd
import pytest

from flows import storage
from flows import tables as T


def _docs(*ids: str) -> list[dict]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return [
        {
            "doc_id": i,
            "source_path": f"{i}.txt",
            "source_format": "text",
            "encoding": "utf-8",
            "title": None,
            "published": None,
            "text": f"text of {i}",
            "raw_chars": 9,
            "clean_chars": 9,
            "n_sections": 1,
            "ingested_at": now,
            "pipeline_version": "t",
            "sha256": i * 4,
            "n_removed": 0,
        }
        for i in ids
    ]


def _commit(out: Path, run_id: str, add: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> None:
    txn = storage.Transaction(out, run_id)
    txn.drop_docs(set(drop))
    if add:
        txn.add("documents", T.build("documents", _docs(*add)))
    txn.commit()


def _ids(out: Path) -> list[str]:
    return sorted(pd.read_parquet(out / "documents.parquet")["doc_id"])


def test_every_table_readable_after_first_commit(tmp_path: Path) -> None:
    _commit(tmp_path, "r1", add=("a", "b"))
    for table, schema in T.SCHEMAS.items():
        df = pd.read_parquet(tmp_path / f"{table}.parquet")
        assert list(df.columns) == schema.names
    assert _ids(tmp_path) == ["a", "b"]


def test_uncommitted_changes_are_invisible_and_abort_leaves_no_trace(tmp_path: Path) -> None:
    _commit(tmp_path, "r1", add=("a",))
    txn = storage.Transaction(tmp_path, "r2")
    txn.drop_docs({"a"})
    txn.add("documents", T.build("documents", _docs("z")))
    assert _ids(tmp_path) == ["a"]
    txn.abort()
    assert _ids(tmp_path) == ["a"]
    assert not list((tmp_path / ".duikou" / "versions").glob(".staging-*"))


@pytest.mark.parametrize(
    ("first", "drop", "add", "expected"),
    [
        (("a", "b", "c"), ("b",), (), ["a", "c"]),  # a mixed part is rewritten without b
        (("a", "b"), ("a", "b"), ("c",), ["c"]),  # a whole part goes
        (("a",), ("a",), ("a",), ["a"]),  # replace a document by itself
        (("a",), ("nope",), ("b",), ["a", "b"]),  # dropping an unknown id changes nothing
    ],
    ids=["mixed-part", "whole-part", "replace-same", "unknown-id"],
)
def test_drop_and_add(tmp_path: Path, first, drop, add, expected) -> None:
    _commit(tmp_path, "r1", add=first)
    _commit(tmp_path, "r2", add=add, drop=drop)
    assert _ids(tmp_path) == expected


def test_old_versions_are_collected_but_the_previous_one_is_kept(tmp_path: Path) -> None:
    for n in range(5):
        _commit(tmp_path, f"r{n}", add=(f"d{n}",))
    versions = sorted(p.name for p in (tmp_path / ".duikou" / "versions").iterdir())
    assert versions == ["v00000004", "v00000005"]
    assert _ids(tmp_path) == [f"d{n}" for n in range(5)]


def test_debris_of_a_killed_commit_is_cleared(tmp_path: Path) -> None:
    _commit(tmp_path, "r1", add=("a",))
    (tmp_path / ".duikou" / "versions" / ".staging-dead").mkdir()
    (tmp_path / ".duikou" / "versions" / "v00000002").mkdir()  # renamed, never switched to
    _commit(tmp_path, "r2", add=("b",))
    names = sorted(p.name for p in (tmp_path / ".duikou" / "versions").iterdir())
    assert names == ["v00000001", "v00000002"]
    assert _ids(tmp_path) == ["a", "b"]


def _hold_lock(out: str, seconds: float, ready) -> None:
    with storage.writer_lock(Path(out), timeout=1):
        ready.set()
        time.sleep(seconds)


def test_second_writer_times_out_with_a_message_naming_the_holder(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(tmp_path), 5.0, ready))
    proc.start()
    try:
        assert ready.wait(30)
        with (
            pytest.raises(storage.LockTimeout, match=r"another duikou run holds .*pid \d+"),
            storage.writer_lock(tmp_path, timeout=0.3),
        ):
            pass
    finally:
        proc.kill()
        proc.join()
    with storage.writer_lock(tmp_path, timeout=5):  # a killed holder's lock is free at once
        pass


def test_a_foreign_file_in_the_way_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "documents.parquet").write_text("mine")
    with pytest.raises(RuntimeError, match=r"documents\.parquet: a file that duikou did not create"):
        _commit(tmp_path, "r1", add=("a",))
    assert (tmp_path / "documents.parquet").read_text() == "mine"


def test_part_files_keep_statistics_for_filter_columns_only() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {"doc_id": f"d{i}", "section_no": 1, "sentence_no": 1, "token_no": i, "text": "援疆", "pos": "v",
         "char_start": 2 * i, "char_end": 2 * i + 2}
        for i in range(5)
    ]
    part = storage.encode_part("tokens", T.build("tokens", rows))
    meta = pq.ParquetFile(pa.BufferReader(part.payload)).metadata.row_group(0)
    stats = {meta.column(i).path_in_schema: meta.column(i).statistics for i in range(meta.num_columns)}
    assert (stats["doc_id"].min, stats["doc_id"].max) == ("d0", "d4")  # a reader can skip by document
    assert (stats["char_start"].min, stats["char_start"].max) == (0, 8)
    assert stats["text"] is None and stats["pos"] is None
