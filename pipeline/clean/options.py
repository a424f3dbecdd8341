"""How `clean_text` is tuned: its switches and thresholds in one place, and the two presets.

`TEXT_PRESET` is for plain text (text files, JSON records): nothing is known about its layout,
so a headline-like first line becomes the title, short lines in the header zone are credits and
short lines after the story are link lists. `HTML_PRESET` is for the text an extractor took from
a page (`clean.html`): the page gives the headline, short title-case lines or lists at the end
are real subheadings, not masthead residue, and a short line printed twice (a subheading, a
table cell) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanOptions:
    """Switches (the presets differ in these) and thresholds (shared) for the text passes."""

    # Switches.
    guess_title: bool = True  # without a known title, a headline-like first line becomes it
    header_credits: bool = True  # short lines after the headline or dateline are credits (publisher, author)
    tail_links: bool = True  # short lines after the last prose paragraph, next to chrome, are link lists
    min_repeat_words: int = 0  # a repeated paragraph shorter than this is kept (a subheading printed twice)
    # An embedded social post ("— Name (@handle) date" under the post) is removed from plain text;
    # in a page the extractors see its markup, and labelled page sets count such posts as content.
    embedded_posts: bool = True

    # What a paragraph is, in words (`[\w’'-]+` runs).
    prose_min_words: int = 8  # prose: at least this many words ending in terminal punctuation ...
    prose_any_words: int = 20  # ... or this many words however it ends
    headline_min_words: int = 2  # a headline: this many words or more ...
    headline_max_words: int = 20  # ... up to this many, not ending in punctuation
    label_max_words: int = 14  # a short label (link title, name, section): at most this many, no full stop
    byline_max_words: int = 14  # "By Owen Marsh, Lashkar Gah": a byline line is at most this long
    header_credit_max_words: int = 6  # a publisher or author line in the header zone
    # Thresholds of the passes.
    appeal_block_gap: int = 6  # lines between two donation-appeal lines this close are appeal too
    title_min_words: int = 3  # a line equal to the start or end of the title is the title when this long ...
    title_min_share: float = 0.5  # ... and at least this share of its characters
    # In-body chrome recognised by its features (`captions.py`, `prompts.py`, `wire.py`).
    caption_max_words: int = 60  # a caption glued to its credit is at most this long ...
    caption_max_segments: int = 3  # ... and this many sentences; longer, only the credit goes
    cta_window_words: int = 10  # a call to action names its product within this many words of the verb ...
    prompt_max_words: int = 40  # ... and is at most this long (a longer segment is a sentence of the story)
    interface_label_max_words: int = 5  # a line of interface words ("Back to Gallery", "1 / 8") is at most this long
    embed_max_chars: int = 320  # the post above an embed's signature line is at most this long (a post's limit)
    list_min_items: int = 2  # a "More from ..." header opens a link list when this many link titles follow
    note_edge_lines: int = 3  # syndication notes stand among the first or last lines this many
    note_max_words: int = 40  # ... and are at most this long
    wire_dateline_lines: int = 3  # a wire dateline opens one of the first prose lines this many
    agency_max_words: int = 4  # an agency not in `rules.AGENCIES` is a name of at most this many words


TEXT_PRESET = CleanOptions()
HTML_PRESET = CleanOptions(
    guess_title=False, header_credits=False, tail_links=False, min_repeat_words=10, embedded_posts=False
)
