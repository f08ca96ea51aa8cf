"""Seconds of find_years and find_amounts over the seeds' clean text, against a bare regex in one run.

usage: python bench/bench_extract.py [DIR] [--rounds N] [--repeat N]   (default: data/raw)

Every raw file under DIR is cleaned and split into sentences first (not timed). Each side then
runs over all documents `--repeat` times per round, `--rounds` rounds, and the best round
counts, so a cold cache does not decide the ratio. The baseline is what any money extractor
must at least do: one `re.finditer` of a digits+元 pattern over the same text.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.amounts import find_amounts  # noqa: E402
from extractors.pipeline import clean, make_doc  # noqa: E402
from extractors.spans import Doc  # noqa: E402
from extractors.years import find_years  # noqa: E402

BASELINE = re.compile(r"\d+(?:\.\d+)?[万亿]?元")


def _docs(raw_dir: Path) -> list[Doc]:
    docs = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        cleaned = clean(path.read_bytes(), name=path.name)
        docs.append(
            make_doc(cleaned.text, cleaned.sections, title=cleaned.title, published=cleaned.published)
        )
    return docs


def _best(fn: Callable[[Doc], object], docs: list[Doc], rounds: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            for doc in docs:
                fn(doc)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    docs = _docs(args.dir)
    if not docs:
        sys.exit(f"no raw files under {args.dir}")
    chars = sum(len(d.text) for d in docs)
    years_of = {
        id(d): find_years(d) for d in docs
    }  # amounts are timed on their own, as the pipeline runs them
    sides: list[tuple[str, Callable[[Doc], object]]] = [
        ("baseline re.finditer", lambda d: list(BASELINE.finditer(d.text))),
        ("find_years", find_years),
        ("find_amounts", lambda d: find_amounts(d, years=years_of[id(d)])),
        ("find_years + find_amounts", lambda d: find_amounts(d, years=find_years(d))),
    ]
    results = [(name, _best(fn, docs, args.rounds, args.repeat)) for name, fn in sides]
    base = results[0][1]
    runs = len(docs) * args.repeat
    print(
        f"{len(docs)} documents, {chars / 1e3:.1f} k chars, x{args.repeat} per round, best of {args.rounds}"
    )
    print(f"{'side':28} {'seconds':>9} {'ms/doc':>8} {'ratio':>8}")
    for name, seconds in results:
        print(f"{name:28} {seconds:9.4f} {seconds / runs * 1e3:8.3f} {seconds / base:7.1f}x")


if __name__ == "__main__":
    main()
