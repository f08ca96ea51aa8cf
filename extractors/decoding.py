"""Raw bytes -> text, refusing to guess: BOM, strict UTF-8, a confirmed declared charset, then a detector.

Nothing here decodes with errors="replace": a file no strict decode accepts is rejected as
`undecodable` (trafilatura's `decode_file` is the counter-example). The encoding that worked is
recorded under one normalised name (`utf-8`, `gb18030`, `big5`, `utf-16`, ...).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from . import resources
from .errors import BadInput
from .settings import DEFAULT, Settings
from .spans import SourceFormat

# BOMs, longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml")
_SNIFF_BYTES = 4096  # declarations and doctypes sit at the top of a page
_SNIFF_CHARS = 65536

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_WHITESPACE_BYTES = b" \t\r\n\f\v"
_DOUBLE_BYTE_PROBE = b"\xa4\xa4"  # one char in GBK, Big5, EUC-*; two in single-byte codecs
# C0 controls other than tab, newline, vertical tab, form feed, carriage return; plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_SOLID_BYTE = re.compile(rb"[^ \t\r\n\f\v]")  # first byte outside _WHITESPACE_BYTES
_BLANK_CHARS = "\ufeff \t\r\n\f\v\u3000"
# Text, Chinese text and its punctuation: what a UTF-16 file without a BOM must mostly decode to.
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u00b7\u2010-\u2027\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Spaces, breaks, punctuation: real text has some; ASCII misread as UTF-16 becomes CJK without any.
_SEPARATOR = re.compile(r"[\s,.;:!?\u3000-\u303f\uff01-\uff1f]")
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]*>", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|table|tr|td|a|li|ul|h[1-6]|img|font|strong|meta|title)\b[^>]*>", re.I
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text of one raw input, with the encoding that decoded it strictly."""

    text: str
    encoding: str
    source_format: SourceFormat


@lru_cache(maxsize=1)
def _magic() -> tuple[tuple[bytes, str], ...]:
    return tuple((bytes.fromhex(hexsig), fmt) for hexsig, fmt in resources.load_tsv("binary_magic.tsv"))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {label.lower(): codec for label, codec in resources.load_tsv("charset_aliases.tsv")}


@lru_cache(maxsize=1)
def _preferred() -> frozenset[str]:
    return frozenset(resources.load_lines("preferred_encodings.txt"))


def normalise_encoding(label: str) -> str | None:
    """The codec name we decode with and record for a charset label, or None if Python has no such codec."""
    key = label.strip().lower()
    alias = _aliases().get(key)
    if alias:
        return alias
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return _aliases().get(name, name)


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _check_magic(raw: bytes) -> None:
    for sig, fmt in _magic():
        if raw.startswith(sig):
            raise BadInput("binary", f"content starts with the signature of a {fmt}")


def _utf16_without_bom(raw: bytes, settings: Settings) -> tuple[str, str] | None:
    """NULs may be UTF-16 without a BOM: accept the byte order whose strict decode is mostly text/CJK."""
    if len(raw) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict(raw, codec)
        if not text or len(_PLAUSIBLE.findall(text)) < settings.min_utf16_plausible_share * len(text):
            continue
        if len(_SEPARATOR.findall(text)) >= settings.min_utf16_separator_share * len(text):
            return text, "utf-16"
    return None


