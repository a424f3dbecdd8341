"""Figures on the labelled seeds (through the whole pipeline), and number parsing."""

from __future__ import annotations

import pytest

from conftest import SEED_NAMES, required_figures
from pipeline.figures.categories import CATEGORIES
from pipeline.figures.numbers import parse_number, vague_bounds
from pipeline.figures.phrases import QUALIFIERS


def _article(tables: dict, name: str) -> dict:
    return next(a for a in tables["articles"] if a["source_path"] == name)


def _entity_name(tables: dict, entity_id: str | None) -> str | None:
    return next((e["name"] for e in tables["entities"] if e["entity_id"] == entity_id), None)


def _figure_for(tables: dict, name: str, gold_fig: dict) -> dict | None:
    """The extracted figure overlapping the gold span, with the gold value."""
    article = _article(tables, name)
    body = article["body"].replace("\u2013", "-")
    start = body.find(gold_fig["text"].replace("\u2013", "-"))
    assert start >= 0, f"gold span {gold_fig['text']!r} not in the body"
    end = start + len(gold_fig["text"])
    figures = [
        f
        for f in tables["figures"]
        if f["article_id"] == article["article_id"] and f["char_start"] < end and f["char_end"] > start
    ]
    return figures[0] if len(figures) == 1 else next((f for f in figures if f["value"] == gold_fig["value"]), None)


