"""Imports point one way: extractors never reach flows, Prefect, pandas or pyarrow, and open no files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTRACTORS = sorted((ROOT / "extractors").glob("*.py"))
FORBIDDEN = ("flows", "prefect", "pandas", "pyarrow", "duckdb")
IO_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", EXTRACTORS, ids=[p.name for p in EXTRACTORS])
def test_extractors_stay_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not _imports(tree) & set(FORBIDDEN), path.name
    if path.name == "resources.py":
        return
    calls = {
        (n.func.id if isinstance(n.func, ast.Name) else n.func.attr)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute))
    }
    assert not calls & IO_CALLS, f"{path.name} does I/O outside resources.py"


def test_flows_do_not_import_the_cli() -> None:
    for path in (ROOT / "flows").glob("*.py"):
        if path.name != "cli.py":
            assert "cli" not in _imports(ast.parse(path.read_text(encoding="utf-8"))), path.name
