"""Records spooled between stages: on disk, read back in order, and cleaned up."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import RAW
from pipeline.ingest import IngestLimits
from pipeline.parallel import READ_AHEAD, iter_chunks
from pipeline.records import RawRecord
from pipeline.plan import plan_run
from pipeline.settings import Settings
from pipeline.spool import Spool, discard
from pipeline.stages.clean import clean
from pipeline.stages.ingest import ingest
from pipeline.warehouse.store import WarehouseStore


def test_a_spool_reads_back_what_was_written_in_order_as_often_as_needed(tmp_path: Path) -> None:
    spool: Spool[dict] = Spool(tmp_path)
    spool.extend({"i": i, "text": "x" * i} for i in range(500))
    assert len(spool) == 500
    assert [r["i"] for r in spool] == list(range(500))
    assert [r["i"] for r in spool] == list(range(500))  # a second pass
    with pytest.raises(ValueError, match="sealed"):
        spool.append({"i": 500})


def test_a_spool_pickles_as_its_manifest_not_its_records(tmp_path: Path) -> None:
    spool: Spool[str] = Spool(tmp_path)
    spool.extend("y" * 10_000 for _ in range(100))
    manifest = pickle.dumps(spool)
    assert len(manifest) < 1_000  # the Dagster IO manager stores this, not a megabyte of text
    again = pickle.loads(manifest)
    assert len(again) == 100 and next(iter(again)) == "y" * 10_000
    discard(again)
    assert not spool.path.exists()
    with pytest.raises(FileNotFoundError, match="run the whole job again"):
        list(spool)


def test_a_killed_runs_spool_is_removed_by_the_next_run(tmp_path: Path) -> None:
    spool: Spool[int] = Spool(tmp_path)
    spool.extend(range(3))
    spool.seal()
    dead = tmp_path / ".raw-records.999999999-0123456789ab.tmp"  # no such process
    spool.path.rename(dead)
    alive: Spool[int] = Spool(tmp_path)  # this process's: kept
    assert WarehouseStore(tmp_path).remove_stale_temporaries() == 1
    assert not dead.exists() and alive.path.exists()


def test_iter_chunks_reads_a_stream_only_a_few_chunks_ahead() -> None:
    pulled: list[int] = []

    def stream():
        for i in range(2_000):
            pulled.append(i)
            yield i

    chunks = iter_chunks(_double, stream(), processes=2, chunk_size=10)
    first = next(chunks)
    # Pool.imap would have queued the whole stream by now; the window is a few chunks per worker.
    assert first == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert len(pulled) <= (2 * READ_AHEAD + 2) * 10
    rest = [x for chunk in chunks for x in chunk]
    assert first + rest == [2 * i for i in range(2_000)]


def _double(xs: list[int]) -> list[int]:
    return [2 * x for x in xs]


def test_staged_ingest_and_clean_give_the_same_articles_as_in_memory(tmp_path: Path) -> None:
    settings = Settings(raw_dir=RAW, warehouse_dir=tmp_path / "wh")
    plan = plan_run(settings)
    in_memory = clean(ingest(plan, IngestLimits()).records)
    staged_ingest = ingest(plan, IngestLimits(), stage_in=settings.warehouse_dir)
    assert isinstance(staged_ingest.records, Spool)
    assert all(isinstance(r, RawRecord) for r in staged_ingest.records)
    staged = clean(staged_ingest.records, processes=2, stage_in=settings.warehouse_dir)
    discard(staged_ingest.records)
    assert isinstance(staged.articles, Spool)
    assert [vars(a) for a in staged.articles] == [vars(a) for a in in_memory.articles]
    assert staged.removed == in_memory.removed
    # The first-pass spool is gone; only the result's is left, until it is discarded.
    assert [p for p in settings.warehouse_dir.iterdir()] == [staged.articles.path]
    discard(staged.articles)
    assert list(settings.warehouse_dir.iterdir()) == []


def test_repeated_paragraphs_are_found_across_a_spooled_run(tmp_path: Path) -> None:
    story = (
        "Taliban fighters attacked a checkpoint in Kunduz province on Tuesday, killing at least four police officers, "
        "a provincial spokesman said."
    )
    records = [
        RawRecord(
            f"dispatch/{i}.txt",
            f"{i:064d}",
            "text",
            text=f"Story {i}. {story}\n\nFollow our live coverage of the war in Afghanistan\n\nReporting paragraph {i} on the fighting.",
            publisher="Frontier Dispatch",
        )
        for i in range(40)
    ]
    staged = clean(iter(records), processes=2, stage_in=tmp_path)  # a stream in, a spool out
    bodies = [a.body for a in staged.articles]
    assert len(bodies) == 40 and not any("live coverage" in b for b in bodies)
    assert staged.removed["repeated_text"] == 40
    assert [a.body for a in clean(records).articles] == bodies
    discard(staged.articles)


def test_annotate_failing_part_way_removes_the_rows_it_staged(tmp_path: Path) -> None:
    from pipeline.records import CleanArticle
    from pipeline.stages.annotate import ROWS_BATCH, annotate

    body = "Taliban fighters attacked a checkpoint in Kunduz province on Tuesday, killing {} police officers."
    articles: Spool[CleanArticle] = Spool(tmp_path, "clean-articles")
    for i in range(ROWS_BATCH + 64):
        text = body.format(i + 2)
        articles.append(CleanArticle(f"a/{i}.txt", f"{i:064d}", "text", text, len(text)))
    articles.seal()
    # The spool breaks after a first batch of rows was staged (a disk that filled up, a bad sector).
    with open(articles.path, "r+b") as fh:
        for _ in range(ROWS_BATCH + 32):
            pickle.load(fh)
        fh.truncate(fh.tell() + 10)
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        annotate(articles, stage_in=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [articles.path.name]  # no .staging.* folder left
    discard(articles)
