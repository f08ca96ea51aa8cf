"""Keep or drop each line of a page dump: site furniture out, every article in.

Built for Chinese page dumps: a line's length in characters, its sentence punctuation,
menus of many short space-separated items, breadcrumbs, key-value metadata lines,
paging and related-link labels, footers. Context matters: short labels inside the
navigation head of a page go with the menus, and the short title lines that follow a
related-links label are links, while a short line between paragraphs is a heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .patterns import phrase_alternation
from .resources import load_lines
from .settings import DEFAULT, Settings

_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,、：:“”]")
_TERMINAL = re.compile(r"[。！？!?…”’」』)）]$")
_BREADCRUMB_SEP = re.compile(r"\s*(?:>|＞|»|›|→|/|>>)\s*")
_BREADCRUMB_CHAR = re.compile(r"[>＞»›→/]")  # where _BREADCRUMB_SEP can match
_BULLET = re.compile(r"^[•·●◆■□▪▶►\-*]\s*")
_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/.年])\s*\d{1,2}\s*(?:[-/.月])\s*\d{1,2}")
_KV_SEP = r"\s*[:：]\s*"
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_STOP = re.compile(r"[。！？!?]")
_FULL_STOP = re.compile(r"[。！？]")
_COLUMN_LABEL = re.compile(r"[【\[]?\S{1,10}[】\]]?栏目")


@dataclass(frozen=True, slots=True)
class Verdict:
    keep: bool
    reason: str


@lru_cache(maxsize=1)
def _phrase_re() -> re.Pattern[str]:
    phrases = sorted(load_lines("boilerplate_phrases.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(p) for p in phrases)
    # the phrase alone, or followed by a separator and a value ("上一篇:…", "责任编辑：…")
    # a credit may stand in brackets: "(责任编辑:某某)"
    return re.compile(rf"^(?:[【(（]\s*)?(?:{alt})(?:\s*[】)）])?(?:\s*$|\s*[:：|｜/]|\s+\S)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _meta_re() -> re.Pattern[str]:
    keys = sorted(load_lines("metadata_keys.txt"), key=len, reverse=True)
    return re.compile(rf"(?:^|\s)(?:{'|'.join(map(re.escape, keys))}){_KV_SEP}\S")


@lru_cache(maxsize=1)
def _footer_re() -> re.Pattern[str]:
    return phrase_alternation(load_lines("footer_phrases.txt"), re.IGNORECASE)


@lru_cache(maxsize=1)
def _site_re() -> re.Pattern[str]:
    ends = sorted(load_lines("site_suffixes.txt"), key=len, reverse=True)
    return re.compile(rf"^\S{{2,12}}(?:{'|'.join(map(re.escape, ends))})$")


def is_menu(line: str, settings: Settings = DEFAULT) -> bool:
    """Many short space-separated items and no sentence punctuation: a navigation menu."""
    items = line.split()
    if len(items) < settings.menu_min_items:
        return False
    if _SENTENCE_PUNCT.search(line) or any(_NUMBER.fullmatch(i) for i in items):
        return False  # a table row of figures is not a menu
    return sum(len(i) for i in items) / len(items) <= settings.menu_max_item_chars


def is_breadcrumb(line: str) -> bool:
    """首页 > 政务公开 > 工作动态: three or more short named parts (never a date such as 2023/05/06)."""
    if not _BREADCRUMB_CHAR.search(line):
        return False  # no separator, and most lines have none: skip the split
    parts = [p for p in _BREADCRUMB_SEP.split(line.strip()) if p]
    return (
        len(parts) >= 3
        and all(len(p) <= 12 and not _NUMBER.fullmatch(p) for p in parts)
        and bool(_BREADCRUMB_SEP.search(line))
    )


def is_footer(line: str, settings: Settings = DEFAULT) -> bool:
    """ICP numbers, copyright and site notices anywhere in a short line without a sentence stop."""
    s = line.strip()
    return len(s) <= settings.footer_max_chars and not _STOP.search(s) and bool(_footer_re().search(s))


@lru_cache(maxsize=1)
def _notice_re() -> re.Pattern[str]:
    return phrase_alternation(load_lines("site_notices.txt"), re.IGNORECASE)


def is_site_notice(line: str, settings: Settings = DEFAULT) -> bool:
    """Editor chatter, download prompts and disclaimers: short, so an article quoting one survives."""
    s = line.strip()
    return len(s) <= settings.footer_max_chars and bool(_notice_re().search(s))


def is_table_row(line: str) -> bool:
    """Space-separated cells, some of them figures, no sentence: "江苏 伊犁州直 41 25"."""
    items = line.split()
    return len(items) >= 2 and not _SENTENCE_PUNCT.search(line) and any(_NUMBER.fullmatch(i) for i in items)


_DATETIME = re.compile(_DATE.pattern + r"\s*日?\s*\d{1,2}\s*[:：时]\s*\d{2}")
_CLAUSE = re.compile(r"[。！？!?；;，,]")


def is_metadata(line: str, settings: Settings = DEFAULT) -> bool:
    """Key-value lines such as "时间: 2024-09-11 栏目:办公范文" (short, no sentence), and datelines: a date
    with a clock time among a few words ("原创 某某 2024-03-05 18:30"); a signature date has no time."""
    if len(line) > settings.metadata_max_chars or _FULL_STOP.search(line):
        return False
    return bool(_meta_re().search(line)) or bool(_DATETIME.search(line) and not _CLAUSE.search(line))


@lru_cache(maxsize=1)
def call_to_action_re() -> re.Pattern[str]:
    """Calls to action (download the app, reply a keyword, follow the account): the text-line rules
    and the HTML block rules search the same patterns."""
    return re.compile("|".join(f"(?:{p})" for p in load_lines("html_furniture_patterns.txt")), re.I)


def is_furniture_phrase(line: str, settings: Settings = DEFAULT) -> bool:
    """Paging, sharing and list labels opening a line; calls to action ("打开APP阅读") in a short one."""
    text = _BULLET.sub("", line.strip())
    if _phrase_re().match(text):
        return True
    if len(text) <= settings.link_max_chars and (
        call_to_action_re().search(text) or _is_list_label_end(text)
    ):
        return True
    return text.endswith("栏目") and bool(_COLUMN_LABEL.fullmatch(text))


# a word of a toolbar line: what remains between digits, spaces, separators and brackets
_TOOLBAR_WORD = re.compile(r"[^\s\d|｜/、·•:：,，.。!！()（）【】\[\]<>《》]+")


@lru_cache(maxsize=1)
def _toolbar_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load_lines("html_furniture_words.txt"))


def is_toolbar(line: str) -> bool:
    """"【打印】【关闭】", "分享 收藏 0": nothing but widget words, counts and brackets."""
    s = line.strip().lower()
    vocabulary = _toolbar_words()
    first = _TOOLBAR_WORD.search(s)
    if first is None or first.group() not in vocabulary:
        return False  # prose fails on its first word: no need to split all of it
    return all(w in vocabulary for w in _TOOLBAR_WORD.findall(s, first.end()))


_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:cn|com|net|org|gov|edu)(?:/\S*)?\b", re.ASCII
)


def is_site_name(line: str) -> bool:
    """A site's name alone, maybe with its address ("某某网 www.example.gov.cn"), or only an address."""
    s = line.strip()
    # every address _URL matches holds a dot or "://"; most lines hold neither, so skip the scan
    rest = " ".join((_URL.sub(" ", s) if "." in s or "://" in s else s).split())
    if not rest:
        return s != ""
    return bool(_site_re().match(rest))


