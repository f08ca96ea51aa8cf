"""The run plan: skip what is unchanged, replace what changed, one document per distinct content."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from extractors.errors import BadInput
from extractors.settings import Settings
from flows.sources import RawFile, discover, hash_file, make_plan, read_raw

V = "1+abc"


def rf(rel: str, sha: str | None = None, problem: tuple[str, str] | None = None) -> RawFile:
    return RawFile(rel, Path(rel), 10, 1, sha, problem)


def doc(sha: str, version: str = V) -> dict:
    return {"sha256": sha, "status": "document", "doc_id": sha[:16], "pipeline_version": version}


CASES = [
    # (files, previous manifest, full, whole_dir) -> (process, skip, rejects, drop)
    ([rf("a", "1" * 64)], {}, False, True, (["a"], [], [], set())),
    ([rf("a", "1" * 64)], {"a": doc("1" * 64)}, False, True, ([], ["a"], [], set())),
    ([rf("a", "1" * 64)], {"a": doc("1" * 64)}, True, True, (["a"], [], [], {"1" * 16})),
    ([rf("a", "1" * 64)], {"a": doc("1" * 64, "0+old")}, False, True, (["a"], [], [], {"1" * 16})),
    ([rf("a", "2" * 64)], {"a": doc("1" * 64)}, False, True, (["a"], [], [], {"1" * 16})),
    ([rf("a", "1" * 64), rf("b", "1" * 64)], {}, False, True, (["a"], [], [("b", "duplicate")], set())),
    ([rf("b", "1" * 64)], {"a": doc("1" * 64)}, False, False, ([], [], [("b", "duplicate")], set())),
    ([], {"gone": doc("3" * 64)}, False, True, ([], [], [], {"3" * 16})),
    ([], {"gone": doc("3" * 64)}, False, False, ([], [], [], set())),
    ([rf("a", None, ("too_large", "a: big"))], {}, False, True, ([], [], [("a", "too_large")], set())),
    (
        [rf("a", None, ("unreadable", "a: denied"))],
        {"a": doc("1" * 64)},
        False,
        True,
        ([], [], [("a", "unreadable")], set()),
    ),
]
IDS = [
    "new",
    "unchanged",
    "full",
    "new-version",
    "changed",
    "duplicate-sorted-first-wins",
    "duplicate-of-kept-document",
    "vanished",
    "vanished-outside-scope",
    "problem",
    "unreadable-keeps-old-doc",
]


@pytest.mark.parametrize(("files", "prev", "full", "whole", "expected"), CASES, ids=IDS)
def test_make_plan(files, prev, full, whole, expected) -> None:
    plan = make_plan(files, prev, version=V, full=full, whole_dir=whole)
    got = (
        [f.rel for f in plan.process],
        [f.rel for f in plan.skip],
        [(f.rel, reason) for f, reason, _ in plan.reject],
        plan.drop_doc_ids,
    )
    assert got == expected


def test_discover_sorts_hashes_and_refuses_links_out(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "b.txt").write_bytes(b"b")
    (raw / "sub" / "a.txt").write_bytes(b"a")
    (raw / ".hidden").write_bytes(b"h")
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"s")
    (raw / "link.txt").symlink_to(outside)
    (raw / "inner.txt").symlink_to(raw / "b.txt")
    files = [hash_file(f, Settings()) for f in discover(raw)]
    assert [(f.rel, f.problem[0] if f.problem else None) for f in files] == [
        ("b.txt", None),
        ("inner.txt", None),
        ("link.txt", "symlink_outside"),
        ("sub/a.txt", None),
    ]
    assert files[0].sha256 == files[1].sha256


@pytest.mark.parametrize(
    ("name", "payload", "cap", "expected"),
    [
        ("a.txt.gz", gzip.compress("对口支援".encode()), 1000, "对口支援".encode()),
        ("a.txt.gz", gzip.compress(b"0" * 10_000), 1000, "gzip_bomb"),
        ("a.txt.gz", gzip.compress(b"x" * 100)[:20], 1000, "parse_error"),
        ("a.txt.gz", b"not gzip at all", 1000, "parse_error"),
    ],
    ids=["gzip", "bomb", "truncated", "not-gzip"],
)
def test_read_raw_gzip(tmp_path: Path, name: str, payload: bytes, cap: int, expected) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    settings = Settings(max_gunzip_bytes=cap)
    if isinstance(expected, bytes):
        assert read_raw(path, name, settings) == (payload, expected)
    else:
        with pytest.raises(BadInput) as err:
            read_raw(path, name, settings)
        assert err.value.reason == expected
        assert name in err.value.detail


# (errors raised by the first opens, in order) -> (verdict of read_raw, verdict of hash_file, opens)
RETRY_CASES = [
    ([], "ok", "ok", 1),
    ([5, 11], "ok", "ok", 3),  # EIO, EAGAIN: a flaky mount, read on the third try
    ([5, 5, 5, 5], "unreadable", "unreadable", 4),  # still failing after 3 retries
    ([13], "unreadable", "unreadable", 1),  # permission denied is not retried
    ([2], "vanished", "vanished", 1),  # a missing file is not retried
]


@pytest.mark.parametrize(
    ("errnos", "read_verdict", "hash_verdict", "opens"),
    RETRY_CASES,
    ids=["clean", "transient", "persistent", "denied", "missing"],
)
def test_transient_io_errors_are_retried_and_deterministic_ones_are_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errnos: list[int],
    read_verdict: str,
    hash_verdict: str,
    opens: int,
) -> None:
    import builtins

    import flows.sources

    path = tmp_path / "a.txt"
    path.write_bytes("北京市对口支援和田县。".encode())
    settings = Settings(io_retry_delay=0.0)
    real_open = builtins.open

    def verdicts() -> tuple[str, str, int]:
        pending = list(errnos)
        calls = {"n": 0}

        def flaky_open(file, *args, **kwargs):
            calls["n"] += 1
            if pending:
                code = pending.pop(0)
                cls = {2: FileNotFoundError, 13: PermissionError}.get(code, OSError)
                raise cls(code, "injected", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(flows.sources, "open", flaky_open, raising=False)
        try:
            read_raw(path, "a.txt", settings)
            read = "ok"
        except BadInput as bad:
            read = bad.reason
        n_read = calls["n"]
        pending[:] = list(errnos)
        hashed = hash_file(RawFile("a.txt", path, path.stat().st_size, 1), settings)
        return read, hashed.problem[0] if hashed.problem else "ok", n_read

    assert verdicts() == (read_verdict, hash_verdict, opens)


@pytest.mark.parametrize(
    ("size", "cap", "expected"),
    [(0, 10, b""), (10, 10, b"x" * 10), (11, 10, "too_large"), (3, 10, b"xxx")],
    ids=["empty", "at_the_cap", "over_the_cap", "small"],
)
def test_read_raw_reads_the_whole_file_up_to_the_cap(tmp_path: Path, size: int, cap: int, expected) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"x" * size)
    settings = Settings(max_file_bytes=cap)
    if isinstance(expected, str):
        with pytest.raises(BadInput) as err:
            read_raw(path, "page.html", settings)
        assert err.value.reason == expected
    else:
        assert read_raw(path, "page.html", settings) == (expected, expected)


def test_read_raw_reads_past_a_size_that_lies() -> None:
    """A file whose size says less than it holds (it grows while read; /proc says 0) is read to its end."""
    data, _ = read_raw(Path("/proc/self/status"), "status", Settings())
    assert data.startswith(b"Name:") and b"\nVmRSS:" in data and data.endswith(b"\n")
