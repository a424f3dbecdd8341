"""In-body chrome recognised by its features (issue 13): captions with credits, wire notes and
bylines, calls to action, teasers, embedded posts, link lists; and wire datelines moved to columns.

The labelled lines are in `tests/data/chrome_lines.tsv` (how they were labelled is at its top).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RAW
from pipeline.clean import clean_record
from pipeline.clean.options import HTML_PRESET, TEXT_PRESET, CleanOptions
from pipeline.clean.text import clean_text
from pipeline.clean.vocabulary import terms
from pipeline.records import BOILERPLATE_KINDS, RawRecord

STORY = "Taliban fighters attacked checkpoints on the edge of the city overnight, provincial officials said on Tuesday."
AFTER = "About 200 families fled toward the camps near the river, an aid worker said on Wednesday."


def _labelled() -> list[tuple[str, str]]:
    rows = []
    for line in (Path(__file__).parent / "data" / "chrome_lines.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t")
            rows.append((label, text))
    return rows


LABELLED = _labelled()
PRESETS = {"text": TEXT_PRESET, "html": HTML_PRESET}


def test_the_labelled_lines_use_contract_kinds_and_both_sides() -> None:
    labels = {label for label, _ in LABELLED}
    assert labels <= set(BOILERPLATE_KINDS) | {"keep"}
    assert sum(label == "keep" for label, _ in LABELLED) >= 10


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("label, line", LABELLED, ids=[f"{lab}:{t[:36]}" for lab, t in LABELLED])
def test_labelled_line(label: str, line: str, preset: str) -> None:
    result = clean_text(f"{STORY}\n{line}\n{AFTER}", options=PRESETS[preset])
    assert STORY in result.body and AFTER in result.body
    if label == "keep":
        assert line in result.body, result.pieces
    else:
        assert line not in result.body
        assert [p.kind for p in result.pieces if p.text == line] == [label], result.pieces


# (text opening a story, place, agency, the sentence that must stay)
WIRE_DATELINES = [
    ("MOSUL, Iraq (Reuters) - Iraqi forces entered the city on Monday.", "MOSUL, Iraq", "Reuters"),
    ("KABUL (AFP) — Taliban fighters stormed the city overnight, police said.", "KABUL", "AFP"),
    ("QAYYARA, Iraq (Tigris Wire) - Troops retook six villages on Thursday.", "QAYYARA, Iraq", "Tigris Wire"),
    ("WASHINGTON, Nov 21 (Reuters) - The Pentagon sent more troops to the region.", "WASHINGTON", "Reuters"),
    ("KABUL, Afghanistan (AP) — A suicide bomber struck a mosque during prayers.", "KABUL, Afghanistan", "AP"),
    ("ST. JOSEPH, Mich. (AP) — Health officials reported a sixth death on Monday.", "ST. JOSEPH, Mich.", "AP"),
    ("EL FASHER, Sudan (Associated Press) -- Shelling killed at least 15 civilians.", "EL FASHER, Sudan", "AP"),
]


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("text, place, agency", WIRE_DATELINES, ids=[w[1] for w in WIRE_DATELINES])
def test_wire_dateline_moves_to_columns_and_its_sentence_stays(text: str, place: str, agency: str, preset: str) -> None:
    sentence = text.split(" - ", 1)[-1].split(" — ", 1)[-1].split(" -- ", 1)[-1]
    result = clean_text(f"{text}\n{AFTER}", title="Headline", options=PRESETS[preset])
    assert result.body.startswith(sentence + "\n\n"), result.body
    assert (result.agency, result.dateline_place) == (agency, place)
    assert [p.kind for p in result.pieces] == ["dateline"]


def test_a_dateline_on_a_line_of_its_own_and_after_other_chrome() -> None:
    result = clean_text(f"Advertisement\nMOSUL, Iraq (Reuters) -\n{STORY}\n{AFTER}", title="Headline", options=HTML_PRESET)
    assert result.body == f"{STORY}\n\n{AFTER}"
    assert (result.agency, result.dateline_place) == ("Reuters", "MOSUL, Iraq")


@pytest.mark.parametrize(
    "text",
    [
        "(Flat Rate Guarantee) - Includes a service call and free minor adjustments.",
        "Prime Minister Boris Johnson (Conservative) - said the vote would go ahead.",
        "BAGHDAD (the ministry said) - troops were on their way.",
    ],
)
def test_parentheses_that_are_no_wire_dateline(text: str) -> None:
    result = clean_text(f"{text}\n{AFTER}", title="Headline", options=HTML_PRESET)
    assert text in result.body and result.agency is None and result.dateline_place is None


def test_the_bundled_wire_roundup_loses_its_chrome_and_keeps_its_ledes() -> None:
    records = [json.loads(line) for line in (RAW / "samples" / "jsonl" / "wire-roundup.jsonl").read_text().splitlines()]
    for i, rec in enumerate(records):
        article = clean_record(RawRecord(f"wire-roundup.jsonl#{i}", "0" * 64, "json", text=rec["text"], title=rec["title"]))
        lede = rec["text"].split(" - ", 1)[1].split("\n")[0]
        assert article.body.startswith(lede), article.body[:120]
        assert article.agency == "Tigris Wire"
        assert article.dateline_place == rec["text"].split(" (", 1)[0]
        assert "Sign up" not in article.body and "Advertisement" not in article.body
    assert any(p.kind == "subscription_prompt" for p in clean_record(
        RawRecord("w.jsonl#0", "0" * 64, "json", text=records[0]["text"], title=records[0]["title"])
    ).boilerplate)


def test_an_all_caps_wire_byline_gives_byline_and_agency() -> None:
    result = clean_text(f"By JOHN SMITH, Associated Press Writer\n{STORY}\n{AFTER}", title="Headline")
    assert (result.byline, result.agency) == ("JOHN SMITH", "AP")
    assert result.body == f"{STORY}\n\n{AFTER}"


EMBED = [
    "Who are we as a nation if we answer threats with threats? pic.twitter.com/abc123XYZ",
    "— Jane Doe (@janedoe) November 19, 2019",
]


def test_an_embedded_post_leaves_plain_text() -> None:
    result = clean_text("\n".join([STORY, *EMBED, AFTER]), options=TEXT_PRESET)
    assert result.body == f"{STORY}\n\n{AFTER}"
    assert [p.kind for p in result.pieces] == ["other", "other"]


def test_an_embedded_post_in_a_page_is_left_to_the_html_side() -> None:
    """Labelled page sets (AEB) count embedded posts as the article's content."""
    result = clean_text("\n".join([STORY, *EMBED, AFTER]), options=HTML_PRESET)
    assert all(line in result.body for line in EMBED)
    assert clean_text("\n".join([STORY, *EMBED, AFTER]), options=CleanOptions(embedded_posts=False)).body.count("\n\n") == 3


