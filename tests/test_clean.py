"""Boilerplate removal and metadata on the labelled seeds, plus rule-level cases."""

from __future__ import annotations

import pytest

from conftest import RAW, SEED_NAMES
from pipeline.clean import clean_record
from pipeline.clean.datelines import is_dateline
from pipeline.clean.metadata import parse_datetime
from pipeline.clean.segments import split_segments
from pipeline.clean.text import clean_text
from pipeline.records import BOILERPLATE_KINDS, RawRecord


def _clean_seed(name: str):
    text = (RAW / name).read_text(encoding="utf-8")
    return clean_record(RawRecord(source_path=name, content_sha256="0" * 64, source_format="text", text=text))


@pytest.fixture(scope="module")
def cleaned() -> dict:
    return {name: _clean_seed(name) for name in SEED_NAMES}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_boilerplate_is_gone(name: str, cleaned: dict, gold: dict) -> None:
    body = cleaned[name].body
    left = [b for b in gold["articles"][name]["boilerplate"] if b in body]
    assert not left, f"boilerplate left in {name}: {left}"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_article_sentences_are_kept(name: str, cleaned: dict, gold: dict) -> None:
    body = cleaned[name].body
    lost = [k for k in gold["articles"][name]["keep"] if k not in body]
    assert not lost, f"article text lost in {name}: {lost}"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_repeated_paragraph_kept_once(name: str, cleaned: dict, gold: dict) -> None:
    for sentence in gold["articles"][name].get("duplicated_once", []):
        assert cleaned[name].body.count(sentence) == 1
        assert any(p.kind == "repeated_text" and sentence in p.text for p in cleaned[name].boilerplate)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_metadata_columns(name: str, cleaned: dict, gold: dict) -> None:
    g, a = gold["articles"][name], cleaned[name]
    assert a.title == g["title"]
    assert a.publisher == g["publisher"]
    if "agency" in g:
        assert a.agency == g["agency"]
    expected = g["published"]
    assert (a.published_at.isoformat() if a.published_at else None) == expected


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_removed_piece_is_recorded_with_a_contract_kind(name: str, cleaned: dict, gold: dict) -> None:
    pieces = cleaned[name].boilerplate
    assert all(p.kind in BOILERPLATE_KINDS for p in pieces)
    assert [p.seq for p in pieces] == list(range(len(pieces)))
    removed = "\n".join(p.text for p in pieces)
    for b in gold["articles"][name]["boilerplate"]:
        assert b in removed, f"{b!r} was removed but not recorded"


def test_glued_appeal_is_cut_from_the_real_sentence() -> None:
    text = (
        "Your support helps us to tell the story\n"
        "Your donation allows us to keep sending journalists.\n"
        "Your support makes all the difference.THE TALIBAN army appeared last night to have captured the city, officials said."
    )
    result = clean_text(text)
    assert result.body == "THE TALIBAN army appeared last night to have captured the city, officials said."
    assert {p.kind for p in result.pieces} == {"donation_appeal"}


def test_related_links_block_and_wire_credit() -> None:
    text = (
        "Fighting continued in the north of the province on Tuesday, local officials said in a statement.\n"
        "- AFP\n"
        "Related stories:\n"
        "Ceasefire talks stall in Doha\n"
        "Who are the Taliban?\n"
    )
    result = clean_text(text)
    assert result.body.startswith("Fighting continued")
    assert "Doha" not in result.body and "Who are" not in result.body
    assert result.agency == "AFP"
    kinds = [p.kind for p in result.pieces]
    assert kinds.count("related_links") == 3 and "credit" in kinds


def test_wire_dateline_is_moved_out_of_the_body() -> None:
    result = clean_text("KABUL (Reuters) - At least 12 people were killed in a blast in the capital on Monday, police said.")
    assert result.body.startswith("At least 12 people")
    assert result.agency == "Reuters"
    assert result.pieces[0].kind == "dateline"


def test_segments_split_glued_sentences_but_not_abbreviations() -> None:
    text = "It ended.THE next one began. Mr. Smith left the U.S. on Monday."
    parts = [text[a:b] for a, b in split_segments(text)]
    assert parts == ["It ended.", "THE next one began.", "Mr. Smith left the U.S. on Monday."]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Friday 23/July/2021 - 06:25 PM", "2021-07-23T18:25:00"),
        ("Published: 12 March 2019, 10:02 GMT", "2019-03-12T10:02:00"),
        ("Nov 21, 2001", "2001-11-21T00:00:00"),
        ("2016-11-28T09:14:00+02:00", "2016-11-28T07:14:00"),
    ],
)
def test_datelines_parse(line: str, expected: str) -> None:
    assert is_dateline(line)
    assert parse_datetime(line).isoformat() == expected


def test_prose_with_a_date_is_not_a_dateline() -> None:
    assert not is_dateline("The town fell on 12 March 2019 after a long siege by the insurgents.")


def test_html_page_chrome_is_removed_and_metadata_read() -> None:
    html = (RAW / "samples" / "html" / "kunduz-offensive.html").read_text(encoding="utf-8")
    article = clean_record(RawRecord("samples/html/kunduz-offensive.html", "0" * 64, "html", html=html))
    assert article.title and article.source_url and article.published_at and article.publisher
    assert "Sign up for our newsletter" not in article.body
    assert "READ MORE" not in article.body
    assert article.n_chars_raw > len(article.body)
    assert "Kunduz" in article.body


# ---- pages nested deeper than HTML parsers go ------------------------------------------------
_STORY = "<p>Officials said about 300 fighters attacked the town of Kunduz on Monday, and residents fled.</p>" * 4


@pytest.mark.parametrize("depth", [300, 5000])
def test_text_nested_deeper_than_the_parser_limit_survives(depth: int) -> None:
    from pipeline.clean.html import html_to_text

    page = "<html><body>" + "<div class='w'>" * depth + _STORY + "</div>" * depth + "</body></html>"
    text = html_to_text(page).text
    assert text.count("about 300 fighters attacked the town of Kunduz") == 4, text[:200]


def test_ordinary_pages_are_not_flattened() -> None:
    from pipeline.clean.nesting import flatten_deep_nesting, nesting_depth

    sloppy = "<html><body>" + "<p>para" * 500 + "<ul>" + "<li>item" * 300 + "</ul></body></html>"
    assert nesting_depth(sloppy) <= 3  # unclosed <p> and <li> do not nest
    assert flatten_deep_nesting(sloppy) == sloppy
    deep = "<div>" * 200 + "<span>x</span>" + "</div>" * 200
    assert nesting_depth(deep) == 201
    assert "<div" not in flatten_deep_nesting(deep) and "x" in flatten_deep_nesting(deep)
