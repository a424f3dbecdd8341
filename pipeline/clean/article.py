"""One raw record to one clean article: HTML extraction, text cleaning, metadata columns."""

from __future__ import annotations

from pipeline.clean import metadata
from pipeline.clean.html import html_to_text
from pipeline.clean.text import clean_text, normalize_text
from pipeline.records import CleanArticle, RawRecord


def clean_record(record: RawRecord) -> CleanArticle:
    """Clean one record. Metadata given by the source wins over what is found in the text."""
    chrome = []
    page_byline = None
    title, url, published, publisher = record.title, record.url, record.published, record.publisher
    if record.html is not None:
        page = html_to_text(record.html)
        text, n_chars_raw, chrome = page.text, page.n_chars, page.chrome
        title = title or page.title
        url = url or page.url
        published = published or page.published
        publisher = publisher or page.publisher
        page_byline = page.author
        # Extracted page text is already structured: the headline is known from the page, and
        # short title-case lines or lists at the end are real subheadings, not masthead residue.
        cleaned = clean_text(
            text,
            title=title,
            title_variants=page.title_variants,
            guess_title=False,
            header_credits=False,
            tail_links=False,
            min_repeat_words=10,
        )
    else:
        text = normalize_text(record.text or "")
        n_chars_raw = len(text)
        cleaned = clean_text(text, title=title)

    pieces = list(chrome) + cleaned.pieces
    for seq, piece in enumerate(pieces):
        piece.seq = seq

    publisher = (
        metadata.publisher_from_domain_name(publisher)
        or metadata.publisher_from_url(url)
        or cleaned.publisher
        or metadata.publisher_from_chrome("\n".join(p.text for p in chrome))
    )
    return CleanArticle(
        source_path=record.source_path,
        content_sha256=record.content_sha256,
        source_format=record.source_format,
        body=cleaned.body,
        n_chars_raw=n_chars_raw,
        source_url=url or None,
        title=title or cleaned.title,
        publisher=publisher,
        agency=cleaned.agency,
        byline=cleaned.byline or page_byline,
        published_at=metadata.parse_datetime(published) or cleaned.published_at,
        boilerplate=pieces,
    )
