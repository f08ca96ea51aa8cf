"""amounts.find_amounts: report sentences -> exact money records (cases/amounts.tsv).

Each case is a sentence in the style of government work reports, news reports and 范文
summaries, and the exact list of records it must give: text, value, value_max, qualifier,
currency and the period the sentence attaches. About a third are negatives: sentences that
must give no amount (counts, percentages, table headers, 一元化, 万元GDP, 亿元级), or must not
give one particular wrong reading (the 约 of the next clause, a comparison base as period).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors.amounts import find_amounts, parse_chinese_number, parse_number
from extractors.pipeline import make_doc
from extractors.spans import Amount
from tests.extractors.case_tables import (
    Case,
    assert_offsets,
    assert_rows,
    big_and_a_third_negative,
    int_or_none,
    load_cases,
)

Row = tuple[str, float, float | None, str, str, int | None, int | None]


def _parse(text: str, cells: list[str]) -> Row:
    value, vmax, qual, cur, ys, ye = cells
    return (
        text,
        float(Decimal(value)),
        float(Decimal(vmax)) if vmax else None,
        qual,
        cur,
        int_or_none(ys),
        int_or_none(ye),
    )


CASES = load_cases("amounts", _parse)


def _found(case: Case) -> tuple[str, list[Amount]]:
    doc = make_doc(case.sentence, (), published=case.published)
    return doc.text, find_amounts(doc)


def _row(text: str, a: Amount) -> Row:
    return (
        text[a.char_start : a.char_end],
        a.value,
        a.value_max,
        a.qualifier,
        a.currency,
        a.year_start,
        a.year_end,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_amounts(case: Case) -> None:
    text, found = _found(case)
    assert_rows(case, [_row(text, a) for a in found])


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=[c.id for c in CASES if c.expected])
def test_offsets_hold_the_text(case: Case) -> None:
    """documents.text[char_start:char_end] == text, and the context is the sentence around it."""
    assert_offsets(case, *_found(case))


def test_case_table_is_big_and_a_third_negative() -> None:
    assert big_and_a_third_negative(CASES)


NUMBERS = [
    ("三千万", Decimal(30_000_000)),
    ("十二亿", Decimal(1_200_000_000)),
    ("两万", Decimal(20_000)),
    ("一千零五十万", Decimal(10_500_000)),
    ("三点五", Decimal("3.5")),
    ("壹佰万", Decimal(1_000_000)),
    ("亿", Decimal(100_000_000)),
    ("二〇一〇", None),  # a year in Chinese digits, not a quantity
    ("一一", None),
]


@pytest.mark.parametrize(("token", "value"), NUMBERS, ids=[t for t, _ in NUMBERS])
def test_parse_chinese_number(token: str, value: Decimal | None) -> None:
    assert parse_chinese_number(token) == value


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1,200", Decimal(1200)),
        ("1 200", Decimal(1200)),
        ("646.09", Decimal("646.09")),
        ("1亿2000", Decimal(12000)),
    ],
    ids=["comma", "space", "decimal", "yi_then_wan"],
)
def test_parse_number(token: str, value: Decimal) -> None:
    assert parse_number(token) == value


def test_values_are_exact_floats() -> None:
    """No float noise: the value is the float of the exact decimal (1.5亿 is 150000000.0)."""
    text = "、".join(f"{n}亿元" for n in ("1.5", "0.7", "2.26", "0.1", "19.14", "504.41"))
    found = find_amounts(make_doc(text + "。", ()))
    assert [a.value for a in found] == [
        150000000.0,
        70000000.0,
        226000000.0,
        10000000.0,
        1914000000.0,
        50441000000.0,
    ]


def test_scan_is_per_sentence_with_document_offsets() -> None:
    text = "一、资金情况\n2020年投入5亿元。今年追加3000万元。"
    doc = make_doc(text, (), published=date(2021, 3, 1))
    found = find_amounts(doc)
    assert [(text[a.char_start : a.char_end], a.year_start) for a in found] == [
        ("5亿元", 2020),
        ("3000万元", 2021),
    ]
