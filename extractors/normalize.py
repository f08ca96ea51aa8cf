"""Character normalisation and the repair of lines a scrape broke inside a sentence or a name.

Traditional -> Simplified uses OpenCC's phrase tables (offline); it is applied only to
text that is mostly Traditional, since t2s is not the identity on every Simplified
character. Full-width ASCII forms (U+FF01-FF5E) and the ideographic space fold to
ASCII; Chinese punctuation such as 。、“” is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from operator import ne

from .patterns import phrase_alternation
from .resources import load_lines, load_tsv
from .settings import DEFAULT, Settings

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000]")  # the keys of _FULLWIDTH
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DIFF_CHUNK = 128  # chars compared at once when counting what t2s changed; most chunks are equal

# a line that ends a sentence, a clause list item or a heading cleanly
_CLEAN_END = frozenset("。！？!?；;…”’」』》")  # the last char of a stripped line
# a photo caption's credit ("记者 王某 摄", "某某供图"): the caption ends there, the next line is a paragraph
_CREDIT_END = re.compile(r"(?:(?:记者|通讯员|摄影)\s*\S{1,12}\s*摄|\s摄|供图|摄影)[)）]?$")
# a line that continues the previous one mid-word or mid-list
_NO_LINE_START = frozenset("、，,；;：:。)）”’")  # punctuation that closes or continues, never opens
_LIST_END = frozenset("、，,：:(（“《")  # a line ending in one continues on the next
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]{1,4}[篇章节部分条]|[一二三四五六七八九十]{1,3}[、.．]|"
    r"[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)|[●■◆▲★☆○◎【\[]|[甲乙丙丁]方|"
    r"[一二三四五六七八九十]是(?=[\u4e00-\u9fff]))"
)
_KEY_COLON = re.compile(r"^[\u4e00-\u9fff]{2,12}[:：]")
_PROSE = re.compile(r"[，,。；;：:]")  # a line holding these is prose, not a heading or a table row
_BROKEN_NAME = re.compile(r"、[^、]{1,2}$")  # "吉林、黑" + "龙江…": a list item cut inside a name


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold_width(text: str) -> str:
    # str.translate looks every character up in the table; replacing the few distinct
    # full-width characters present is the same mapping (their targets are ASCII) and much cheaper
    for ch in set(_FOLDABLE.findall(text)):
        text = text.replace(ch, chr(_FULLWIDTH[ord(ch)]))
    return text


def to_simplified(text: str, *, settings: Settings = DEFAULT) -> str:
    """Convert when a real share of the Chinese characters is Traditional."""
    if not _CJK.search(text):
        return text
    converted = _t2s().convert(text)
    if converted == text or len(converted) != len(text):
        return text  # phrase tables never change length for zh; refuse a surprise
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    return converted if _n_changed(text, converted) / cjk >= settings.traditional_min_share else text


def _n_changed(a: str, b: str) -> int:
    """Positions where two equally long strings differ; t2s changes few chars of a Simplified text,
    so comparing chunk by chunk skips nearly all of it."""
    n = 0
    for i in range(0, len(a), _DIFF_CHUNK):
        x, y = a[i : i + _DIFF_CHUNK], b[i : i + _DIFF_CHUNK]
        if x != y:
            n += sum(map(ne, x, y))
    return n


def normalize_text(text: str, *, settings: Settings = DEFAULT) -> str:
    return to_simplified(fold_width(text), settings=settings)


def is_heading(line: str, settings: Settings = DEFAULT) -> bool:
    """Headings and list items start with a marker and hold no full sentence, or are short."""
    s = line.strip()
    if _HEADING.match(s):
        return len(s) <= settings.heading_max_chars or "。" not in s
    return False


@lru_cache(maxsize=1)
def _header_words() -> dict[str, tuple[str, ...]]:
    rows = load_tsv("table_headers.tsv")
    return {role: tuple(r[1] for r in rows if r[0] == role) for role in ("supporter", "recipient")}


@lru_cache(maxsize=1)
def _header_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One alternation per role: a single scan of the line instead of one `in` per header word."""
    words = _header_words()
    roles = ("supporter", "recipient")
    supporter, recipient = (phrase_alternation(words[r]) for r in roles)
    return supporter, recipient


def is_table_header(line: str) -> bool:
    """A 支援方 … 受援方 column header of a pairing table (flattened into text or not)."""
    supporter, recipient = _header_res()
    return bool(supporter.search(line)) and bool(recipient.search(line))