def _declared(raw: bytes) -> str | None:
    head = raw[:_SNIFF_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    return normalise_encoding(m.group(1).decode("ascii", "ignore"))


@lru_cache(maxsize=64)
def _is_single_byte(codec: str) -> bool:
    """Latin-1-like codecs turn any two high bytes into two chars, so a strict decode confirms nothing."""
    try:
        return len(_DOUBLE_BYTE_PROBE.decode(codec, "ignore")) == len(_DOUBLE_BYTE_PROBE)
    except LookupError:
        return False


def _detect(raw: bytes, settings: Settings) -> tuple[str, str] | None:
    """charset-normalizer's candidates, a Chinese codec first; each must be tidy (low chaos) and strict."""
    from charset_normalizer import from_bytes

    tidy: list[str] = []
    for match in from_bytes(raw):
        codec = normalise_encoding(match.encoding) if match.encoding else None
        if codec is not None and match.chaos <= settings.max_detector_chaos and codec not in tidy:
            tidy.append(codec)
    preferred = _preferred()
    ranked = [c for c in tidy if c in preferred] + [c for c in tidy if c not in preferred]
    for codec in ranked:
        text = _strict(raw, codec)
        if text is not None:
            return text, codec
    return None


def _decode_text(raw: bytes, settings: Settings) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            text = _strict(raw[len(bom) :], codec)
            if text is not None:
                return text, name
    nuls = raw.count(0) if 0 in raw else 0  # `in` is a memchr: most inputs hold no NUL
    if nuls > settings.max_nul_ratio * len(raw):
        utf16 = _utf16_without_bom(raw, settings)
        if utf16 is not None:
            return utf16
        raise BadInput("binary", f"{nuls} NUL bytes in {len(raw)} bytes")
    text = _strict(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    declared = _declared(raw)
    if declared and declared != "utf-8" and not _is_single_byte(declared):
        text = _strict(raw, declared)
        if text is not None:
            return text, declared
    detected = _detect(raw, settings)
    if detected is not None:
        return detected
    if declared and _is_single_byte(declared):
        text = _strict(raw, declared)
        if text is not None:
            return text, declared
    hint = f" (declared {declared}, which does not decode it)" if declared else ""
    raise BadInput("undecodable", f"not UTF-8 and no charset decodes it strictly{hint}")


def sniff_format(text: str, name: str, settings: Settings = DEFAULT) -> SourceFormat:
    """HTML by file name, or by a doctype/<html>/<body> start, or by a density of common tags."""
    if name.lower().endswith(_HTML_SUFFIXES):
        return "html"
    head = text[:_SNIFF_CHARS]
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(head):
        return "html"
    n_tags = sum(1 for _ in _HTML_TAG.finditer(head))
    dense = n_tags * settings.max_chars_per_html_tag >= len(head)
    return "html" if n_tags >= settings.min_html_tags and dense else "text"


def _blank(text: str) -> bool:
    """Nothing but white space, BOMs and ideographic spaces; the common page (starting with a character
    outside them) is answered without copying the text."""
    if text[:1] and text[0] not in _BLANK_CHARS:
        return False
    return not text.strip() or text.strip(_BLANK_CHARS) == ""


def _count_controls(raw: bytes, text: str, encoding: str) -> int:
    """`_CONTROL` matches in `text`. Strict UTF-8 decodes each byte below 0x80 to that very character and
    every other byte into characters above U+007F, so the raw bytes (BOM or not) hold the same count, and
    counting bytes by `translate` is several times faster than the regex over the text."""
    if encoding == "utf-8":
        return len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    return len(_CONTROL.findall(text))


def utf8_source(raw: bytes, decoded: Decoded) -> bytes | None:
    """The bytes whose strict UTF-8 decoding is `decoded.text` (raw without its BOM), or None when
    another codec decoded it: a parser may read them instead of the text."""
    if decoded.encoding != "utf-8":
        return None
    return raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw


def decode(raw: bytes, *, name: str, settings: Settings = DEFAULT) -> Decoded:
    """Decode one raw input strictly or raise BadInput('empty' | 'binary' | 'undecodable')."""
    if _SOLID_BYTE.search(raw) is None:  # raw.strip(_WHITESPACE_BYTES) is empty, without copying raw
        raise BadInput("empty", "the file has no bytes" if not raw else "the file holds only whitespace")
    _check_magic(raw)
    text, encoding = _decode_text(raw, settings)
    if _blank(text):
        raise BadInput("empty", f"the file holds only whitespace ({encoding})")
    n_control = _count_controls(raw, text, encoding)
    if n_control > settings.max_control_ratio * len(text):
        raise BadInput("binary", f"{n_control} control characters in {len(text)} characters ({encoding})")
    return Decoded(text=text, encoding=encoding, source_format=sniff_format(text, name, settings))
