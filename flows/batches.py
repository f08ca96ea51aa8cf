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
from .storage import EncodedPart, encode_part


@dataclass
class BatchResult:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # manifest entries by path
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage, for the benchmark
    encoded: dict[str, EncodedPart] = field(default_factory=dict)  # the tables as part files

    def encode(self) -> BatchResult:
        """Turn the tables into part files here, in the worker (see `EncodedPart`)."""
        self.encoded = {t: encode_part(t, data) for t, data in self.tables.items()}
        self.tables = {}
        return self


def ingest_encoded(files: list[RawFile], *, settings: Settings, version: str, extract: bool) -> BatchResult:
    """`ingest_files`, its tables returned as part files: what a batch task runs."""
    return ingest_files(files, settings=settings, version=version, extract=extract).encode()


def extract_encoded(docs: pa.Table, sections: pa.Table, *, settings: Settings) -> BatchResult:
    """`extract_docs`, its tables returned as part files: what an extract task runs."""
    return extract_docs(docs, sections, settings=settings).encode()


def reject_row(rel: str, sha256: str | None, reason: str, detail: str) -> dict[str, Any]:
    return {"source_path": rel, "sha256": sha256, "reason": reason, "detail": detail, "seen_at": now()}


def ingest_files(files: list[RawFile], *, settings: Settings, version: str, extract: bool) -> BatchResult:
    """Read, decode and clean each file; with `extract`, run the extractors on it straight away."""
    res = BatchResult()
    docs: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    extracted = _Extracted()
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
            if extract:
                extracted.add(
                    _extract_one(doc_id, clean.text, clean.sections, clean.title, clean.published, settings)
                )
            clock["extract"] += time.perf_counter() - t2
        except BadInput as bad:
            res.rejects.append(reject_row(f.rel, f.sha256, bad.reason, _named(f.rel, bad.detail)))
            res.sources[f.rel] = _entry(f, f.sha256, version, "rejected", None, bad.reason)
            continue
        except Exception as exc:  # a bug met on one input must not cost the run every other input
            _quarantine_bug(res, f, version, exc)
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
    if extract:
        t0 = time.perf_counter()
        tables, failed = extracted.tables()
        res.tables.update(tables)
        clock["extract"] += time.perf_counter() - t0
        if failed:  # quarantine those documents as if their extractor had raised
            by_rel = {f.rel: f for f in files}
            for d in docs:
                if d["doc_id"] in failed:
                    _quarantine_bug(res, by_rel[d["source_path"]], version, failed[d["doc_id"]])
            docs = [d for d in docs if d["doc_id"] not in failed]
            sections = [s for s in sections if s["doc_id"] not in failed]
    res.tables["documents"] = T.build("documents", docs)
    res.tables["sections"] = T.build("sections", sections)
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
    extracted = _Extracted()
    for row in docs.select(["doc_id", "text", "title", "published"]).to_pylist():
        secs = sorted(by_doc.get(row["doc_id"], []), key=lambda s: s.char_start)
        found = _extract_one(row["doc_id"], row["text"], secs, row["title"], row["published"], settings)
        extracted.add(found)
    tables, failed = extracted.tables()
    if failed:  # the documents are in the tables already: fail the run (previous tables stay intact)
        doc_id, exc = next(iter(failed.items()))
        raise RuntimeError(f"building the extract rows of document {doc_id} failed: {exc!r}") from exc
    res.tables.update(tables)
    return res


@dataclass
class _Found:
    """One document's extracted records, before they become rows."""

    doc_id: str
    text: str
    sections: tuple[Section, ...]
    records: dict[str, Any]


def _extract_one(
    doc_id: str,
    text: str,
    sections: Any,
    title: str | None,
    published: dt.date | None,
    settings: Settings,
) -> _Found:
    doc = pipeline.make_doc(text, sections, title=title, published=published, settings=settings)
    return _Found(doc_id, text, doc.sections, pipeline.extract(doc, settings=settings))


_DocRows = tuple[str, Any, dict[str, list[dict[str, Any]]]]  # doc_id, its token columns, its rows by table


@dataclass
class _Extracted:
    """A batch's extract rows, gathered per document and built into tables once per batch:
    a table per document and table cost more than the rows themselves."""

    docs: list[_DocRows] = field(default_factory=list)

    def add(self, found: _Found) -> None:
        """Make the rows now, so a record that cannot become a row fails on its own document."""
        idx = T.section_index(found.sections)
        doc_id, text, rec = found.doc_id, found.text, found.records
        rows = {
            "years": T.year_rows(doc_id, text, idx, rec["years"]),
            "amounts": T.amount_rows(doc_id, text, idx, rec["amounts"]),
            "pairings": T.pairing_rows(doc_id, text, idx, rec["pairings"]),
        }
        self.docs.append((doc_id, rec["tokens"], rows))

    def tables(self) -> tuple[dict[str, pa.Table], dict[str, Exception]]:
        """The batch's tables, and the documents whose rows do not fit the schemas (left out)."""
        try:
            return self._build(self.docs), {}
        except Exception:  # find the culprits, so one document does not cost the batch
            failed: dict[str, Exception] = {}
            for entry in self.docs:
                try:
                    self._build([entry])
                except Exception as exc:
                    failed[entry[0]] = exc
            return self._build([e for e in self.docs if e[0] not in failed]), failed

    @staticmethod
    def _build(docs: list[_DocRows]) -> dict[str, pa.Table]:
        out = {"tokens": T.token_table([d for d, _, _ in docs], [c for _, c, _ in docs])}
        for table in ("years", "amounts", "pairings"):
            out[table] = T.build(table, [r for _, _, rows in docs for r in rows[table]])
        return {t: out[t] for t in T.EXTRACT_TABLES}


def _quarantine_bug(res: BatchResult, f: RawFile, version: str, exc: Exception) -> None:
    """An input a bug was met on: rejected as `extractor_error`, with the exception, so the run goes on."""
    detail = f"{f.rel}: {type(exc).__name__}: {exc} (a duikou-etl bug met on this input: report it)"
    res.rejects.append(reject_row(f.rel, f.sha256, "extractor_error", detail))
    res.sources[f.rel] = _entry(f, f.sha256, version, "rejected", None, "extractor_error")


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
