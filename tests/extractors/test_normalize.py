"""normalize: Traditional -> Simplified, width folding, and rejoining lines a scrape broke."""

from __future__ import annotations

import pytest

from extractors.normalize import fold_width, normalize_text, rejoin, rejoin_blocks, should_join, to_simplified

TRAD = "對口支援是一項重要政策。深圳市對口支援喀什地區，累計投入援建資金二十多億元，建設了學校、醫院。"
SIMP = "对口支援是一项重要政策。深圳市对口支援喀什地区,累计投入援建资金二十多亿元,建设了学校、医院。"
# the full-width forms of ASCII (，：；！（）) fold to ASCII as the contract says; the Chinese
# punctuation outside that block (。、“”《》…) is kept

NORMALISED = [
    ("traditional_paragraph", TRAD, SIMP),
    ("simplified_untouched", SIMP, SIMP),
    # characters t2s would map even in Simplified text (乾/干, 著/着) stay when the text is Simplified
    (
        "simplified_with_ambiguous_chars",
        "乾隆年间的著作,一共十卷。对口支援工作会议在北京召开。",
        "乾隆年间的著作,一共十卷。对口支援工作会议在北京召开。",
    ),
    ("fullwidth_ascii_folded", "ＧＤＰ增长１２．５％，投入ＡＢＣ项目", "GDP增长12.5%,投入ABC项目"),
    ("ideographic_space", "首页\u3000新闻", "首页 新闻"),
    ("chinese_punct_kept", "他说:“援建。”《规划》、……「完」【注】", "他说:“援建。”《规划》、……「完」【注】"),
    ("fullwidth_punct_folded", "他说：“援建，是责任；发展！”（完）", "他说:“援建,是责任;发展!”(完)"),
    ("mixed_trad_fullwidth", "２０２４年對口支援", "2024年对口支援"),
    ("no_cjk", "Hello, world", "Hello, world"),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in NORMALISED], ids=[c[0] for c in NORMALISED])
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_fold_width_keeps_length() -> None:
    s = "ＡＢＣ１２３！？：，"
    assert fold_width(s) == "ABC123!?:," and len(fold_width(s)) == len(s)


def test_to_simplified_keeps_length() -> None:
    assert len(to_simplified(TRAD)) == len(TRAD)


LONG = "在对口支援工作中，双方坚持优势互补、互利共赢的原则，先后召开了"
JOINS = [
    # (id, previous line, next line, joined?)
    ("mid_sentence", LONG, "三次联席会议，研究部署援建工作。", True),
    ("meeting_name_cut", "会议传达学习了中央第四次西藏工作会", "议决定，研究部署了今年的援藏工作。", True),
    ("place_cut", "援建资金重点投向新疆昌吉回族自治", "州阜康市的安居富民工程和学校建设。", True),
    ("list_cut_in_name", "北京、天津、河北、辽宁、吉林、黑", "龙江、上海等省市参与对口支援。", True),
    ("after_comma", "截至目前，已累计投入资金，", "完成项目一百二十个。", True),
    ("number_cut_before_unit", "截至2023年底，累计投入援建资金达到了12.5", "亿元，实施项目三百余个。", True),
    ("number_cut_before_year_unit", "这项工作自从开展以来，已经持续了整整10", "年，成效显著。", True),
    ("number_then_new_field", "截至2023年底，累计投入援建资金，项目数量为2023", "一、工作成效", False),
    ("number_then_prose", "截至2023年底，全市共有援建项目编号为A23", "受援地区群众满意度显著提高。", False),
    ("sentence_ends", "援建工作取得明显成效。", "下一步，我们将继续加大投入。", False),
    ("exclaim_ends", "让我们携手共进，再创佳绩！", "二〇二三年五月", False),
    ("next_is_heading", LONG, "一、加强组织领导", False),
    ("next_is_paren_heading", LONG, "（二）加强干部交流", False),
    ("next_is_number_item", LONG, "1.建立联席会议制度", False),
    ("prev_is_heading", "一、精心组织，科学规划", "师、市工会把对口援建工作作为推动工作的契机。", False),
    ("prev_is_title", "对口支援工作总结", "为深入贯彻落实中央部署，我市认真组织实施援建项目。", False),
    ("prev_is_title_notice", "关于印发对口支援规划的通知", "各县市区人民政府:现将规划印发给你们。", False),
    (
        "prev_is_title_report",
        "对口支援工作情况汇报",
        "近年来，在省委省政府的坚强领导下，援建工作成效明显。",
        False,
    ),
    ("prev_is_signature", "某某县人民政府办公室", "2023年5月6日", False),
    ("word_cut_but_next_is_label", "中央第四次西藏工作会", "议室", False),
    ("next_is_key_value", LONG, "甲方：某某市人民政府", False),
    ("next_is_metadata", LONG, "来源：新华网", False),
    ("table_rows", "江苏伊犁州直4125", "合计 1739153 2671", False),
    ("table_row_after_header", "省份 受援地 项目数 资金", "江苏 伊犁州直 41 25", False),
    ("party_lines", "甲方：某某市教育局", "乙方：某某县第一中学", False),
    ("next_is_article_heading", LONG, "第二篇：援疆工作总结", False),
    ("blank_next", LONG, "", False),
    (
        "colon_then_first_item",
        "会议强调，要做好以下三方面工作：",
        "一是抓好项目建设。加快推进在建项目。",
        False,
    ),
    (
        "caption_credit_ends",
        "图为学员在实训基地学习电工操作。记者 王某 摄",
        "实训基地总投资4800万元。",
        False,
    ),
    (
        "caption_supplied_photo",
        "援建的新校舍投入使用，孩子们在教室上课。县教育局供图",
        "学校共有学生1200名。",
        False,
    ),
]

