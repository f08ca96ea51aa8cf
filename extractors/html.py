"""HTML -> the article's paragraphs, headline and raw publication date, with what was dropped and why.

One pass over the lxml tree (C-level `iterwalk`, no recursion, so pathological nesting cannot crash it)
cuts the page into text blocks at block-level tags and `<br>`, noting each block's link characters and the
nearest block element that owns it. Every block is scored (non-link Chinese text and punctuation count for,
link-dense lists against) and each element gets the sum of its subtree; the element with the highest sum is
the main content. Blocks outside it, link-dense blocks and site furniture (breadcrumbs, toolbars, meta and
footer lines, read from data files) are dropped and listed in `removed` for auditing.

Hidden elements and furniture class/id tokens only *mark* their blocks: the mark is ignored when the marked
element wraps the chosen content (WeChat hides its whole article body until a script runs; some templates
put every page inside `class="... has-sidebar"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from . import resources
from .boilerplate import call_to_action_re, is_site_name
from .errors import BadInput
from .patterns import phrase_alternation
from .settings import DEFAULT, Settings
from .spans import Removal

# Never text of a report: removed in C before the walk.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset", "object",
        "embed", "applet", "select", "option", "textarea", "button", "input", "canvas", "audio", "video",
        "source", "track", "map", "area", "head", "link", "meta", "base", "title",
    }
)
# Inline tags: never a block; checked only for inline hidden junk.
_INLINE_TAGS = frozenset(
    {
        "a", "span", "font", "b", "strong", "i", "em", "u", "img", "small", "big", "sub", "sup", "ins", "del",
        "label", "abbr", "cite", "code",
    }
)
_MARK_TAGS = frozenset({"nav", "aside", "header", "footer"})
# Tags that end a text block (plus <br> and marked elements).
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track"}
    | {"wbr"}
)
# One paragraph of text, never a container of an article.
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELL_TAGS = ("td", "th")

# What the walk does on an element's start, by tag (ordered: inline kinds first, node kinds last).
_INLINE, _LINK, _OTHER, _BR, _BLOCK, _TABLE, _MARK = range(7)
_KINDS: dict[str, int] = {
    **dict.fromkeys(_INLINE_TAGS, _INLINE),
    "a": _LINK,
    "br": _BR,
    **dict.fromkeys(_BLOCK_TAGS, _BLOCK),
    "table": _TABLE,
    **dict.fromkeys(_MARK_TAGS, _MARK),
}
_MARK_REASONS = {tag: f"tag:{tag}" for tag in _MARK_TAGS}
_OPEN_NODE, _OPEN_LINK = 1, 2  # what an open element did on its start, undone on its end

_CJK = "\u3000-\u303f\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A source line break between two Chinese chars is markup formatting, not a space in the text.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_WORD = re.compile(r"[A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_STOPS = re.compile(r"[。！？；!?;]")
_PUNCT = re.compile(r"[，。、；：！？“”‘’（）《》,;:!?]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CLASS_SPLIT = re.compile(r"[^a-z0-9]+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>")
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)
_XML_START = re.compile(r"\s*<\?xml", re.I)
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
)
_BREADCRUMB_SEP = re.compile(r"\s*(?:>>|>|＞|»|›|→|-&gt;)\s*")
# Separators, brackets, counts and ASCII punctuation between toolbar words.
# a word of a toolbar line: what lies between digits, spaces, separators and brackets
_TOOLBAR_WORD = re.compile(r"[^\s\d|｜/、·•:：,，.。!！()（）【】\[\]<>《》]+")
_TITLE_SEP = re.compile(r"\s*(?:[_|｜]|-{2,}|\s[-–—]\s|(?<=[^\d\s-])-(?=[^\d\s-]))\s*")


@dataclass(frozen=True, slots=True)
class HtmlContent:
    """Main content of a page: paragraphs in document order (headline first), title, raw date, drops."""

    blocks: tuple[str, ...]
    title: str | None
    published: str | None
    audit: tuple[tuple[str, str | None], ...] = ()  # every block in page order, with its drop reason

    @property
    def removed(self) -> tuple[Removal, ...]:
        """The dropped blocks in page order, with their reasons: made when asked for, since the
        cleaning reads `audit` and a page drops hundreds of menu and link blocks."""
        return tuple(Removal(text, reason) for text, reason in self.audit if reason is not None)


class _Block(NamedTuple):  # a tuple: a page makes hundreds, and a dataclass's __init__ cost 3x
    text: str
    node: int  # the nearest block element owning the text
    links: int  # non-space characters inside <a>
    tag: str  # the owner's tag ("tr" for a data-table row)
    marks: tuple[tuple[int, str], ...]  # (node, reason) of hidden/furniture-marked ancestors
    chars: int  # non-space characters of text, counted once: scoring and link density read it often


@dataclass(slots=True)
class _Tree:
    """What the walk collects: blocks, the element tree of block nodes, and head metadata."""

    blocks: list[_Block] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    last: list[int] = field(default_factory=list)  # id of each node's last descendant
    tags: list[str] = field(default_factory=list)
    title_tag: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


# --- data ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _class_tokens() -> tuple[frozenset[str], tuple[str, ...]]:
    exact, prefixes = set(), []
    for entry in resources.load_lines("html_boilerplate_classes.txt"):
        if entry.endswith("*"):
            prefixes.append(entry[:-1].lower())
        else:
            exact.add(entry.lower())
    return frozenset(exact), tuple(prefixes)


@lru_cache(maxsize=1)
def _furniture() -> re.Pattern[str]:
    return phrase_alternation(resources.load_lines("html_furniture.txt"), re.I)


@lru_cache(maxsize=1)
def _furniture_words() -> frozenset[str]:
    return frozenset(w.lower() for w in resources.load_lines("html_furniture_words.txt"))


@lru_cache(maxsize=1)
def _meta_line() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(label anywhere, label opening the block followed by a colon)."""
    entries = sorted(resources.load_lines("html_meta_labels.txt"), key=len, reverse=True)
    labels = "|".join(re.escape(x) for x in entries)
    return re.compile(labels), re.compile(rf"^[【\[(（]?\s*(?:{labels})\s*(?:[:：]|[|｜/]\s*(?=\S))")


