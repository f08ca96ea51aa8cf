"""boilerplate.classify_lines: site furniture out, every article line (headings, signatures, tables) in."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.boilerplate import Verdict, classify_lines, is_breadcrumb, is_menu, is_metadata
from extractors.cleaning import clean_document
from extractors.normalize import normalize_text

DUMPS = Path(__file__).resolve().parent.parent / "fixtures" / "text"

P1 = "为深入贯彻落实中央关于对口支援工作的部署，我市认真组织实施援建项目，取得了明显成效。"
P2 = "下一步，我们将继续加大支援力度，推动受援地区经济社会持续健康发展。"

# (id, line, keep, reason): the line is classified between two paragraphs of prose
MIDDLE = [
    # furniture inside or after an article
    ("toolbar_font_size", "【字号：大 中 小】 打印 关闭", False, "furniture"),
    ("toolbar_font_size_2", "【字号：加大 还原 减小】", False, "furniture"),
    ("toolbar_words", "下载 打印 全屏 收藏", False, "menu"),
    ("print_close", "【打印本页】 【关闭窗口】", False, "furniture"),
    ("meta_source_time", "来源：市发展改革委 时间：2023-05-06 浏览次数：1024", False, "metadata"),
    ("meta_time_column", "时间: 2024-09-11 栏目:办公范文", False, "metadata"),
    ("meta_author_views", "作者：张三 阅读量：356", False, "metadata"),
    ("meta_views_only", "浏览次数：88", False, "metadata"),
    ("meta_published", "发布时间：2022年03月15日 10:20 来源：本站", False, "metadata"),
    ("prev_article", "上一篇：关于做好春耕生产工作的通知", False, "furniture"),
    ("next_article", "下一篇:2023年上半年工作总结", False, "furniture"),
    ("prev_bullet", "• 上一篇:对付校园欺凌的办法(整理2篇)", False, "furniture"),
    ("editor", "责任编辑：李四", False, "metadata"),
    ("editor_brackets", "【责任编辑：王五】", False, "furniture"),
    ("scan_qr", "扫一扫在手机打开当前页", False, "furniture"),
    ("copyright", "版权所有：某某市人民政府办公室 主办单位：某某市人民政府", False, "footer"),
    ("icp", "ICP备12345678号-1", False, "footer"),
    ("icp_prefix", "京ICP备05070602号 京公网安备11010502035380号", False, "footer"),
    ("copyright_sign", "Copyright © 2009-2024 某某网 All Rights Reserved", False, "footer"),
    ("copyright_sign_lead", "© 2024 某某范文网 版权所有", False, "footer"),
    ("site_seo", "本站部分文章来自网络，如有侵权请联系删除", False, "footer"),
    ("seo_spam", "范文网 范文大全 工作总结 工作计划 心得体会 述职报告 演讲稿", False, "menu"),
    ("category", "【办公范文】栏目", False, "furniture"),
    ("share", "分享到：微信 微博 QQ空间", False, "furniture"),
    # article content that must be kept
    ("heading_cn", "一、精心组织，科学规划，对口援建工作有序推进", True, "content"),
    ("heading_paren", "（二）加强干部人才交流", True, "heading"),
    ("heading_ascii_paren", "(三)产业合作", True, "heading"),
    ("signature_org", "某某县人民政府办公室", True, "heading"),
    ("signature_date", "2023年5月6日", True, "heading"),
    ("signature_date_dash", "二〇二三年五月六日", True, "heading"),
    ("party_a", "甲方：某某市教育局", True, "content"),
    ("party_b", "乙方:某某县第一中学", True, "content"),
    ("table_row_names", "江苏伊犁州直4125", True, "heading"),
    ("table_row_figures", "合计 1739153 2671", True, "content"),
    ("table_row_spaced", "江苏 伊犁州直 41 25 3", True, "content"),
    ("sentence_with_source_word", "来源于中央财政的资金共计3.2亿元，全部用于民生项目。", True, "content"),
    (
        "sentence_with_time_word",
        "时间紧、任务重，援疆干部克服困难，按期完成了全部建设任务。",
        True,
        "content",
    ),
    ("sentence_about_editor", "编辑部的同志们深入一线，采写了大量反映援建成效的稿件。", True, "content"),
    ("sentence_related", "相关部门要各司其职，密切配合，形成工作合力。", True, "content"),
    ("signature_date_slash", "2023/05/06", True, "heading"),
    ("signature_date_dots", "2023.05.06", True, "heading"),
    ("sentence_with_copyright_word", "我们尊重知识产权，版权所有人的合法权益受到保护。", True, "content"),
    # toolbars, calls to action, notices and datelines
    ("toolbar_brackets", "【打印】【关闭】", False, "furniture"),
    ("toolbar_wechat", "预览时标签不可点", False, "furniture"),
    ("open_app", "打开APP阅读更多精彩内容", False, "furniture"),
    ("follow_account", "点击下方名片关注我们", False, "furniture"),
    ("reply_keyword", "1、回复【社保】查询缴纳记录", False, "furniture"),
    ("editor_chatter", "下面是小编为大家整理的援疆工作总结，希望对大家有所帮助！", False, "notice"),
    ("takedown_notice", "本站文章均来自网络。如若侵犯了您的权益，可联系本站删除。", False, "notice"),
    ("comment_disclaimer", "网友评论仅供其表达个人看法，并不表明本网立场。", False, "notice"),
    ("download_doc", "文档为doc格式 下载本文档", False, "notice"),
    ("dateline", "原创 某某 某某融媒 2024-03-05 18:30 发表于新疆", False, "metadata"),
    ("dateline_cn", "2026年02月10日 07时41分 某某日报", False, "metadata"),
    ("reviewer", "审核：某某", False, "metadata"),
    ("visitor_counter", "您是本站第 1234567 位访问者 建议使用1366×768分辨率浏览本站", False, "footer"),
    ("host_line", "主办：某某省人民政府办公厅 承办：某某省大数据中心", False, "footer"),
    ("list_label_at_end", "2023年援疆工作总结范文（通用3篇）相关文章：", False, "furniture"),
    # ... and article lines that look a little like them
    (
        "sentence_about_app",
        "援建企业开发的农产品销售APP已覆盖全县所有乡镇，累计销售额达到5000万元。",
        True,
        "content",
    ),
    ("date_in_sentence", "2024年3月5日18时30分，援建医院举行开诊仪式，首批患者顺利就诊。", True, "content"),
    ("first_item", "一是抓好项目建设。", True, "content"),
]


@pytest.mark.parametrize(("line", "keep", "reason"), [c[1:] for c in MIDDLE], ids=[c[0] for c in MIDDLE])
def test_line_between_paragraphs(line: str, keep: bool, reason: str) -> None:
    assert classify_lines([P1, normalize_text(line), P2])[1] == Verdict(keep, reason)


def _kept(lines: list[str]) -> list[str]:
    return [line for line, v in zip(lines, classify_lines(lines), strict=True) if v.keep]


# (id, page lines, the lines kept)
PAGES = [
    (
        "fanwen_head_menus",
        [
            "工作总结",
            "职业工作总结 半年工作总结 年终工作总结 学校工作总结 公司工作总结",
            "优秀作文",
            "英文作文 满分作文 小学作文 初中作文 高中作文",
            "首页 > 范文大全 > 三号文库",
            "",
            "援疆工作总结范文",
            P1,
        ],
        ["援疆工作总结范文", P1],
    ),
    (
        "gov_breadcrumb_toolbar_meta",
        [
            "某某市人民政府门户网站",
            "首页 > 政务公开 > 工作动态",
            "我市召开对口支援工作推进会",
            "来源：市政府办公室 时间：2024-03-12 浏览次数：512",
            "【字号：大 中 小】 打印 关闭",
            P1,
            P2,
            "扫一扫在手机打开当前页",
            "主办单位：某某市人民政府办公室 网站标识码：1234000001",
            "皖ICP备05001234号",
        ],
        ["我市召开对口支援工作推进会", P1, P2],
    ),
    (
        "related_list_after_article",
        [
            "援建工作总结",
            P1,
            P2,
            "相关文章",
            "2023年对口支援工作总结",
            "援疆干部个人工作总结范文",
            "关于加强东西部协作的实施意见",
            "本类热门",
            "教师述职报告",
            "社区工作计划",
        ],
        ["援建工作总结", P1, P2],
    ),
    (
        "related_list_bulleted",
        [
            "援建工作总结",
            P1,
            "相关新闻：",
            "· 援藏干部座谈会在拉萨召开",
            "· 我省援疆项目全部开工",
            "责任编辑：赵六",
        ],
        ["援建工作总结", P1],
    ),
    (
        "empty_label_before_article_heading",
        ["范文标题[五篇材料]", "最新文章", "第一篇:对口支援工作总结", P1, "第二篇:援疆工作总结", P2],
        ["范文标题[五篇材料]", "第一篇:对口支援工作总结", P1, "第二篇:援疆工作总结", P2],
    ),
    (
        "agreement_end",
        [
            "对口帮扶协议书",
            "甲方：某某市人民政府",
            "乙方：某某县人民政府",
            P1,
            "甲方（盖章）：",
            "乙方（盖章）：",
            "2022年3月1日",
        ],
        [
            "对口帮扶协议书",
            "甲方：某某市人民政府",
            "乙方：某某县人民政府",
            P1,
            "甲方（盖章）：",
            "乙方（盖章）：",
            "2022年3月1日",
        ],
    ),
    (
        "table_kept",
        ["一、援建资金安排情况", "省份 受援地 项目数 资金", "江苏 伊犁州直 41 25", "合计 1739153 2671", P2],
        ["一、援建资金安排情况", "省份 受援地 项目数 资金", "江苏 伊犁州直 41 25", "合计 1739153 2671", P2],
    ),
]


PAGES += [
    (
        "channel_label_above_headline",
        [
            "首页 | 新闻 | 财经 | 体育 | 科技",
            "滚动新闻",
            "援建实训基地投入使用 首批学员开训",
            "来源：某某日报 作者：记者 某某",
            P1,
        ],
        ["援建实训基地投入使用 首批学员开训", P1],
    ),
    (
        "related_titles_on_one_line_then_lines",
        [
            P1,
            "更多相关范文",
            "援疆工作总结 援藏工作总结 援青工作总结 援建心得体会",
            "扶贫工作总结",
            "本文链接：某某网/123.html",
        ],
        [P1],
    ),
    (
        "wechat_tail",
        [P1, "END", "往期推荐", "援疆干部的一天", "一图读懂对口支援", "阅读原文", "分享 收藏 点赞 在看"],
        [P1],
    ),
]


@pytest.mark.parametrize(("lines", "kept"), [c[1:] for c in PAGES], ids=[c[0] for c in PAGES])
def test_page_regions(lines: list[str], kept: list[str]) -> None:
    assert _kept(lines) == kept


BREADCRUMBS = [
    ("gt", "首页 > 政务公开 > 工作动态", True),
    ("fullwidth_gt", "首页＞新闻中心＞本地新闻", True),
    ("double_gt", "首页 >> 范文大全 >> 工作总结", True),
    ("prose_with_arrow", "产值由2019年的3亿元增长到2023年的5亿元，年均增长约13.6%，成效明显", False),
    ("two_parts", "首页 > 新闻", False),
    ("date_slash", "2023/05/06", False),
    ("numbers", "1/2/3", False),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in BREADCRUMBS], ids=[c[0] for c in BREADCRUMBS])
def test_is_breadcrumb(line: str, expected: bool) -> None:
    assert is_breadcrumb(line) is expected


MENUS = [
    ("nav", "首页 新闻中心 政务公开 办事服务 互动交流", True),
    ("figures_row", "合计 1739153 2671 3345", False),
    ("prose_spaces", "深圳 援建 喀什，累计投入 资金 二十亿元", False),
    ("few_items", "首页 新闻", False),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in MENUS], ids=[c[0] for c in MENUS])
def test_is_menu(line: str, expected: bool) -> None:
    assert is_menu(line) is expected


METADATA = [
    ("time_column", "时间: 2024-09-11 栏目:办公范文", True),
    ("source", "来源：人民网", True),
    ("sentence", "时间：2024年，我市完成援建项目32个。", False),
    ("long", "来源：" + "某" * 90, False),
    ("key_not_at_start_of_word", "工作时间：每周一至周五", False),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in METADATA], ids=[c[0] for c in METADATA])
def test_is_metadata(line: str, expected: bool) -> None:
    assert is_metadata(line) is expected


# (fixture in tests/fixtures/text, title, published, article titles); the clean text is <name>.clean.txt
DUMP_CASES = [
    ("province_portal", "省乡村振兴局召开东西部协作和对口支援工作调度会", "2023-11-08", [None]),
    ("news_portal", "东部某市援建的职业技能实训基地投入使用", "2024-06-18", [None]),
    (
        "fanwen_spam",
        "2023年对口援疆工作总结范文(通用3篇)",
        "2023-08-21",
        ["2023年对口援疆工作总结", "援疆干部个人工作总结", "援疆医疗队工作总结"],
    ),
    ("wechat_dump", "援疆医生的365天", "2024-03-05", [None]),
    ("broken_lines", "某某省对口支援新疆某某州工作情况报告", "2024-01-15", [None]),
    ("gov_portal", "我市召开对口支援和东西部协作工作推进会", "2023-05-06", [None]),
    ("news_dump", "援藏干部扎根雪域高原 助力当地群众增收致富", "2026-02-10", [None]),
    ("portal_banner", "自治区召开对口援疆工作座谈会", "2024-04-09", [None]),
    (
        "fanwen_compound",
        "援疆干部工作总结(精选3篇)",
        "None",
        ["援疆干部个人工作总结", "援疆工作心得体会", "援疆干部年度考核个人总结"],
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "published", "sections"), DUMP_CASES, ids=[c[0] for c in DUMP_CASES]
)
def test_dump_fixtures(name: str, title: str, published: str, sections: list[str | None]) -> None:
    doc = clean_document((DUMPS / f"{name}.txt").read_bytes(), name=f"{name}.txt")
    assert doc.text == (DUMPS / f"{name}.clean.txt").read_text(encoding="utf-8").strip()
    assert (doc.title, str(doc.published)) == (title, published)
    assert [s.title for s in doc.sections] == sections
