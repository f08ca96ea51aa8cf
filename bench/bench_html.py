"""Pages per second of extract_html against readability-lxml on the same pages, in one run.

usage: python bench/bench_html.py [DIR]   (default: tests/fixtures/html; every *.htm/*.html under DIR)

Both sides get the same decoded markup (decoding is not timed). Each side runs over all pages
`--rounds` times and the best round counts, so a cold cache does not decide the ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.decoding import decode  # noqa: E402
from extractors.html import extract_html  # noqa: E402


def _readability(markup: str) -> str:
    from readability import Document

    return Document(markup).summary(html_partial=True)


def _pages_per_second(fn: Callable[[str], object], pages: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            fn(page)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=ROOT / "tests" / "fixtures" / "html")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.dir.rglob("*") if p.suffix.lower() in (".htm", ".html", ".xhtml"))
    if not files:
        sys.exit(f"no .htm/.html files under {args.dir}")
    pages = [decode(p.read_bytes(), name=p.name).text for p in files]
    mb = sum(len(p) for p in pages) / 1e6
    ours = _pages_per_second(lambda m: extract_html(m), pages, args.rounds)
    try:
        theirs = _pages_per_second(_readability, pages, args.rounds)
    except ImportError:
        theirs = float("nan")
    print(f"{len(pages)} pages, {mb:.1f} M chars from {args.dir}")
    print(f"extract_html      {ours:8.1f} pages/s")
    print(f"readability-lxml  {theirs:8.1f} pages/s")
    print(f"ratio             {ours / theirs:8.2f}x")


if __name__ == "__main__":
    main()
