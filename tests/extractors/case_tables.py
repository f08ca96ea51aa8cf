"""The sentence case tables of the amounts and years tests (cases/<extractor>.tsv), read one way.

A line is: id, publication date (or empty), sentence, then the expected record's cells,
whose first is the mention's text: `-` for a sentence that must give nothing, `!text`
for a reading it must not give. Several lines with one id are one case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"


@dataclass
class Case:
    id: str
    sentence: str
    published: date | None
    expected: list[tuple[Any, ...]] = field(default_factory=list)
    forbidden: list[tuple[Any, ...]] = field(default_factory=list)


def int_or_none(cell: str) -> int | None:
    return int(cell) if cell else None


def load_cases(name: str, parse_row: Callable[[str, list[str]], tuple[Any, ...]]) -> list[Case]:
    """cases/<name>.tsv; `parse_row(text, other cells)` builds the expected record."""
    cases: dict[str, Case] = {}
    for line in (CASES_DIR / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cid, pub, sentence, text, *cells = line.split("\t")
        if cid not in cases:
            cases[cid] = Case(cid, sentence, date.fromisoformat(pub) if pub else None)
        if text == "-":
            continue
        row = parse_row(text.lstrip("!"), cells)
        (cases[cid].forbidden if text.startswith("!") else cases[cid].expected).append(row)
    return list(cases.values())


def big_and_a_third_negative(cases: Sequence[Case]) -> bool:
    """At least 80 cases, a third of them negatives (no record, or a reading forbidden)."""
    negatives = [c for c in cases if not c.expected or c.forbidden]
    return len(cases) >= 80 and len(negatives) * 3 >= len(cases)


def assert_rows(case: Case, rows: list[tuple[Any, ...]]) -> None:
    """The case's records exactly, and none of its forbidden readings."""
    assert rows == case.expected
    for bad in case.forbidden:
        assert bad not in rows


def assert_offsets(case: Case, text: str, found: Sequence[Any]) -> None:
    """text[char_start:char_end] is each record's text, inside the sentence (its context) it came from."""
    assert [text[x.char_start : x.char_end] for x in found] == [r[0] for r in case.expected]
    for x in found:
        assert x.context_start <= x.char_start < x.char_end <= x.context_end
