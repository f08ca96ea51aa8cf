"""Synthetic portal pages with a real page's weight, and the measures that say whether they have it.

readability-lxml's time (and a good part of ours) scales with how much markup a page carries, not
with its article: elements, attributes, their characters, the white space of an indented layout.
So the generator's defaults are the medians of those counts on real Chinese news and government
pages (`structure()` measures them; `python bench/portal_pages.py DIR` prints them for generated
pages beside any directory of real ones), and each page is scaled by a log-normal factor so the
corpus spreads the way real pages do, from light government pages to heavy portals. The content
is our own: no real page is copied.
"""

from __future__ import annotations

import html
import math
import random
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for its decoder

CHANNELS = [
    "要闻",
    "时政",
    "国内",
    "国际",
    "社会",
    "财经",
    "科技",
    "教育",
    "文化",
    "体育",
    "健康",
    "旅游",
    "汽车",
    "房产",
    "图片",
    "视频",
    "专题",
    "评论",
]
HEADLINES = [
    "东西部协作项目集中签约",
    "援疆干部人才座谈会召开",
    "乡村振兴重点帮扶县调研",
    "产业园区招商推介会举行",
    "援藏医疗队完成年度任务",
    "对口支援教育交流活动启动",
    "消费帮扶产品展销会开幕",
    "职业技能培训班结业",
    "基础设施建设项目竣工",
    "劳务协作对接会举办",
]
HOSTS = ["news.example.com.cn", "www.example.gov.cn", "static.example-cdn.com", "img.example-cdn.net"]

# Medians on real pages (bench/portal_pages.py over ../shared/html, 55 pages): elements 857,
# attributes 1,185 (39 k characters), links 160, 35 script elements (37 k characters), 795 lines.
FEED_ITEMS = 34
SIDE_BOXES = 3
INLINE_SCRIPTS = 14
EXTERNAL_SCRIPTS = 16


def _url(rng: random.Random) -> str:
    """An absolute article URL of a real portal's length (about 45 characters)."""
    return (
        f"https://{HOSTS[rng.randrange(2)]}/{rng.choice(['gn', 'sh', 'cj', 'zw'])}/{rng.randint(2015, 2025)}"
        f"/{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}/c{rng.randint(10**8, 10**9)}.html"
    )


def _img(rng: random.Random) -> str:
    """A CDN image URL with a resize query, as portals serve thumbnails (about 120 characters)."""
    return (
        f"https://{HOSTS[2 + rng.randrange(2)]}/upload/{rng.randint(2015, 2025)}/{rng.randint(1, 12):02d}"
        f"/{rng.getrandbits(128):032x}.jpeg?imageView&thumbnail={rng.choice([140, 200, 300])}y"
        f"{rng.choice([88, 120, 180])}&quality=85&type=webp"
    )


def _headline(rng: random.Random) -> str:
    return f"{rng.choice(CHANNELS)}｜{rng.choice(HEADLINES)}"


