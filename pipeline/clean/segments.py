"""Split a paragraph into sentence-sized segments, including sentences glued without a space.

Scrapers often lose the break between a block of chrome and the article
("...makes all the difference.THE TALIBAN Islamic militia..."), so the cleaner works on
segments, not whole lines.
"""

from __future__ import annotations

import re

# A normal boundary: terminal punctuation, optional closing quote, whitespace, then a capital/digit/quote.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*(\s+)(?=[\"“‘(\[]?[A-Z0-9])")
# A glued boundary: "difference.THE" (lower-case letter or digit, terminal punctuation, capital letter, letter).
_GLUED = re.compile(r"(?<=[a-z0-9][.!?])(?=[A-Z][A-Za-z])")
# Abbreviations that end with a period but do not end a sentence.
_ABBREV = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Gen|Lt|Col|Capt|Sgt|Maj|Rep|Sen|Gov|Prof|St|Jr|Sr|No|vs|U\.S|U\.N|U\.K|a\.m|p\.m|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$"
)


def split_segments(paragraph: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentence-sized segments of a paragraph."""
    cuts: set[int] = set()
    for match in _BOUNDARY.finditer(paragraph):
        if not _ABBREV.search(paragraph[: match.start()]):
            cuts.add(match.start(1))
    for match in _GLUED.finditer(paragraph):
        cuts.add(match.start())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts):
        if paragraph[start:cut].strip():
            spans.append(_trim(paragraph, start, cut))
        start = cut
    if paragraph[start:].strip():
        spans.append(_trim(paragraph, start, len(paragraph)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