@lru_cache(maxsize=1)
def _credit_field() -> re.Pattern[str]:
    """A "label + separator" field anywhere ("摄影/王五", "编辑|赵六"); two make a credits line."""
    entries = sorted(resources.load_lines("html_meta_labels.txt"), key=len, reverse=True)
    labels = "|".join(re.escape(x) for x in entries)
    return re.compile(rf"(?:^|[\s(（【\[])(?:{labels})\s*[:：|｜/]\s*\S")


@lru_cache(maxsize=1)
def _end_markers() -> re.Pattern[str]:
    """Lines that close an article (责任编辑：…): what follows them inside the content is appended."""
    entries = sorted(resources.load_lines("html_end_markers.txt"), key=len, reverse=True)
    return re.compile(rf"^[【\[(（]?\s*(?:{'|'.join(map(re.escape, entries))})")


@lru_cache(maxsize=1)
def _list_labels() -> re.Pattern[str]:
    """Headings of link lists and recommendation boxes (相关阅读, 热门推荐), alone in their block."""
    entries = sorted(resources.load_lines("html_list_labels.txt"), key=len, reverse=True)
    return re.compile(rf"^[【\[]?\s*(?:{'|'.join(map(re.escape, entries))})\s*[】\]]?\s*(?:[:：>»]|更多.*)?$")


@lru_cache(maxsize=1)
def _location() -> re.Pattern[str]:
    labels = "|".join(re.escape(x) for x in resources.load_lines("html_location_labels.txt"))
    return re.compile(rf"^(?:{labels})\s*[:：]")


@lru_cache(maxsize=1)
def _published_names() -> dict[str, int]:
    return {name.lower(): rank for rank, name in enumerate(resources.load_lines("html_published_meta.txt"))}


# --- walking the tree ----------------------------------------------------------