class _Markup:
    """Indented markup, one element a line, the way served pages are laid out."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def open(self, tag: str, **attrs: str) -> None:
        self.lines.append(" " * self.depth + f"<{tag}{_attrs(attrs)}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append(" " * self.depth + f"</{tag}>")

    def leaf(self, tag: str, text: str = "", **attrs: str) -> None:
        self.lines.append(" " * self.depth + f"<{tag}{_attrs(attrs)}>{text}</{tag}>")

    def void(self, tag: str, **attrs: str) -> None:
        self.lines.append(" " * self.depth + f"<{tag}{_attrs(attrs)}>")

    def raw(self, text: str) -> None:
        self.lines.append(" " * self.depth + text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(v)}"' for k, v in attrs.items())


def _script(rng: random.Random, i: int) -> str:
    """An inline script: analytics, ad slots and page config, a few hundred to a few thousand chars."""
    body = "".join(
        f"var cfg{i}_{j}={{id:'{rng.getrandbits(40):x}',slot:{rng.randint(1, 99)},"
        f"url:'{_url(rng)}',on:function(e){{if(e&&e.target){{return e.target.getAttribute('data-id')}}}}}};"
        for j in range(rng.randint(2, 26))
    )
    return f"<script>{body}</script>"


def _share(m: _Markup, rng: random.Random, title: str, url: str) -> None:
    """A share bar: each button carries its target, title, summary and picture twice, in an
    onclick handler and in data- attributes."""
    pic = _img(rng)
    m.open("div", class_="post_share clearfix", id="share")
    m.leaf("span", "分享到：", class_="share-label")
    m.open("ul", class_="share-list")
    for site in ["weixin", "weibo", "qzone", "yixin", "qq", "douban"]:
        m.open(
            "li",
            class_=f"share_{site} share-item js-share",
            onclick=f"shareto('{site}','{url}#f=post_share','{title}','{title}——来自某某网','{pic}')",
            data_title=title,
            data_url=url,
            data_pic=pic,
        )
        m.leaf("i", class_=f"icon icon-{site}")
        m.close("li")
    m.close("ul")
    m.close("div")


def _feed_item(m: _Markup, rng: random.Random) -> None:
    """A picture news item of a portal's feed: picture, headline, summary, source and time."""
    url = _url(rng)
    m.open("div", class_="news_item clearfix", data_id=str(rng.randint(10**6, 10**7)))
    m.open("div", class_="news_pic fl")
    m.open("a", href=url, target="_blank", data_sudaclick=f"feed_pic_{rng.randint(1, 99)}")
    m.void("img", src=_img(rng), alt=rng.choice(HEADLINES), width="140", height="88")
    m.leaf("span", class_="pic-mask")
    m.close("a")
    m.close("div")
    m.open("div", class_="news_txt")
    m.open("div", class_="news_title")
    m.leaf("a", _headline(rng), href=url, target="_blank", title=rng.choice(HEADLINES))
    m.close("div")
    m.leaf("p", f"{rng.choice(HEADLINES)}，{rng.choice(HEADLINES)}。", class_="news_summary")
    m.open("div", class_="news_info clearfix")
    m.open("span", class_="source")
    m.leaf("i", class_="icon icon-source")
    m.raw(f"{rng.choice(CHANNELS)}网")
    m.close("span")
    m.leaf("span", f"{rng.randint(1, 59)}分钟前", class_="time")
    m.open("span", class_="comment-num")
    m.leaf("i", class_="icon icon-comment")
    m.raw(str(rng.randint(0, 9999)))
    m.close("span")
    m.close("div")
    m.close("div")
    m.close("div")


def _box(m: _Markup, rng: random.Random, title: str, n: int) -> None:
    """A ranking or recommendation box of the side column."""
    m.open("div", class_="side-box mod-rank", id=f"rank{rng.randint(1, 99)}")
    m.open("div", class_="side-box-hd clearfix")
    m.leaf("h3", title, class_="side-title")
    m.leaf("a", "更多", class_="more", href=_url(rng), target="_blank")
    m.close("div")
    m.open("ul", class_="side-box-bd rank-list")
    for k in range(n):
        m.open("li", class_=f"rank-item rank-{k + 1}")
        m.leaf("span", str(k + 1), class_="num")
        m.leaf("a", _headline(rng), href=_url(rng), target="_blank", title=rng.choice(HEADLINES))
        m.close("li")
    m.close("ul")
    m.close("div")


