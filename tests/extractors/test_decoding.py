"""decoding.decode: BOMs, strict UTF-8, a confirmed declared charset, the detector, and the rejects."""

from __future__ import annotations

import codecs

import pytest

from extractors import decoding
from extractors.decoding import Decoded, decode, normalise_encoding, sniff_format, utf8_source
from extractors.errors import BadInput

ZH = "对口支援是一项重要政策。深圳市对口支援喀什地区，累计投入援建资金二十多亿元，建设了学校、医院和安居房。"
ZH_T = (
    "對口支援是一項重要政策。深圳市對口支援喀什地區，累計投入援建資金二十多億元，建設了學校、醫院和安居房。"
)
PAGE = "<html><head>{meta}<title>援建</title></head><body><p>" + ZH + "</p></body></html>"
PAGE_T = "<html><head>{meta}<title>援建</title></head><body><p>" + ZH_T + "</p></body></html>"
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'

DECODED = [
    # (id, raw bytes, file name, expected text, encoding, source_format)
    ("utf8_plain", ZH.encode("utf-8"), "a.txt", ZH, "utf-8", "text"),
    (
        "utf8_lying_gb2312_meta",
        PAGE.format(meta=GB2312_META).encode("utf-8"),
        "a.html",
        PAGE.format(meta=GB2312_META),
        "utf-8",
        "html",
    ),
    (
        "gbk_declared_gb2312",
        PAGE.format(meta=GB2312_META).encode("gbk"),
        "a.html",
        PAGE.format(meta=GB2312_META),
        "gb18030",
        "html",
    ),
    (
        "gbk_without_meta",
        PAGE.format(meta="").encode("gbk"),
        "a.htm",
        PAGE.format(meta=""),
        "gb18030",
        "html",
    ),
    ("gbk_text_file", ZH.encode("gbk"), "report.txt", ZH, "gb18030", "text"),
    ("gb18030_rare_char", ("㐀" + ZH).encode("gb18030"), "a.txt", "㐀" + ZH, "gb18030", "text"),
    (
        "big5_declared",
        PAGE_T.format(meta='<meta charset="big5">').encode("big5"),
        "a.html",
        PAGE_T.format(meta='<meta charset="big5">'),
        "big5",
        "html",
    ),
    ("big5_without_meta", ZH_T.encode("big5"), "a.txt", ZH_T, "big5", "text"),
    ("utf8_bom", codecs.BOM_UTF8 + ZH.encode("utf-8"), "a.txt", ZH, "utf-8", "text"),
    ("utf16_le_bom", codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"), "a.txt", ZH, "utf-16", "text"),
    ("utf16_be_bom", codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "a.txt", ZH, "utf-16", "text"),
    ("utf16_le_no_bom", ("Report " + ZH).encode("utf-16-le"), "a.txt", "Report " + ZH, "utf-16", "text"),
    ("utf32_bom", codecs.BOM_UTF32_LE + ZH.encode("utf-32-le"), "a.txt", ZH, "utf-32", "text"),
    (
        "html_sniffed_without_suffix",
        PAGE.format(meta="").encode("utf-8"),
        "page.dat",
        PAGE.format(meta=""),
        "utf-8",
        "html",
    ),
    (
        "text_mentioning_a_tag",
        ("正文里提到<p>标签。" + ZH).encode("utf-8"),
        "a.txt",
        "正文里提到<p>标签。" + ZH,
        "utf-8",
        "text",
    ),
]


@pytest.mark.parametrize(
    ("raw", "name", "text", "encoding", "fmt"), [c[1:] for c in DECODED], ids=[c[0] for c in DECODED]
)
def test_decode(raw: bytes, name: str, text: str, encoding: str, fmt: str) -> None:
    assert decode(raw, name=name) == Decoded(text=text, encoding=encoding, source_format=fmt)


REJECTED = [
    # (id, raw bytes, file name, reason)
    ("zero_bytes", b"", "a.html", "empty"),
    ("whitespace_only", b" \r\n\t  \n", "a.txt", "empty"),
    ("utf16_whitespace_only", codecs.BOM_UTF16_LE + "\u3000 \n".encode("utf-16-le"), "a.txt", "empty"),
    ("png_as_html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "a.html", "binary"),
    ("jpeg_as_html", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), "a.html", "binary"),
    ("gif", b"GIF89a" + bytes(32), "a.html", "binary"),
    ("pdf_as_html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a.html", "binary"),
    ("zip_as_html", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "a.html", "binary"),
    ("gzip", b"\x1f\x8b\x08\x00" + bytes(20), "a.txt", "binary"),
    ("elf_as_html", b"\x7fELF\x02\x01\x01\x00" + bytes(56), "a.html", "binary"),
    ("nul_laden_ascii", b"abc\x00def\x00" * 40, "a.txt", "binary"),
    ("control_chars", ("正文" + "\x01\x02\x03\x04" * 10 + "结束").encode("utf-8"), "a.txt", "binary"),
    ("control_chars_bom", codecs.BOM_UTF8 + ("正文" + "\x1f\x7f" * 20).encode("utf-8"), "a.txt", "binary"),
    ("latin1_high_bytes_garbage", bytes(range(0x80, 0x100)) * 4, "a.txt", "undecodable"),
    (
        "mixed_utf8_gbk_big5",
        ZH.encode("utf-8")[:60] + ZH.encode("gbk")[:60] + ZH_T.encode("big5")[:60],
        "a.txt",
        "undecodable",
    ),
]


@pytest.mark.parametrize(("raw", "name", "reason"), [c[1:] for c in REJECTED], ids=[c[0] for c in REJECTED])
def test_decode_rejects(raw: bytes, name: str, reason: str) -> None:
    with pytest.raises(BadInput) as info:
        decode(raw, name=name)
    assert info.value.reason == reason
    assert info.value.detail  # a human-readable message naming what is wrong


@pytest.mark.parametrize(
    "text",
    ["", "正文\t\n\r\x0b\x0c结束", "\x00\x08\x0e\x1f\x7f\x80\x9f", "中\x01文\x1b[0m" * 3, ZH + "\ufeff\x7f"],
)
def test_control_count_on_utf8_bytes_matches_the_text(text: str) -> None:
    """The byte count that spares the regex scan agrees with the regex on the decoded text."""
    raw, want = text.encode("utf-8"), len(decoding._CONTROL.findall(text))
    assert decoding._count_controls(raw, text, "utf-8") == want
    assert decoding._count_controls(codecs.BOM_UTF8 + raw, text, "utf-8") == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("<p>正文</p>".encode(), "<p>正文</p>".encode()),
        (codecs.BOM_UTF8 + "<p>正文</p>".encode(), "<p>正文</p>".encode()),
        ("<p>正文</p>".encode("gb18030"), None),
        (codecs.BOM_UTF16_LE + "<p>正文</p>".encode("utf-16-le"), None),
    ],
    ids=["utf8", "utf8_bom", "gb18030", "utf16"],
)
def test_utf8_source_is_what_decodes_to_the_text(raw: bytes, want: bytes | None) -> None:
    decoded = decode(raw, name="a.html")
    got = utf8_source(raw, decoded)
    assert got == want
    assert got is None or got.decode("utf-8") == decoded.text


