"""One raw record to one clean article: HTML extraction, text cleaning, metadata columns."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from pipeline.clean import metadata
from pipeline.clean.chatter import page_chatter
from pipeline.clean.html import HtmlExtract, html_to_text
from pipeline.clean.options import HTML_PRESET, TEXT_PRESET
from pipeline.clean.text import clean_text, normalize_text
from pipeline.ingest.sniff import strip_controls
from pipeline.records import CleanArticle, RawRecord

log = logging.getLogger(__name__)
T = TypeVar("T")

# How much of a dropped value a note quotes (a bad value can be megabytes long), and how many
# notes one article's `metadata_notes` holds (a text can hold any number of bad datelines).
_NOTE_CHARS = 80
_MAX_NOTES = 10
_KINDS = {"url": "URL", "published": "date"}


def clean_record(record: RawRecord) -> CleanArticle:
    """Clean one record. Metadata given by the source wins over what is found in the text.

    A metadata value that cannot be read (a date with a +99:00 offset, a URL with a bracketed
    host) is dropped: the next source down (the page's tags, then the text) fills the column, or
    it stays NULL. Each dropped value gets a note in `metadata_notes` and in the log, naming the
    file (WARNING; INFO for a dateline found in the text, which is a guess). The article is always
    kept. Third-party parsers' per-page warnings go to a DEBUG log (`pipeline.clean.chatter`).
    """
    with page_chatter():
        return _clean(_without_controls(record))


def _without_controls(record: RawRecord) -> RawRecord:
    """The record with stray NULs and other C0 controls removed from every string it carries."""
    fields = ("text", "html", "url", "title", "published", "publisher")
    return replace(record, **{name: strip_controls(getattr(record, name)) for name in fields if getattr(record, name)})


def _clean(record: RawRecord) -> CleanArticle:
    chrome = []
    page: HtmlExtract | None = None
    title = record.title
    if record.html is not None:
        page = html_to_text(record.html)
        text, n_chars_raw, chrome = page.text, page.n_chars, page.chrome
        title = title or page.title
        cleaned = clean_text(text, title=title, title_variants=page.title_variants, options=HTML_PRESET)
    else:
        text = normalize_text(record.text or "")
        n_chars_raw = len(text)
        cleaned = clean_text(text, title=title, options=TEXT_PRESET)

    pieces = list(chrome) + cleaned.pieces
    for seq, piece in enumerate(pieces):
        piece.seq = seq

    url, url_notes = _first_valid("url", metadata.clean_url, record.url, page and page.url)
    publisher, publisher_notes = _first_valid(
        "publisher", metadata.publisher_from_domain_name, record.publisher, page and page.publisher
    )
    publisher = (
        publisher
        or metadata.publisher_from_url(url)
        or cleaned.publisher
        or metadata.publisher_from_chrome("\n".join(p.text for p in chrome))
    )
    published_at, published_notes = _first_valid("published", metadata.parse_datetime, record.published, page and page.published)
    # A dateline is a guess from the text, so its note is logged at INFO only.
    dateline_notes = [_note("published (dateline in the text)", line, "date") for line in cleaned.unreadable_datelines]
    _log_notes(record.source_path, url_notes + publisher_notes + published_notes, logging.WARNING)
    _log_notes(record.source_path, dateline_notes, logging.INFO)
    return CleanArticle(
        source_path=record.source_path,
        content_sha256=record.content_sha256,
        source_format=record.source_format,
        body=cleaned.body,
        n_chars_raw=n_chars_raw,
        source_url=url,
        title=title or cleaned.title,
        publisher=publisher,
        agency=cleaned.agency,
        byline=cleaned.byline or (page.author if page else None),
        published_at=published_at or cleaned.published_at,
        boilerplate=pieces,
        metadata_notes=_joined(url_notes + publisher_notes + published_notes + dateline_notes),
        dateline_place=cleaned.dateline_place,
    )


def _first_valid(field: str, parse: Callable[[str], T | None], *candidates: str | None) -> tuple[T | None, list[str]]:
    """The first candidate `parse` reads, best source first, and a note for each one before it
    that `parse` could not read.

    The parsers are total by contract; the guard keeps a bug in one of them from costing the
    article more than this one field.
    """
    notes = []
    for value in candidates:
        if not value or not value.strip():
            continue
        try:
            parsed = parse(value)
        except Exception:  # noqa: BLE001 - one bad field never loses the body
            parsed = None
        if parsed is not None:
            return parsed, notes
        notes.append(_note(field, value, _KINDS.get(field, field)))
    return None, notes


def _note(field: str, value: str, kind: str) -> str:
    """One dropped value, as `metadata_notes` and the log show it (the value cut to 80 characters)."""
    shown = repr(value[:_NOTE_CHARS]) + (f" (+{len(value) - _NOTE_CHARS} more characters)" if len(value) > _NOTE_CHARS else "")
    return f"{field}: {shown} is not a valid {kind} (dropped)"


def _log_notes(path: str, notes: list[str], level: int) -> None:
    for note in notes:
        log.log(level, "%s: %s; the article is kept", path, note)


def _joined(notes: list[str]) -> str | None:
    """The notes for the column: NULL when there are none, at most `_MAX_NOTES` of them."""
    if len(notes) > _MAX_NOTES:
        notes = [*notes[:_MAX_NOTES], f"(+{len(notes) - _MAX_NOTES} more notes)"]
    return "; ".join(notes) or None