def is_short_label(line: str, settings: Settings = DEFAULT) -> bool:
    """A short line without sentence punctuation: a heading, a label or a link."""
    s = line.strip()
    return len(s) <= settings.label_max_chars and not _SENTENCE_PUNCT.search(s)


def is_link_like(line: str, settings: Settings = DEFAULT) -> bool:
    """A related-list entry: an article title, without sentence stops."""
    s = _BULLET.sub("", line.strip())
    return 0 < len(s) <= settings.link_max_chars and not _STOP.search(s)


def classify_lines(lines: Sequence[str], *, settings: Settings = DEFAULT) -> list[Verdict]:
    """A verdict per line (blank lines are dropped as `blank`)."""
    out: list[Verdict | None] = [None] * len(lines)
    text_idx = [i for i, line in enumerate(lines) if line.strip()]
    for i, line in enumerate(lines):
        if not line.strip():
            out[i] = Verdict(False, "blank")
    for n, i in enumerate(text_idx):
        s = lines[i].strip()
        if is_footer(s, settings):
            out[i] = Verdict(False, "footer")
        elif is_site_notice(s, settings):
            out[i] = Verdict(False, "notice")
        elif is_menu(s, settings):
            # a header row above a table of figures is not a menu
            nxt = lines[text_idx[n + 1]] if n + 1 < len(text_idx) else ""
            if not (is_table_row(nxt) and abs(len(nxt.split()) - len(s.split())) <= 1):
                out[i] = Verdict(False, "menu")
        elif is_breadcrumb(s):
            out[i] = Verdict(False, "breadcrumb")
        elif is_metadata(s, settings):
            out[i] = Verdict(False, "metadata")
        elif is_furniture_phrase(s) or is_toolbar(s):
            out[i] = Verdict(False, "furniture")

    # navigation head: short labels before the last menu/breadcrumb line that precedes
    # the first paragraph are menu headings ("优秀作文" above its menu line)
    first_para = next(
        (
            n
            for n, i in enumerate(text_idx)
            if out[i] is None and not is_short_label(lines[i], settings) and _SENTENCE_PUNCT.search(lines[i])
        ),
        len(text_idx),
    )
    head_end = -1
    for n, i in enumerate(text_idx[:first_para]):
        v = out[i]
        if v is not None and v.reason in ("menu", "breadcrumb"):
            head_end = n
    for i in text_idx[: head_end + 1]:
        if out[i] is None and (is_short_label(lines[i], settings) or _is_bar_row(lines[i], settings)):
            out[i] = Verdict(False, "menu")
    # a headline is followed by its metadata line ("来源：… 时间：…"): short labels between the navigation
    # and a longer headline are channel names ("滚动新闻", "本网原创")
    meta_at = next(
        (n for n in range(head_end + 1, first_para) if (v := out[text_idx[n]]) and v.reason == "metadata"),
        None,
    )
    if meta_at is not None:
        above = [n for n in range(head_end + 1, meta_at) if out[text_idx[n]] is None]
        if above and len(lines[text_idx[above[-1]]].strip()) > settings.label_max_chars:
            for n in above[:-1]:
                if is_short_label(lines[text_idx[n]], settings):
                    out[text_idx[n]] = Verdict(False, "menu")
    # a site name printed alone on the first lines, above the navigation or below it
    for i in text_idx[: head_end + 1 + settings.site_name_scan_lines]:
        if out[i] is None and is_site_name(lines[i]):
            out[i] = Verdict(False, "site_name")

    # related-link lists: the link-like lines after a list label, unless real text follows
    # them (then they were headings: "最新文章" left empty above "第一篇:…")
    n = 0
    while n < len(text_idx):
        i = text_idx[n]
        v = out[i]
        if v is None or v.keep or not (v.reason == "furniture" and _is_list_label(lines[i])):
            n += 1
            continue
        run_end = n + 1
        while run_end < len(text_idx) and (
            (out[text_idx[run_end]] is None and is_link_like(lines[text_idx[run_end]], settings))
            or _is_list_row(out[text_idx[run_end]])  # a row of titles on one line is part of the list
        ):
            run_end += 1
        after = out[text_idx[run_end]] if run_end < len(text_idx) else Verdict(False, "end")
        if after is not None and not after.keep:
            for j in text_idx[n + 1 : run_end]:
                if out[j] is None:
                    out[j] = Verdict(False, "related_link")
        n = run_end
    return [
        v if v is not None else Verdict(True, "heading" if is_short_label(lines[i], settings) else "content")
        for i, v in enumerate(out)
    ]


