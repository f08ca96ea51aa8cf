"""The only module in `extractors/` that opens files: cached loaders for `extractors/data/`.

Data files are one entry a line, a line starting with `#` is a comment, blank lines are ignored;
`.tsv` files are tab separated. They ship as package data.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

_PACKAGE = "extractors.data"


def data_path(name: str) -> Path:
    """Filesystem path of a data file (for libraries such as jieba that want a path)."""
    return Path(str(resources.files(_PACKAGE).joinpath(name)))


@cache
def load_text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Entries of a list file, comments and blank lines removed, order kept."""
    out: list[str] = []
    for line in load_text(name).splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            out.append(entry)
    return tuple(out)


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file; `#` lines and blank lines skipped."""
    rows: list[tuple[str, ...]] = []
    for line in load_text(name).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.rstrip("\n").split("\t")))
    return tuple(rows)
