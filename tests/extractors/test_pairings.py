"""pairings.find_pairings: one case per construction, exact (supporter, recipient, relation) rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pairings import _HAN_RUN, _org_suffixes, find_pairings
from extractors.pipeline import make_doc
from extractors.sentences import find_sentences
from extractors.spans import Doc, Section

CASES_TSV = Path(__file__).resolve().parent / "cases" / "pairings.tsv"
ADMIN_KINDS = ("province", "prefecture", "county")


def _doc(text: str, sections: tuple[Section, ...] = ()) -> Doc:
    secs = sections or (Section(0, len(text), 1),)
    return Doc(text, find_sentences(text, secs), secs)


def _rows(text: str) -> list[tuple[str, str, str]]:
    return [(p.supporter.written, p.recipient.written, p.relation) for p in find_pairings(_doc(text))]


CASES = [
    # (id, text, expected rows)
    ("cue", "广东省对口援建汶川县,三年投入资金。", [("广东省", "汶川县", "对口援建")]),
    ("cue_by", "由北京市对口支援拉萨市。", [("北京市", "拉萨市", "对口支援")]),
    ("one_to_many", "北京支援内蒙古、宁夏。", [("北京", "内蒙古", "支援"), ("北京", "宁夏", "支援")]),
    (
        "many_to_many",
        "山东、江苏支援青海、甘肃。",
        [
            ("山东", "青海", "支援"),
            ("山东", "甘肃", "支援"),
            ("江苏", "青海", "支援"),
            ("江苏", "甘肃", "支援"),
        ],
    ),
    (
        "respectively",
        "湖南省、湖北省分别对口支援重庆市万州区、巫山县。",
        [("湖南省", "万州区", "对口支援"), ("湖北省", "巫山县", "对口支援")],
    ),
    (
        "several_clauses",
        "山东省援建北川县,江苏省援建绵竹市,全国支援西藏。",
        [("山东省", "北川县", "援建"), ("江苏省", "绵竹市", "援建")],
    ),
    (
        "colon_context_prefecture",
        "上海市:对口支援日喀则地区的拉孜县、定日县",
        [("上海市", "拉孜县", "对口支援"), ("上海市", "定日县", "对口支援")],
    ),
    ("colon_count_after_de", "广东省:对口支援林芝市的1区6县", [("广东省", "林芝市", "对口支援")]),
    (
        "comma_inside_list",
        "江苏省:对口支援拉萨市达孜区,日喀则市谢通门县",
        [("江苏省", "达孜区", "对口支援"), ("江苏省", "谢通门县", "对口支援")],
    ),
    (
        "corps_division",
        "天津市:对口支援新疆生产建设兵团第十二师",
        [("天津市", "新疆生产建设兵团第十二师", "对口支援")],
    ),
    ("corps_city", "浙江省:对口支援兵团农一师的阿拉尔市", [("浙江省", "阿拉尔市", "对口支援")]),
    ("possessive", "比如江苏对陕西的支援持续多年。", [("江苏", "陕西", "支援")]),
    ("subject_opens_clause", "上海派出干部和技术人员支援云南建设。", [("上海", "云南", "支援")]),
    ("command_post", "考察团赴四川省汶川县广东援建指挥部调研。", [("广东", "汶川县", "援建")]),
    ("help", "天津市对口帮扶甘肃省,落实资金。", [("天津市", "甘肃省", "对口帮扶")]),
    ("pair_help", "宁波市与丽水市结对帮扶。", [("宁波市", "丽水市", "结对帮扶")]),
    ("shanhai_oriented", "丽水市与宁波市深化山海协作。", [("宁波市", "丽水市", "山海协作")]),
    ("east_west", "浙江省与四川省开展东西部协作。", [("浙江省", "四川省", "东西部协作")]),
    ("east_west_abbreviation", "闽宁协作成效显著。", [("福建省", "宁夏回族自治区", "东西部协作")]),
    (
        "universities",
        "北京大学、清华大学分别对口支援石河子大学、青海大学(青海省)。",
        [("北京大学", "石河子大学", "对口支援"), ("清华大学", "青海大学", "对口支援")],
    ),
    (
        "hospitals",
        "四川大学华西医院对口帮扶甘孜州人民医院。",
        [("四川大学华西医院", "甘孜州人民医院", "对口帮扶")],
    ),
    (
        "agreement",
        "对口支援协议书\n甲方(支援方):郑州市中心医院\n乙方(受援方):登封市卫生院\n一、甲方派出专家。",
        [("郑州市中心医院", "登封市卫生院", "协议")],
    ),
    (
        "dispatch",
        "由上海、江苏2省市选派到西藏工作的援藏干部陆续进藏。",
        [("上海", "西藏", "支援"), ("江苏", "西藏", "支援")],
    ),
    # negatives
    ("count_supporter", "22个兄弟省市对口支援新疆。", []),
    ("whole_supporter", "全国支援西藏,中央支援青海。", []),
    ("central_funding", "中央对西藏的财政拨款逐年增加。", []),
    ("unnamed_party", "积极申请上级医院给予技术援助和对口支援。", []),
    ("unnamed_hospitals", "县医院对口支援乡镇卫生院。", []),
    ("company_settles", "一批名牌企业落户喀什地区。", []),
    ("projects_not_parties", "确定由北京、天津等2市支援43个建设项目。", []),
    ("grade_not_org", "很难与正厅级的对口支援前方指挥部衔接。", []),
    ("township_not_city", "将淳安县安阳乡培育为山海协作示范村。", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_constructions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _rows(text) == expected


TABLES = [
    (
        "concatenated_columns",
        "表1 结对关系\n支援方受援方\n拉萨市\n北京城关区、堆龙德庆区\n江苏达孜区\n上海、山东日喀则市42.5\n"
        "其他说明文字,不是表格。",
        [
            ("北京", "城关区", "表格"),
            ("北京", "堆龙德庆区", "表格"),
            ("江苏", "达孜区", "表格"),
            ("上海", "日喀则市", "表格"),
            ("山东", "日喀则市", "表格"),
        ],
    ),
    (
        "space_columns",
        "支援方 受援方 资金(万元)\n杭州市 恩施土家族苗族自治州 1200\n宁波市 黔西南布依族苗族自治州 800",
        [("杭州市", "恩施土家族苗族自治州", "表格"), ("宁波市", "黔西南布依族苗族自治州", "表格")],
    ),
    (
        "name_broken_across_lines",
        "支援方受援方\n吉林、黑\n\n龙江阿勒泰地区12\n福建昌吉回族自治\n\n州阜康市",
        [("吉林", "阿勒泰地区", "表格"), ("黑龙江", "阿勒泰地区", "表格"), ("福建", "阜康市", "表格")],
    ),
    (  # a clause stop in a bracketed note is still a row; one outside brackets ends the table
        "stops_in_brackets",
        "支援方 受援方\n北京市 和田地区(含民丰，于田)\n天津市 策勒县(一市。二县)、于田县\n"
        "上海市 喀什地区，莎车县\n广东省 喀什地区",
        [("北京市", "和田地区", "表格"), ("天津市", "策勒县", "表格"), ("天津市", "于田县", "表格")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [t[1:] for t in TABLES], ids=[t[0] for t in TABLES])
def test_tables(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _rows(text) == expected


def test_canonical_names_and_codes() -> None:
    [row] = find_pairings(_doc("深圳对口支援塔县。"))
    assert (row.supporter.name, row.supporter.kind, row.supporter.code) == ("深圳市", "prefecture", "440300")
    assert (row.recipient.name, row.recipient.kind, row.recipient.code) == (
        "塔什库尔干塔吉克自治县",
        "county",
        "653131",
    )
    assert row.rule == "cue"


def test_reporting_body_is_resolved_from_the_section() -> None:
    text = "考察团赴汶川县杭州援建指挥部。\n今年,我市落实资金。其中,对口支援四川南充。"
    rows = find_pairings(_doc(text))
    assert [(p.supporter.written, p.recipient.written, p.rule) for p in rows] == [
        ("杭州", "汶川县", "command_post"),
        ("杭州", "南充", "reporting_body"),
    ]


def test_reporting_body_unresolved_when_ambiguous() -> None:
    text = "杭州援建汶川县,宁波援建青川县。\n我市对口支援四川南充。"
    assert [p.recipient.written for p in find_pairings(_doc(text))] == ["汶川县", "青川县"]


def test_duplicates_are_dropped() -> None:
    assert _rows("北京支援内蒙古。北京支援内蒙古。") == [("北京", "内蒙古", "支援")]


def test_offsets_point_at_the_evidence() -> None:
    text = "前言一段。\n  广东省对口援建汶川县。\n支援方受援方\n吉林、黑\n\n龙江阿勒泰地区\n"
    doc = _doc(text)
    rows = find_pairings(doc)
    assert len(rows) == 3
    for p in rows:
        evidence = text[p.char_start : p.char_end]
        assert evidence == evidence.strip()
        assert p.supporter.written.replace("\n", "") in evidence.replace("\n", "")
        assert p.recipient.written in evidence.replace("\n", "")
    evidence = {p.relation: text[p.char_start : p.char_end] for p in rows}
    assert evidence == {"对口援建": "广东省对口援建汶川县。", "表格": "吉林、黑\n\n龙江阿勒泰地区"}


def test_sections_are_separate() -> None:
    text = "第一篇\n我市落实资金。\n第二篇\n杭州援建汶川县。"
    secs = (Section(0, 13, 1), Section(13, len(text), 2))
    rows = find_pairings(_doc(text, secs))
    assert [(p.supporter.written, p.recipient.written) for p in rows] == [("杭州", "汶川县")]


# ---------------------------------------------------------------- the big case table (cases/pairings.tsv)


def _tsv_cases() -> list[tuple[str, str, list[tuple[str, str, str]], tuple[int, int] | None]]:
    out = []
    for line in CASES_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        expected = [] if cells[2] == "-" else [tuple(row.split(">")) for row in cells[2].split("|")]
        years = tuple(int(y) for y in cells[3].split("-")) if len(cells) > 3 else None
        out.append((cells[0], cells[1].replace("\\n", "\n"), expected, years))
    return out


TSV = _tsv_cases()


@pytest.mark.parametrize(("text", "expected", "years"), [c[1:] for c in TSV], ids=[c[0] for c in TSV])
def test_case_table(
    text: str, expected: list[tuple[str, str, str]], years: tuple[int, int] | None
) -> None:
    rows = find_pairings(make_doc(text, ()))
    assert sorted((p.supporter.name, p.recipient.name, p.relation) for p in rows) == sorted(expected)
    for p in rows:
        for party in (p.supporter, p.recipient):
            assert party.kind not in ADMIN_KINDS or party.code, party
        if years:
            assert (p.year_start, p.year_end) == years


def test_case_table_is_big() -> None:
    assert len(TSV) >= 80
    assert sum(1 for c in TSV if not c[2]) >= 15  # negatives


def test_org_suffixes_are_hanzi() -> None:
    """_org_items takes a span's suffix matches run by run, so no suffix may reach out of a run."""
    assert all(_HAN_RUN.fullmatch(suffix) for suffix, _ in _org_suffixes())
