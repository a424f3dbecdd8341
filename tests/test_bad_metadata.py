"""A bad metadata value (date, URL, publisher) becomes NULL with a note (logged and in
`articles.metadata_notes`); the article is kept.

One real raw folder holds every (source, field, nasty value) case: a sidecar, an HTML meta tag,
a dateline in the text and a JSON record field. It goes through the whole pipeline once (real
files, spaCy, DuckDB); each case then checks its own article row. The metadata parsers are also
checked to be total: a value or None for any string, never an exception.
"""

from __future__ import annotations

import re

import html
import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.clean import metadata
from pipeline.clean.article import clean_record
from pipeline.ingest.sniff import strip_controls
from pipeline.records import RawRecord
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.store import WarehouseStore

# Lone surrogates are item 1's subject; these are valid code points a parser may still choke on:
# a right-to-left override, word joiner, BOM, a bomb emoji, a lone combining mark, a noncharacter.
WEIRD = "\u202e\u2066\ufeff\U0001f4a3\u0301\uffff"
GENERIC = ["", "\x00\x00\x00", WEIRD, "http://[x]/", "http://[::1", "Reuters [UK]"]
BAD_DATES = [
    "2021-07-23T18:25:00+99:00",
    "2021-07-23T18:25:00-25:00",
    "2021-07-23 18:25:00 +2400",
    "Friday 23 July 2021 18:25 +99:00",
    "0000-01-01",
    "99999-12-31",
    "9999999999999",  # Unix milliseconds in the year 2286
    "2021-07-23" + "9" * 2000,
    *GENERIC,
]
BAD_URLS = [
    "http://[x]/",
    "http://[::1",
    "https://example.com:99999/story",
    "https://exa mple.com/story",
    "https://example.com/\u202estory",
    "https://example.com/" + "a" * 100_000,
    "Reuters [UK]",
    "",
    "\x00\x00\x00",
    WEIRD,
]
BAD_PUBLISHERS = ["", "\x00\x00\x00", WEIRD, "http://[x]/", "http://[::1", "x" * 100_000]
# A publisher is free text: brackets in a name are fine and kept as written.
GOOD_PUBLISHERS = ["Reuters [UK]"]

SOURCES_BY_FIELD = {
    "published": ("sidecar", "meta", "dateline", "json"),
    "url": ("sidecar", "meta", "json"),
    "publisher": ("sidecar", "meta", "json"),
}
COLUMN = {"published": "published_at", "url": "source_url", "publisher": "publisher"}


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    field: str
    value: str
    expected: str | None

    @property
    def path(self) -> str:
        return f"{self.name}.{ {'meta': 'html', 'json': 'json'}.get(self.source, 'txt') }"


def _cases() -> list[Case]:
    values = {
        "published": [(v, None) for v in BAD_DATES],
        "url": [(v, None) for v in BAD_URLS],
        "publisher": [(v, None) for v in BAD_PUBLISHERS] + [(v, v) for v in GOOD_PUBLISHERS],
    }
    cases = []
    for field, sources in SOURCES_BY_FIELD.items():
        for source in sources:
            for i, (value, expected) in enumerate(values[field]):
                cases.append(Case(f"{source}_{field}_{i:02d}", source, field, value, expected))
    return cases


CASES = _cases()


def _body(case: Case) -> list[str]:
    marker = case.name.replace("_", " ")
    return [
        f"Local officials said on Tuesday that the clinic in district {marker} reopened after the repairs were finished.",
        "Residents queued outside the gates from early morning, and nurses said they expected to treat many patients.",
        f"The health ministry said it would send more staff to district {marker} next month if funding allowed.",
    ]


