"""Clean: boilerplate removal over every raw record, in forked workers, then corpus-wide repeats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline.budget import DocumentTimeout, time_limit
from pipeline.parallel import iter_chunks
from pipeline.records import CleanArticle, QuarantineRecord, RawRecord
from pipeline.spool import Spool, discard
from pipeline.stages import quarantine
from pipeline.stages.carried import Carried


@dataclass
class CleanResult:
    articles: list[CleanArticle] | Spool[CleanArticle] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)  # boilerplate pieces per kind
    # Pages on which a third-party parser warned (the messages go to a DEBUG log, see clean/chatter.py).
    pages_with_parser_warnings: int = 0
    carried: Carried | None = None  # set by the stage chain (`pipeline.run`)


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
                elif isinstance(item, int):  # the chunk's count of pages a parser warned on
                    result.pages_with_parser_warnings += item
                else:
                    result.quarantined.append(item)
        # Second pass: the list is updated in place, a spool is copied to a new one.
        result.articles = first if isinstance(first, list) else Spool(stage_in, "clean-articles")
        for article in first:
            repeats.apply(article)
            result.removed.update(p.kind for p in article.boilerplate)
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


def _clean_chunk(records: Sequence[RawRecord], doc_seconds: float | None = None) -> list[CleanArticle | QuarantineRecord | int]:
    """Clean a chunk of records in one process; a record that fails becomes its quarantine record.

    The last item is how many of the chunk's pages made a third-party parser warn: each forked
    worker counts its own, so the count travels back with the chunk.
    """
    from pipeline.clean import clean_record
    from pipeline.clean.chatter import take_noisy_pages

    take_noisy_pages()  # a count left over in this process belongs to no chunk

    out: list[CleanArticle | QuarantineRecord | int] = []
    for record in records:
        try:
            with time_limit(doc_seconds):
                article = clean_record(record)
        except DocumentTimeout as exc:
            out.append(quarantine.timed_out(record, "Removing boilerplate from this document", exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad record never fails a run
            out.append(quarantine.failed(record, "The cleaner failed on this record", exc))
            continue
        if not article.body.strip():
            kinds = Counter(p.kind for p in article.boilerplate)
            out.append(quarantine.no_article_text(record, ", ".join(f"{n} {k}" for k, n in kinds.most_common(3)) or "nothing"))
            continue
        out.append(article)
    out.append(take_noisy_pages())
    return out