def page(rng: random.Random, title: str, paras: list[str]) -> str:
    """One portal article page around the given article, scaled like a real page's weight."""
    scale = min(max(math.exp(rng.gauss(0.0, 1.2)), 0.15), 6.0)
    n = lambda k: max(1, round(k * scale))  # noqa: E731
    url = _url(rng)
    m = _Markup()
    m.raw("<!DOCTYPE html>")
    m.open("html", lang="zh-CN")
    m.open("head")
    m.void("meta", charset="utf-8")
    m.leaf("title", f"{title}_某某网")
    for name, content in [
        ("keywords", "对口支援,东西部协作,乡村振兴"),
        ("description", f"{title}。{paras[0][:60]}"),
        ("viewport", "width=device-width, initial-scale=1"),
        ("author", "某某网"),
        ("publishdate", f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
        ("contentid", str(rng.randint(10**8, 10**9))),
    ]:
        m.void("meta", name=name, content=content)
    for _ in range(n(4)):
        m.void("link", rel="stylesheet", href=f"https://{HOSTS[2]}/css/{rng.getrandbits(48):x}.css?v=2024")
    m.raw(
        "<style>"
        + "".join(
            f".m{i} .item-{i}{{margin:{i % 7}px {i % 3}px;color:#{rng.getrandbits(24):06x}}}"
            for i in range(n(60))
        )
        + "</style>"
    )
    for i in range(n(EXTERNAL_SCRIPTS) // 2):
        m.leaf(
            "script",
            src=f"https://{HOSTS[2]}/js/lib/{rng.getrandbits(48):x}.min.js?v={i}",
            type="text/javascript",
        )
    for i in range(n(INLINE_SCRIPTS) // 2):
        m.raw(_script(rng, i))
    m.close("head")
    m.open("body", class_="article-page")
    # templates wrap the whole layout twice (page width, then grid), as real pages nest about 14 deep
    m.open("div", class_="page-wrap", id="wrapper")
    m.open("div", class_="container clearfix")
    # top bar and channel navigation with its drop-down menus
    m.open("div", class_="top-bar", id="topbar")
    m.open("div", class_="w1200 clearfix")
    for label in ["无障碍", "繁体版", "English", "登录", "注册"]:
        m.leaf("a", label, href=_url(rng), class_="top-link fl", target="_blank")
    m.close("div")
    m.close("div")
    m.open("div", class_="header", id="header")
    m.open("div", class_="logo fl")
    m.open("a", href=f"https://{HOSTS[0]}/", title="某某网首页")
    m.void("img", src=_img(rng), alt="某某网")
    m.close("a")
    m.close("div")
    m.open("ul", class_="nav clearfix", id="nav")
    for channel in CHANNELS[: n(12)]:
        m.open("li", class_="nav-item js-nav")
        m.leaf("a", channel, href=_url(rng), class_="nav-link", target="_blank")
        m.open("div", class_="sub-nav", style="display:none")
        for _ in range(4):
            m.leaf("a", rng.choice(CHANNELS), href=_url(rng), target="_blank")
        m.close("div")
        m.close("li")
    m.close("ul")
    m.close("div")
    m.open("div", class_="w1200 main clearfix")
    m.open("div", class_="crumb")
    m.raw("当前位置：")
    m.leaf("a", "首页", href=f"https://{HOSTS[0]}/")
    m.raw("&gt;")
    m.leaf("a", rng.choice(CHANNELS), href=_url(rng))
    m.close("div")
    # the article
    m.open("div", class_="left-col fl")
    m.open("div", class_="post_main", id="article")
    m.leaf("h1", title, class_="post_title")
    m.open("div", class_="post_info clearfix")
    day = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    m.leaf("span", f"{day} 10:{rng.randint(10, 59)}", class_="date")
    m.leaf("span", "来源：某某网", class_="source")
    m.close("div")
    _share(m, rng, title, url)
    m.open("div", class_="post_body", id="content")
    m.open("div", class_="TRS_Editor")
    m.open("div", class_="Custom_UnionStyle")
    for k, para in enumerate(paras):
        if k and k % 4 == 0:
            m.open("p", class_="f_center", style="text-align:center")
            m.void("img", src=_img(rng), alt=title, style="max-width:100%;width:640px;height:auto")
            m.close("p")
        m.open("p", style="text-indent:2em;margin-bottom:10px;line-height:1.8")
        m.raw(para)
        m.close("p")
    m.close("div")
    m.close("div")
    m.close("div")
    m.leaf("div", "责任编辑：某某", class_="post_editor")
    m.close("div")
    m.open("div", class_="related-news", id="related")
    m.leaf("h3", "相关阅读", class_="section-title")
    m.open("ul", class_="related-list")
    for _ in range(n(8)):
        m.open("li", class_="related-item")
        m.leaf("a", _headline(rng), href=_url(rng), target="_blank")
        m.close("li")
    m.close("ul")
    m.close("div")
    m.open("div", class_="feed-wrap")
    m.open("div", class_="feed-list", id="feed")
    for _ in range(n(FEED_ITEMS)):
        _feed_item(m, rng)
    m.close("div")
    m.close("div")
    m.close("div")
    # the side column
    m.open("div", class_="right-col fr")
    for title_ in ["热门排行", "图片新闻", "专题推荐", "视频"][: max(1, min(4, n(SIDE_BOXES)))]:
        _box(m, rng, title_, 10)
    m.open("div", class_="ad-box", id=f"ad_{rng.getrandbits(24):x}")
    m.leaf("ins", class_="adsbygoogle", style="display:block", data_ad_slot=str(rng.randint(10**9, 10**10)))
    m.close("div")
    m.close("div")
    m.close("div")
    # footer
    m.open("div", class_="footer", id="footer")
    m.open("div", class_="footer-nav w1200 clearfix")
    for _ in range(n(5)):
        m.open("div", class_="footer-col fl")
        m.leaf("h4", rng.choice(CHANNELS))
        m.open("ul")
        for _ in range(6):
            m.open("li")
            m.leaf("a", f"{rng.choice(CHANNELS)}频道", href=_url(rng), target="_blank")
            m.close("li")
        m.close("ul")
        m.close("div")
    m.close("div")
    m.open("div", class_="footer-info")
    for line in [
        f"版权所有 某某网 京ICP备{rng.randint(10**6, 10**7)}号",
        f"京公网安备{rng.randint(10**10, 10**11)}号",
        "违法和不良信息举报电话：010-12345678",
        "互联网新闻信息服务许可证 10120170001",
    ]:
        m.open("p", class_="copyright")
        m.leaf("span", line)
        m.close("p")
    m.close("div")
    m.close("div")
    for i in range(n(EXTERNAL_SCRIPTS) - n(EXTERNAL_SCRIPTS) // 2):
        m.leaf(
            "script", src=f"https://{HOSTS[2]}/js/{rng.getrandbits(48):x}.js?t={i}", type="text/javascript"
        )
    for i in range(n(INLINE_SCRIPTS) - n(INLINE_SCRIPTS) // 2):
        m.raw(_script(rng, 100 + i))
    m.close("div")
    m.close("div")
    m.close("body")
    m.close("html")
    return m.text()


# --------------------------------------------------------------------------- measuring the weight

MEASURES = ["characters", "outside scripts", "elements", "attributes", "attribute chars", "links", "lines"]


def structure(markup: str) -> dict[str, int]:
    """The counts readability's time scales with, for one page."""
    import lxml.html

    elements = [e for e in lxml.html.document_fromstring(markup).iter() if isinstance(e.tag, str)]
    scripts = sum(
        len(lxml.html.tostring(e, encoding="unicode")) for e in elements if e.tag in ("script", "style")
    )
    return {
        "characters": len(markup),
        "outside scripts": len(markup) - scripts,
        "elements": len(elements),
        "attributes": sum(len(e.attrib) for e in elements),
        "attribute chars": sum(len(k) + len(v) for e in elements for k, v in e.attrib.items()),
        "links": sum(1 for e in elements if e.tag == "a"),
        "lines": markup.count("\n"),
    }


def medians(pages: Iterator[str]) -> dict[str, float]:
    rows = [structure(p) for p in pages]
    return {k: statistics.median(r[k] for r in rows) for k in MEASURES}


def read_pages(d: Path) -> Iterator[str]:
    """The decoded markup of every page under d, as the pipeline decodes it."""
    from extractors.decoding import decode

    for p in sorted(d.iterdir()):
        try:
            yield decode(p.read_bytes(), name=p.name).text
        except Exception:  # a page the pipeline rejects is not one we compare with
            continue


def main() -> None:
    rng = random.Random(7)
    article = ["对口支援工作取得新进展，双方签订协议，共建产业园区。" * 3] * 22  # about 1,700 characters
    ours = medians(page(rng, "某某对口支援工作综述", article) for _ in range(100))
    theirs = {k: float("nan") for k in MEASURES}
    if len(sys.argv) > 1:
        theirs = medians(read_pages(Path(sys.argv[1])))
    print(f"{'median per page':16} {'generated':>10} {'real':>10}")
    for k in MEASURES:
        print(f"{k:16} {ours[k]:10.0f} {theirs[k]:10.0f}")


if __name__ == "__main__":
    main()