def _write_case(raw: Path, case: Case) -> None:
    paragraphs = _body(case)
    if case.source == "json":
        (raw / case.path).write_text(json.dumps({"text": "\n\n".join(paragraphs), case.field: case.value}))
    elif case.source == "sidecar":
        (raw / case.path).write_text("\n\n".join(paragraphs) + "\n")
        (raw / f"{case.name}.meta.json").write_text(json.dumps({case.field: case.value}))
    elif case.source == "dateline":
        (raw / case.path).write_text(f"Clinic reopens after repairs\n{case.value}\n\n" + "\n\n".join(paragraphs) + "\n")
    else:
        attr = html.escape(case.value, quote=True)
        tag = {
            "published": f'<meta property="article:published_time" content="{attr}">',
            "url": f'<link rel="canonical" href="{attr}">',
            "publisher": f'<meta property="og:site_name" content="{attr}">',
        }[case.field]
        page = (
            f"<html><head><title>Clinic reopens after repairs</title>{tag}</head><body><article>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</article></body></html>"
        )
        (raw / case.path).write_text(page)


class _Notes(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[dict], list[tuple[int, str]]]:
    """Every case in one raw folder, run once: (articles by path, quarantine rows, logged notes)."""
    base = tmp_path_factory.mktemp("bad_metadata")
    raw = base / "raw"
    raw.mkdir()
    for case in CASES:
        _write_case(raw, case)
    notes = _Notes()
    logger = logging.getLogger("pipeline.clean")
    logger.addHandler(notes)
    level = logger.level
    logger.setLevel(logging.INFO)  # dateline notes are INFO
    try:
        run_pipeline(Settings(raw_dir=raw, warehouse_dir=base / "warehouse", nlp_processes=1))
    finally:
        logger.removeHandler(notes)
        logger.setLevel(level)
    tables = WarehouseStore(base / "warehouse").read_tables()
    articles = {row["source_path"]: row for row in tables["articles"].to_pylist()}
    return articles, tables["quarantine"].to_pylist(), notes.messages


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_metadata_value_becomes_null_and_the_article_is_kept(case: Case, warehouse) -> None:
    articles, quarantine, _ = warehouse
    assert case.path in articles, [q for q in quarantine if q["source_path"] == case.path]
    row = articles[case.path]
    assert _body(case)[0] in row["body"]
    assert row[COLUMN[case.field]] == case.expected
    assert not [q for q in quarantine if q["source_path"] in (case.path, f"{case.name}.meta.json")]


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.source != "dateline" and c.expected is None and c.value.strip(" \x00")],
    ids=lambda c: c.name,
)
def test_a_dropped_value_is_noted_with_its_path(case: Case, warehouse) -> None:
    _, _, notes = warehouse
    assert any(level == logging.WARNING and case.path in note and case.field in note for level, note in notes), case


def test_a_bad_dateline_is_noted(warehouse) -> None:
    _, _, notes = warehouse
    assert any(level == logging.INFO and "dateline_published_00.txt" in note and "+99:00" in note for level, note in notes)


def test_no_control_character_reaches_the_tables(warehouse) -> None:
    articles, _, _ = warehouse
    for row in articles.values():
        for value in row.values():
            assert not (isinstance(value, str) and "\x00" in value)


def test_valid_values_still_parse() -> None:
    assert metadata.parse_datetime("2021-07-23T18:25:00+05:30").isoformat() == "2021-07-23T12:55:00"
    assert metadata.parse_datetime("1627064700").isoformat() == "2021-07-23T18:25:00"
    assert metadata.parse_datetime("23/July/2021 - 06:25 PM GMT").isoformat() == "2021-07-23T18:25:00"
    assert metadata.clean_url(" https://www.independent.co.uk/news/x ") == "https://www.independent.co.uk/news/x"
    assert metadata.clean_url("http://[::1]:8080/a") == "http://[::1]:8080/a"
    assert metadata.publisher_from_url("https://www.independent.co.uk/news/x") == "The Independent"
    assert metadata.publisher_from_domain_name("www.example.org") == "example.org"
    assert metadata.clean_publisher("  Reuters [UK] ") == "Reuters [UK]"