def _clean_text(raw: str) -> str:
    """White space collapsed to single ASCII spaces (so `_clean_chars` may count the rest).

    The regexes run only where they can change the result: `_CJK_BREAK` deletes white space only, so
    it matters only for a line break inside the text (one in the leading or trailing white space is
    stripped anyway), and `_SPACES` is `str.split`'s white space plus the zero-width characters."""
    if raw.isprintable():
        # the ASCII space is the one printable character _SPACES matches, and there is no line break
        return " ".join(raw.split())
    if raw.isspace():
        return ""  # most runs between tags are indentation: skip the regexes
    if "\n" in raw and not raw.strip().isprintable():
        raw = _CJK_BREAK.sub("", raw)
    if "\u200b" in raw or "\u200c" in raw or "\u200d" in raw or "\ufeff" in raw:
        return _SPACES.sub(" ", raw).strip()
    return " ".join(raw.split())


def _clean_chars(text: str) -> int:
    """Non-space characters of a `_clean_text` result (or of such texts joined by spaces), whose only white
    space is the ASCII space: `\\s` and `str.split` agree on what white space is."""
    return len(text) - text.count(" ")


def _attr_mark(el: etree._Element) -> str | None:
    """Why an element's blocks are suspect by its attributes: hidden, or a furniture class/id token.
    Most elements carry one attribute or none: the names are listed once instead of four lookups."""
    keys = el.keys()
    if not keys:
        return None
    if "hidden" in keys:
        return "hidden"
    if "style" in keys:
        style = el.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return "hidden"
    names = el.get("class") if "class" in keys else None
    if "id" in keys:
        ident = el.get("id")
        if ident:
            names = f"{names} {ident}" if names else ident
    return _class_mark(names) if names else None


@lru_cache(maxsize=4096)
def _class_mark(names: str) -> str | None:
    """Cached: templates repeat the same class strings hundreds of times a page."""
    exact, prefixes = _class_tokens()
    for token in _CLASS_SPLIT.split(_CAMEL.sub(" ", names).lower()):
        if token and (token in exact or token.startswith(prefixes)):
            return f"class:{token}"
    return None


def _data_rows(table: etree._Element, settings: Settings) -> list[tuple[str, int]] | None:
    """Rows of a data table as (cells joined by a space, link chars); None for a layout table."""
    if table.find(".//table") is not None:
        return None
    rows: list[tuple[str, int]] = []
    multi = 0
    for tr in table.iter("tr"):
        cells = [_clean_text("".join(td.itertext())) for td in tr if td.tag in _CELL_TAGS]
        cells = [c for c in cells if c]
        if any(len(c) > settings.html_max_cell_chars for c in cells):
            return None
        if not cells:
            continue
        multi += len(cells) > 1
        links = sum(_clean_chars(_clean_text("".join(a.itertext()))) for a in tr.iter("a"))
        rows.append((" ".join(cells), links))
    return rows if rows and multi * 2 >= len(rows) else None


def _walk(root: etree._Element, settings: Settings) -> _Tree:
    """One pass over the tree: cut text into blocks at block tags and <br>, noting links, owners, marks.

    Text runs of white space only are not collected while no text is pending: `_clean_text` strips
    them anyway, and skipping them spares a flush per indented tag."""
    tree = _Tree()
    _read_head(root, tree)
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)  # in C: scripts, styles, forms controls
    parts: list[str] = []
    link_chars = 0
    in_link = 0
    stack: list[int] = []
    marks: tuple[tuple[int, str], ...] = ()
    opened: list[int] = []  # per open element: _OPEN_NODE, _OPEN_LINK or 0
    blocks, parent, last, tags = tree.blocks, tree.parent, tree.last, tree.tags
    kinds, hidden_style, cleaned = _KINDS, _HIDDEN_STYLE.search, _clean_text

    def flush() -> None:
        text = cleaned("".join(parts))
        parts.clear()
        if text and stack:
            node = stack[-1]
            n = len(text) - text.count(" ")  # _clean_chars
            blocks.append(_Block(text, node, min(link_chars, n), tags[node], marks, n))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            kind = kinds.get(tag, _OTHER)
            if kind <= _LINK:  # inline: never a block, only inline hidden junk is checked
                style = el.get("style")
                if kind == _LINK:
                    in_link += 1
                    opened.append(_OPEN_LINK)
                else:
                    opened.append(0)
                if style and hidden_style(style):
                    walker.skip_subtree()  # anti-copy junk in paragraphs; its end event comes all the same
                    continue
            else:
                if tag.__class__ is not str:  # an entity or a processing instruction the parser kept
                    tag = ""
                reason = _MARK_REASONS.get(tag) if kind == _MARK else _attr_mark(el)
                if kind >= _BLOCK or reason is not None:
                    if parts:
                        flush()
                        link_chars = 0
                    node = len(tags)
                    parent.append(stack[-1] if stack else -1)
                    last.append(node)
                    tags.append(tag)
                    stack.append(node)
                    if reason:
                        marks = (*marks, (node, reason))
                    opened.append(_OPEN_NODE)
                    if kind == _TABLE:
                        rows = _data_rows(el, settings)
                        if rows is not None:
                            for text, links in rows:
                                n = _clean_chars(text)
                                blocks.append(_Block(text, node, min(links, n), "tr", marks, n))
                            walker.skip_subtree()
                            continue
                else:
                    if kind == _BR and parts:
                        flush()
                        link_chars = 0
                    opened.append(0)
            text = el.text
            if text and (parts or not text.isspace()):
                parts.append(text)
                if in_link:
                    link_chars += len("".join(text.split()))
        else:
            k = opened.pop()
            if k == _OPEN_NODE:
                if parts:
                    flush()
                    link_chars = 0
                node = stack.pop()
                last[node] = len(tags) - 1
                if marks and marks[-1][0] == node:
                    marks = marks[:-1]
            elif k == _OPEN_LINK:
                in_link -= 1
            text = el.tail
            if text and stack and (parts or not text.isspace()):
                parts.append(text)
                if in_link:
                    link_chars += len("".join(text.split()))
    if parts:
        flush()
    return tree


