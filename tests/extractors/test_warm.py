"""pipeline.warm: its two inputs must reach every extractor, or a forked worker still builds
the patterns of the ones they miss inside its first batch."""

from __future__ import annotations

import pytest

from extractors import pipeline


@pytest.mark.parametrize("name,raw", pipeline._WARM_INPUTS, ids=[n for n, _ in pipeline._WARM_INPUTS])
def test_each_warm_input_yields_a_row_for_every_extractor(name: str, raw: str) -> None:
    cd = pipeline.clean(raw.encode("utf-8"), name=name)
    doc = pipeline.make_doc(cd.text, cd.sections, title=cd.title, published=cd.published)
    out = pipeline.extract(doc)
    assert {k: len(v) > 0 for k, v in out.items()} == dict.fromkeys(pipeline.EXTRACTORS, True)
    assert cd.removed, "no boilerplate was removed, so the boilerplate rules did not run"
