"""years.find_years: report sentences -> exact time mentions (cases/years.tsv).

Each case is a sentence in the style of government work reports, news reports and 范文
summaries, and the exact list of mentions it must give: text, kind, year_start, year_end,
month and day. About a third are negatives: durations, counts, ages, anniversaries,
ordinals and words that only contain 今年/去年/上年/明年 must give no mention, or must not
give one particular wrong reading.
"""

from __future__ import annotations

import pytest

from extractors.pipeline import make_doc
from extractors.spans import YearMention
from extractors.years import find_years, parse_year, period_at
from tests.extractors.case_tables import (
    Case,
    assert_offsets,
    assert_rows,
    big_and_a_third_negative,
    int_or_none,
    load_cases,
)

Row = tuple[str, str, int | None, int | None, int | None, int | None]


def _parse(text: str, cells: list[str]) -> Row:
    kind, ys, ye, month, day = cells
    return (text, kind, int_or_none(ys), int_or_none(ye), int_or_none(month), int_or_none(day))


CASES = load_cases("years", _parse)


def _found(case: Case) -> tuple[str, list[YearMention]]:
    doc = make_doc(case.sentence, (), published=case.published)
    return doc.text, find_years(doc)


def _row(text: str, y: YearMention) -> Row:
    return (text[y.char_start : y.char_end], y.kind, y.year_start, y.year_end, y.month, y.day)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_years(case: Case) -> None:
    text, found = _found(case)
    assert_rows(case, [_row(text, y) for y in found])


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=[c.id for c in CASES if c.expected])
def test_offsets_hold_the_text(case: Case) -> None:
    """documents.text[char_start:char_end] == text, inside the sentence it came from."""
    assert_offsets(case, *_found(case))


def test_case_table_is_big_and_a_third_negative() -> None:
    assert big_and_a_third_negative(CASES)


@pytest.mark.parametrize(
    ("token", "year"), [("1984", 1984), ("一九八四", 1984), ("二〇一〇", 2010), ("二零二三", 2023)]
)
def test_parse_year(token: str, year: int) -> None:
    assert parse_year(token) == year


PERIODS = [
    # (sentence, the span's text, expected (year_start, year_end))
    ("2022年投入3亿元,2023年投入5亿元。", "5亿元", (2023, 2023)),
    ("投入5亿元,用于2024年开工的项目。", "5亿元", (2024, 2024)),
    ("“十三五”期间累计投入85亿元。", "85亿元", (2016, 2020)),
    ("全年投入5亿元。", "5亿元", (None, None)),
]


@pytest.mark.parametrize(("sentence", "span", "period"), PERIODS, ids=["nearest", "first", "plan", "none"])
def test_period_at(sentence: str, span: str, period: tuple[int | None, int | None]) -> None:
    doc = make_doc(sentence, ())
    start = sentence.index(span)
    assert period_at(start, start + len(span), find_years(doc)) == period


def test_period_at_stays_in_its_sentence() -> None:
    text = "2020年启动建设。投入资金5亿元。"
    doc = make_doc(text, ())
    start = text.index("5亿元")
    assert period_at(start, start + 3, find_years(doc)) == (None, None)