@pytest.mark.parametrize("name, gold_fig", required_figures(), ids=[f"{n[:3]}:{g['text'][:40]}" for n, g in required_figures()])
def test_required_seed_figure(name: str, gold_fig: dict, tables: dict) -> None:
    fig = _figure_for(tables, name, gold_fig)
    assert fig is not None, f"no figure extracted for {gold_fig['text']!r}"
    assert fig["value"] == gold_fig["value"]
    assert fig["qualifier"] == gold_fig["qualifier"]
    assert fig["category"] in gold_fig["category"]
    if gold_fig["qualifier"] == "vague":
        assert fig["value_low"] == gold_fig["low"]
    for key, column in (("group", "group_entity_id"), ("location", "location_entity_id")):
        if gold_fig[key] is not None:
            assert _entity_name(tables, fig[column]) == gold_fig[key], key
    if gold_fig["attributed_to"] is not None:
        assert fig["attributed_to"] == gold_fig["attributed_to"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_not_figures_are_not_extracted(name: str, tables: dict, gold: dict) -> None:
    article = _article(tables, name)
    texts = [f["text"] for f in tables["figures"] if f["article_id"] == article["article_id"]]
    for bad in gold["articles"][name]["not_figures"]:
        assert not any(bad in t for t in texts), f"{bad!r} taken as a figure: {texts}"


def test_figures_never_come_from_removed_boilerplate(tables: dict) -> None:
    removed = "\n".join(b["text"] for b in tables["boilerplate"])
    assert "27 million" in removed
    assert not any("27 million" in f["text"] for f in tables["figures"])


@pytest.mark.parametrize(
    "sentence, flag, value, category",
    [
        ("No civilians were killed in the strike, the army said.", "is_negated", 0, "killed"),
        ("None of the soldiers was hurt in the attack.", "is_negated", 0, "wounded"),
        ("The death toll rose to 45 on Sunday, health officials said.", "is_cumulative", 45, "killed"),
        ("A total of 300 people have died since January, according to the United Nations.", "is_cumulative", 300, "killed"),
        ("The Pentagon denied claims that 160 captured soldiers were shot.", "is_contested", 160, "killed"),
    ],
)
def test_flags(sentence: str, flag: str, value: float, category: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.figures import extract_figures

    # One sentence, not an article: the conflict-context gate (tests/test_figures_context.py) is off.
    monkeypatch.setattr("pipeline.figures.context.MIN_CUES", 0)
    monkeypatch.setattr("pipeline.figures.context.MIN_CUES_PER_1000_WORDS", 0.0)
    from pipeline.nlp import doc_mentions, doc_sentences, load_nlp

    doc = load_nlp()(sentence)
    sentences = doc_sentences("t", doc)
    figures = extract_figures("t", doc, sentences, doc_mentions("t", doc, sentences))
    assert [(f.value, f.category, getattr(f, flag)) for f in figures] == [(value, category, True)]
    others = {"is_negated", "is_cumulative", "is_contested"} - {flag}
    assert not any(getattr(figures[0], o) for o in others)


def test_denying_responsibility_does_not_contest_the_toll() -> None:
    from pipeline.figures import extract_figures
    from pipeline.nlp import doc_mentions, doc_sentences, load_nlp

    doc = load_nlp()("The Taliban denied responsibility for the blast, which killed 12 people.")
    sentences = doc_sentences("t", doc)
    [figure] = extract_figures("t", doc, sentences, doc_mentions("t", doc, sentences))
    assert (figure.value, figure.category, figure.is_contested) == (12, "killed", False)


def test_figure_ids_are_unique_and_categories_in_contract(tables: dict) -> None:
    ids = [f["figure_id"] for f in tables["figures"]]
    assert len(ids) == len(set(ids))
    assert {f["category"] for f in tables["figures"]} <= set(CATEGORIES)
    assert {f["qualifier"] for f in tables["figures"]} <= set(QUALIFIERS)


def test_rule_data_names_only_known_categories() -> None:
    from pipeline.figures import lexicon as lx

    tables = [lx.PATIENT_VERBS, lx.SUBJECT_VERBS, lx.PREDICATE_ADJECTIVES, lx.FRAME_NOUNS, lx.TOLL_MODIFIERS]
    assert {category for table in tables for category in table.values()} <= set(CATEGORIES)


def test_word_list_entries_are_single_tokens() -> None:
    """Lookups compare one token's lemma or text: an entry with a space could never match."""
    import json
    from importlib import resources

    data = resources.files("pipeline.figures").joinpath("data")
    for file in (f for f in data.iterdir() if f.name.endswith(".json")):
        for key, entry in json.loads(file.read_text(encoding="utf-8")).items():
            if key in ("about", "countries", "surrender_phrases"):  # countries are matched against whole mentions
                continue
            words = entry.get("words") or [w for ws in entry["by_category"].values() for w in ws]
            assert not [w for w in words if " " in w], (file.name, key)


@pytest.mark.parametrize(
    "words, value",
    [
        (["5,000"], 5000),
        (["1.5", "million"], 1_500_000),
        (["two"], 2),
        (["twenty"], 20),
        (["a", "dozen"], 12),
        (["Two", "thousand", "five", "hundred"], 2500),
        (["twenty-five"], 25),
        (["B-52"], None),
        (["several"], None),
    ],
)
def test_parse_number(words: list[str], value: float | None) -> None:
    assert parse_number(words) == value


def test_vague_bounds_table() -> None:
    table = vague_bounds()
    assert table["several"] == (2, None)  # "several insurgents": at least 2
    assert table["thousands"] == (1000, None)
    assert table["several hundred"] == (200, None)
    assert table["tens of thousands"][0] == 10000


@pytest.mark.parametrize(
    "sentence, value, qualifier, category",
    [
        ("Between 300 and 400 fighters attacked the base at dawn, officials said.", None, "range", "troops"),
        ("Nearly 40 civilians were killed in the shelling of the market.", 40, "at_most", "killed"),
        ("The rebels captured 25 soldiers and seized two tanks near the border.", 25, "exact", "captured"),
        ("Dozens of villagers fled their homes as the fighting spread.", None, "vague", "displaced"),
        ("The bomber was a 25-year-old man from the town, police said in 2019.", None, None, None),
        ("Militants freed 30 hostages on Monday after talks with tribal elders.", 30, "exact", "released"),
        ("Gunmen killed 12 villagers and abducted 30 others near the border.", 12, "exact", "killed"),
        ("A dozen gunmen attacked the checkpoint before dawn.", 12, "exact", "troops"),
        ("Five soldiers remain missing after the ambush in the valley.", 5, "exact", "missing"),
        ("The attack left 20 dead in the market, police said.", 20, "exact", "killed"),
        ("About 150 insurgents surrendered to the army on Friday.", 150, "approx", "surrendered"),
        ("More than 2,000 families have fled the fighting, the UN said.", 2000, "at_least", "displaced"),
        ("The commander, aged 34, was seen on Highway 1 with $5 million in cash.", None, None, None),
    ],
)
def test_extract_figures_from_sentences(sentence: str, value, qualifier, category) -> None:
    from pipeline.figures import extract_figures
    from pipeline.nlp import doc_mentions, doc_sentences, load_nlp

    doc = load_nlp()(sentence)
    sentences = doc_sentences("t", doc)
    figures = extract_figures("t", doc, sentences, doc_mentions("t", doc, sentences))
    if category is None:
        assert figures == []
        return
    first = figures[0]
    assert (first.value, first.qualifier, first.category) == (value, qualifier, category)
    assert sentence[first.char_start : first.char_end] == first.text
