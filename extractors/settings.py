"""THE settings module: every threshold, limit and default in one frozen object.

Functions receive it as `settings`; the CLI and environment override fields with
`dataclasses.replace`, never by editing constants elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    # --- inputs and decoding -------------------------------------------------
    max_file_bytes: int = 50 * 1024 * 1024  # larger raw files are rejected as too_large
    max_gunzip_bytes: int = 200 * 1024 * 1024  # decompressed cap for .gz inputs (bombs)
    io_retries: int = 3  # extra attempts at a read that failed with a transient error (EIO, EAGAIN, ...)
    io_retry_delay: float = 0.2  # seconds before the first retry, doubled for each further one
    max_nul_ratio: float = 0.001  # more NUL bytes than this fraction means binary
    max_control_ratio: float = 0.02  # C0 control characters above this share mean binary/garbage
    min_detector_coherence: float = 0.2  # charset detector results below this are not trusted

    # --- cleaning --------------------------------------------------------------
    min_content_chars: int = 20  # a document with less clean text than this is no_content
    max_html_depth: int = 400  # deeper trees are flattened before parsing

    # --- plain-text cleaning (boilerplate.py, normalize.py, meta.py, sections.py) --------
    menu_min_items: int = 4  # a line of at least this many space-separated items may be a menu
    menu_max_item_chars: float = 8.0  # ... when its items average at most this many characters
    metadata_max_chars: int = 80  # key-value metadata lines are short; longer lines are prose
    label_max_chars: int = 12  # a line this short without sentence punctuation is a label or heading
    link_max_chars: int = 40  # related-list entries are article titles, rarely longer
    site_name_scan_lines: int = 3  # a site name stands alone on the first lines of a dump
    traditional_min_share: float = 0.05  # convert to Simplified when this share of CJK changes
    heading_max_chars: int = 40  # numbered lines up to this long are headings, never joined
    rejoin_min_chars: int = 20  # shorter lines without a stop are labels, not broken sentences
    section_heading_max_chars: int = 60  # article headings (第一篇:…) are one short line
    min_sections_to_split: int = 2  # a lone heading does not make a compound page
    published_scan_lines: int = 15  # an unkeyed date-time line counts only near the top
    title_scan_lines: int = 10  # the title is among the first kept lines of a dump
    title_max_chars: int = 80  # longer first lines are paragraphs, not titles
    footer_max_chars: int = 120  # ICP/copyright footers are one short line; longer lines are prose
    rejoin_word_window: int = 6  # chars each side of a line break segmented to see if a word spans it

    # --- batching ----------------------------------------------------------------
    batch_size: int = 64  # documents per Prefect task; a document's work can be milliseconds
    max_batch_chars: int = 8_000_000  # cut a batch early when its text grows past this

    # --- sentences -------------------------------------------------------------
    max_sentence_chars: int = 600  # longer runs without a stop are cut at a comma or space

    # --- decoding and HTML main content (decoding.py, html.py) -----------------
    max_detector_chaos: float = 0.2  # charset-normalizer "mess" above this: mojibake, reject as undecodable
    min_html_tags: int = 5  # fewer common tags than this in a text without <html>/<body> is plain text
    max_chars_per_html_tag: int = 400  # sparser tags than one per this many chars is text quoting a tag
    min_utf16_plausible_share: float = 0.9  # a BOM-less UTF-16 guess must decode to this share of text/CJK
    min_utf16_separator_share: float = 0.01  # ... and hold spaces/punctuation; misread ASCII has none
    html_max_link_density: float = 0.5  # blocks with more link text than this share are menus/lists
    html_link_penalty: int = 1  # score per char of a link-dense block: lists pull their container down
    html_punct_bonus: int = 3  # score per punctuation mark: sentences are content, labels are not
    html_block_penalty: int = 5  # score cost of every block: many tiny blocks are furniture
    html_marked_weight_pct: int = 30  # % of its score a hidden/furniture-class block keeps when choosing
    html_max_cell_chars: int = 300  # a table cell longer than this is page layout, not a data table
    html_furniture_max_chars: int = 30  # a block up to this long holding a furniture phrase is furniture
    html_meta_max_chars: int = 120  # source/editor/date lines are no longer than this
    html_max_site_name_chars: int = 16  # "_新华网"-style title suffixes are at most this long
    html_date_window: int = 8  # blocks after the headline searched for a visible date
    html_dateline_max_chars: int = 40  # a date line ("人民网 2020-03-09 18:14") is at most this long
    html_footer_max_chars: int = 200  # a stop-less block this long holding a furniture phrase is a footer
    html_max_symbol_chars: int = 8  # a block this short without a letter or hanzi is a counter ("+1")

    # --- pairings (pairings.py) --------------------------------------------------
    pairing_self_window: int = 200  # chars before a subject-less cue searched for 我市/我省 (same paragraph)
    pairing_max_row_lines: int = 3  # a flattened table row (or a name in it) spans at most this many lines
    pairing_caption_max_chars: int = 60  # the line above a table header is its caption when this short
    pairing_cell_label_max_chars: int = 12  # a non-party column label (资金(万元)) in a cell-a-line header
    pairing_town_max_chars: int = 4  # hanzi before 乡/镇 in a town named after its county (西吉县的火石寨乡)


DEFAULT = Settings()