def test_a_more_from_header_with_link_titles_is_a_link_list() -> None:
    links = ["More from Frontier Dispatch", "Ceasefire talks stall in Doha", "Who are the Taliban?", "Kabul airport reopens"]
    result = clean_text("\n".join([STORY, AFTER, *links]), options=HTML_PRESET)
    assert result.body == f"{STORY}\n\n{AFTER}"
    assert [p.kind for p in result.pieces] == ["related_links"] * 4


def test_a_syndication_note_at_the_end_goes_but_not_in_the_middle() -> None:
    note = "This article was originally published by Frontier Dispatch and is republished with permission."
    result = clean_text("\n".join([STORY, AFTER, note]), options=HTML_PRESET)
    assert note not in result.body and result.pieces[-1].kind == "credit"
    other = [STORY.replace("Tuesday", "Thursday"), AFTER.replace("river", "road"), STORY.replace("city", "town")]
    middle = [STORY, AFTER, other[0], note, *other[1:], AFTER.replace("families", "people")]
    assert note in clean_text("\n".join(middle), options=HTML_PRESET).body


def test_the_vocabulary_classes_are_lower_case_and_unique() -> None:
    classes = ("caption_label", "picture_source", "cta_verb", "cta_gerund", "cta_product", "self_noun", "publish_verb")
    classes += ("media_label",)
    for cls in classes:
        words = terms(cls)
        assert words and len(set(words)) == len(words) and all(w == w.lower() for w in words), cls


def test_a_related_block_takes_question_titles_and_stops_at_prose() -> None:
    text = (
        f"{STORY}\nYou may also like...\nWho will take the Rock Hall vote in 2020?\n"
        f"Band takes over fan vote\n{AFTER}"
    )
    result = clean_text(text, options=HTML_PRESET)
    assert result.body == f"{STORY}\n\n{AFTER}"
    assert [p.kind for p in result.pieces] == ["related_links"] * 3


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("KUNDUZ, Afghanistan — Hundreds of Taliban fighters attacked the city on Monday.", "KUNDUZ, Afghanistan"),
        ("LASHKAR GAH, Afghanistan - Taliban fighters overran the police headquarters.", "LASHKAR GAH, Afghanistan"),
        ("AJAX — Asynchronous JavaScript and XML — is a set of web techniques.", None),  # no region: not a dispatch
        ("BEIRUT - Thousands of civilians fled eastern Aleppo overnight.", None),  # left in the text, as before
        ("NATO, Brussels — the alliance said it would send more troops.", None),  # the story goes on in lower case
    ],
)
def test_a_place_dateline_without_agency(text: str, place: str | None) -> None:
    result = clean_text(f"{text}\n{AFTER}", title="Headline", options=TEXT_PRESET)
    assert (result.dateline_place, result.agency) == (place, None)
    sentence = text.split(" — ", 1)[-1].split(" - ", 1)[-1] if place else text
    assert result.body.startswith(sentence), result.body
