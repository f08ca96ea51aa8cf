"""Imported by the worker pool's forkserver before it forks any worker.

What loads here loads once and every worker shares it (the forked pages are copied only
when written), instead of each worker loading its own before its first batch: the
tokenizer's dictionary, the gazetteer and the rule patterns (`pipeline.warm`, about
0.5 s of CPU), and pandas, which pyarrow imports on its first conversion of a Python
list (about 0.2 s).
"""

from __future__ import annotations


def _preload() -> None:
    try:
        import pandas  # noqa: F401

        from extractors import pipeline

        pipeline.warm()
    except Exception:  # never take the pool down: a worker then loads what it needs itself
        pass


_preload()
