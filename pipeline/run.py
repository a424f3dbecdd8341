"""The pipeline's stages as plain functions, and `run_pipeline` composing them.

The Dagster assets call these same functions one stage per asset; tests and benchmarks can
call `run_pipeline` directly.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from pipeline import PIPELINE_VERSION
from pipeline.budget import DocumentTimeout, time_limit
from pipeline.ingest import IngestLimits, IngestUnit, group_units, read_unit, scan_raw_folder, unit_fingerprint
from pipeline.ingest.units import unit_of
from pipeline.parallel import iter_chunks
from pipeline.records import ArticleBundle, CleanArticle, LedgerRow, QuarantineRecord, QuarantineRow, RawRecord
from pipeline.settings import Settings
from pipeline.spool import Spool, discard
from pipeline.warehouse.assemble import write_tables
from pipeline.warehouse.local import concat_local, empty_local, local_from_bundles
from pipeline.warehouse.staging import StagedRows
from pipeline.warehouse.store import WarehouseStore

if TYPE_CHECKING:
    from spacy.tokens import Doc

# The stage functions import the cleaners, spaCy and the extractors when first called, so
# planning and a no-op run (the sensor, the Dagster code location) never load them.


@dataclass
class RunPlan:
    """What a run has to do: which input units are new or changed, which are gone."""

    raw_dir: Path
    pipeline_version: str
    base_generation: str | None  # the published warehouse this plan was made against
    units: dict[str, IngestUnit]
    fingerprints: dict[str, str | None]
    to_process: list[str]
    unchanged: list[str]
    removed: list[str]
    n_files: int

    def change_digest(self) -> str:
        """Digest of the pending change set: equal plans request the same run (sensor run key)."""
        parts = [f"+{p}:{self.fingerprints[p]}" for p in self.to_process] + [f"-{p}" for p in self.removed]
        return hashlib.sha256("\n".join([self.pipeline_version, str(self.base_generation), *parts]).encode()).hexdigest()[:20]

    @property
    def is_noop(self) -> bool:
        """Nothing new, changed or removed, and a warehouse already exists."""
        return self.base_generation is not None and not self.to_process and not self.removed


@dataclass
class IngestResult:
    # In memory, or spooled to disk when `ingest` was given a folder to stage in.
    records: list[RawRecord] | Spool[RawRecord] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    # Fingerprint of what was actually read, per unit; None when the unit changed or vanished
    # while it was read, so the ledger never vouches for content the warehouse does not hold.
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    formats: Counter[str] = field(default_factory=Counter)  # records per source format


@dataclass
class CleanResult:
    articles: list[CleanArticle] | Spool[CleanArticle] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    # Carried from the ingest result by the Dagster assets, so later stages need not load it.
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    removed: Counter[str] = field(default_factory=Counter)  # boilerplate pieces per kind
    preview: list[dict] = field(default_factory=list)  # the first few articles, for the UI


@dataclass
class PublishSummary:
    """What a publish wrote (or that it wrote nothing)."""

    written: bool
    generation: str | None
    row_counts: dict[str, int]
    processed_units: int
    reused_units: int
    removed_units: int


def release_spill(result: object) -> None:
    """Remove the files a stage result keeps on disk (its spool, its staged rows); safe to repeat.

    Used on the way out of a run, whether it succeeded or failed part-way, so a run's spill
    never outlives it (a killed run's is removed by the next run, by its process id).
    """
    if not is_dataclass(result):
        return
    for f in fields(result):
        value = getattr(result, f.name)
        if isinstance(value, (Spool, StagedRows)):
            value.remove()


def now_utc() -> datetime:
    """The current time as naive UTC, the warehouse's TIMESTAMP convention (microseconds)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def plan_run(settings: Settings, store: WarehouseStore | None = None) -> RunPlan:
    """Scan the raw folder and compare each unit's fingerprint with the ledger (reads only)."""
    store = store or WarehouseStore(settings.warehouse_dir)
    base = store.generation()
    ledger = {r["source_path"]: r for r in store.read_tables(("ingest_ledger",))["ingest_ledger"].to_pylist()} if base else {}
    files = scan_raw_folder(settings.raw_dir) if settings.raw_dir.exists() else []
    units = {u.path: u for u in group_units(files)}
    fingerprints: dict[str, str | None] = {}
    to_process, unchanged = [], []
    for path, unit in sorted(units.items()):
        fp = unit_fingerprint(settings.raw_dir, unit)
        fingerprints[path] = fp
        prev = ledger.get(path)
        same = (
            prev is not None
            and fp is not None
            and prev["unit_sha256"] == fp
            and prev["pipeline_version"] == PIPELINE_VERSION
            and prev["sidecar_path"] == unit.sidecar
        )
        (unchanged if same else to_process).append(path)
    removed = sorted(set(ledger) - set(units))
    return RunPlan(settings.raw_dir, PIPELINE_VERSION, base, units, fingerprints, to_process, unchanged, removed, len(files))


def ingest(plan: RunPlan, limits: IngestLimits | None = None, *, stage_in: Path | None = None) -> IngestResult:
    """Read every new or changed unit; every failure becomes a quarantine record.

    With `stage_in` (a warehouse folder) the records are spooled to disk there as they are read.
    """
    limits = limits or IngestLimits()
    result = IngestResult()
    if stage_in is not None:
        result.records = Spool(stage_in, "raw-records")
    try:
        for path in plan.to_process:
            for item in read_unit(plan.raw_dir, plan.units[path], limits):
                if isinstance(item, RawRecord):
                    result.records.append(item)
                    result.formats[item.source_format] += 1
                else:
                    result.quarantined.append(item)
            after = unit_fingerprint(plan.raw_dir, plan.units[path])
            result.fingerprints[path] = after if after == plan.fingerprints[path] else None
    except BaseException:  # interrupted part-way: the spool goes with the run
        release_spill(result)
        raise
    if isinstance(result.records, Spool):
        result.records.seal()
    return result


PREVIEW_ROWS = 8


def clean(
    records: Iterable[RawRecord], *, processes: int = 1, doc_seconds: float | None = None, stage_in: Path | None = None
) -> CleanResult:
    """Boilerplate removal; a record with no article text left, or that takes longer than
    `doc_seconds` to clean, is quarantined with the reason.

    Records stream through the workers. Paragraphs repeated across a publisher's articles are
    found in a second pass; with `stage_in`, the articles wait on disk in between.
    """
    from pipeline.clean.corpus import CorpusRepeats

    result = CleanResult()
    repeats = CorpusRepeats()
    first: list[CleanArticle] | Spool[CleanArticle] = [] if stage_in is None else Spool(stage_in, "cleaned")
    try:
        for chunk in iter_chunks(partial(_clean_chunk, doc_seconds=doc_seconds), records, processes=processes):
            for item in chunk:
                if isinstance(item, CleanArticle):
                    repeats.observe(item)
                    first.append(item)
                else:
                    result.quarantined.append(item)
        # Second pass: the list is updated in place, a spool is copied to a new one.
        result.articles = first if isinstance(first, list) else Spool(stage_in, "clean-articles")
        for article in first:
            repeats.apply(article)
            result.removed.update(p.kind for p in article.boilerplate)
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(
                    {
                        "source_path": article.source_path,
                        "title": article.title,
                        "publisher": article.publisher,
                        "chars": len(article.body),
                    }
                )
            if result.articles is not first:
                result.articles.append(article)
    except BaseException:
        discard(result.articles)
        raise
    finally:
        if isinstance(first, Spool):
            first.remove()
    if isinstance(result.articles, Spool):
        result.articles.seal()
    return result


def _clean_chunk(records: Sequence[RawRecord], doc_seconds: float | None = None) -> list[CleanArticle | QuarantineRecord]:
    from pipeline.clean import clean_record

    out: list[CleanArticle | QuarantineRecord] = []
    for record in records:
        try:
            with time_limit(doc_seconds):
                article = clean_record(record)
        except DocumentTimeout as exc:
            out.append(
                QuarantineRecord(
                    record.source_path,
                    record.content_sha256,
                    "too_large",
                    f"Removing boilerplate from this document {exc} (NEWS_DOC_SECONDS); split it into smaller "
                    "files or raise the limit.",
                )
            )
            continue
        except Exception as exc:  # noqa: BLE001 - one bad record never fails a run
            out.append(
                QuarantineRecord(
                    record.source_path,
                    record.content_sha256,
                    "parse_error",
                    f"The cleaner failed on this record ({type(exc).__name__}: {exc}); please report it with the file attached.",
                )
            )
            continue
        if not article.body.strip():
            kinds = Counter(p.kind for p in article.boilerplate)
            what = ", ".join(f"{n} {k}" for k, n in kinds.most_common(3)) or "nothing"
            out.append(
                QuarantineRecord(
                    record.source_path,
                    record.content_sha256,
                    "no_article_text",
                    f"No article text is left after removing boilerplate (removed: {what}); check that the file holds an article.",
                )
            )
            continue
        out.append(article)
    return out


@dataclass
class AnnotateResult:
    """The annotated articles as article-local rows (see `pipeline.warehouse.local`): Arrow
    tables in memory, or Parquet parts staged on disk when `annotate` was given a warehouse."""

    rows: dict[str, pa.Table] | StagedRows = field(default_factory=empty_local)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    fingerprints: dict[str, str | None] = field(default_factory=dict)  # carried, as in CleanResult

    def count(self, table: str) -> int:
        return self.rows.counts[table] if isinstance(self.rows, StagedRows) else self.rows[table].num_rows

    @property
    def n_articles(self) -> int:
        return self.count("articles")


# Annotated articles are converted to Arrow this many at a time; only one such batch of Python
# objects (sentences, mentions, figures) exists at once.
ROWS_BATCH = 256


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
    global _ANNOTATE_MODEL
    _ANNOTATE_MODEL = model
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

    processes = n_process if len(articles) >= 50 else 1
    # The model is loaded by whichever process runs the first chunk: with workers, only they load
    # it and the parent stays small for the warehouse build (sharing it through fork saved little,
    # since reference counts touch its pages anyway).
    try:
        for chunk in iter_chunks(partial(_annotate_chunk, doc_seconds=doc_seconds), articles, processes=processes):
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


_ANNOTATE_MODEL: str | None = None
# Bodies are parsed in pieces of at most this many characters (paragraph-aligned): spaCy refuses
# texts over its max_length and its memory grows with text length.
MAX_NLP_CHARS = 100_000


def _annotate_chunk(articles: Sequence[CleanArticle], doc_seconds: float | None = None) -> list[ArticleBundle | QuarantineRecord]:
    """spaCy and the extractors over a chunk, in one process: only plain records leave it."""
    from pipeline.nlp import annotate_bodies, load_nlp

    nlp = load_nlp(_ANNOTATE_MODEL)
    out: list[ArticleBundle | QuarantineRecord] = []
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
        out.append(done[article.source_path])
    return out


def _within_limit(
    article: CleanArticle, doc_seconds: float | None, work: Callable[[CleanArticle], ArticleBundle | QuarantineRecord]
) -> ArticleBundle | QuarantineRecord:
    try:
        with time_limit(doc_seconds):
            return work(article)
    except DocumentTimeout as exc:
        return QuarantineRecord(
            article.source_path,
            article.content_sha256,
            "too_large",
            f"The NLP stage on this article {exc} (NEWS_DOC_SECONDS; {len(article.body):,} characters of text); "
            "split it into smaller files or raise the limit.",
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
    from pipeline.figures import extract_figures
    from pipeline.nlp import doc_mentions, doc_sentences

    key = article.source_path
    try:
        sentences, mentions, figures = [], [], []
        for offset, doc in pieces:
            s = doc_sentences(key, doc)
            m = doc_mentions(key, doc, s)
            f = extract_figures(key, doc, s, m)
            base_s, base_m = len(sentences), len(mentions)
            # Each piece was parsed alone: move its rows to the body's offsets and numbering.
            for row in (*s, *m, *f):
                row.sentence_idx += base_s
                row.char_start += offset
                row.char_end += offset
            for row in f:
                row.group_mention = None if row.group_mention is None else row.group_mention + base_m
                row.location_mention = None if row.location_mention is None else row.location_mention + base_m
            sentences += s
            mentions += m
            figures += f
        return ArticleBundle(article, sentences, mentions, figures, now_utc(), PIPELINE_VERSION)
    except Exception as exc:  # noqa: BLE001 - one article never fails the run
        return QuarantineRecord(
            key,
            article.content_sha256,
            "parse_error",
            f"The NLP stage failed on this article ({type(exc).__name__}: {exc}); please report it with the file attached.",
        )


def publish(
    plan: RunPlan,
    store: WarehouseStore,
    rows: dict[str, pa.Table] | StagedRows | None,
    quarantined: Sequence[QuarantineRecord],
    *,
    when: datetime | None = None,
    fingerprints: dict[str, str | None] | None = None,
) -> PublishSummary:
    """Merge the new article rows with the unchanged part of the warehouse and swap the result in."""
    if plan.is_noop:
        counts = store.row_counts() if store.exists() else {}
        return PublishSummary(False, plan.base_generation, counts, 0, len(plan.unchanged), 0)
    rows = rows if rows is not None else empty_local()
    when = when or now_utc()
    new_quarantine = [QuarantineRow(q, when) for q in quarantined]
    new_paths = (
        rows.column("articles", "source_path")
        if isinstance(rows, StagedRows)
        else rows["articles"].column("source_path").to_pylist()
    )
    per_unit_articles = Counter(unit_of(p) for p in new_paths)
    sidecar_of = {u.sidecar: u.path for u in plan.units.values() if u.sidecar}
    per_unit_quarantine = Counter(sidecar_of.get(q.source_path, unit_of(q.source_path)) for q in quarantined)
    new_ledger = [
        LedgerRow(
            path,
            plan.units[path].sidecar,
            (fingerprints if fingerprints is not None else plan.fingerprints).get(path),
            PIPELINE_VERSION,
            when,
            per_unit_articles[path],
            per_unit_quarantine[path],
        )
        for path in plan.to_process
    ]
    generation = hashlib.sha256(
        "|".join(
            [plan.base_generation or "", when.isoformat(), *sorted(f"{p}:{plan.fingerprints[p]}" for p in plan.units)]
        ).encode()
    ).hexdigest()[:16]
    # The unchanged units' rows go from the published database to the new one inside DuckDB.
    try:
        store.publish(
            partial(write_tables, new=rows, quarantine=new_quarantine, ledger=new_ledger, keep_units=set(plan.unchanged)),
            generation=generation,
            expected_base=plan.base_generation,
        )
    finally:
        if isinstance(rows, StagedRows):
            rows.remove()
    return PublishSummary(True, generation, store.row_counts(), len(plan.to_process), len(plan.unchanged), len(plan.removed))


def run_pipeline(settings: Settings, limits: IngestLimits | None = None) -> PublishSummary:
    """The whole pipeline once, without Dagster (the assets call the same stages)."""
    store = WarehouseStore(settings.warehouse_dir)
    store.remove_stale_temporaries()  # left by a run that was killed (even when this one is a no-op)
    store.repair_parquet()
    plan = plan_run(settings, store)
    if plan.is_noop:
        return publish(plan, store, None, [])
    stage_in = settings.warehouse_dir  # records wait between stages on disk, not in memory
    ingested, cleaned, annotated = IngestResult(), CleanResult(), AnnotateResult()
    try:
        ingested = ingest(plan, limits or IngestLimits(max_bytes=settings.max_bytes), stage_in=stage_in)
        cleaned = clean(ingested.records, processes=settings.nlp_processes, doc_seconds=settings.doc_seconds, stage_in=stage_in)
        release_spill(ingested)  # raw text is not needed past cleaning
        annotated = annotate(
            cleaned.articles,
            model=settings.spacy_model,
            n_process=settings.nlp_processes,
            doc_seconds=settings.doc_seconds,
            stage_in=stage_in,
        )
        release_spill(cleaned)  # bodies now live in the staged rows
        return publish(
            plan,
            store,
            annotated.rows,
            [*ingested.quarantined, *cleaned.quarantined, *annotated.quarantined],
            fingerprints=ingested.fingerprints,
        )
    finally:  # every spool and staged part goes with the run, also when a stage failed part-way
        for result in (ingested, cleaned, annotated):
            release_spill(result)