def _nasty_strings() -> list[str]:
    rng = random.Random(11)  # seeded: the same strings every run
    alphabet = "0123456789+-:/.[]@TZ :%\x00\x01\u202e\u0301abcxyz年月日"
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(400)]
    return BAD_DATES + BAD_URLS + BAD_PUBLISHERS + ["2021-02-30", "2021-07-23T25:61:00", "12:00 +99:00 2021"] + fuzz


@pytest.mark.parametrize(
    "name",
    ["parse_datetime", "clean_url", "clean_publisher", "publisher_from_url", "publisher_from_domain_name"],
)
def test_metadata_parsers_are_total(name: str) -> None:
    parse = getattr(metadata, name)
    for value in _nasty_strings():
        result = parse(value)  # must not raise
        assert result is None or (isinstance(result, str) and "\x00" not in result) or hasattr(result, "year")


# ---- the notes column: what was dropped, where analysts can see it ------------------------------

KIND = {"published": "date", "url": "URL", "publisher": "publisher"}


def _shown(value: str) -> str:
    """A dropped value as a note quotes it: repr of its first 80 characters (controls removed first)."""
    value = strip_controls(value)
    extra = f" (+{len(value) - 80} more characters)" if len(value) > 80 else ""
    return repr(value[:80]) + extra


def test_the_notes_name_the_field_and_value_other_articles_null(warehouse) -> None:
    articles, _, _ = warehouse
    assert articles["sidecar_published_00.txt"]["metadata_notes"] == (
        "published: '2021-07-23T18:25:00+99:00' is not a valid date (dropped)"
    )
    assert articles["json_url_00.json"]["metadata_notes"] == "url: 'http://[x]/' is not a valid URL (dropped)"
    assert articles["dateline_published_00.txt"]["metadata_notes"] == (
        "published (dateline in the text): '2021-07-23T18:25:00+99:00' is not a valid date (dropped)"
    )
    long_url = articles["json_url_05.json"]["metadata_notes"]
    assert long_url.startswith("url: 'https://example.com/aaa") and "(+99940 more characters)" in long_url
    assert len(long_url) < 200
    # Nothing dropped: no note (a bracketed publisher is a name, an empty value is no value).
    for path in ("sidecar_publisher_06.txt", "json_publisher_06.json", "json_url_07.json", "meta_published_08.html"):
        assert articles[path]["metadata_notes"] is None, path


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.source != "dateline" and c.expected is None and strip_controls(c.value).strip()],
    ids=lambda c: c.name,
)
def test_every_dropped_value_has_its_note(case: Case, warehouse) -> None:
    articles, _, _ = warehouse
    # libxml2 (the page parser) leaves Unicode noncharacters out of attribute values.
    value = re.sub("[\ufdd0-\ufdef\ufffe\uffff]", "", case.value) if case.source == "meta" else case.value
    note = f"{case.field}: {_shown(value)} is not a valid {KIND[case.field]} (dropped)"
    assert articles[case.path]["metadata_notes"] == note


def test_notes_belong_to_their_article_and_are_bounded() -> None:
    """Notes are collected per record (no state carried to the next one) and at most 10 are kept."""
    datelines = "\n".join(f"2021-07-{day:02d}T18:25:00+99:00" for day in range(1, 15))
    body = "\n\n".join(_body(CASES[0]))
    bad = RawRecord("x.txt", "0" * 64, "text", text=f"Clinic reopens\n{datelines}\n\n{body}", url="http://[x]/")
    notes = clean_record(bad).metadata_notes.split("; ")
    assert notes[0] == "url: 'http://[x]/' is not a valid URL (dropped)"
    assert notes[1] == "published (dateline in the text): '2021-07-01T18:25:00+99:00' is not a valid date (dropped)"
    assert len(notes) == 11 and notes[-1] == "(+5 more notes)"
    assert clean_record(RawRecord("y.txt", "1" * 64, "text", text=body, url="https://ex.com/y")).metadata_notes is None
