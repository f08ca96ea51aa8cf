"""html.extract_html: main content, headline, raw date and the audit of dropped blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.cleaning import clean_document
from extractors.errors import BadInput
from extractors.html import extract_html, strip_site_suffix
from extractors.spans import Removal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"

PAGES = [
    # (fixture, kept blocks in order, title, published, removals that must be listed)
    (
        "gov_table_layout.html",
        (
            "东川市对口支援河湾县工作取得新进展",
            "4月15日，东川市对口支援工作推进会在河湾县召开。会议总结了2020年对口支援工作，部署了2021年重点任务。",
            "一、基本情况",
            "2020年，东川市安排对口支援资金3.2亿元，实施援建项目46个，选派干部人才128名。"
            "援建的河湾县人民医院综合楼已投入使用，新增床位300张。",
            "二、下一步工作",
            "坚持以产业支援为重点，推动东川企业到河湾投资兴业，力争全年引进项目10个以上。",
            "（东川市对口支援办公室供稿）",
            "支援方 受援方 资金（万元）",
            "东川市南湖区 河湾县西岭乡 1200",
            "东川市北山区 河湾县石门镇 800",
        ),
        "东川市对口支援河湾县工作取得新进展",
        "2021-04-16 09:30",
        {
            Removal("当前位置：首页 > 政务公开 > 对口支援", "outside"),
            Removal("【字号：大 中 小】【打印】【关闭】", "outside"),
            Removal("扫一扫在手机打开当前页", "outside"),
            Removal("版权所有：东川市人民政府 网站标识码：1234000001 东ICP备12345678号", "outside"),
        },
    ),
    (
        "news_div_layout.html",
        (
            "高原小城迎来第一所援建职业学校",
            "九月的第一天，由沿海某市援建的职业技术学校在高原小城正式开学，首批500名学生走进新校园。",
            "从一片荒地到一座校园",
            "学校总投资1.8亿元，占地200亩，设有汽车维修、电子商务、护理等8个专业。",
            "“孩子们在家门口就能学技术。”",
            "援建指挥部负责人介绍，学校建设仅用了18个月。",
        ),
        "高原小城迎来第一所援建职业学校",
        "2022-09-01T08:15:00+08:00",
        {
            Removal("（编辑：李华）", "meta"),
            Removal("这所学校建得真好，希望孩子们好好学习，将来建设家乡。", "outside"),
            Removal("Copyright © 2022 东方在线 版权所有 沪ICP备00000000号", "outside"),
        },
    ),
    (
        "hidden_body_wechat.html",
        (
            "援疆干部的一天",
            "早上七点，援疆干部老张已经来到了村委会。",
            "他今年五十岁，是从东部某省来的第十批援疆干部。",
            "三年来，他跑遍了全乡十二个村，帮助村民建起了合作社。",
            "“这里就是我的第二故乡。”",
        ),
        "援疆干部的一天",
        "2023-06-18",
        {
            Removal("边疆日记 2023-06-18", "class:meta"),
            Removal("扫描二维码，在手机上阅读这篇文章，记得点赞哦。", "hidden"),
        },
    ),
    (
        "sidebar_wrapper.html",
        (
            "山海协作结硕果",
            "近年来，沿海的东港区与山区的青峰县开展山海协作，共建产业园区3个。",
            "园区已入驻企业42家，带动就业6000余人。",
            "东港区还选派120名教师到青峰县支教。",
        ),
        "山海协作结硕果",
        "2019-11-05",
        {Removal("隐藏的测试文字不应出现", "hidden"), Removal("推荐阅读", "outside")},
    ),
]


@pytest.mark.parametrize(
    ("fixture", "blocks", "title", "published", "removals"), PAGES, ids=[p[0] for p in PAGES]
)
def test_fixture_pages(
    fixture: str, blocks: tuple[str, ...], title: str, published: str, removals: set[Removal]
) -> None:
    content = extract_html((FIXTURES / fixture).read_text(encoding="utf-8"))
    assert content.blocks == blocks
    assert content.title == title
    assert content.published == published
    assert removals <= set(content.removed)


ARTICLE = (
    "<p>沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。</p>"
    "<p>今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。</p>"
)

SNIPPETS = [
    # (id, markup, kept blocks, removal reasons of the dropped blocks in order)
    (
        "breadcrumb_inside_content",
        f"<div><div>首页 > 新闻中心 > 对口支援</div>{ARTICLE}</div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("breadcrumb",),
    ),
    (
        "toolbar_and_editor_lines",
        f"<div>{ARTICLE}<p>【打印本页】 【关闭窗口】</p><p>责任编辑：张三</p><p>分享到：</p></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("furniture", "meta", "furniture"),
    ),
    (
        "source_and_date_line",
        f"<div><p>来源：某某日报 时间：2020-01-02 10:00 阅读量：35</p>{ARTICLE}</div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("meta",),
    ),
    (
        "br_separated_paragraphs",
        "<td>第一段讲援建学校的情况，学校已经建成。<br><br>第二段讲援建医院的情况，医院已经开诊。<br>短句也保留</td>",
        ("第一段讲援建学校的情况，学校已经建成。", "第二段讲援建医院的情况，医院已经开诊。", "短句也保留"),
        (),
    ),
    (
        "inline_hidden_junk",
        "<p>援建资金<span style='display: none'>乱码干扰</span>达到五亿元，项目全部开工。</p>",
        ("援建资金达到五亿元，项目全部开工。",),
        (),
    ),
    (
        "source_line_break_between_chinese",
        "<p>援建资金\n   达到五亿元，项目 A 全部开工。</p>",
        ("援建资金达到五亿元，项目 A 全部开工。",),
        (),
    ),
    (
        "link_list_after_article",
        f"<div>{ARTICLE}<ul><li><a href='/1'>另一条新闻的标题</a></li>"
        "<li><a href='/2'>再一条新闻的标题</a></li></ul></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("edge", "edge"),
    ),
    (
        "article_sentence_mentioning_copyright_kept",
        "<div><p>法院认定，被告未经许可使用原告作品，侵犯了原告的版权所有权，判令其赔偿损失五万元。</p></div>",
        ("法院认定，被告未经许可使用原告作品，侵犯了原告的版权所有权，判令其赔偿损失五万元。",),
        (),
    ),
    (
        "recommendation_box_headed_by_a_label",
        f"<div>{ARTICLE}<div><div><h2>热门推荐</h2><span>另一篇文章的标题 收起</span></div>"
        "<div><h4>又一篇文章的标题</h4><p>这一篇的摘要写得很长，看起来像正文一样，有逗号，也有句号。</p></div></div></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("list_box", "list_box", "list_box", "list_box"),
    ),
    (
        "teaser_after_the_editor_line",
        f"<div>{ARTICLE}<p>责任编辑：</p><blockquote><p>另一条新闻的标题，看起来像正文</p>"
        "<p>另一条新闻的第一段，很长很长，也有标点。</p></blockquote></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("meta", "after_end", "after_end"),
    ),
    (
        "paragraph_printed_twice",
        f"<div>{ARTICLE}{ARTICLE}</div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("duplicate", "duplicate"),
    ),
    (
        "credits_line_with_slashes",
        f"<div>{ARTICLE}<p>县融媒体中心供稿 摄影/王五 编辑/赵六</p><p>责编|李四</p></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("meta", "meta"),
    ),
    (
        "calls_to_action",
        f"<div>{ARTICLE}<p>（本文来自某某新闻，更多原创资讯请下载“某某新闻”APP）</p>"
        "<p>1、回复【社保】查询缴纳记录</p><p>相关资讯请关注：援建专区</p><p>看完了，点【在看】试试</p></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("furniture", "furniture", "furniture", "furniture"),
    ),
    (
        "promotion_slider_inside_content",
        f"<div>{ARTICLE}<div class='promo_slider_item'><h3>推广文章的标题</h3>"
        "<p>推广文章的摘要，写得像一段正文，也有逗号和句号。</p></div></div>",
        (
            "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
            "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
        ),
        ("class:slider", "class:slider"),
    ),
    (
        "plain_text_without_tags",
        "只有一句话的页面，没有任何标签。",
        ("只有一句话的页面，没有任何标签。",),
        (),
    ),
]


@pytest.mark.parametrize(
    ("markup", "blocks", "reasons"), [s[1:] for s in SNIPPETS], ids=[s[0] for s in SNIPPETS]
)
def test_snippets(markup: str, blocks: tuple[str, ...], reasons: tuple[str, ...]) -> None:
    content = extract_html(markup)
    assert content.blocks == blocks
    assert tuple(r.reason for r in content.removed) == reasons


@pytest.mark.parametrize(
    ("title", "stripped"),
    [
        ("东川市对口支援工作取得新进展_东川市人民政府网", "东川市对口支援工作取得新进展"),
        ("援建学校开学 - 新闻频道 - 东方在线", "援建学校开学"),
        ("山海协作结硕果｜南部新闻网", "山海协作结硕果"),
        ("法国大罢工-新华网", "法国大罢工"),
        ("2019-2020年援建计划发布", "2019-2020年援建计划发布"),
        ("让世界看见——记援藏干部", "让世界看见——记援藏干部"),
        ("没有后缀的标题", "没有后缀的标题"),
    ],
    ids=[
        "underscore",
        "spaced_dashes",
        "fullwidth_bar",
        "hyphen",
        "year_range_kept",
        "em_dashes_kept",
        "none",
    ],
)
def test_strip_site_suffix(title: str, stripped: str) -> None:
    assert strip_site_suffix(title) == stripped


def test_title_prefers_visible_heading_over_broken_og_title() -> None:
    markup = (
        '<html><head><meta property="og:title" content="奖金百万！">'
        '<title>奖金百万！援建"十年"回顾_某网</title></head>'
        '<body><h1>奖金百万！援建"十年"回顾</h1><div>' + ARTICLE + "</div></body></html>"
    )
    content = extract_html(markup)
    assert content.title == '奖金百万！援建"十年"回顾'
    assert content.blocks[0] == '奖金百万！援建"十年"回顾'


def test_logo_h1_is_not_the_title() -> None:
    markup = (
        "<html><head><title>援建医院开诊_某某网</title></head><body><h1><a href='/'>某某网</a></h1>"
        "<h2>援建医院开诊</h2><div>" + ARTICLE + "</div></body></html>"
    )
    content = extract_html(markup)
    assert content.title == "援建医院开诊"
    assert "某某网" not in content.blocks


def test_deeply_nested_page_does_not_crash() -> None:
    markup = "<html><body>" + "<div>" * 5000 + ARTICLE + "</div>" * 5000 + "</body></html>"
    content = extract_html(markup)
    assert content.blocks[-1] == "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。"


def test_xml_declaration_is_accepted() -> None:
    markup = '<?xml version="1.0" encoding="gb2312"?><html><body><div>' + ARTICLE + "</div></body></html>"
    assert len(extract_html(markup).blocks) == 2


@pytest.mark.parametrize("markup", ["", "   \n  "], ids=["empty", "whitespace"])
def test_nothing_to_parse_is_parse_error(markup: str) -> None:
    with pytest.raises(BadInput) as info:
        extract_html(markup)
    assert info.value.reason == "parse_error"


def test_broken_markup_does_not_raise() -> None:
    content = extract_html("<div><p>援建项目全部完工，<b>群众已经入住。<p>第二段<table><tr><td>未闭合")
    assert content.blocks == ("援建项目全部完工，群众已经入住。", "第二段", "未闭合")


def test_title_from_title_tag_and_visible_date_line() -> None:
    markup = (
        "<html><head><title>援建医院正式开诊_某某县人民政府</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/x'>政务</a></div>"
        "<div><div class='info'>发布时间：2021年5月6日 10:20 来源：县卫健局</div>"
        + ARTICLE
        + "</div></body></html>"
    )
    content = extract_html(markup)
    assert content.title == "援建医院正式开诊"
    assert content.published == "2021年5月6日 10:20"
    assert content.removed[-1] == Removal("发布时间：2021年5月6日 10:20 来源：县卫健局", "meta")


def test_no_date_anywhere_is_none() -> None:
    assert extract_html("<div>" + ARTICLE + "</div>").published is None


def test_headline_below_the_content_is_not_pulled_in() -> None:
    markup = (
        "<html><head><title>援建医院正式开诊_某网</title></head><body><div>" + ARTICLE + "</div>"
        "<div class='foot'><h3>援建医院正式开诊</h3></div></body></html>"
    )
    assert "援建医院正式开诊" not in extract_html(markup).blocks


def test_prev_next_and_related_heading_inside_article() -> None:
    markup = (
        "<div class='article'>" + ARTICLE + "<p>上一篇：援建学校开学</p><p>下一篇：援建道路通车</p>"
        "<p>相关阅读</p></div>"
    )
    content = extract_html(markup)
    assert content.blocks == (
        "沿海某市对口支援山区某县已有十年，累计投入资金五亿元，建成学校二十所。",
        "今年，双方又签订了产业合作协议，共建工业园区一个，预计带动就业三千人。",
    )
    assert [r.reason for r in content.removed] == ["furniture", "furniture", "list_box"]


def test_title_falls_back_to_the_content_heading_when_the_title_tag_names_a_column() -> None:
    markup = (
        "<html><head><title>新闻动态--某某学会官网</title></head><body>"
        "<ul><li><a href='/n'>新闻动态</a></li><li><a href='/a'>学会简介</a></li></ul>"
        f"<div><h5>某某学会年会在山区某县成功举行</h5>{ARTICLE}</div></body></html>"
    )
    content = extract_html(markup)
    assert content.title == "某某学会年会在山区某县成功举行"
    assert content.blocks[0] == "某某学会年会在山区某县成功举行"


def test_title_tag_naming_only_the_site_is_not_the_banner() -> None:
    """<title>某某县人民政府-栏目</title> matches the banner 某某县人民政府门户网站: not the headline."""
    markup = (
        "<html><head><title>某某县人民政府-闽宁协作</title></head><body>"
        "<table><tr><td>某某县人民政府门户网站</td></tr></table>"
        f"<table><tr><td><b>援建学校正式开学</b></td></tr><tr><td>{ARTICLE}</td></tr></table></body></html>"
    )
    content = extract_html(markup)
    assert content.title != "某某县人民政府门户网站"
    assert "某某县人民政府门户网站" not in content.blocks


def test_audit_lists_every_block_in_page_order() -> None:
    content = extract_html(f"<div><p>首页 > 新闻 > 对口支援</p>{ARTICLE}<p>责任编辑：张三</p></div>")
    assert [reason for _, reason in content.audit] == ["breadcrumb", None, None, "meta"]


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><script>var a=1;</script></body></html>",
        "<html><head><title>某某网</title></head><body><style>p{}</style></body></html>",
        "<html><body><div style='display:none'><p>北京市对口支援和田县。</p></div></body></html>",
    ],
    ids=["script_only", "style_only", "hidden_only"],
)
def test_page_without_visible_blocks_is_no_content(markup: str) -> None:
    with pytest.raises(BadInput) as err:
        clean_document(markup.encode(), name="page.html")
    assert err.value.reason == "no_content"


@pytest.mark.parametrize(
    "markup",
    [
        *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.html"))),
        "<p>控制\x01字符\x00与\r\n换行</p><p>\ufeff零宽\u200b空格 &nbsp;&#0;&bogus;</p>",
        '<html><head><meta charset="gbk"><title>标题_站点</title></head><body><p>正文。</p></body></html>',
    ],
)
def test_utf8_bytes_parse_like_the_text(markup: str) -> None:
    """The UTF-8 bytes a page was decoded from are parsed instead of the str: same content."""
    assert extract_html(markup, utf8=markup.encode("utf-8")) == extract_html(markup)
