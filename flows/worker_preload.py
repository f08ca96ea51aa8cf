"""Imported by the worker pool's forkserver before it forks any worker.

What loads here loads once and every worker shares it (the forked pages are copied only
when written), instead of each worker loading its own before its first batch: the batch
code and its imports (0.1 s), and the tokenizer's dictionary, the gazetteer and the rule
patterns (`pipeline.warm`, about 0.3 s of CPU). pyarrow's probe for pandas is settled as
'not installed' (`engine.pyarrow_without_pandas`): a worker never meets a pandas object,
and importing pandas for the probe cost 0.36 s on the start-up's critical path.
"""

from __future__ import annotations


def _preload() -> None:
    try:
        from extractors import pipeline

        from . import batches  # noqa: F401  # the module every batch task runs from
        from .engine import pyarrow_without_pandas

        pyarrow_without_pandas()
        pipeline.warm()
    except Exception:  # never take the pool down: a worker then loads what it needs itself
        pass


_preload()
