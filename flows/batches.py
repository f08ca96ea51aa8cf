"""The work one batch task does, as plain functions that run in a worker process.

They take paths and plain values (they must pickle: they travel to worker processes
or a Dask cluster), call the pure extractors, and return Arrow tables built against
the declared schemas. Nothing here commits: the flow alone writes tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from extractors import pipeline
from extractors.errors import BadInput
from extractors.settings import Settings
from extractors.spans import Section

from . import tables as T
from .runs import now
from .sources import RawFile, inner_name, read_raw


@dataclass
class BatchResult:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # manifest entries by path
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage, for the benchmark


def reject_row(rel: str, sha256: str | None, reason: str, detail: str) -> dict[str, Any]:
    return {"source_path": rel, "sha256": sha256, "reason": reason, "detail": detail, "seen_at": now()}


def ingest_files(files: list[RawFile], *, settings: Settings, version: str, extract: bool) -> BatchResult:
    """Read, decode and clean each file; with `extract`, run the extractors on it straight away."""
    res = BatchResult()
    docs: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    extracted: dict[str, list[pa.Table]] = {t: [] for t in T.EXTRACT_TABLES}
    clock = {"read": 0.0, "clean": 0.0, "extract": 0.0}
    for f in files:
        t0 = time.perf_counter()
        try:
            file_bytes, raw = read_raw(f.path, f.rel, settings)
            sha = hashlib.sha256(file_bytes).hexdigest()
            t1 = time.perf_counter()
            clock["read"] += t1 - t0
            clean = pipeline.clean(raw, name=inner_name(f.rel), settings=settings)
            t2 = time.perf_counter()
            clock["clean"] += t2 - t1
            doc_id = sha[:16]
            found = (
                extract_tables(doc_id, clean.text, clean.sections, clean.title, clean.published, settings)
                if extract
                else {}
            )
            clock["extract"] += time.perf_counter() - t2
        except BadInput as bad:
            res.rejects.append(reject_row(f.rel, f.sha256, bad.reason, _named(f.rel, bad.detail)))
            res.sources[f.rel] = _entry(f, f.sha256, version, "rejected", None, bad.reason)
            continue
        except Exception as exc:  # a bug met on one input must not cost the run every other input
            detail = f"{f.rel}: {type(exc).__name__}: {exc} (a duikou-etl bug met on this input: report it)"
            res.rejects.append(reject_row(f.rel, f.sha256, "extractor_error", detail))
            res.sources[f.rel] = _entry(f, f.sha256, version, "rejected", None, "extractor_error")
            continue
        docs.append(
            {
                "doc_id": doc_id,
                "source_path": f.rel,
                "source_format": clean.source_format,
                "encoding": clean.encoding,
                "title": clean.title,
                "published": clean.published,
                "text": clean.text,
                "raw_chars": clean.raw_chars,
                "clean_chars": len(clean.text),
                "n_sections": len(clean.sections),
                "ingested_at": now(),
                "pipeline_version": version,
                "sha256": sha,
                "n_removed": len(clean.removed),
            }
        )
        sections.extend(T.section_rows(doc_id, clean.sections))
        res.sources[f.rel] = _entry(f, sha, version, "document", doc_id, None)
        for table, data in found.items():
            extracted[table].append(data)
    res.tables["documents"] = T.build("documents", docs)
    res.tables["sections"] = T.build("sections", sections)
    if extract:
        res.tables.update(_concat(extracted))
    res.seconds = clock
    return res


def extract_docs(docs: pa.Table, sections: pa.Table, *, settings: Settings) -> BatchResult:
    """Re-run the extractors on documents already in the tables."""
    res = BatchResult()
    by_doc: dict[str, list[Section]] = {}
    for row in sections.to_pylist():
        by_doc.setdefault(row["doc_id"], []).append(
            Section(row["char_start"], row["char_end"], row["section_no"], row["title"])
        )
    extracted: dict[str, list[pa.Table]] = {t: [] for t in T.EXTRACT_TABLES}
    for row in docs.select(["doc_id", "text", "title", "published"]).to_pylist():
        secs = sorted(by_doc.get(row["doc_id"], []), key=lambda s: s.char_start)
        for table, data in extract_tables(
            row["doc_id"], row["text"], secs, row["title"], row["published"], settings
        ).items():
            extracted[table].append(data)
    res.tables.update(_concat(extracted))
    return res


def _concat(parts: dict[str, list[pa.Table]]) -> dict[str, pa.Table]:
    return {t: pa.concat_tables(p) if p else T.empty(t) for t, p in parts.items()}


def extract_tables(
    doc_id: str,
    text: str,
    sections: Any,
    title: str | None,
    published: dt.date | None,
    settings: Settings,
) -> dict[str, pa.Table]:
    """One document's rows of every extract table, built against the declared schemas."""
    doc = pipeline.make_doc(text, sections, title=title, published=published, settings=settings)
    found = pipeline.extract(doc, settings=settings)
    idx = T.section_index(doc.sections)
    return {
        "tokens": T.token_table(doc_id, found["tokens"]),
        "years": T.build("years", T.year_rows(doc_id, text, idx, found["years"])),
        "amounts": T.build("amounts", T.amount_rows(doc_id, text, idx, found["amounts"])),
        "pairings": T.build("pairings", T.pairing_rows(doc_id, text, idx, found["pairings"])),
    }


def _named(rel: str, detail: str) -> str:
    """Every message names its file, whatever the extractor wrote."""
    return detail if rel in detail else f"{rel}: {detail}"


def _entry(
    f: RawFile, sha: str | None, version: str, status: str, doc_id: str | None, reason: str | None
) -> dict[str, Any]:
    return {
        "sha256": sha,
        "size": f.size,
        "mtime_ns": f.mtime_ns,
        "pipeline_version": version,
        "status": status,
        "doc_id": doc_id,
        "reason": reason,
    }
