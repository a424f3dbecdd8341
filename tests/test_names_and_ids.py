"""File names that are not UTF-8, lone surrogates in records, and unique warehouse keys (issue 11, items 1 and 5).

Real files in tmp_path, the real spaCy model and real DuckDB, through `run_pipeline`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.plan import plan_run
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.schema import SCHEMAS
from pipeline.warehouse.store import WarehouseStore

from conftest import HERAT, KANDAHAR, KUNDUZ, MAZAR


def put(raw: Path, rel: bytes, data: bytes | str) -> None:
    """Write a file whose path under `raw` is given as bytes (names that are not UTF-8)."""
    path = os.path.join(os.fsencode(raw), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data.encode("utf-8") if isinstance(data, str) else data)
    finally:
        os.close(fd)


def valid_utf8(value: object) -> bool:
    """True when every string in `value` (nested lists included) encodes as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(valid_utf8(v) for v in value)
    return True


def read_all(warehouse: Path) -> dict[str, list[dict]]:
    return {name: t.to_pylist() for name, t in WarehouseStore(warehouse).read_tables().items()}


def failed_checks(warehouse: Path) -> list[str]:
    """The data-quality checks on keys and spans, as the Dagster asset checks run them."""
    from assets.defs.checks import SPAN_TABLES
    from pipeline.warehouse.schema import CONTRACT_TABLES, UNIQUE_KEYS

    failed = []
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)) as con:
        for table in CONTRACT_TABLES:
            for key in UNIQUE_KEYS[table]:
                cols = ", ".join(key)
                if con.execute(f"SELECT {cols} FROM {table} GROUP BY {cols} HAVING count(*) > 1").fetchall():
                    failed.append(f"{table}_unique_keys")
        for table in SPAN_TABLES:
            bad = con.execute(
                f"""SELECT count(*) FROM {table} t LEFT JOIN articles a USING (article_id)
                    WHERE a.body IS NULL OR substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.text"""
            ).fetchall()[0][0]
            if bad:
                failed.append(f"{table}_spans_match_body")
    return failed


# ---- item 1: file names that are not UTF-8 -------------------------------------------------------


def test_escape_rule_round_trip() -> None:
    from pipeline.textsafe import escape_name, unescape_name

    cases = {
        b"caf\xe9.txt": "caf\\xe9.txt",  # Latin-1
        b"a\\b.txt": "a\\\\b.txt",  # a literal backslash is doubled
        b"x\\xe9.txt": "x\\\\xe9.txt",  # ... so text that looks like an escape is not one
        "café.txt".encode(): "café.txt",  # valid UTF-8 stays as it is
        "北京 report.html".encode(): "北京 report.html",
        b"plain-name.json": "plain-name.json",
        b"\xed\xa0\x80.txt": "\\xed\\xa0\\x80.txt",  # an encoded surrogate is not valid UTF-8
        b"\xff\xfe": "\\xff\\xfe",
    }
    for raw, escaped in cases.items():
        assert escape_name(raw) == escaped, raw
        assert escape_name(os.fsdecode(raw)) == escaped, raw  # os-level str (surrogateescape) too
        assert unescape_name(escaped) == raw, raw
    rng = random.Random(11)
    alphabet = [b"\\", b"x", b"e", b"9", b"a", b"#", "é".encode(), b"\xe9", b"\xc3", b"\x80", b"\xff"]
    for _ in range(2000):
        raw = b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        escaped = escape_name(raw)
        escaped.encode("utf-8")  # always valid UTF-8
        assert unescape_name(escaped) == raw, raw


def test_escape_keeps_jsonl_line_paths_unambiguous() -> None:
    """A file literally named like a JSONL line ("feed.jsonl#2") must not pass for line 2 of feed.jsonl."""
    from pipeline.ingest.units import unit_of
    from pipeline.textsafe import escape_name, unescape_name

    escaped = escape_name(b"feed.jsonl#2")
    assert escaped != "feed.jsonl#2" and unit_of(escaped) == escaped
    assert unescape_name(escaped) == b"feed.jsonl#2"
    assert escape_name(b"report#1.txt") == "report#1.txt"  # any other "#" is left alone


