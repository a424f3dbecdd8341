"""Text-level boilerplate removal: what survives inside article text after HTML extraction.

The text is split into paragraphs (one per line) and those into sentence-sized segments, so
chrome glued to a real sentence is cut off without losing the sentence. Named passes
(`passes.py`) then run in this order over one `TextState`, each marking one class of
boilerplate, and what no pass marked is the body:

1. `apply_phrase_rules`: phrase and pattern rules (`rules.py`) per segment: donation appeals,
   subscription and comment prompts, read-more links, advertisements, share buttons, credits;
   then feature rules for what phrases miss: picture credits (`captions.py`), calls to action,
   media teasers and disclosures (`prompts.py`), wire notes and photo ids (`wire.py`);
2. `mark_captions`: a short paragraph ending in a picture credit, a numbered gallery caption;
3. `mark_embedded_posts`: an embedded social post and its "— Name (@handle) date" signature;
4. `extend_donation_appeals`: the paragraphs between two appeal lines;
5. `mark_related_links`: "Related stories:" headers and the link titles after them;
6. `mark_link_lists`: "More from ..." headers followed by link titles;
7. `mark_syndication_notes`: "This article was provided by ..." at either end of the text;
8. `mark_datelines`: lines holding only a date (the publication date);
9. `mark_wire_bylines`: "By JOHN SMITH, Associated Press Writer" (byline and agency);
10. `mark_bylines`: "By ..." lines (the byline);
11. `cut_wire_dateline`: "MOSUL, Iraq (Reuters) - " opening the story (agency and place; the
    sentence after it stays);
12. `mark_header_zone`: before the story: the headline, place datelines, publisher credits;
13. `mark_tail_links`: after the story: short link-like lines next to chrome;
14. `drop_repeated_paragraphs`: a paragraph printed twice.

Switches and thresholds are one `CleanOptions` (`options.py`): `TEXT_PRESET` for plain text,
`HTML_PRESET` for text an extractor took from a page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from pipeline.clean import metadata
from pipeline.clean.captions import mark_captions
from pipeline.clean.options import TEXT_PRESET, CleanOptions
from pipeline.clean.passes import (
    Line,
    TextCleanResult,
    TextState,
    apply_phrase_rules,
    drop_repeated_paragraphs,
    extend_donation_appeals,
    mark_bylines,
    mark_datelines,
    mark_header_zone,
    mark_related_links,
    mark_tail_links,
    norm,
)
from pipeline.clean.labels import mark_interface_labels
from pipeline.clean.prompts import mark_embedded_posts, mark_link_lists
from pipeline.clean.wire import cut_wire_dateline, mark_syndication_notes, mark_wire_bylines
from pipeline.records import BoilerplatePiece

PASSES: tuple[Callable[[TextState], None], ...] = (
    apply_phrase_rules,
    mark_captions,
    mark_interface_labels,
    mark_embedded_posts,
    extend_donation_appeals,
    mark_related_links,
    mark_link_lists,
    mark_syndication_notes,
    mark_datelines,
    mark_wire_bylines,
    mark_bylines,
    cut_wire_dateline,
    mark_header_zone,
    mark_tail_links,
    drop_repeated_paragraphs,
)


def normalize_text(text: str) -> str:
    """Unify line endings and invisible characters so rules and offsets see one form of text."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return "\n".join(line.strip() for line in text.split("\n"))


def clean_text(
    text: str,
    *,
    title: str | None = None,
    title_variants: tuple[str, ...] = (),
    options: CleanOptions = TEXT_PRESET,
) -> TextCleanResult:
    """Remove publisher boilerplate from article text.

    `title` is the headline when the source already gives one (HTML, JSON, sidecar); a first
    line repeating it (or one of `title_variants`) is dropped from the body. Without it, a
    headline-like first line becomes the title. `options` is `TEXT_PRESET` for plain text,
    `HTML_PRESET` for text extracted from a page.
    """
    state = TextState(
        lines=[Line(t) for t in normalize_text(text).split("\n") if t.strip()],
        options=options,
        title=title,
        titles=[norm(t) for t in (title, *title_variants) if t and norm(t)],
    )
    for run_pass in PASSES:
        run_pass(state)
    return _collect(state)


def _collect(state: TextState) -> TextCleanResult:
    """The body and the removed pieces in source order, numbered;
    agency and publisher from the removed credits when no pass found them."""
    result = state.result
    paragraphs: list[str] = []
    pieces: list[BoilerplatePiece] = list(result.pieces)
    for ln in state.lines:
        if ln.is_title:
            continue
        if ln.kind:
            pieces.append(BoilerplatePiece(seq=0, kind=ln.kind, text=ln.text))
            continue
        for a, b, kind in ln.segments:
            if kind:
                pieces.append(BoilerplatePiece(seq=0, kind=kind, text=ln.text[a:b]))
        kept = ln.kept_text
        if kept:
            paragraphs.append(kept)
    for seq, piece in enumerate(pieces):
        piece.seq = seq
        if piece.kind == "credit" and result.agency is None:
            result.agency = metadata.agency_from_credit(piece.text)

    result.body = "\n\n".join(paragraphs)
    result.pieces = pieces
    result.publisher = result.publisher or metadata.publisher_from_chrome("\n".join(p.text for p in pieces))
    return result