def header_role(line: str) -> str | None:
    """'supporter' or 'recipient' when the line is one column header alone (a table printed a cell a line)."""
    s = line.strip()
    return next((role for role, words in _header_words().items() if s in words), None)


def recipients_first(line: str) -> bool:
    """A header whose recipient column comes first (受援方 | 支援方): its rows read recipient, supporters."""
    words = _header_words()
    first = {role: min((i for w in words[role] if (i := line.find(w)) >= 0), default=-1) for role in words}
    return 0 <= first["recipient"] < first["supporter"]


def should_join(prev: str, nxt: str, *, settings: Settings = DEFAULT) -> bool:
    """Does `nxt` continue the sentence (or name) that `prev` broke off?"""
    a, b = prev.strip(), nxt.strip()
    if not a or not b:
        return False
    # `a` is the line built so far and grows as lines join: the tests below read its end, or stop
    # at its first clause mark, rather than scan all of it once per joined line
    if any(not _PROSE.search(x) and is_table_header(x) for x in (a, b)):
        return False  # "…如下表:" / "支援方受援方资金(万元)" / "济南…": the header stands alone
    if b[0] in _NO_LINE_START:  # "、玉树州藏医院…": no line opens with a comma, the break cut a list
        return True
    if a[-1] in _CLEAN_END or _credit_end(a) or _HEADING.match(b) or _KEY_COLON.match(b):
        return False
    if is_heading(a, settings) and "。" not in a:
        return False
    if a[-1] in _LIST_END or _BROKEN_NAME.search(a, len(a) - 3):
        return True
    # only prose breaks mid-sentence; short lines and lines without clause punctuation
    # are titles, headings and table rows that end cleanly, unless the break cuts a word
    # ("…西藏工作会" + "议决定,…") and the next line is prose
    if len(a) < settings.rejoin_min_chars or not _PROSE.search(a):
        return _cuts_word(a, b, settings) and bool(_PROSE.search(b) or b[-1] in _CLEAN_END)
    if a[-1].isascii() and a[-1].isalnum():
        # after a number only its unit continues it; a new field or paragraph does not
        return b[0] in _number_units() or b[0].isdigit()
    return bool(_CJK.match(b) or b[0].isdigit() or b[0] in "“《(（")


def _credit_end(line: str) -> bool:
    """`_CREDIT_END` matches: it is tried only when the line ends as every credit does (摄, 图 or 影,
    then at most one closing paren), since a search for a pattern anchored at the end reads the
    whole line."""
    last = line[-2] if line[-1] in ")）" and len(line) > 1 else line[-1]
    return last in "摄图影" and bool(_CREDIT_END.search(line))


def _cuts_word(a: str, b: str, settings: Settings) -> bool:
    """Does the dictionary segmenter read one word across the break ("自治" + "州" -> 自治州)?"""
    if not (_CJK.match(a[-1]) and _CJK.match(b[0])):
        return False
    from .tokens import get_tagger  # jieba's dictionary loads once, only when a break is in doubt

    left = a[-settings.rejoin_word_window :]
    pos = 0
    for word, _ in get_tagger()(left + b[: settings.rejoin_word_window]):
        if pos < len(left) < pos + len(word) and len(_CJK.findall(word)) == len(word):
            return True
        pos += len(word)
    return False


@lru_cache(maxsize=1)
def _number_units() -> frozenset[str]:
    return frozenset(load_lines("number_units.txt"))


_OPEN_END = re.compile(r"[，,、：:]$")


def rejoin_blocks(blocks: Sequence[str], *, settings: Settings = DEFAULT) -> list[str]:
    """HTML blocks end where the page put a tag (headline, subhead, caption, code line), so only a block
    left open by a comma or colon ("英国《泰晤士报》：" + "蓬勃发展的武汉…") continues into the next."""
    out: list[str] = []
    for block in blocks:
        s = block.strip()
        if not s:
            continue
        if out and _OPEN_END.search(out[-1]) and should_join(out[-1], s, settings=settings):
            out[-1] = out[-1] + s
        else:
            out.append(s)
    return out


def rejoin(lines: Sequence[str], *, settings: Settings = DEFAULT) -> list[str]:
    """Merge each line into the previous one when it continues it; blank lines never separate."""
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if out and should_join(out[-1], s, settings=settings):
            out[-1] = out[-1] + s
        else:
            out.append(s)
    return out
