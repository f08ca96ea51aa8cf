"""Imported by the worker pool's forkserver before it forks any worker.

What loads here loads once and every worker shares it (the forked pages are copied only
when written), instead of each worker loading its own before its first batch: the
tokenizer's dictionary, the gazetteer and the rule patterns (`pipeline.warm`, about
0.5 s of CPU).

pandas is blocked here, and so in every worker: pyarrow imports it on its first
conversion of a Python list only to ask whether the list is a pandas object, and the
import cost 0.36 s of CPU on the start-up's critical path and 40 MB in each process. A
worker builds Arrow tables from lists and numpy arrays and never touches pandas; with
the import blocked pyarrow reads as if pandas were not installed, which changes nothing
for such inputs.
"""

from __future__ import annotations

import sys


def _preload() -> None:
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]  # None: `import pandas` raises ImportError
    try:
        from extractors import pipeline

        pipeline.warm()
    except Exception:  # never take the pool down: a worker then loads what it needs itself
        pass


_preload()