def test_non_utf8_file_names_are_ingested_under_escaped_paths(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    put(raw, b"caf\xe9.txt", KUNDUZ)
    put(raw, b"d\xf6r/n\xe4me.txt", HERAT)  # a folder with a bad name, and a sidecar beside the file
    put(raw, b"d\xf6r/n\xe4me.meta.json", json.dumps({"title": "Attack near Herat", "url": "https://ex.com/herat"}))
    lines = [json.dumps({"text": KANDAHAR}), json.dumps({"text": MAZAR}), '{"text": broken']
    put(raw, b"f\xe9ed.jsonl", "\n".join(lines) + "\n")
    put(raw, b"f\xe9ed.jsonl#3", b"a file named like line 3 of the feed")  # must not pass for that line
    put(raw, b"back\\slash.txt", KANDAHAR.replace("Kandahar", "Ghazni"))
    put(raw, b"notes\xff.pdf", b"%PDF-1.4 not supported")
    settings = Settings(raw_dir=raw, warehouse_dir=warehouse)

    summary = run_pipeline(settings)

    assert summary.written
    tables = read_all(warehouse)
    articles = {a["source_path"]: a for a in tables["articles"]}
    assert set(articles) == {"caf\\xe9.txt", "d\\xf6r/n\\xe4me.txt", "f\\xe9ed.jsonl#1", "f\\xe9ed.jsonl#2", "back\\\\slash.txt"}
    assert articles["d\\xf6r/n\\xe4me.txt"]["title"] == "Attack near Herat"  # the sidecar was paired and read
    assert articles["d\\xf6r/n\\xe4me.txt"]["article_id"] == "https://ex.com/herat"
    assert articles["caf\\xe9.txt"]["article_id"] == "caf\\xe9.txt"
    quarantine = {q["source_path"]: q["reason"] for q in tables["quarantine"]}
    assert quarantine == {
        "f\\xe9ed.jsonl#3": "parse_error",
        "f\\xe9ed.jsonl\\x233": "unsupported_type",
        "notes\\xff.pdf": "unsupported_type",
    }
    assert all(valid_utf8(v) for rows in tables.values() for row in rows for v in row.values())
    for table in ("articles", "quarantine", "ingest_ledger"):  # the Parquet copy holds the same rows
        assert pq.read_table(warehouse / "parquet" / table).num_rows == len(tables[table])
    # Each escaped path decodes back to the real file's bytes.
    from pipeline.ingest.units import unit_of
    from pipeline.textsafe import unescape_name

    assert unescape_name("caf\\xe9.txt") == b"caf\xe9.txt"
    for path in [*articles, *quarantine, *(r["source_path"] for r in tables["ingest_ledger"])]:
        real = os.path.join(os.fsencode(raw), *(unescape_name(part) for part in unit_of(path).split("/")))
        assert os.path.isfile(real), path
    assert not failed_checks(warehouse)

    # A second run over the same files does nothing.
    assert plan_run(settings).is_noop
    assert not run_pipeline(settings).written


# ---- item 1: lone surrogates in records ----------------------------------------------------------

# json.dumps writes a lone surrogate as the escape "\ud800", just as a broken exporter does.
JSON_RECORD = {
    "text": "Rebel forces attacked \ud800 an army base near Herat on Tuesday, the Defence Ministry said.\n\n"
    "At least 45 civilians were killed in the attack and 12 soldiers were captured by the rebels \udfff.\n",
    "title": "Attack \ud800 near Herat",
    "url": "https://ex.com/herat/\udc80",
    "publisher": "Herat \udbff Times",
    "published": "2021-07-23T10:00:00\ud800",
}
JSONL_RECORD = {
    "maintext": KANDAHAR.replace("bazaar", "bazaar \udc00"),
    "title": "\udbffKandahar",
    "source_domain": "ex\ud800.com",
}
JSON_LD_PAGE = """<html><head><title>Mazar</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Prisoners \\ud800 freed",
 "url": "https://ex.com/mazar\\udfff", "author": {"name": "Laila \\udc00 Ahmadzai"}, "publisher": {"name": "Mazar \\ud800 News"}}
</script></head><body><article><p>%s</p></article></body></html>"""


def test_lone_surrogates_in_records_are_replaced_and_the_articles_kept(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    put(raw, b"s.json", json.dumps(JSON_RECORD))
    put(raw, b"feed.jsonl", json.dumps({"text": KUNDUZ}) + "\n" + json.dumps(JSONL_RECORD) + "\n")
    put(raw, b"side.txt", HERAT.replace("Herat", "Farah"))
    put(raw, b"side.meta.json", json.dumps({"title": "Farah \ud800 attack", "publisher": "\udfffPajhwok"}))
    put(raw, b"page.html", JSON_LD_PAGE % MAZAR.replace("\n\n", "</p><p>"))

    summary = run_pipeline(Settings(raw_dir=raw, warehouse_dir=warehouse))

    assert summary.written
    tables = read_all(warehouse)
    assert all(valid_utf8(v) for rows in tables.values() for row in rows for v in row.values())
    articles = {a["source_path"]: a for a in tables["articles"]}
    assert set(articles) == {"s.json", "feed.jsonl#1", "feed.jsonl#2", "side.txt", "page.html"}
    assert not tables["quarantine"]
    s = articles["s.json"]
    assert s["title"] == "Attack \ufffd near Herat"
    assert s["source_url"] == "https://ex.com/herat/\ufffd" == s["article_id"]
    assert s["publisher"] == "Herat \ufffd Times"
    assert "attacked \ufffd an army base" in s["body"] and "45 civilians" in s["body"]
    assert articles["feed.jsonl#2"]["title"] == "\ufffdKandahar"
    assert "bazaar \ufffd" in articles["feed.jsonl#2"]["body"] and "3,000 residents" in articles["feed.jsonl#2"]["body"]
    assert articles["side.txt"]["title"] == "Farah \ufffd attack"
    assert articles["page.html"]["title"] == "Prisoners \ufffd freed"
    by_article = {a["article_id"]: 0 for a in tables["articles"]}
    for f in tables["figures"]:
        by_article[f["article_id"]] += 1
    assert by_article[s["article_id"]] >= 2  # the NLP ran on the repaired text
    assert not failed_checks(warehouse)


def test_rows_with_surrogates_never_reach_the_arrow_writer() -> None:
    """The last guard: whatever produced the strings, rows become valid Arrow tables."""
    from pipeline.records import ArticleBundle, CleanArticle, LedgerRow, QuarantineRecord, QuarantineRow, Sentence
    from pipeline.warehouse.assemble import finalize
    from pipeline.warehouse.local import local_from_bundles

    body = "Body \udce9 text."
    article = CleanArticle("x\udce9.txt", "0" * 64, "text", body, len(body), title="T\ud800", byline="\udfffBy")
    bundle = ArticleBundle(article, [Sentence("x\udce9.txt", 0, 0, len(body), body)], [], [], datetime(2024, 1, 1), "v")
    local = local_from_bundles([bundle])
    when = datetime(2024, 1, 1)
    quarantine = [QuarantineRow(QuarantineRecord("q\udcff.pdf", None, "decode_error", "could not read q\udcff.pdf"), when)]
    ledger = [LedgerRow("q\udcff.pdf", "s\ud800.meta.json", None, "v", when, 0, 1)]
    tables = finalize(local, quarantine, ledger)
    assert tables["articles"].column("title").to_pylist() == ["T\ufffd"]
    assert tables["articles"].column("article_id").to_pylist() == ["x\ufffd.txt"]
    assert tables["sentences"].column("text").to_pylist() == ["Body \ufffd text."]
    assert tables["quarantine"].column("source_path").to_pylist() == ["q\ufffd.pdf"]
    assert tables["ingest_ledger"].column("sidecar_path").to_pylist() == ["s\ufffd.meta.json"]


# ---- item 5: unique article ids ------------------------------------------------------------------


def _ids_by_path(warehouse: Path) -> dict[str, str]:
    return {a["source_path"]: a["article_id"] for a in read_all(warehouse)["articles"]}


def _assert_rows_not_mixed(warehouse: Path, bodies: dict[str, str]) -> None:
    """Each article's sentences are its own: their texts lie in its body and nowhere else."""
    tables = read_all(warehouse)
    ids = {a["source_path"]: a["article_id"] for a in tables["articles"]}
    assert len(set(ids.values())) == len(ids) == len(bodies)
    for path, body_word in bodies.items():
        own = " ".join(s["text"] for s in tables["sentences"] if s["article_id"] == ids[path])
        assert body_word in own, path
        assert not any(other in own for p, other in bodies.items() if p != path), path
    assert not failed_checks(warehouse)


def test_relative_url_equal_to_another_files_path_gets_its_own_id(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    put(raw, b"a.txt", KUNDUZ)
    put(raw, b"b.json", json.dumps({"text": HERAT, "url": "a.txt"}))
    put(raw, b"feed.jsonl", json.dumps({"text": KANDAHAR}) + "\n" + json.dumps({"text": MAZAR}) + "\n")
    put(raw, b"c.json", json.dumps({"text": MAZAR.replace("Mazar-e-Sharif", "Jalalabad"), "url": "feed.jsonl#2"}))

    run_pipeline(Settings(raw_dir=raw, warehouse_dir=warehouse))

    ids = _ids_by_path(warehouse)
    assert ids["a.txt"] == "a.txt" and ids["feed.jsonl#2"] == "feed.jsonl#2"  # a file's path is its id
    assert ids["b.json"] not in ("a.txt",) and ids["c.json"] != "feed.jsonl#2"
    words = {"a.txt": "Kunduz", "b.json": "Herat", "feed.jsonl#1": "Kandahar", "feed.jsonl#2": "Mazar", "c.json": "Jalalabad"}
    _assert_rows_not_mixed(warehouse, words)


def test_url_equal_to_a_generated_id_gets_its_own_id(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    put(raw, b"b.json", json.dumps({"text": KUNDUZ, "url": "https://ex.com/1#d.json"}))
    put(raw, b"c.json", json.dumps({"text": HERAT, "url": "https://ex.com/1"}))
    put(raw, b"d.json", json.dumps({"text": KANDAHAR, "url": "https://ex.com/1"}))
    put(raw, b"e.json", json.dumps({"text": MAZAR, "url": "https://ex.com/1#d.json"}))

    run_pipeline(Settings(raw_dir=raw, warehouse_dir=warehouse))

    ids = _ids_by_path(warehouse)
    assert ids["b.json"] == "https://ex.com/1#d.json" and ids["c.json"] == "https://ex.com/1"
    _assert_rows_not_mixed(warehouse, {"b.json": "Kunduz", "c.json": "Herat", "d.json": "Kandahar", "e.json": "Mazar"})


def test_article_ids_are_unique_deterministic_and_ordinary_ids_unchanged() -> None:
    from pipeline.warehouse.assemble import ArticleKey, assign_article_ids

    def keys(pairs: list[tuple[str, str | None]]) -> list[ArticleKey]:
        return [ArticleKey(path, url, None, path) for path, url in pairs]

    ordinary = [
        ("a.txt", None),
        ("b.json", "https://ex.com/1"),
        ("c.json", "https://ex.com/1"),
        ("feed.jsonl#3", "https://ex.com/2"),
        ("report#1.txt", None),
    ]
    # The rule as it always was, when nothing collides.
    assert assign_article_ids(keys(ordinary)) == {
        "a.txt": "a.txt",
        "b.json": "https://ex.com/1",
        "c.json": "https://ex.com/1#c.json",
        "feed.jsonl#3": "https://ex.com/2",
        "report#1.txt": "report#1.txt",
    }
    rng = random.Random(5)
    paths = ["a.txt", "b.json", "c.json", "d.json", "x#y.txt", "f.jsonl#1", "f.jsonl#2"]
    urls = [None, "a.txt", "u", "u#b.json", "u#c.json", "u#d.json", "u#c.json#2", "f.jsonl#1", "x#y.txt"]
    for _ in range(3000):
        chosen = rng.sample(paths, rng.randint(1, len(paths)))
        articles = keys([(p, rng.choice(urls)) for p in chosen])
        ids = assign_article_ids(articles)
        assert sorted(ids) == sorted(chosen)
        assert len(set(ids.values())) == len(ids), articles
        assert assign_article_ids(list(reversed(articles))) == ids  # independent of input order
        for art in articles:  # a file without a URL is always known by its path
            if art.source_url is None:
                assert ids[art.source_path] == art.source_path


# ---- item 5: a build with duplicate keys is never published ----------------------------------------


def _tables(**rows: list[dict]) -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(rows.get(name, []), schema=schema) for name, schema in SCHEMAS.items()}


def _article(article_id: str, path: str) -> dict:
    when = datetime(2024, 1, 1)
    return dict(
        article_id=article_id, source_path=path, source_url=None, content_sha256="0" * 64, source_format="text",
        title=None, publisher=None, agency=None, published_at=None, body="Some text.", n_chars_raw=10,
        duplicate_of=None, ingested_at=when, pipeline_version="v", byline=None,
    )  # fmt: skip


def _sentence(article_id: str, idx: int) -> dict:
    return dict(article_id=article_id, sentence_idx=idx, char_start=0, char_end=4, text="Some")


def _entity(entity_id: str) -> dict:
    return dict(entity_id=entity_id, name="Taliban", label="ORG", n_mentions=1, n_articles=1, aliases=[])


def _figure(figure_id: str, article_id: str) -> dict:
    return dict(
        figure_id=figure_id, article_id=article_id, sentence_idx=0, text="Some", value=1.0, value_low=None,
        value_high=None, qualifier="exact", category="other", counted=None, group_entity_id=None,
        location_entity_id=None, attributed_to=None, char_start=0, char_end=4, is_negated=False,
        is_cumulative=False, is_contested=False,
    )  # fmt: skip


def _quarantine(path: str) -> dict:
    return dict(source_path=path, content_sha256=None, reason="empty", detail="x is empty.", seen_at=datetime(2024, 1, 1))


DUPLICATED = {
    "articles": (dict(articles=[_article("a", "a.txt"), _article("a", "b.txt")]), "article_id"),
    "articles_path": (dict(articles=[_article("a", "a.txt"), _article("b", "a.txt")]), "source_path"),
    "sentences": (dict(articles=[_article("a", "a.txt")], sentences=[_sentence("a", 0), _sentence("a", 0)]), "sentence_idx"),
    "entities": (dict(entities=[_entity("e1"), _entity("e1")]), "entity_id"),
    "figures": (dict(articles=[_article("a", "a.txt")], figures=[_figure("f1", "a"), _figure("f1", "a")]), "figure_id"),
    "quarantine": (dict(quarantine=[_quarantine("q.txt"), _quarantine("q.txt")]), "source_path"),
}


@pytest.mark.parametrize("case", sorted(DUPLICATED))
def test_a_build_with_duplicate_keys_is_not_published(tmp_path: Path, case: str) -> None:
    store = WarehouseStore(tmp_path / "wh")
    store.publish(_tables(articles=[_article("a", "a.txt")]), generation="g1", expected_base=None)
    files = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"}
    rows, key = DUPLICATED[case]
    table = case.split("_")[0]

    with pytest.raises(RuntimeError, match="refusing to publish") as failure:
        store.publish(_tables(**rows), generation="g2", expected_base="g1")

    message = str(failure.value)
    assert type(failure.value).__name__ == "DuplicateKeyError"
    assert f"table {table} " in message and key in message
    assert store.generation() == "g1"
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"} == files

    # The same refusal when the rows are filled in by a function (how runs publish).
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        for name, t in _tables(**rows).items():
            con.register("src", t)
            con.execute(f'INSERT INTO w."{name}" SELECT * FROM src')
            con.unregister("src")

    with pytest.raises(RuntimeError, match=f"table {table} "):
        store.publish(fill, generation="g3", expected_base="g1")
    assert store.generation() == "g1"
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"} == files


def test_a_warehouse_written_with_shared_ids_recovers(tmp_path: Path) -> None:
    """A warehouse published before ids were unique (two articles, one id, their rows mixed) does
    not block later runs: the articles involved are read again and get ids of their own."""
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    put(raw, b"a.txt", KUNDUZ)
    put(raw, b"b.json", json.dumps({"text": HERAT, "url": "https://ex.com/b"}))
    put(raw, b"c.txt", KANDAHAR)
    settings = Settings(raw_dir=raw, warehouse_dir=warehouse)
    run_pipeline(settings)
    # Write what the old id rule wrote for b.json with the url "a.txt": a.txt's id, rows mixed.
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"))) as con:
        for table in ("articles", "boilerplate", "sentences", "mentions", "figures"):
            con.execute(f"UPDATE {table} SET article_id = 'a.txt' WHERE article_id = 'https://ex.com/b'")
    assert WarehouseStore(warehouse).shared_id_units() == {"a.txt", "b.json"}
    put(raw, b"b.json", json.dumps({"text": HERAT, "url": "a.txt"}))  # the record that caused it

    run_pipeline(settings)  # publishes (no refusal) without carrying the mixed rows over
    if plan_run(settings).to_process:  # read again now, or by the next run
        run_pipeline(settings)

    assert _ids_by_path(warehouse) == {"a.txt": "a.txt", "b.json": "a.txt#b.json", "c.txt": "c.txt"}
    assert WarehouseStore(warehouse).shared_id_units() == set()
    _assert_rows_not_mixed(warehouse, {"a.txt": "Kunduz", "b.json": "Herat", "c.txt": "Kandahar"})
    assert plan_run(settings).is_noop