_BAR = re.compile(r"\s*[|｜]\s*")


def _is_bar_row(line: str, settings: Settings) -> bool:
    """"某某人民政府 | 某某办公室": short labels split by bars, a banner or menu in the navigation head."""
    parts = [p for p in _BAR.split(line.strip()) if p]
    return len(parts) > 1 and all(is_short_label(p, settings) for p in parts)


def _is_list_row(v: Verdict | None) -> bool:
    return v is not None and not v.keep and v.reason == "menu"


@lru_cache(maxsize=1)
def _list_labels() -> frozenset[str]:
    return frozenset(p for p in load_lines("boilerplate_phrases.txt") if len(p) >= 4)


@lru_cache(maxsize=1)
def _list_label_starts() -> tuple[str, ...]:
    """The labels as one tuple, for a single str.startswith."""
    return tuple(_list_labels())


@lru_cache(maxsize=1)
def _list_label_end_re() -> re.Pattern[str]:
    labels = sorted(_list_labels(), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(map(re.escape, labels))})\s*[:：]?$")


def _is_list_label_end(text: str) -> bool:
    """'【某某总结】相关文章：': a list label closing a short line heads a list too."""
    return bool(_list_label_end_re().search(text.strip("【】[] ")))


def _is_list_label(line: str) -> bool:
    """Labels that head a list of links (相关文章, 本类热门), not single-value keys (来源)."""
    if is_toolbar(line):  # "打印本页 关闭窗口" closes a page, it heads no list
        return False
    s = _BULLET.sub("", line.strip()).strip("【】[] ")
    return (s.startswith(_list_label_starts()) or _is_list_label_end(s)) and not _DATE.search(s)