def _read_head(root: etree._Element, tree: _Tree) -> None:
    """<title> text and <meta name/property/itemprop = content> pairs (CMSs put some in <body>)."""
    for el in root.iter("title", "meta"):
        if el.tag == "title":
            if tree.title_tag is None:
                tree.title_tag = _clean_text("".join(el.itertext())) or None
            continue
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and key.lower() not in tree.meta:
            tree.meta[key.lower()] = value.strip()


# --- choosing the content --------------------------------------------------------


def _link_dense(block: _Block, settings: Settings) -> bool:
    return block.links > settings.html_max_link_density * block.chars


def _score(block: _Block, settings: Settings) -> int:
    n = block.chars
    if n == 0:
        return 0
    if block.links > settings.html_max_link_density * n:
        return -n * settings.html_link_penalty
    nonlink = n - block.links
    score = nonlink + settings.html_punct_bonus * len(_PUNCT.findall(block.text))
    if not _STOPS.search(block.text):
        score //= 2
    score -= settings.html_block_penalty
    if block.marks and score > 0:
        score = score * settings.html_marked_weight_pct // 100
    return score


def _subtree_scores(tree: _Tree, settings: Settings) -> tuple[list[int], list[int]]:
    """(score of each block, summed score of each node's subtree)."""
    scores = [_score(block, settings) for block in tree.blocks]
    total = [0] * len(tree.tags)
    for block, score in zip(tree.blocks, scores, strict=True):
        total[block.node] += score
    for node in range(len(total) - 1, 0, -1):
        parent = tree.parent[node]
        if parent >= 0:
            total[parent] += total[node]
    return scores, total


def _best_node(tree: _Tree, total: list[int]) -> int:
    """The element whose subtree sums the highest block score (ties go to the later, i.e. deeper, one);
    a lone paragraph is widened to its container so its short sibling paragraphs come along."""
    best = 0
    for node, value in enumerate(total):
        if value >= total[best]:
            best = node
    while tree.tags[best] in _PARAGRAPH_TAGS and tree.parent[best] >= 0:
        best = tree.parent[best]
    return best


def _edge_units(tree: _Tree, best: int, scores: list[int], total: list[int], settings: Settings) -> set[int]:
    """Blocks in leading/trailing children of the content node that score below zero (feedback boxes,
    toolbars, author cards glued to the article): a net-negative edge never belongs to the text."""
    units: list[tuple[int, list[int]]] = []  # (unit score, block indexes), in document order
    unit_of: dict[int, int] = {}
    for i, block in enumerate(tree.blocks):
        if not best <= block.node <= tree.last[best]:
            continue
        node = block.node
        while node != best and tree.parent[node] != best:
            node = tree.parent[node]
        key = -1 - i if node == best else node  # blocks directly in the content node are units alone
        if key in unit_of and node != best:
            units[unit_of[key]][1].append(i)
            continue
        unit_of[key] = len(units)
        units.append((scores[i] if node == best else total[node], [i]))
    drop: set[int] = set()
    for order in (units, units[::-1]):
        for score, members in order:
            single_text = len(members) == 1 and not _link_dense(tree.blocks[members[0]], settings)
            if score >= 0 or single_text:  # a lone short paragraph ("（完）") is text, not a widget
                break
            drop.update(members)
    return drop


