"""Canonical entities on the seeds: alias sets merged, nothing from boilerplate."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from conftest import GOLD
from pipeline.entities.resolve import resolve_entities, resolve_entity_columns
from pipeline.records import Mention
from pipeline.warehouse.entities import resolve_mentions


def _norm(text: str) -> str:
    return text.removesuffix("’s").removesuffix("'s")


@pytest.mark.parametrize("canonical", sorted(GOLD["entities"]))
def test_aliases_resolve_to_one_canonical_entity(canonical: str, tables: dict, gold: dict) -> None:
    spec = gold["entities"][canonical]
    by_id = {e["entity_id"]: e for e in tables["entities"]}
    linked = {by_id[m["entity_id"]]["name"] for m in tables["mentions"] if _norm(m["text"]) in spec["aliases"]}
    assert linked == {canonical}, f"{spec['aliases']} resolve to {linked}"
    entity = next(e for e in tables["entities"] if e["name"] == canonical)
    assert entity["label"] == spec["label"]


@pytest.mark.parametrize("name", GOLD["not_entities"])
def test_no_entity_from_boilerplate(name: str, tables: dict) -> None:
    assert name not in {e["name"] for e in tables["entities"]}
    assert not any(m["text"] == name for m in tables["mentions"])


def test_entity_counts_match_mentions(tables: dict) -> None:
    for e in tables["entities"]:
        ms = [m for m in tables["mentions"] if m["entity_id"] == e["entity_id"]]
        assert e["n_mentions"] == len(ms)
        assert e["n_articles"] == len({m["article_id"] for m in ms})


def test_partial_names_link_within_an_article_but_single_words_not_across() -> None:
    mentions = [
        Mention("a", 0, "Qari Amadullah", "PERSON", 0, 14),
        Mention("a", 1, "Amadullah", "PERSON", 20, 29),
        Mention("b", 0, "Amadullah", "PERSON", 0, 9),
        Mention("c", 0, "Mullah Omar", "PERSON", 0, 11),
        Mention("d", 0, "Mullah Mohammed Omar", "PERSON", 0, 20),
    ]
    ids, entities = resolve_entities(mentions)
    assert ids[0] == ids[1] != ids[2]
    assert ids[3] == ids[4]
    assert {e.name for e in entities} >= {"Qari Amadullah", "Amadullah", "Mullah Mohammed Omar"}


def test_entity_ids_are_stable_digests_of_the_name() -> None:
    ids1, _ = resolve_entities([Mention("a", 0, "Taleban", "ORG", 0, 7)])
    ids2, _ = resolve_entities([Mention("z", 3, "TALIBAN", "NORP", 5, 12), Mention("y", 0, "Kabul", "GPE", 0, 5)])
    assert ids1[0] == ids2[0]


def test_spellings_and_partial_names_merge_across_articles() -> None:
    from pipeline.nlp import doc_mentions, doc_sentences, load_nlp

    nlp = load_nlp()
    texts = {
        "a.txt": "Taleban fighters entered Mazar-i-Sharif on Friday. Osama bin Laden was said to be in Kandahar.",
        "b.txt": "The Taliban lost Mazar-e-Sharif. US officials said bin Laden had fled, and Mullah Omar was hiding.",
        "c.txt": "Mullah Muhammad Omar, the Taliban leader, met commanders in Mazar. Omar later left for Kandahar.",
    }
    mentions = []
    for name, text in texts.items():
        doc = nlp(text)
        mentions += doc_mentions(name, doc, doc_sentences(name, doc))
    ids, entities = resolve_entities(mentions)
    name_of = {e.entity_id: e.name for e in entities}
    resolved = {(m.source_path, m.text): name_of[i] for m, i in zip(mentions, ids)}
    assert resolved[("a.txt", "Taleban")] == resolved[("b.txt", "Taliban")] == "Taliban"
    assert (
        resolved[("a.txt", "Mazar-i-Sharif")]
        == resolved[("b.txt", "Mazar-e-Sharif")]
        == resolved[("c.txt", "Mazar")]
        == "Mazar-e-Sharif"
    )
    assert resolved[("a.txt", "Osama bin Laden")] == resolved[("b.txt", "bin Laden")] == "Osama bin Laden"
    assert resolved[("b.txt", "Mullah Omar")] == resolved[("c.txt", "Omar")] == "Mullah Mohammed Omar"


@pytest.mark.parametrize("per_batch", [1, 2, 500])
def test_resolution_streamed_through_duckdb_equals_resolution_in_memory(per_batch: int, tables: dict) -> None:
    """The warehouse resolves a batch of articles at a time; links still cross batch bounds."""
    rows = [(m["article_id"], m["text"], m["label"], None) for m in tables["mentions"]]
    rows += [  # a partial person name in one article, the full one only in a later one
        ("x-first", "Haqani Zadran", "PERSON", None),
        ("x-first", "Zadran", "PERSON", None),
        ("z-last", "Karim Haqani Zadran", "PERSON", None),
        ("z-last", "Taleban", "ORG", "Taliban"),
    ]
    paths, texts, labels, hints = (list(c) for c in zip(*rows))
    ids, entities = resolve_entity_columns(paths, texts, labels, hints)

    con = duckdb.connect()
    con.register(
        "l_mentions",
        pa.table({"source_path": paths, "text": texts, "label": labels, "canonical_hint": pa.array(hints, pa.string())}),
    )
    streamed = resolve_mentions(con, articles_per_batch=per_batch)
    id_of = {(p, t, lab): i for p, t, lab, _, i in con.sql("SELECT * FROM mention_entity").fetchall()}
    assert [id_of[(p, t, lab)] for p, t, lab in zip(paths, texts, labels)] == ids
    assert [vars(e) for e in streamed] == [vars(e) for e in entities]
    name_of = {e.entity_id: e.name for e in entities}
    assert {name_of[i] for p, i in zip(paths, ids) if p == "x-first"} == {"Karim Haqani Zadran"}
