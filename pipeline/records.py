"""Plain dataclasses passed between pipeline stages.

Stages are pure functions over these records; only `ingest` (reading files) and
`warehouse` (writing tables) touch the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline.textsafe import valid_text

# Quarantine reasons, as fixed by the warehouse contract.
QUARANTINE_REASONS = (
    "empty",
    "binary",
    "decode_error",
    "too_large",
    "parse_error",
    "no_article_text",
    "unsupported_type",
)

# Boilerplate kinds, as fixed by the warehouse contract.
BOILERPLATE_KINDS = (
    "donation_appeal",
    "subscription_prompt",
    "comment_prompt",
    "read_more",
    "related_links",
    "advertisement",
    "navigation",
    "credit",
    "dateline",
    "repeated_text",
    "other",
)


@dataclass(frozen=True)
class RawFile:
    """One file found under the raw folder (before it is read)."""

    path: str  # relative to the raw folder, POSIX separators
    size: int
    mtime_ns: int


@dataclass
class RawRecord:
    """One article record read from the raw folder, before cleaning.

    Exactly one of `text` / `html` is the article content: a JSON record's `text` wins
    over its `html`; `html` is set for HTML files and text-less records (the cleaner
    extracts text from it).
    """

    source_path: str  # path under raw/, with "#<line>" for a .jsonl line (1-based)
    content_sha256: str  # hex digest of the record's (decompressed) bytes
    source_format: str  # "text", "html" or "json"
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # as written in the source; parsed by clean
    publisher: str | None = None
    encoding: str = "utf-8"


@dataclass
class QuarantineRecord:
    """An input that did not become an article, with an actionable reason."""

    source_path: str
    content_sha256: str | None
    reason: str  # one of QUARANTINE_REASONS
    detail: str

    def __post_init__(self) -> None:
        if self.reason not in QUARANTINE_REASONS:
            raise ValueError(f"unknown quarantine reason {self.reason!r}")
        # An error message can quote an os-level path (lone surrogates); rows must be valid UTF-8.
        self.source_path = valid_text(self.source_path)
        self.detail = valid_text(self.detail)


@dataclass
class BoilerplatePiece:
    """A piece of text removed from an article, kept for auditing."""

    seq: int
    kind: str  # one of BOILERPLATE_KINDS
    text: str


@dataclass
class CleanArticle:
    """An article after boilerplate removal and metadata extraction."""

    source_path: str
    content_sha256: str
    source_format: str
    body: str
    n_chars_raw: int
    source_url: str | None = None
    title: str | None = None
    publisher: str | None = None
    agency: str | None = None
    published_at: datetime | None = None
    byline: str | None = None
    boilerplate: list[BoilerplatePiece] = field(default_factory=list)
    # Metadata values dropped as unreadable, one note each joined with "; " (None when none).
    metadata_notes: str | None = None
    # The place of the wire dateline that opened the text ("MOSUL, Iraq"), None when none.
    dateline_place: str | None = None


@dataclass
class Sentence:
    """A sentence of an article body; offsets are code points into the body."""

    source_path: str
    sentence_idx: int
    char_start: int
    char_end: int
    text: str


@dataclass
class Mention:
    """A named-entity mention in an article body, before cross-article linking."""

    source_path: str
    sentence_idx: int
    text: str
    label: str
    char_start: int
    char_end: int
    canonical_hint: str | None = None  # canonical name from the gazetteer, when it matched


@dataclass
class Figure:
    """A numeric claim about people, forces or losses, tied to its sentence and characters."""

    source_path: str
    sentence_idx: int
    text: str
    value: float | None
    value_low: float | None
    value_high: float | None
    qualifier: str
    category: str
    counted: str | None
    char_start: int
    char_end: int
    group_mention: int | None = None  # index into the article's mentions
    location_mention: int | None = None
    attributed_to: str | None = None
    is_negated: bool = False
    is_cumulative: bool = False
    is_contested: bool = False


@dataclass
class ArticleBundle:
    """Everything the pipeline derives from one article; the unit carried between runs."""

    article: CleanArticle
    sentences: list[Sentence]
    mentions: list[Mention]
    figures: list[Figure]
    ingested_at: datetime
    pipeline_version: str


@dataclass
class QuarantineRow:
    """A quarantine record with the time it was first seen in its current form."""

    record: QuarantineRecord
    seen_at: datetime


@dataclass
class LedgerRow:
    """One processed input unit (a raw file and its optional sidecar)."""

    source_path: str
    sidecar_path: str | None
    unit_sha256: str | None
    pipeline_version: str
    processed_at: datetime
    n_articles: int
    n_quarantined: int