def _ancestors(tree: _Tree, node: int) -> set[int]:
    out = set()
    while node >= 0:
        out.add(node)
        node = tree.parent[node]
    return out


def _bulk_marks(tree: _Tree, best: int, total: list[int]) -> set[int]:
    """Marked elements inside the content that hold at least half its score: a hidden article body
    (WeChat's js_content) next to hidden QR-code popups."""
    marked = {node for block in tree.blocks for node, _ in block.marks if best < node <= tree.last[best]}
    return {node for node in marked if total[node] * 2 >= total[best] > 0}


def _furniture_reason(text: str, settings: Settings) -> str | None:
    short = len(text) <= settings.html_furniture_max_chars
    no_stop = _STOPS.search(text) is None
    anywhere, opening = _meta_line()
    fits_meta = len(text) <= settings.html_meta_max_chars
    if _location().match(text) or (
        (short or no_stop) and fits_meta and len(_BREADCRUMB_SEP.findall(text)) >= 2
    ):
        return "breadcrumb"
    if fits_meta and (
        (opening.match(text) and (short or no_stop))
        or (no_stop and _DATE.search(text) and anywhere.search(text))
    ):
        return "meta"
    if fits_meta and (short or no_stop) and len(_credit_field().findall(text)) >= 2:
        return "meta"
    footer_like = short or (no_stop and len(text) <= settings.html_footer_max_chars)
    if footer_like and (_furniture().search(text) or call_to_action_re().search(text)):
        return "furniture"
    if no_stop and len(text) <= settings.html_dateline_max_chars and _DATE.search(text):
        return "meta"
    if short and _furniture_words_only(text):
        return "furniture"
    if len(text) > settings.html_footer_max_chars and len(_PUNCT.findall(text)) * 100 < len(text):
        return "keywords"  # a long run of words with hardly a punctuation mark: tag clouds, SEO lists
    return None


def _furniture_words_only(text: str) -> bool:
    """'【打印】【关闭】', '字号 大 中 小', '评论（0）': nothing but toolbar words, counts and separators."""
    vocabulary = _furniture_words()
    found = False
    for word in _TOOLBAR_WORD.finditer(text.lower()):  # a prose line fails at its first word
        if word.group() not in vocabulary:
            return False
        found = True
    return found


def _block_reason(block: _Block, inside: bool, keep_marks: set[int], settings: Settings) -> str | None:
    if not inside:
        return "outside"
    for node, reason in block.marks:
        if node not in keep_marks:
            return reason
    if _link_dense(block, settings):
        return "links"
    tiny = len(block.text) <= settings.html_max_symbol_chars
    if tiny and block.tag != "tr" and not _WORD.search(block.text):
        return "symbols"  # "+1", "3", "|": counters and widget glyphs
    return _furniture_reason(block.text, settings)


# --- title and date ---------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(text.split())


def _similar(a: str, b: str) -> bool:
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) * 10 >= len(long_) * 6


def strip_site_suffix(title: str, settings: Settings = DEFAULT) -> str:
    """'标题_栏目_新华网' -> '标题': cut trailing short segments after _ | - separators, one at a time."""
    text = title.strip()
    while True:
        cuts = list(_TITLE_SEP.finditer(text))
        if not cuts:
            return text
        head, tail = text[: cuts[-1].start()], text[cuts[-1].end() :]
        if not head or len(tail) > settings.html_max_site_name_chars:
            return text
        text = head


def _names_banner(tree: _Tree, title: str) -> bool:
    """Is `title` similar to a site-name block? `_similar` needs the lengths within 6:10, a cheaper test
    than is_site_name, so it goes first."""
    n = len(_squash(title))
    low, high = n * 6, n * 10  # min(c, n) * 10 >= max(c, n) * 6, without two calls per block
    return any(
        b.chars * 10 >= low and b.chars * 6 <= high and _similar(b.text, title) and is_site_name(b.text)
        for b in tree.blocks
    )