JOINS += [
    ("colon_then_table_header", "全年各市承担的任务如下表:", "支援方受援方资金(万元)", False),
    ("table_header_then_row", "支援方 受援方 资金(万元)", "济南桑珠孜区、疏勒县", False),
    ("prose_naming_both_columns", "会议要求支援方和受援方要加强沟通,", "共同推进项目建设。", True),
]

@pytest.mark.parametrize(("prev", "nxt", "joined"), [c[1:] for c in JOINS], ids=[c[0] for c in JOINS])
def test_should_join(prev: str, nxt: str, joined: bool) -> None:
    assert should_join(prev, nxt) is joined


def test_rejoin_merges_chains_and_drops_blanks() -> None:
    lines = [
        "对口支援工作总结",
        "",
        LONG,
        "三次联席会议，研究部署昌吉回族自治",
        "州阜康市的援建工作。",
        "一、主要成效",
    ]
    assert rejoin(lines) == [
        "对口支援工作总结",
        LONG + "三次联席会议，研究部署昌吉回族自治州阜康市的援建工作。",
        "一、主要成效",
    ]


BLOCKS = [
    # (id, HTML blocks, paragraphs): a page's tags are paragraph ends unless a comma or colon left one open
    ("headline_kept_apart", ["援建学校开学 首批学生入校", "9月1日，援建学校正式开学。"], None),
    ("subhead_kept_apart", ["援建资金，重点投向民生", "全年安排援建资金2亿元。"], None),
    (
        "open_colon_continues",
        ["英国《某某报》：", "援建的城市再次充满欢声笑语"],
        ["英国《某某报》:援建的城市再次充满欢声笑语"],
    ),
    ("code_lines_kept", ["import json", "import redis"], None),
    ("colon_before_list_item", ["要做好三方面工作：", "一是抓好项目建设。"], None),
]


@pytest.mark.parametrize(("blocks", "paragraphs"), [c[1:] for c in BLOCKS], ids=[c[0] for c in BLOCKS])
def test_rejoin_blocks(blocks: list[str], paragraphs: list[str] | None) -> None:
    expected = paragraphs if paragraphs is not None else [normalize_text(b) for b in blocks]
    assert rejoin_blocks([normalize_text(b) for b in blocks]) == expected


HEADERS = ["支援方 受援方", "支援方受援方资金(万元)", "受援方\t支援方", "序号 支援方 受援方 项目数"]


@pytest.mark.parametrize("header", HEADERS)
def test_a_header_line_makes_any_text_around_it_a_header(header: str) -> None:
    """pairings skips the table scan of a section whose whole text is no header: that is only
    sound while a header found in a line is found in any text holding the line."""
    from extractors.normalize import is_table_header

    assert is_table_header(header)
    for around in ("一、对口支援关系\n", "如下表:\n", "\n北京市 和田地区\n天津市 策勒县"):
        assert is_table_header(around + header) and is_table_header(header + around)
        assert is_table_header(around + header + around)
