"""Annotate: spaCy over the clean bodies, then sentences, mentions and figures per article.

Articles go through forked workers in chunks; each worker loads the spaCy pipeline once
(`pipeline.nlp.load_nlp` is cached per process) and returns plain rows, never Docs. A body too
long for one parse is parsed in paragraph-aligned pieces whose rows are moved back to the
body's offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from pipeline import PIPELINE_VERSION
from pipeline.budget import DocumentTimeout, time_limit
from pipeline.clock import now_utc
from pipeline.parallel import iter_chunks
from pipeline.records import ArticleBundle, CleanArticle, Figure, Mention, QuarantineRecord, Sentence
from pipeline.stages import quarantine
from pipeline.stages.carried import Carried
from pipeline.warehouse.local import concat_local, empty_local, local_from_bundles
from pipeline.warehouse.staging import StagedRows

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class AnnotateResult:
    """The annotated articles as article-local rows (see `pipeline.warehouse.local`): Arrow
    tables in memory, or Parquet parts staged on disk when `annotate` was given a warehouse."""

    rows: dict[str, pa.Table] | StagedRows = field(default_factory=empty_local)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    carried: Carried | None = None  # set by the stage chain (`pipeline.run`)

    def count(self, table: str) -> int:
        """Rows of one article-local table (articles, sentences, mentions, figures...)."""
        return self.rows.counts[table] if isinstance(self.rows, StagedRows) else self.rows[table].num_rows

    @property
    def n_articles(self) -> int:
        return self.count("articles")


# Annotated articles are converted to Arrow this many at a time; only one such batch of Python
# objects (sentences, mentions, figures) exists at once.
ROWS_BATCH = 256
# Below this many articles one process does the work: forking workers would cost more.
MIN_ARTICLES_FOR_WORKERS = 50
# Bodies are parsed in pieces of at most this many characters (paragraph-aligned): spaCy refuses
# texts over its max_length and its memory grows with text length.
MAX_NLP_CHARS = 100_000


def annotate(
    articles: Collection[CleanArticle],
    *,
    model: str | None = None,
    n_process: int = 1,
    ingested_at: datetime | None = None,
    doc_seconds: float | None = None,
    stage_in: Path | None = None,
) -> AnnotateResult:
    """spaCy over the bodies, then sentences, mentions and figures per article.

    With `stage_in` (a warehouse folder), rows are written to Parquet parts there batch by batch
    instead of being kept in memory. An article the NLP stage fails on is quarantined
    (`parse_error`), one that takes longer than `doc_seconds` too (`too_large`); neither fails the run.
    """
    result = AnnotateResult()
    if not articles:
        return result
    ingested_at = ingested_at or now_utc()
    staged = StagedRows(stage_in) if stage_in is not None else None
    parts: list[dict[str, pa.Table]] = []
    pending: list[ArticleBundle] = []

    def flush() -> None:
        batch = local_from_bundles(pending)
        pending.clear()
        if staged is not None:
            staged.add(batch)
        else:
            parts.append(batch)

    processes = n_process if len(articles) >= MIN_ARTICLES_FOR_WORKERS else 1
    # The model is loaded by whichever process runs the first chunk: with workers, only they load
    # it and the parent stays small for the warehouse build (sharing it through fork saved little,
    # since reference counts touch its pages anyway).
    work = partial(_annotate_chunk, model=model, doc_seconds=doc_seconds)
    try:
        for chunk in iter_chunks(work, articles, processes=processes):
            for item in chunk:
                if isinstance(item, ArticleBundle):
                    item.ingested_at = ingested_at
                    pending.append(item)
                else:
                    result.quarantined.append(item)
            if len(pending) >= ROWS_BATCH:
                flush()
        flush()
    except BaseException:  # failed part-way (the model, a broken spool, Ctrl-C): drop the parts staged so far
        if staged is not None:
            staged.remove()
        raise
    result.rows = staged if staged is not None else concat_local(parts)
    return result


def _annotate_chunk(
    articles: Sequence[CleanArticle], model: str | None = None, doc_seconds: float | None = None
) -> list[ArticleBundle | QuarantineRecord]:
    """spaCy and the extractors over a chunk, in one process: only plain records leave it."""
    from pipeline.nlp import annotate_bodies, load_nlp

    nlp = load_nlp(model)
    # Short bodies go through nlp.pipe in batches (their size bounds their time); the
    # extraction on each, and everything on a long body, runs under the per-document limit.
    short = [a for a in articles if len(a.body) <= MAX_NLP_CHARS]
    by_key = {a.source_path: a for a in articles}
    done: dict[str, ArticleBundle | QuarantineRecord] = {}
    for key, doc in annotate_bodies(nlp, ((a.source_path, a.body) for a in short)):
        done[key] = _within_limit(by_key[key], doc_seconds, lambda a, doc=doc: _bundle_or_failure(a, [(0, doc)]))
    for article in articles:
        if article.source_path not in done:
            done[article.source_path] = _within_limit(
                article,
                doc_seconds,
                lambda a: _bundle_or_failure(a, [(start, nlp(text)) for start, text in _pieces(a.body, MAX_NLP_CHARS)]),
            )
    return [done[a.source_path] for a in articles]


def _within_limit(
    article: CleanArticle, doc_seconds: float | None, work: Callable[[CleanArticle], ArticleBundle | QuarantineRecord]
) -> ArticleBundle | QuarantineRecord:
    try:
        with time_limit(doc_seconds):
            return work(article)
    except DocumentTimeout as exc:
        return quarantine.timed_out(
            article, "The NLP stage on this article", exc, note=f"; {len(article.body):,} characters of text"
        )


def _pieces(body: str, limit: int) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of a long body, cut at paragraph breaks, else at a space."""
    start = 0
    while start < len(body):
        end = min(len(body), start + limit)
        if end < len(body):
            cut = body.rfind("\n\n", start, end)
            cut = cut if cut > start else body.rfind(" ", start, end)
            end = cut if cut > start else end
        yield start, body[start:end]
        start = end


def _bundle_or_failure(article: CleanArticle, pieces: list[tuple[int, Doc]]) -> ArticleBundle | QuarantineRecord:
    """The article's rows from its parsed pieces, or a quarantine record when extraction fails."""
    from pipeline.figures import extract_figures
    from pipeline.nlp import doc_mentions, doc_sentences

    key = article.source_path
    try:
        sentences: list[Sentence] = []
        mentions: list[Mention] = []
        figures: list[Figure] = []
        for offset, doc in pieces:
            s = doc_sentences(key, doc)
            m = doc_mentions(key, doc, s)
            f = extract_figures(key, doc, s, m)
            _shift(s, m, f, offset=offset, sentences_before=len(sentences), mentions_before=len(mentions))
            sentences += s
            mentions += m
            figures += f
        return ArticleBundle(article, sentences, mentions, figures, now_utc(), PIPELINE_VERSION)
    except Exception as exc:  # noqa: BLE001 - one article never fails the run
        return quarantine.failed(article, "The NLP stage failed on this article", exc)


def _shift(
    sentences: list[Sentence],
    mentions: list[Mention],
    figures: list[Figure],
    *,
    offset: int,
    sentences_before: int,
    mentions_before: int,
) -> None:
    """Move one piece's rows (parsed alone) to the body's character offsets and numbering."""
    for row in (*sentences, *mentions, *figures):
        row.sentence_idx += sentences_before
        row.char_start += offset
        row.char_end += offset
    for row in figures:
        row.group_mention = None if row.group_mention is None else row.group_mention + mentions_before
        row.location_mention = None if row.location_mention is None else row.location_mention + mentions_before
