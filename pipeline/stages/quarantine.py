"""The quarantine records the cleaning and NLP stages write for a document they give up on.

Ingest's own problems (unreadable, binary, too large...) are `pipeline.ingest.IngestProblem`s.
"""

from __future__ import annotations

from pipeline.budget import DocumentTimeout
from pipeline.records import CleanArticle, QuarantineRecord, RawRecord

Document = RawRecord | CleanArticle

def timed_out(doc: Document, work: str, exc: DocumentTimeout, note: str = "") -> QuarantineRecord:
    """`too_large`: `work` (e.g. "Removing boilerplate from this document") hit the per-document time limit."""
    return QuarantineRecord(
        doc.source_path,
        doc.content_sha256,
        "too_large",
        f"{work} {exc} (NEWS_DOC_SECONDS{note}); split it into smaller files or raise the limit.",
    )


def failed(doc: Document, what: str, exc: Exception) -> QuarantineRecord:
    """`parse_error`: our code raised on this document (`what`, e.g. "The cleaner failed on this record")."""
    return QuarantineRecord(
        doc.source_path,
        doc.content_sha256,
        "parse_error",
        f"{what} ({type(exc).__name__}: {exc}); please report it with the file attached.",
    )


def no_article_text(doc: Document, removed: str) -> QuarantineRecord:
    """`no_article_text`: cleaning removed everything (`removed` names the largest kinds removed)."""
    return QuarantineRecord(
        doc.source_path,
        doc.content_sha256,
        "no_article_text",
        f"No article text is left after removing boilerplate (removed: {removed}); check that the file holds an article.",
    )
