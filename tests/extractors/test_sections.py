"""sections.find_sections: compound pages split at numbered article headings, and only there."""

from __future__ import annotations

import itertools

import pytest

from extractors.sections import find_sections, parse_number
from extractors.spans import Section

BODY = "对口支援工作取得明显成效,援建项目全部按期完工。"


def _page(*lines: str) -> str:
    return "\n".join(lines)


# (id, text, expected (section_no, title, first line of the section) per section)
CASES = [
    (
        "fanwen_bracket_marker",
        _page("对口支援工作总结范文", "【范文一】医院总结", BODY, "【范文二】学校总结", BODY),
        [(1, "医院总结", "对口支援工作总结范文"), (2, "学校总结", "【范文二】学校总结")],
    ),
    (
        "pian_number_first_with_contents",
        _page(
            "对口支援工作总结(通用2篇)",
            "篇一:医院总结",
            "篇二:学校总结",
            "篇一:医院总结",
            BODY,
            "篇二:学校总结",
            BODY,
        ),
        [(1, "医院总结", "对口支援工作总结(通用2篇)"), (2, "学校总结", "篇二:学校总结")],
    ),
    (
        "di_yi_pian_colon",
        _page(
            "对口支援工作总结[五篇]",
            "第一篇:援疆工作总结",
            BODY,
            "第二篇:援藏工作总结",
            BODY,
            "第三篇:援青工作总结",
            BODY,
        ),
        [
            (1, "援疆工作总结", "对口支援工作总结[五篇]"),
            (2, "援藏工作总结", "第二篇:援藏工作总结"),
            (3, "援青工作总结", "第三篇:援青工作总结"),
        ],
    ),
    (
        "five_pian",
        _page(*[f"第{n}篇 标题{n}\n{BODY}" for n in "一二三四五"]),
        [(k, f"标题{n}", f"第{n}篇 标题{n}") for k, n in enumerate("一二三四五", start=1)],
    ),
    (
        "pian_arabic_suffix",
        _page("工作总结(收集3篇)", "工作总结篇1", BODY, "工作总结篇2", BODY, "工作总结篇3", BODY),
        [
            (1, "工作总结", "工作总结(收集3篇)"),
            (2, "工作总结", "工作总结篇2"),
            (3, "工作总结", "工作总结篇3"),
        ],
    ),
    (
        "bracketed",
        _page("【第一篇】援疆心得", BODY, "【第二篇】援藏心得", BODY),
        [(1, "援疆心得", "【第一篇】援疆心得"), (2, "援藏心得", "【第二篇】援藏心得")],
    ),
    (
        "bracketed_alone",
        _page("【第一篇】", BODY, "【第二篇】", BODY),
        [(1, "【第一篇】", "【第一篇】"), (2, "【第二篇】", "【第二篇】")],
    ),
    ("lone_heading", _page("第一篇:援疆工作总结", BODY, BODY), [(1, None, "第一篇:援疆工作总结")]),
    ("lone_second", _page("标题", BODY, "第二篇:援藏工作总结", BODY), [(1, None, "标题")]),
    (
        "out_of_order",
        _page("第二篇:甲", BODY, "第一篇:乙", BODY, "第三篇:丙", BODY),
        [(1, None, "第二篇:甲")],
    ),
    (
        "prose_mentions_pian",
        _page("本书第一篇介绍了援建的历史,分为三章。", BODY, "本书第二篇介绍了援建的成效,分为四章。", BODY),
        [(1, None, "本书第一篇介绍了援建的历史,分为三章。")],
    ),
    ("no_headings", _page("标题", BODY), [(1, None, "标题")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_sections(text: str, expected: list[tuple[int, str | None, str]]) -> None:
    sections = find_sections(text)
    got = [(s.section_no, s.title, text[s.char_start : s.char_end].split("\n")[0]) for s in sections]
    assert got == expected
    # sections partition the text: they start at 0, touch and end at its end
    assert sections[0].char_start == 0 and sections[-1].char_end == len(text)
    assert all(a.char_end == b.char_start for a, b in itertools.pairwise(sections))


def test_empty_text_is_one_section() -> None:
    assert find_sections("") == (Section(0, 0, 1, None),)


NUMBERS = [("3", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两", 2), ("甲", None)]


@pytest.mark.parametrize(("token", "value"), NUMBERS, ids=[n[0] for n in NUMBERS])
def test_parse_number(token: str, value: int | None) -> None:
    assert parse_number(token) == value