def test_bad_input_detail_names_the_format() -> None:
    with pytest.raises(BadInput, match="PDF"):
        decode(b"%PDF-1.4 ...", name="report.html")


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("GB18030", "gb18030"),
        ("UTF8", "utf-8"),
        ("utf-8", "utf-8"),
        ("Big5", "big5"),
        ("big5-hkscs", "big5hkscs"),
        ("no-such-charset", None),
    ],
    ids=["gb2312", "gbk", "x-gbk", "gb18030", "utf8", "utf-8", "big5", "big5hkscs", "unknown"],
)
def test_normalise_encoding(label: str, codec: str | None) -> None:
    assert normalise_encoding(label) == codec


@pytest.mark.parametrize(
    ("text", "name", "fmt"),
    [
        ("plain", "a.HTML", "html"),
        ("plain", "a.xhtml", "html"),
        ("<!DOCTYPE html><p>x</p>", "a.txt", "html"),
        ("  <html><body>x</body></html>", "a", "html"),
        ("<div><p>一</p><p>二</p><br><p>三</p><span>四</span></div>", "a", "html"),
        ("报告正文，没有标签。", "a.txt", "text"),
        ("公式 a<b 和 c>d 不是标签。", "a.txt", "text"),
    ],
    ids=["suffix_html", "suffix_xhtml", "doctype", "html_tag", "tag_density", "plain_text", "angle_brackets"],
)
def test_sniff_format(text: str, name: str, fmt: str) -> None:
    assert sniff_format(text, name) == fmt
