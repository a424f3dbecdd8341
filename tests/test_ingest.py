"""Tests for the ingest stage: real files in tmp_path, no mocks."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from pipeline.ingest import (
    IngestLimits,
    IngestUnit,
    group_units,
    read_unit,
    scan_raw_folder,
    unit_fingerprint,
)
from pipeline.records import QUARANTINE_REASONS, QuarantineRecord, RawFile, RawRecord

ARTICLE = (
    "Taliban fighters attack Kunduz\n"
    "\n"
    "KUNDUZ - About 200 fighters attacked police posts overnight and at least 12 civilians "
    "were killed, a provincial spokesman said on Monday.\n"
)


def permissions_enforced(folder: Path) -> bool:
    """False when we can read a mode-000 file anyway (root with CAP_DAC_OVERRIDE)."""
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_text()
        return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o644)
        probe.unlink()


# --- helpers -----------------------------------------------------------------


def put(raw: Path, rel: str, content: bytes | str) -> Path:
    """Write `content` (str as UTF-8) to raw/rel, creating folders."""
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def gz(data: bytes | str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return gzip.compress(raw, mtime=0)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def units_of(raw: Path) -> dict[str, IngestUnit]:
    return {unit.path: unit for unit in group_units(scan_raw_folder(raw))}


def read(raw: Path, rel: str, limits: IngestLimits = IngestLimits()) -> list[RawRecord | QuarantineRecord]:
    return read_unit(raw, units_of(raw)[rel], limits)


def one_record(results: list[RawRecord | QuarantineRecord]) -> RawRecord:
    assert len(results) == 1, results
    assert isinstance(results[0], RawRecord), results[0]
    return results[0]


def one_quarantine(results: list[RawRecord | QuarantineRecord], reason: str) -> QuarantineRecord:
    assert len(results) == 1, results
    row = results[0]
    assert isinstance(row, QuarantineRecord), row
    assert row.reason == reason, row
    assert row.detail.endswith("."), row.detail  # a sentence, with advice after the ";"
    assert ";" in row.detail, row.detail
    return row


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


# --- formats -----------------------------------------------------------------


def test_text_file_is_read_with_newlines_normalised(raw: Path) -> None:
    data = ARTICLE.replace("\n", "\r\n").encode("utf-8")
    put(raw, "a.txt", data)
    record = one_record(read(raw, "a.txt"))
    assert record.source_format == "text"
    assert record.text == ARTICLE
    assert record.html is None
    assert record.content_sha256 == sha(data)
    assert record.encoding == "utf-8"
    assert (record.url, record.title, record.published, record.publisher) == (
        None,
        None,
        None,
        None,
    )


def test_utf8_bom_is_dropped(raw: Path) -> None:
    put(raw, "bom.txt", b"\xef\xbb\xbf" + "café\n".encode())
    record = one_record(read(raw, "bom.txt"))
    assert record.text == "café\n"
    assert record.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom_is_decoded(raw: Path, codec: str, bom: bytes) -> None:
    put(raw, "wide.txt", bom + ARTICLE.encode(codec))
    record = one_record(read(raw, "wide.txt"))
    assert record.text == ARTICLE
    assert record.encoding == codec


def test_html_file_is_kept_as_html(raw: Path) -> None:
    page = "<html><head><title>Kunduz</title></head><body><p>At least 12 civilians were killed.</p></body></html>"
    put(raw, "pages/PAGE.HTM", page)
    record = one_record(read(raw, "pages/PAGE.HTM"))
    assert record.source_format == "html"
    assert record.html == page
    assert record.text is None
    assert record.title is None  # HTML metadata is the clean stage's job


def test_json_record_with_contract_fields(raw: Path) -> None:
    data = json.dumps(
        {
            "text": ARTICLE,
            "url": "https://news.example/kunduz",
            "title": "Taliban attack Kunduz",
            "published": "2015-09-28T11:20:00Z",
            "publisher": "Frontier Dispatch",
            "authors": ["Someone"],
        }
    ).encode("utf-8")
    put(raw, "rec.json", data)
    record = one_record(read(raw, "rec.json"))
    assert record.source_format == "json"
    assert record.text == ARTICLE
    assert record.html is None
    assert record.url == "https://news.example/kunduz"
    assert record.title == "Taliban attack Kunduz"
    assert record.published == "2015-09-28T11:20:00Z"
    assert record.publisher == "Frontier Dispatch"
    assert record.content_sha256 == sha(data)


def test_json_record_with_news_please_names(raw: Path) -> None:
    put(
        raw,
        "np.json",
        json.dumps(
            {
                "maintext": ARTICLE,
                "title": "Aleppo",
                "date_publish": "2016-11-28 09:14:00",
                "source_domain": "www.levant.example",
                "url": "https://www.levant.example/aleppo",
                "date_modify": None,
            }
        ),
    )
    record = one_record(read(raw, "np.json"))
    assert record.text == ARTICLE
    assert record.published == "2016-11-28 09:14:00"
    assert record.publisher == "www.levant.example"
    assert record.url == "https://www.levant.example/aleppo"
    assert record.title == "Aleppo"


def test_contract_names_win_over_news_please_names(raw: Path) -> None:
    put(
        raw,
        "both.json",
        json.dumps({"text": "contract text", "maintext": "np text", "published": "A", "date_publish": "B"}),
    )
    record = one_record(read(raw, "both.json"))
    assert (record.text, record.published) == ("contract text", "A")


def test_json_html_is_used_when_text_is_blank(raw: Path) -> None:
    put(
        raw,
        "h.json",
        json.dumps({"text": "   ", "html": "<p>At least 12 civilians were killed.</p>"}),
    )
    record = one_record(read(raw, "h.json"))
    assert record.source_format == "json"
    assert record.text is None
    assert record.html == "<p>At least 12 civilians were killed.</p>"


def test_json_non_string_values_are_coerced_or_ignored(raw: Path) -> None:
    put(
        raw,
        "types.json",
        json.dumps(
            {
                "text": ARTICLE,
                "published": 1480324440,
                "title": None,
                "publisher": ["a", "b"],
                "url": True,
            }
        ),
    )
    record = one_record(read(raw, "types.json"))
    assert record.published == "1480324440"
    assert record.title is None
    assert record.publisher is None
    assert record.url is None


def test_jsonl_lines_become_records_and_bad_lines_quarantine(raw: Path) -> None:
    lines = [
        json.dumps({"text": "First article.", "title": "One"}).encode("utf-8"),
        b"",
        b'{"text": "broken',
        json.dumps({"maintext": "Second article.", "url": "https://x.example/2"}).encode("utf-8"),
        b"[1, 2]",
        b"   ",
        json.dumps({"title": "no text here"}).encode("utf-8"),
    ]
    data = b"\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:]) + b"\n"
    put(raw, "feed.jsonl", data)
    results = read(raw, "feed.jsonl")
    by_path = {result.source_path: result for result in results}
    assert sorted(by_path) == [
        "feed.jsonl#1",
        "feed.jsonl#3",
        "feed.jsonl#4",
        "feed.jsonl#5",
        "feed.jsonl#7",
    ]
    first, second = by_path["feed.jsonl#1"], by_path["feed.jsonl#4"]
    assert isinstance(first, RawRecord) and first.text == "First article." and first.title == "One"
    assert isinstance(second, RawRecord) and second.url == "https://x.example/2"
    assert first.source_format == "json"
    assert first.content_sha256 == sha(lines[0])
    bad = by_path["feed.jsonl#3"]
    assert isinstance(bad, QuarantineRecord) and bad.reason == "parse_error"
    assert bad.content_sha256 == sha(lines[2])  # without the \r\n line ending
    assert "line 3 of feed.jsonl" in bad.detail
    not_object = by_path["feed.jsonl#5"]
    assert isinstance(not_object, QuarantineRecord) and not_object.reason == "parse_error"
    no_text = by_path["feed.jsonl#7"]
    assert isinstance(no_text, QuarantineRecord) and no_text.reason == "no_article_text"


def test_jsonl_without_records_is_empty(raw: Path) -> None:
    put(raw, "blank.jsonl", b"\n  \n\r\n")
    one_quarantine(read(raw, "blank.jsonl"), "empty")


@pytest.mark.parametrize(
    "name, plain, field",
    [
        ("t.txt.gz", ARTICLE.encode("utf-8"), "text"),
        ("p.html.GZ", b"<p>At least 12 civilians were killed.</p>", "html"),
        ("r.json.gz", json.dumps({"text": ARTICLE}).encode("utf-8"), "text"),
    ],
)
def test_gzipped_files_are_decompressed(raw: Path, name: str, plain: bytes, field: str) -> None:
    put(raw, name, gz(plain))
    record = one_record(read(raw, name))
    assert getattr(record, field)
    assert record.content_sha256 == sha(plain)  # digest of the decompressed bytes


def test_gzipped_jsonl(raw: Path) -> None:
    put(raw, "f.jsonl.gz", gz('{"text": "one"}\n{"text": "two"}\n'))
    results = read(raw, "f.jsonl.gz")
    assert [r.source_path for r in results] == ["f.jsonl.gz#1", "f.jsonl.gz#2"]
    assert all(isinstance(r, RawRecord) for r in results)


# --- sidecars ----------------------------------------------------------------


def test_sidecar_fills_metadata(raw: Path) -> None:
    put(raw, "a/story.txt", ARTICLE)
    meta = {
        "url": "https://x.example/s",
        "title": "Story",
        "published": "2015-12-21",
        "publisher": "Dispatch",
    }
    put(raw, "a/story.meta.json", json.dumps(meta))
    unit = units_of(raw)["a/story.txt"]
    assert unit.sidecar == "a/story.meta.json"
    record = one_record(read_unit(raw, unit))
    assert (record.url, record.title, record.published, record.publisher) == tuple(meta.values())
    assert record.text == ARTICLE


def test_gzipped_sidecar_for_gzipped_html(raw: Path) -> None:
    put(raw, "page.html.gz", gz("<p>At least 12 civilians were killed.</p>"))
    put(raw, "page.meta.json.gz", gz(json.dumps({"title": "Page", "source_domain": "x.example"})))
    unit = units_of(raw)["page.html.gz"]
    assert unit.sidecar == "page.meta.json.gz"
    record = one_record(read_unit(raw, unit))
    assert record.source_format == "html"
    assert (record.title, record.publisher) == ("Page", "x.example")


def test_orphan_sidecar_is_quarantined(raw: Path) -> None:
    data = json.dumps({"title": "Lonely"}).encode("utf-8")
    put(raw, "lonely.meta.json", data)
    row = one_quarantine(read(raw, "lonely.meta.json"), "no_article_text")
    assert "metadata sidecar" in row.detail and "lonely.txt" in row.detail and "lonely.html" in row.detail
    assert row.content_sha256 == sha(data)


def test_broken_sidecar_keeps_the_article(raw: Path) -> None:
    put(raw, "story.txt", ARTICLE)
    broken = b'{"title": "Story", '
    put(raw, "story.meta.json", broken)
    results = read(raw, "story.txt")
    assert len(results) == 2
    record, row = results
    assert isinstance(record, RawRecord) and record.text == ARTICLE and record.title is None
    assert isinstance(row, QuarantineRecord)
    assert row.source_path == "story.meta.json"
    assert row.reason == "parse_error"
    assert "without its metadata" in row.detail
    assert row.content_sha256 == sha(broken)


def test_sidecar_of_a_quarantined_article_is_accounted_for(raw: Path) -> None:
    put(raw, "story.txt", b"   \n")
    put(raw, "story.meta.json", json.dumps({"title": "Story"}))
    results = read(raw, "story.txt")
    assert [(r.source_path, r.reason) for r in results if isinstance(r, QuarantineRecord)] == [
        ("story.txt", "empty"),
        ("story.meta.json", "no_article_text"),
    ]


# --- quarantine: content -----------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t \r\n", b"\xef\xbb\xbf  \n"])
def test_empty_and_whitespace_only(raw: Path, data: bytes) -> None:
    put(raw, "e.txt", data)
    row = one_quarantine(read(raw, "e.txt"), "empty")
    assert row.content_sha256 == sha(data)


def test_nul_bytes_are_binary(raw: Path) -> None:
    put(raw, "n.txt", b"KABUL\x00\x00\x00\x01 report" * 20)
    row = one_quarantine(read(raw, "n.txt"), "binary")
    assert "NUL" in row.detail


@pytest.mark.parametrize(
    "magic, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
    ],
)
def test_magic_numbers_are_binary(raw: Path, magic: bytes, kind: str) -> None:
    put(raw, "img.txt", magic + b"rest of the file")
    row = one_quarantine(read(raw, "img.txt"), "binary")
    assert kind in row.detail


def test_control_characters_are_binary(raw: Path) -> None:
    put(raw, "ctl.txt", bytes(range(1, 9)) * 50 + b"some text")
    one_quarantine(read(raw, "ctl.txt"), "binary")


def test_cp1252_smart_quotes_decode(raw: Path) -> None:
    data = (
        b"The governor\x92s office said \x93we will hold the line\x94 after the caf\xe9 "
        b"near the bazaar was shelled, a provincial spokesman said.\n"
    )
    put(raw, "legacy.txt", data)
    record = one_record(read(raw, "legacy.txt"))
    assert record.text == (
        "The governor\u2019s office said \u201cwe will hold the line\u201d after the caf\u00e9 "
        "near the bazaar was shelled, a provincial spokesman said.\n"
    )
    assert record.encoding == "cp1252"
    assert record.content_sha256 == sha(data)


def test_short_cp1252_text_decodes(raw: Path) -> None:
    put(raw, "short.txt", b"caf\xe9 \x93hi\x94\n")
    assert one_record(read(raw, "short.txt")).text == "caf\u00e9 \u201chi\u201d\n"


def test_other_legacy_encodings_are_detected(raw: Path) -> None:
    text = "Талибы захватили город Кундуз, сообщил представитель полиции провинции.\n"
    put(raw, "ru.txt", text.encode("cp1251"))
    record = one_record(read(raw, "ru.txt"))
    assert record.text == text
    assert record.encoding == "cp1251"


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta charset="windows-1252">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_html_declared_charset(raw: Path, meta: bytes) -> None:
    put(
        raw,
        "legacy.html",
        b"<html><head>" + meta + b"</head><body><p>\x93Caf\xe9\x94</p></body></html>",
    )
    record = one_record(read(raw, "legacy.html"))
    assert "\u201cCaf\u00e9\u201d" in (record.html or "")
    assert record.encoding == "cp1252"


def test_mixed_utf8_and_cp1252_decodes_per_line(raw: Path) -> None:
    data = "Kunduz café report — day two\n".encode() + b"the governor\x92s office said \x93no comment\x94\n"
    put(raw, "mixed.txt", data)
    record = one_record(read(raw, "mixed.txt"))
    assert record.text == "Kunduz café report — day two\nthe governor\u2019s office said \u201cno comment\u201d\n"
    assert record.encoding == "utf-8+cp1252"


def test_undecodable_bytes_are_a_decode_error(raw: Path) -> None:
    # High bytes at random: no control characters, but no encoding makes text of them.
    rng = random.Random(0)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(600))
    put(raw, "noise.txt", noise)
    row = one_quarantine(read(raw, "noise.txt"), "decode_error")
    assert "UTF-8" in row.detail
    assert row.content_sha256 == sha(noise)


def test_broken_json_reports_position(raw: Path) -> None:
    data = b'{"text": "KABUL - fighting",\n "title": }'
    put(raw, "bad.json", data)
    row = one_quarantine(read(raw, "bad.json"), "parse_error")
    assert "line 2 column" in row.detail
    assert row.content_sha256 == sha(data)


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json(raw: Path, name: str) -> None:
    depth = 100_000
    put(raw, name, '{"text": ' + "[" * depth + "]" * depth + "}")
    start = time.perf_counter()
    results = read(raw, name)
    assert time.perf_counter() - start < 5
    row = one_quarantine(results, "parse_error")
    assert "nested" in row.detail


def test_json_nesting_limit_is_configurable(raw: Path) -> None:
    put(raw, "d.json", json.dumps({"text": "x", "extra": [[[["deep"]]]]}))
    one_quarantine(read(raw, "d.json", IngestLimits(max_json_depth=3)), "parse_error")
    one_record(read(raw, "d.json", IngestLimits(max_json_depth=5)))


def test_json_list_is_a_parse_error(raw: Path) -> None:
    put(raw, "list.json", json.dumps([{"text": "a"}, {"text": "b"}]))
    row = one_quarantine(read(raw, "list.json"), "parse_error")
    assert ".jsonl" in row.detail


def test_json_without_text_names_the_fields(raw: Path) -> None:
    put(raw, "notext.json", json.dumps({"title": "Headline only", "text": ["para"]}))
    row = one_quarantine(read(raw, "notext.json"), "no_article_text")
    for field in ("'text'", "'maintext'", "'html'"):
        assert field in row.detail
    assert "'text' is an array" in row.detail


# --- quarantine: size and compression ----------------------------------------


def test_oversize_file_is_too_large(raw: Path) -> None:
    data = (ARTICLE * 10).encode("utf-8")
    put(raw, "big.txt", data)
    row = one_quarantine(read(raw, "big.txt", IngestLimits(max_bytes=100)), "too_large")
    assert row.content_sha256 == sha(data)


def test_gzip_bomb_is_too_large_and_cheap(raw: Path) -> None:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    bomb = b"".join(deflate.compress(block) for _ in range(200)) + deflate.flush()
    assert len(bomb) < 1024 * 1024  # 200 MB of zeros in well under 1 MB
    put(raw, "bomb.txt.gz", bomb)
    limits = IngestLimits(max_bytes=1024 * 1024)
    unit = units_of(raw)["bomb.txt.gz"]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        results = read_unit(raw, unit, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 16 * 1024 * 1024
    row = one_quarantine(results, "too_large")
    assert row.content_sha256 == sha(bomb)


def test_truncated_gzip_is_a_parse_error(raw: Path) -> None:
    compressed = gz(ARTICLE * 20)
    put(raw, "cut.txt.gz", compressed[: len(compressed) // 2])
    row = one_quarantine(read(raw, "cut.txt.gz"), "parse_error")
    assert "gzip stream is truncated or corrupt" in row.detail


def test_uncompressed_file_named_gz_is_a_parse_error(raw: Path) -> None:
    put(raw, "plain.txt.gz", ARTICLE)
    one_quarantine(read(raw, "plain.txt.gz"), "parse_error")


def test_gzip_data_without_gz_name_is_binary(raw: Path) -> None:
    put(raw, "packed.txt", gz(ARTICLE))
    row = one_quarantine(read(raw, "packed.txt"), "binary")
    assert ".gz" in row.detail


def test_concatenated_gzip_members(raw: Path) -> None:
    put(raw, "two.txt.gz", gz("first part\n") + gz("second part\n"))
    assert one_record(read(raw, "two.txt.gz")).text == "first part\nsecond part\n"


# --- quarantine: file system -------------------------------------------------


@pytest.mark.parametrize(
    "name, shown",
    [
        ("report.pdf", ".pdf"),
        ("notes.DOCX", ".docx"),
        ("archive.tar.gz", ".tar.gz"),
        ("README", "no file extension"),
        (".DS_Store", "no file extension"),
    ],
)
def test_unsupported_extension(raw: Path, name: str, shown: str) -> None:
    data = b"%PDF-1.4 not really" if name.endswith(".pdf") else b"some bytes"
    put(raw, name, data)
    row = one_quarantine(read(raw, name), "unsupported_type")
    assert shown in row.detail
    assert "supported: .txt, .html, .htm, .json, .jsonl (optionally .gz)" in row.detail
    assert row.content_sha256 == sha(data)


def test_symlinks_outside_the_raw_folder_are_never_followed(tmp_path: Path, raw: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "SECRET-OUTSIDE-CONTENT about 200 fighters"
    (outside / "secret.txt").write_text(secret)
    (raw / "link.txt").symlink_to(outside / "secret.txt")
    (raw / "linkdir").symlink_to(outside, target_is_directory=True)
    files = scan_raw_folder(raw)
    assert [f.path for f in files] == ["link.txt", "linkdir"]  # nothing from inside linkdir
    results = [result for unit in group_units(files) for result in read_unit(raw, unit)]
    assert len(results) == 2
    for row in results:
        assert isinstance(row, QuarantineRecord)
        assert row.reason == "unsupported_type"
        assert "symlink points outside the raw folder" in row.detail
        assert "copy the file" in row.detail
        assert row.content_sha256 is None
        assert secret not in repr(row)
    assert unit_fingerprint(raw, units_of(raw)["link.txt"]) is None


def test_symlink_inside_the_raw_folder_is_read(raw: Path) -> None:
    put(raw, "real/story.txt", ARTICLE)
    (raw / "alias.txt").symlink_to(Path("real/story.txt"))
    assert one_record(read(raw, "alias.txt")).text == ARTICLE


def test_directory_symlink_loop_terminates(raw: Path) -> None:
    put(raw, "sub/a.txt", ARTICLE)
    (raw / "sub" / "loop").symlink_to(raw, target_is_directory=True)
    paths = [f.path for f in scan_raw_folder(raw)]
    assert paths == ["sub/a.txt", "sub/loop"]
    row = one_quarantine(read(raw, "sub/loop"), "unsupported_type")
    assert "loop" in row.detail


def test_dangling_symlink_is_listed_and_quarantined(raw: Path) -> None:
    (raw / "gone.txt").symlink_to(raw / "missing.txt")
    assert [f.path for f in scan_raw_folder(raw)] == ["gone.txt"]
    row = one_quarantine(read(raw, "gone.txt"), "decode_error")
    assert row.content_sha256 is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_not_opened(raw: Path) -> None:
    os.mkfifo(raw / "pipe.txt")
    unit = units_of(raw)["pipe.txt"]
    row = one_quarantine(read_unit(raw, unit), "unsupported_type")  # would hang if opened blocking
    assert "regular file" in row.detail
    assert unit_fingerprint(raw, unit) is None


def test_file_vanished_after_scan(raw: Path) -> None:
    path = put(raw, "brief.txt", ARTICLE)
    unit = units_of(raw)["brief.txt"]
    path.unlink()
    row = one_quarantine(read_unit(raw, unit), "decode_error")
    assert "disappeared" in row.detail
    assert row.content_sha256 is None
    assert unit_fingerprint(raw, unit) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file_and_folder(tmp_path: Path, raw: Path) -> None:
    if not permissions_enforced(tmp_path):
        pytest.skip("file permissions are not enforced for this user (root)")
    locked_file = put(raw, "locked.txt", ARTICLE)
    locked_dir = raw / "private"
    put(raw, "private/inner.txt", ARTICLE)
    locked_file.chmod(0)
    locked_dir.chmod(0)
    try:
        files = {f.path: f for f in scan_raw_folder(raw)}
        assert files["private"].size == -1
        for rel in ("locked.txt", "private"):
            row = one_quarantine(read(raw, rel), "decode_error")
            assert "could not be read" in row.detail and "check permissions" in row.detail
            assert row.content_sha256 is None
    finally:
        locked_dir.chmod(0o755)
        locked_file.chmod(0o644)


# --- scan, units, fingerprint ------------------------------------------------


def test_scan_lists_every_file_sorted_with_posix_paths(raw: Path) -> None:
    put(raw, "b.txt", "b")
    put(raw, "a/z.json", "{}")
    put(raw, "a/deeper/x.html", "<p>x</p>")
    put(raw, ".hidden", "h")
    put(raw, "a/.cache/blob.bin", b"\x00")
    put(raw, "c/notes.pdf", "p")
    (raw / "empty-dir").mkdir()
    files = scan_raw_folder(raw)
    assert [f.path for f in files] == [
        ".hidden",
        "a/.cache/blob.bin",
        "a/deeper/x.html",
        "a/z.json",
        "b.txt",
        "c/notes.pdf",
    ]
    by_path = {f.path: f for f in files}
    stat = (raw / "a" / "z.json").stat()
    assert by_path["a/z.json"] == RawFile("a/z.json", stat.st_size, stat.st_mtime_ns)


def test_group_units_pairs_sidecars(raw: Path) -> None:
    for rel in (
        "x/story.txt",
        "x/story.meta.json",
        "x/page.HTML.gz",
        "x/page.meta.json.gz",
        "x/rec.json",
        "x/rec.meta.json",
        "y/story.meta.json",
        "z/dup.htm",
        "z/dup.meta.json",
        "z/dup.meta.json.gz",
    ):
        put(raw, rel, "{}")
    files = scan_raw_folder(raw)
    units = group_units(files)
    pairs = {unit.path: unit.sidecar for unit in units}
    assert pairs == {
        "x/page.HTML.gz": "x/page.meta.json.gz",
        "x/rec.json": None,  # .json records carry their own metadata
        "x/rec.meta.json": None,
        "x/story.txt": "x/story.meta.json",
        "y/story.meta.json": None,  # different folder: orphan
        "z/dup.htm": "z/dup.meta.json",
        "z/dup.meta.json.gz": None,  # second sidecar for the same article
    }
    assert [unit.path for unit in units] == sorted(pairs)
    by_path = {f.path: f for f in files}
    story = next(unit for unit in units if unit.path == "x/story.txt")
    assert story.files == (by_path["x/story.txt"], by_path["x/story.meta.json"])
    # Every file is in exactly one unit.
    assert sorted(f.path for unit in units for f in unit.files) == sorted(by_path)


def test_fingerprint_tracks_main_file_and_sidecar(raw: Path) -> None:
    put(raw, "s.txt", ARTICLE)
    sidecar = put(raw, "s.meta.json", json.dumps({"title": "One"}))
    unit = units_of(raw)["s.txt"]
    first = unit_fingerprint(raw, unit)
    assert first is not None and len(first) == 64
    assert unit_fingerprint(raw, unit) == first
    sidecar.write_text(json.dumps({"title": "Two"}))
    second = unit_fingerprint(raw, unit)
    assert second != first
    put(raw, "s.txt", ARTICLE + "Update: the road reopened.\n")
    assert unit_fingerprint(raw, unit) not in (first, second)
    without_sidecar = IngestUnit("s.txt", None, unit.files[:1])
    assert unit_fingerprint(raw, without_sidecar) not in (first, second, None)


# --- robustness --------------------------------------------------------------


def test_read_unit_never_raises_on_garbage(raw: Path) -> None:
    rng = random.Random(1234)
    names = [
        "g.txt",
        "g.html",
        "g.json",
        "g.jsonl",
        "g.txt.gz",
        "g.json.gz",
        "g.meta.json",
        "g.bin",
    ]
    seeds = [
        b"",
        b"{",
        b'{"text": 1}',
        b"\xff\xfe\x00",
        b"\x1f\x8b\x08\x00",
        b'"\\',
        b"[" * 70,
        b"\xef\xbb\xbf",
    ]
    for round_ in range(40):
        for name in names:
            blob = rng.choice(seeds) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
            folder = raw / f"r{round_}"
            put(folder, name, blob)
            for unit in group_units(scan_raw_folder(folder)):
                for result in read_unit(folder, unit, IngestLimits(max_bytes=4096)):
                    assert isinstance(result, (RawRecord, QuarantineRecord))
                    if isinstance(result, QuarantineRecord):
                        assert result.reason in QUARANTINE_REASONS
                        assert result.detail


# --- the bundled demo corpus -------------------------------------------------


def test_bundled_raw_folder_is_fully_accounted_for() -> None:
    raw = Path(__file__).parents[1] / "raw"
    files = scan_raw_folder(raw)
    assert files, "the bundled raw folder should not be empty"
    accounted: set[str] = set()
    records: list[RawRecord] = []
    quarantined: list[QuarantineRecord] = []
    for unit in group_units(files):
        results = read_unit(raw, unit)
        assert results, unit
        for result in results:
            path = result.source_path
            if "#" in path and path.rpartition("#")[0].endswith((".jsonl", ".jsonl.gz")):
                path = path.rpartition("#")[0]
            accounted.add(path)
            (records if isinstance(result, RawRecord) else quarantined).append(result)
        if unit.sidecar and any(isinstance(result, RawRecord) for result in results):
            accounted.add(unit.sidecar)  # its metadata went into the article
    assert accounted == {f.path for f in files}
    assert [(q.source_path, q.reason) for q in quarantined] == [("samples/bad/truncated-record.json", "parse_error")]
    by_path = {record.source_path: record for record in records}
    helmand = by_path["samples/text/helmand-clashes.txt.gz"]
    assert helmand.title and helmand.url and helmand.published and helmand.publisher
    assert by_path["samples/html/kunduz-offensive.html"].html
    assert by_path["samples/json/aleppo-siege.json"].published == "2016-11-28 09:14:00"
    assert sum(path.startswith("samples/jsonl/wire-roundup.jsonl#") for path in by_path) == 3
