"""meta: dates from metadata lines, and the title line of a text dump."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.meta import parse_date, published_from_lines, title_from_lines

D = dt.date

DATES = [
    ("iso", "2024-09-11", D(2024, 9, 11)),
    ("slash", "2023/05/06", D(2023, 5, 6)),
    ("dots", "2023.5.6", D(2023, 5, 6)),
    ("chinese", "2026年02月10日 07时41分", D(2026, 2, 10)),
    ("chinese_short", "2022年3月1日", D(2022, 3, 1)),
    ("datetime", "2026-02-09 09:45:30", D(2026, 2, 9)),
    ("invalid_then_valid", "2023-13-45 或 2023-12-01", D(2023, 12, 1)),
    ("invalid", "2023-02-30", None),
    ("year_only", "2023年", None),
    ("none", None, None),
    ("empty", "", None),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_parse_date(value: str | None, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


P = "2019年以来,我市累计投入援建资金3.2亿元,实施项目56个。"

PUBLISHED = [
    ("time_key", ["标题", "时间: 2024-09-11 栏目:办公范文", P], D(2024, 9, 11)),
    ("published_key_seconds", ["标题", "发表时间：2026-02-09 09:45:30", P], D(2026, 2, 9)),
    ("chinese_datetime_line", ["标题", "2026年02月10日 07时41分 来源:某某日报", P], D(2026, 2, 10)),
    ("release_date_slash", ["标题", "发布日期：2023/05/06", P], D(2023, 5, 6)),
    ("source_then_time", ["标题", "来源：市政府办公室 发布时间：2024-03-12 10:20", P], D(2024, 3, 12)),
    ("keyed_date_at_end", ["标题", P, P, "发布时间:2021-07-01"], D(2021, 7, 1)),
    # dates inside the article are not the publication date
    ("date_in_prose", ["标题", "2023年5月6日,援建工作会议召开,部署全年工作。", P], None),
    ("signature_date", ["标题", P, "某某县人民政府", "2023年5月6日"], None),
    ("no_date", ["标题", P], None),
    ("meeting_time_is_not_published", ["会议通知", P, "会议时间：2024年1月2日上午9时"], None),
    ("deadline_is_not_published", ["标题", P, "截止日期:2024-06-30"], None),
    ("key_in_long_sentence", ["标题", "会议时间:2024-01-02," + "各单位要高度重视援建工作" * 8 + "。"], None),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in PUBLISHED], ids=[c[0] for c in PUBLISHED])
def test_published_from_lines(lines: list[str], expected: dt.date | None) -> None:
    assert published_from_lines(lines) == expected


TITLES = [
    ("first_short_line", ["对口支援工作总结(收集5篇)", P], "对口支援工作总结(收集5篇)"),
    ("skips_paragraph", [P, "对口支援工作总结"], "对口支援工作总结"),
    ("skips_date_line", ["2024-09-11", "援疆工作总结"], "援疆工作总结"),
    ("skips_long_line", ["援" * 90, "援疆工作总结"], "援疆工作总结"),
    ("none_when_all_prose", [P, P], None),
    ("empty", [], None),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in TITLES], ids=[c[0] for c in TITLES])
def test_title_from_lines(lines: list[str], expected: str | None) -> None:
    assert title_from_lines(lines) == expected


# (kept lines, the line above the metadata line) -> title
ABOVE_METADATA = [
    (
        "headline_beats_banner",
        ["某某日报数字报", "援建医院正式启用", P],
        "援建医院正式启用",
        "援建医院正式启用",
    ),
    ("prose_above_is_no_title", ["援疆工作总结", P], P, "援疆工作总结"),
    ("no_metadata_line", ["援疆工作总结", P], None, "援疆工作总结"),
]


@pytest.mark.parametrize(
    ("lines", "above", "expected"), [c[1:] for c in ABOVE_METADATA], ids=[c[0] for c in ABOVE_METADATA]
)
def test_title_prefers_the_line_above_the_metadata(
    lines: list[str], above: str | None, expected: str
) -> None:
    assert title_from_lines(lines, above_metadata=above) == expected