def _find_title(tree: _Tree, best: int, settings: Settings) -> tuple[str | None, int | None]:
    """(headline, index of its visible block or None): the heading that matches og:title or <title>
    (site suffix cut); else the first heading inside the content (the <title> then names a column:
    "新闻动态--某学会官网"); else the <title>; else the first plain <h1>."""
    candidates = [
        strip_site_suffix(t, settings) for t in (tree.meta.get("og:title"), tree.title_tag) if t and t.strip()
    ]
    # a <title> that is only the site's name ("某某县人民政府-栏目") matches the banner, not a headline
    candidates = [c for c in candidates if c and not _names_banner(tree, c)]
    headings = [i for i, b in enumerate(tree.blocks) if b.tag in _HEADINGS and not _link_dense(b, settings)]
    # `_similar` needs the squashed lengths within 6:10 (a block's `chars` is its squashed length):
    # tested first, since with no heading matching every block of the page is tried
    sized = [(c, len(_squash(c))) for c in candidates]
    for pool in (headings, range(len(tree.blocks))):
        for i in pool:
            b = tree.blocks[i]
            if not _link_dense(b, settings) and any(
                b.chars * 10 >= n * 6 and b.chars * 6 <= n * 10 and _similar(b.text, c) for c, n in sized
            ):
                return b.text, i
    inner = [
        i
        for i in headings
        if best <= tree.blocks[i].node <= tree.last[best]
        and settings.html_max_symbol_chars < len(tree.blocks[i].text) <= settings.title_max_chars
        and not tree.blocks[i].marks
        and _furniture_reason(tree.blocks[i].text, settings) is None
    ]
    if inner:
        return tree.blocks[inner[0]].text, inner[0]
    if candidates:
        return max(candidates, key=len), None
    h1 = [i for i in headings if tree.blocks[i].tag == "h1" and not tree.blocks[i].links]
    if h1:
        return tree.blocks[h1[0]].text, h1[0]
    return None, None


def _find_published(tree: _Tree, start: int, settings: Settings) -> str | None:
    ranks = _published_names()
    found = sorted((ranks[k], v) for k, v in tree.meta.items() if k in ranks and v)
    if found:
        return found[0][1]
    for block in tree.blocks[start : start + settings.html_date_window]:
        m = _DATE.search(block.text)
        if m and len(block.text) <= settings.html_meta_max_chars:
            return m.group(0)
    return None


# --- entry point ---------------------------------------------------------------------


def _parse(markup: str, settings: Settings, utf8: bytes | None = None) -> etree._Element:
    """lxml's HTML parser; a page deeper than libxml2's limit (which silently drops the rest) is
    flattened to settings.max_html_depth and parsed again.

    `utf8`, the UTF-8 bytes `markup` was decoded from, is parsed instead of the str when the page does
    not open with an XML declaration (which the str path cuts, and lxml refuses in a str): libxml2 reads
    UTF-8 directly but must convert a str's UTF-16/UCS-4 buffer, and both give the same tree."""
    if utf8 is not None and _XML_START.match(markup) is None:
        root, parser = _parse_once(utf8, huge=False)
    else:
        markup = _XML_DECL.sub("", markup, count=1)
        root, parser = _parse_once(markup, huge=False)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        root, _ = _parse_once(_flatten(markup, settings.max_html_depth), huge=True)
    if root is None:
        raise BadInput("parse_error", "the markup holds no element")
    return root


def _parse_once(markup: str | bytes, *, huge: bool) -> tuple[etree._Element | None, etree.HTMLParser]:
    encoding = "utf-8" if isinstance(markup, bytes) else None  # never a <meta charset> of the page
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, huge_tree=huge, encoding=encoding
    )
    try:
        return etree.fromstring(markup, parser), parser
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise BadInput("parse_error", f"lxml could not parse the markup: {exc}") from exc


