"""A raw directory of hostile inputs: the run finishes, every input is accounted for, nothing raw changes."""

from __future__ import annotations

import gzip
import hashlib
import os
import random
from pathlib import Path

import pandas as pd
import pytest

import flows.batches
import flows.sources
from flows.pipeline import pipeline_flow

pytestmark = pytest.mark.usefixtures("prefect_harness")

ARTICLE = (
    "2010年以来，北京市对口支援和田地区的和田县、墨玉县，累计投入援助资金12.5亿元，"
    "建设安居富民房3000余套。援疆干部扎根基层，推动当地教育、医疗和产业发展。\n"
    "下一步，双方将深化产业合作，力争“十四五”期间引进企业50家以上。\n"
)
MAX_FILE = 200_000
MAX_GUNZIP = 1_000_000


def _html(body: str, meta: str = "") -> str:
    head = f"<head>{meta}<title>对口支援工作简报_某某网</title></head>"
    return f"<html>{head}<body><div class='article'>{body}</div></body></html>"


def build_corpus(raw: Path, outside: Path) -> dict[str, str | None]:
    """Write the inputs; returns name -> the reject reason expected (None: a document, '?': either)."""
    rng = random.Random(7)
    para = "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines())
    files: dict[str, tuple[bytes, str | None]] = {
        "empty.txt": (b"", "empty"),
        "whitespace.html": (b"  \n\t\r\n   ", "empty"),
        "image.html": (b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), "binary"),
        "paper.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 20, "binary"),
        "archive.html": (b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(500)), "binary"),
        "program.txt": (b"\x7fELF\x02\x01\x01" + bytes(600), "binary"),
        "photo.txt": (
            b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(rng.randrange(256) for _ in range(900)),
            "binary",
        ),
        "anim.html": (b"GIF89a" + bytes(rng.randrange(256) for _ in range(300)), "binary"),
        "noise.txt": (bytes(rng.randrange(128, 256) for _ in range(3000)), "?"),
        "nul.txt": (ARTICLE.encode() + b"\x00" * 400 + ARTICLE.encode(), "binary"),
        "truncated.html": (_html(para)[:260].encode(), "?"),
        "deep.html": (("<div>" * 5000 + f"<p>{ARTICLE}</p>" + "</div>" * 5000).encode(), None),
        "huge.txt": ((ARTICLE * 1000).encode(), "too_large"),
        "good.txt.gz": (gzip.compress(ARTICLE.encode()), None),
        "bomb.txt.gz": (gzip.compress(b"0" * (MAX_GUNZIP * 3)), "gzip_bomb"),
        "cut.txt.gz": (gzip.compress(ARTICLE.encode() * 20)[:60], "parse_error"),
        "gbk.txt": (ARTICLE.encode("gb18030"), None),
        "big5.txt": (
            "對口支援工作總結：北京市對口支援和田地區，累計投入資金十二億元，建設學校和醫院。".encode("big5"),
            None,
        ),
        "utf16.txt": (ARTICLE.encode("utf-16"), None),
        "bom.txt": (b"\xef\xbb\xbf" + ARTICLE.encode(), None),
        "lying-meta.html": (_html(para, '<meta charset="gb2312">').encode("utf-8"), None),
        "gbk-no-meta.html": (_html(para).encode("gb18030"), None),
        "menus-only.txt": (
            "首页 新闻 政务 服务 互动 专题\n网站地图 联系我们 版权所有\n".encode(),
            "no_content",
        ),
        "script-only.html": (b"<html><body><script>var a=1;</script></body></html>", "no_content"),
        "crlf.txt": (ARTICLE.replace("\n", "\r\n").encode(), None),
        "one-long-line.txt": (ARTICLE.replace("\n", "").encode() * 20, None),
        "sub/dir/nested.txt": (("三峡库区对口支援" + ARTICLE).encode(), None),
        "zz-copy-of-gbk.txt": (ARTICLE.encode("gb18030"), "duplicate"),
        "latin1.txt": (("Café au lait, déjà vu, naïve façade. " * 30).encode("latin-1"), "?"),
        "unreadable.txt": (("援藏" + ARTICLE).encode(), "unreadable"),
        "vanishing.txt": (("援建" + ARTICLE).encode(), "vanished"),
    }
    expected: dict[str, str | None] = {}
    for name, (payload, reason) in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        expected[name] = reason
    bad_name = os.fsencode(raw) + b"/bad-\xff\xfe-name.txt"
    with open(bad_name, "wb") as fh:
        fh.write(ARTICLE.encode())
    expected["bad-\\xff\\xfe-name.txt"] = "bad_name"
    outside.write_bytes(ARTICLE.encode())
    (raw / "link-out.txt").symlink_to(outside)
    expected["link-out.txt"] = "symlink_outside"
    (raw / "link-in.txt").symlink_to(raw / "crlf.txt")
    expected["link-in.txt"] = "duplicate"
    return expected


def _hashes(raw: Path) -> dict[bytes, str]:
    out = {}
    for dirpath, _, names in os.walk(os.fsencode(raw)):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.islink(p):
                out[p] = "link:" + os.fsdecode(os.readlink(p))
            else:
                with open(p, "rb") as fh:
                    out[p] = hashlib.sha256(fh.read()).hexdigest()
    return out


def test_hostile_inputs_are_all_accounted_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    expected = build_corpus(raw, tmp_path / "secret.txt")
    assert len(expected) >= 30

    real_open = open

    def guarded_open(file, *args, **kwargs):  # permission denied, even for root
        if str(file).endswith("unreadable.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(flows.sources, "open", guarded_open, raising=False)
    real_read = flows.batches.read_raw

    def vanish_then_read(path, rel, settings):  # deleted between discovery and reading
        if rel == "vanishing.txt":
            path.unlink()
        return real_read(path, rel, settings)

    monkeypatch.setattr(flows.batches, "read_raw", vanish_then_read)
    before = _hashes(raw)

    stats = pipeline_flow(
        raw=str(raw), out=str(out), overrides={"max_file_bytes": MAX_FILE, "max_gunzip_bytes": MAX_GUNZIP}
    )
    assert stats.status == "completed"

    docs = pd.read_parquet(out / "documents.parquet")
    rejects = pd.read_parquet(out / "rejects.parquet")
    seen = set(docs["source_path"]) | set(rejects["source_path"])
    assert seen == set(expected)
    assert not set(docs["source_path"]) & set(rejects["source_path"])
    verdict = dict(zip(rejects["source_path"], rejects["reason"], strict=True))
    for name, reason in expected.items():
        if reason == "?":
            continue
        assert verdict.get(name) == reason, name
    for row in rejects.itertuples():
        assert row.source_path.split("/")[-1] in row.detail, row
    # the raw directory is never written to: same files, same bytes (but the one the test deleted)
    after = _hashes(raw)
    gone = {p for p in before if p.endswith(b"vanishing.txt")}
    assert {k: v for k, v in before.items() if k not in gone} == after
