"""Stray NUL bytes do not make a page binary; third-party parser warnings stay off the console.

Real files in tmp_path, the real pipeline (spaCy, DuckDB); the console check runs the pipeline in
a subprocess with forked cleaning workers, as `news-etl run` does.
"""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.ingest import group_units, read_unit, scan_raw_folder
from pipeline.records import RawRecord
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.store import WarehouseStore

PARAGRAPHS = [
    "The provincial governor said on Tuesday that twelve militants were killed in an overnight raid near the border.",
    "Residents of the district said the fighting lasted several hours and that two houses were damaged by mortar fire.",
    "A spokesman for the army said troops had cleared the area and that the main road would reopen on Wednesday morning.",
]
TEXT = "\n\n".join(PARAGRAPHS)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _soup_page() -> bytes:
    """A scraped page with three stray NULs, two in attribute soup and one inside a word."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS).replace("governor", "gover\x00nor")
    page = (
        '<html><head><title>Militants killed in border raid</title></head><body>'
        '<div class="nav\x00bar" data-track="\x00"><a href="/">Home</a></div>'
        f"<article>{body}</article></body></html>"
    )
    return page.encode()


def _nul_folder(raw: Path) -> None:
    rng = random.Random(6)  # seeded: the same bytes every run
    raw.mkdir()
    (raw / "soup.html").write_bytes(_soup_page())
    (raw / "story.txt").write_bytes(("Militants killed in border raid\n\n" + TEXT).replace(" said", " \x00said", 3).encode())
    (raw / "escaped.json").write_text(json.dumps({"text": TEXT.replace("raid", "ra\x00id")}))
    (raw / "random.txt").write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    # Few control bytes, so only "NUL in data that is not UTF-8" gives it away.
    packed = bytearray(rng.randrange(0x20, 0x100) for _ in range(300))
    packed[10] = 0
    (raw / "packed.html").write_bytes(bytes(packed))
    (raw / "image.txt").write_bytes(PNG + bytes(rng.getrandbits(8) for _ in range(2048)))
    (raw / "half_nul.txt").write_bytes(b"\x00" * 2000 + TEXT.encode()[:2000])
    (raw / "utf16.txt").write_bytes(TEXT.encode("utf-16-le"))


@pytest.fixture(scope="module")
def nul_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    base = tmp_path_factory.mktemp("nul")
    _nul_folder(base / "raw")
    run_pipeline(Settings(raw_dir=base / "raw", warehouse_dir=base / "warehouse", nlp_processes=1))
    return {name: table.to_pylist() for name, table in WarehouseStore(base / "warehouse").read_tables().items()}


@pytest.mark.parametrize("path", ["soup.html", "story.txt", "escaped.json"])
def test_a_few_stray_nuls_keep_the_article_without_them(nul_run: dict, path: str) -> None:
    articles = {row["source_path"]: row for row in nul_run["articles"]}
    assert path in articles, [q for q in nul_run["quarantine"] if q["source_path"] == path]
    body = articles[path]["body"]
    assert "\x00" not in body
    assert PARAGRAPHS[1] in body
    assert ("governor" if path == "soup.html" else "raid") in body


def test_no_control_character_reaches_any_table(nul_run: dict) -> None:
    for name, rows in nul_run.items():
        for row in rows:
            for value in row.values():
                assert not (isinstance(value, str) and any(c in value for c in "\x00\x01\x1b")), (name, row)


@pytest.mark.parametrize(
    "path, says",
    [
        ("random.txt", "control characters"),
        ("packed.html", "NUL bytes and is not UTF-8"),
        ("image.txt", "PNG"),
        ("half_nul.txt", "NUL bytes among them"),
        ("utf16.txt", "UTF-16 text without a byte order mark"),
    ],
)
def test_binary_data_is_still_binary(nul_run: dict, path: str, says: str) -> None:
    rows = [q for q in nul_run["quarantine"] if q["source_path"] == path]
    assert [q["reason"] for q in rows] == ["binary"]
    assert says in rows[0]["detail"]
    assert "convert it" in rows[0]["detail"] or "re-save it" in rows[0]["detail"]


# --- library warnings ----------------------------------------------------------------------------


def _nested_links_page(i: int) -> str:
    """A page with a link inside a link (malformed markup; readability's and, before the shared lxml
    parse, boilerpy3's parser warn on it) and a zone dateutil does not know (WIB, which warns)."""
    return (
        f"<html><head><title>Border raid report {i}</title>"
        '<meta property="article:published_time" content="2021-07-23 10:00 WIB"></head><body>'
        '<nav><a href="/">Home <a href="/world">World</a></a></nav><article>'
        + "".join(f"<p>{p} Report {i}.</p>" for p in PARAGRAPHS)
        + '<p>Read the <a href="/a">full <a href="/b">story</a></a> here.</p></article></body></html>'
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_library_warnings_are_logged_at_debug_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from pipeline.clean import clean_record
    from pipeline.clean.chatter import take_noisy_pages

    (tmp_path / "nested.html").write_text(_nested_links_page(0))
    [record] = [r for unit in group_units(scan_raw_folder(tmp_path)) for r in read_unit(tmp_path, unit)]
    assert isinstance(record, RawRecord)
    take_noisy_pages()  # start from zero
    caplog.set_level(logging.DEBUG, logger="pipeline.clean.chatter")
    # What the root logger's handlers (the console, Dagster's capture) get. Not caplog for this:
    # pytest attaches its handler to non-propagating loggers too, which a real run never does.
    console = _Collect()
    logging.getLogger().addHandler(console)
    try:
        article = clean_record(record)
    finally:
        logging.getLogger().removeHandler(console)
    assert PARAGRAPHS[0] in article.body
    loud = [r.getMessage() for r in console.records if r.levelno >= logging.WARNING]
    assert not loud, loud
    quiet = [r.getMessage() for r in caplog.records if r.name == "pipeline.clean.chatter" and r.levelno == logging.DEBUG]
    assert any("UnknownTimezoneWarning" in m for m in quiet), quiet
    assert take_noisy_pages() == 1
    out, err = capfd.readouterr()
    assert "nested A" not in out + err and "Warning" not in err


# The pipeline as `news-etl run` runs it: no logging configured, cleaning in forked workers.
_RUN = """
import sys
from pathlib import Path
from pipeline.run import run_pipeline
from pipeline.settings import Settings
run_pipeline(Settings(raw_dir=Path(sys.argv[1]), warehouse_dir=Path(sys.argv[2]), nlp_processes=2))
print("RUN-OK", flush=True)
"""


def test_library_warnings_never_reach_the_console(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(40):  # more than one chunk of 16, so cleaning forks its workers
        (raw / f"page_{i:02d}.html").write_text(_nested_links_page(i))
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(raw), str(tmp_path / "warehouse")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "RUN-OK" in done.stdout, done.stderr[-2000:]
    assert "nested A" not in done.stderr and "Warning" not in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("processes", [1, 2])
def test_the_clean_stage_counts_pages_a_parser_warned_on(processes: int) -> None:
    from pipeline.stages.clean import clean

    noisy = [RawRecord(f"noisy_{i}.html", "0" * 64, "html", html=_nested_links_page(i)) for i in range(20)]
    calm_page = "<html><body><article>{}</article></body></html>"
    calm = [
        RawRecord(f"calm_{i}.html", "0" * 64, "html", html=calm_page.format("".join(f"<p>{p} {i}.</p>" for p in PARAGRAPHS)))
        for i in range(20)
    ]
    # Interleaved and more than one chunk of 16, so with two processes each worker counts its own share.
    result = clean([r for pair in zip(noisy, calm) for r in pair], processes=processes)
    assert len(result.articles) == 40
    assert result.pages_with_parser_warnings == 20