def _flatten(markup: str, limit: int) -> str:
    """Drop tags nested deeper than `limit` (block tags become <br>, so paragraphs stay apart)."""
    depth = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal depth
        name = m.group(2).lower()
        if name in _VOID_TAGS:
            return m.group(0)
        if m.group(1):
            depth -= 1
            keep = depth < limit
        else:
            depth += 1
            keep = depth <= limit
        if keep:
            return m.group(0)
        return "<br>" if name in _BLOCK_TAGS else ""

    return _TAG.sub(replace, markup)


def _label_boxes(tree: _Tree, best: int, settings: Settings) -> set[int]:
    """Blocks of recommendation boxes inside the content: a block that is only a list label (热门推荐)
    heads the highest element, below the content node, whose first block it is; that element is the box."""
    first_block: dict[int, int] = {}
    for i, block in enumerate(tree.blocks):
        node = block.node
        while node >= 0 and node not in first_block:
            first_block[node] = i
            node = tree.parent[node]
    drop: set[int] = set()
    labels = _list_labels()
    for i, block in enumerate(tree.blocks):
        if not (best < block.node <= tree.last[best]) or len(block.text) > settings.html_furniture_max_chars:
            continue
        if not labels.match(block.text):
            continue
        box = block.node
        while tree.parent[box] > best and first_block.get(tree.parent[box]) == i:
            box = tree.parent[box]
        drop.update(j for j, b in enumerate(tree.blocks) if box <= b.node <= tree.last[box])
    return drop


def _after_end(tree: _Tree, reasons: list[str | None]) -> set[int]:
    """Kept blocks after the last end-of-article line (责任编辑：…) when most kept text precedes it."""
    kept = [i for i, r in enumerate(reasons) if r is None]
    marker = _end_markers()
    ends = [i for i, r in enumerate(reasons) if r in ("meta", None) and marker.match(tree.blocks[i].text)]
    if not ends or not kept:
        return set()
    end = ends[-1]
    before = sum(len(tree.blocks[i].text) for i in kept if i < end)
    after = [i for i in kept if i > end]
    if before < sum(len(tree.blocks[i].text) for i in after):
        return set()
    return set(after)


def extract_html(markup: str, *, settings: Settings = DEFAULT, utf8: bytes | None = None) -> HtmlContent:
    """Main content, headline and raw date of a page; BadInput('parse_error') only if nothing parses.
    `utf8` may give the UTF-8 bytes `markup` was strictly decoded from (no BOM): they parse faster."""
    tree = _walk(_parse(markup, settings, utf8), settings)
    if not tree.tags:
        return HtmlContent((), strip_site_suffix(tree.title_tag) if tree.title_tag else None, None)
    scores, total = _subtree_scores(tree, settings)
    best = _best_node(tree, total)
    edges = _edge_units(tree, best, scores, total, settings)
    boxes = _label_boxes(tree, best, settings)
    keep_marks = _ancestors(tree, best) | _bulk_marks(tree, best, total)
    title, title_at = _find_title(tree, best, settings)
    inside_at = [i for i, b in enumerate(tree.blocks) if best <= b.node <= tree.last[best]]
    headline_at = title_at if title_at is not None and inside_at and title_at <= inside_at[-1] else None
    reasons: list[str | None] = []
    seen: set[str] = set()
    for i, block in enumerate(tree.blocks):
        inside = best <= block.node <= tree.last[best]
        if i == headline_at:  # the headline often sits above the content element; never one below it
            reason = None
        elif i in edges:
            reason = "edge"
        elif i in boxes:
            reason = "list_box"
        else:
            reason = _block_reason(block, inside, keep_marks, settings)
        if reason is None and len(block.text) > settings.html_furniture_max_chars:
            # a paragraph (longer than any furniture block) printed twice is a slider or a second copy of
            # the page, never new text; short captions ("资料图") may repeat
            reason = "duplicate" if block.text in seen else None
            seen.add(block.text)
        reasons.append(reason)
    for i in _after_end(tree, reasons):
        reasons[i] = "after_end"
    kept = [b.text for b, r in zip(tree.blocks, reasons, strict=True) if r is None]
    first_kept = next((i for i, r in enumerate(reasons) if r is None), 0)
    start = title_at if title_at is not None else max(0, first_kept - settings.html_date_window // 2)
    published = _find_published(tree, start, settings)
    audit = tuple((b.text, r) for b, r in zip(tree.blocks, reasons, strict=True))
    return HtmlContent(tuple(kept), title, published, audit)
