"""Reliability: hostile raw folders, files vanishing mid-run, kill -9, concurrent runs, readers during a run.

Everything runs for real: real files generated in tmp_path (seeded), the real spaCy pipeline, real
DuckDB files, real subprocesses killed with SIGKILL. Nothing is mocked.

Run with `-s` to see the measured timings (bad-folder run, kill-test run duration, ...).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import RAW, ROOT
from pipeline.plan import plan_run
from pipeline.run import run_pipeline, run_stages
from pipeline.settings import Settings
from pipeline.stages.clean import clean
from pipeline.warehouse.store import WarehouseStore

QUARANTINE_REASONS = {"empty", "binary", "decode_error", "too_large", "parse_error", "no_article_text", "unsupported_type"}
VOLATILE_COLUMNS = {"ingested_at", "seen_at", "processed_at"}
SEED = 20240611
GOOD_SEEDS = ["000_9be1167d6977def7.txt", "001_26ff0d73370cc3a0.txt", "002_9053da883cae559c.txt"]

# A subprocess run of the pipeline without Dagster (faster to start than the CLI).
RUN_SCRIPT = """
import sys
from pathlib import Path
from pipeline.run import run_pipeline
from pipeline.settings import Settings
summary = run_pipeline(Settings(raw_dir=Path(sys.argv[1]), warehouse_dir=Path(sys.argv[2])))
print("RUN-OK", summary.written, summary.generation, flush=True)
"""


def _log(msg: str) -> None:
    print(f"[reliability] {msg}", file=sys.__stdout__, flush=True)


# ---------------------------------------------------------------------------------------------
# Generated inputs
# ---------------------------------------------------------------------------------------------
PLACES = ["Kunduz", "Herat", "Kandahar", "Mosul", "Aleppo", "Marib", "Goma", "Mogadishu", "Timbuktu", "Raqqa", "Sirte"]
GROUPS = ["Taliban", "Islamic State", "Houthi", "M23", "al-Shabab", "Wagner"]
NAMES = ["Ahmad Wali", "Sarah Collins", "Yusuf Karim", "Maria Lopez", "Omar Haidari", "Fatima Nouri", "John Okello"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_article(rng: random.Random, tag: int, *, fancy: bool = False) -> str:
    """A short, plausible conflict report; every paragraph is unique to (rng, tag)."""
    place, place2 = rng.sample(PLACES, 2)
    group, name = rng.choice(GROUPS), rng.choice(NAMES)
    n, k, w = rng.randint(2, 90) * 10, rng.randint(3, 40), rng.randint(5, 80)
    q_open, q_close, dash = ("\u201c", "\u201d", "\u2014") if fancy else ('"', '"', "-")
    cafe = "caf\u00e9" if fancy else "cafe"
    paras = [
        f"{group} fighters push into {place} as families flee (report {tag})",
        (
            f"{place.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)} (Reuters) - About {n:,} {group} fighters "
            f"attacked positions around {place} on {rng.choice(DAYS)}, local officials said in report number {tag}."
        ),
        (
            f"{name}, a spokesman for the provincial governor, said {k} civilians were killed and {w} others were "
            f"wounded when shells hit a {cafe} near the main market {dash} the worst attack there in {tag + 2} weeks."
        ),
        (
            f"{q_open}We counted {k} bodies after the shelling stopped,{q_close} said a doctor at the hospital in "
            f"{place}, who asked not to be named. Residents said hundreds of families had fled towards {place2}."
        ),
        (
            f"Aid workers said more than {rng.randint(2, 30) * 100} displaced people needed shelter near {place2} "
            f"and that {rng.randint(2, 9)} convoys were waiting at checkpoints (dispatch {tag})."
        ),
    ]
    return "\n\n".join(paras) + "\n"


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def gzip_bomb(path: Path, n_bytes: int) -> None:
    """`n_bytes` zeros, gzip-compressed in a stream (never held in memory)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    with open(path, "wb") as fh:
        fh.writelines(comp.compress(chunk) for _ in range(n_bytes // len(chunk)))
        fh.write(comp.flush())


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def list_raw_entries(raw: Path) -> set[str]:
    """Every file-like entry under `raw` (relative POSIX paths), computed independently of the pipeline.

    Regular files, FIFOs and every symlink (to a file or a folder, dangling or looping) count as
    entries; real sub-folders are walked. A folder that cannot be listed counts as an entry.
    """
    found: set[str] = set()
    stack = [(raw, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            found.add(prefix.rstrip("/"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), rel + "/"))
            else:
                found.add(rel)
    return found


# ---------------------------------------------------------------------------------------------
# Reading and comparing warehouses
# ---------------------------------------------------------------------------------------------
def _norm(value):
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    return value


def db_snapshot(warehouse: Path) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """Every base table of news.duckdb except warehouse_meta: columns and sorted rows, timestamps dropped."""
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                "AND table_catalog = current_database() AND table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        out = {}
        for name in names:
            if name == "warehouse_meta":
                continue
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
                    "AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                if r[0] not in VOLATILE_COLUMNS
            ]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"').fetchall()
            out[name] = (tuple(cols), sorted((tuple(_norm(v) for v in row) for row in rows), key=repr))
        return out
    finally:
        con.close()


def db_generation(warehouse: Path) -> str:
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute("SELECT generation FROM warehouse_meta").fetchone()[0]
    finally:
        con.close()


def parquet_snapshot(warehouse: Path) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    out = {}
    for folder in sorted((warehouse / "parquet").iterdir()):
        if not folder.is_dir():
            continue
        table = pq.read_table(folder / "data.parquet")
        cols = tuple(c for c in table.column_names if c not in VOLATILE_COLUMNS)
        rows = [tuple(_norm(r[c]) for c in cols) for r in table.to_pylist()]
        out[folder.name] = (cols, sorted(rows, key=repr))
    return out


def diff_snapshots(got: dict, want: dict) -> str:
    """Empty when equal, else a short description of the first differences."""
    problems = []
    if set(got) != set(want):
        problems.append(f"tables differ: only in got {sorted(set(got) - set(want))}, only in want {sorted(set(want) - set(got))}")
    for name in sorted(set(got) & set(want)):
        (gcols, grows), (wcols, wrows) = got[name], want[name]
        if gcols != wcols:
            problems.append(f"{name}: columns {gcols} != {wcols}")
            continue
        if grows != wrows:
            gset, wset = set(map(repr, grows)), set(map(repr, wrows))
            extra, missing = sorted(gset - wset)[:3], sorted(wset - gset)[:3]
            problems.append(
                f"{name}: {len(grows)} rows vs {len(wrows)} expected; extra e.g. {[e[:200] for e in extra]}; "
                f"missing e.g. {[m[:200] for m in missing]}"
            )
    return "\n".join(problems)


def assert_same_warehouse(warehouse: Path, reference: dict, what: str) -> None:
    """news.duckdb equals the reference, and the Parquet copy equals news.duckdb at the same generation."""
    snap = db_snapshot(warehouse)
    problems = diff_snapshots(snap, reference)
    assert not problems, f"{what}: DuckDB differs from a clean run:\n{problems}"
    pq_snap = parquet_snapshot(warehouse)
    db_tables = {n: v for n, v in snap.items() if n in pq_snap}
    assert set(pq_snap) >= {"articles", "quarantine", "figures", "ingest_ledger"}
    problems = diff_snapshots(pq_snap, db_tables)
    assert not problems, f"{what}: Parquet differs from DuckDB:\n{problems}"
    marker = (warehouse / "parquet" / "_generation").read_text().strip()
    assert marker == db_generation(warehouse), f"{what}: Parquet generation marker {marker} != DuckDB generation"


def tmp_leftovers(warehouse: Path) -> list[str]:
    return sorted(str(p.relative_to(warehouse)) for p in warehouse.rglob("*") if ".tmp" in p.name)


# ---------------------------------------------------------------------------------------------
# Subprocess runs
# ---------------------------------------------------------------------------------------------
def _child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_HOME"))}
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start_run(raw: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", RUN_SCRIPT, str(raw), str(warehouse)],
        cwd=ROOT,
        env=_child_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_cli_run(raw: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "assets.cli", "run", "--raw", str(raw), "--warehouse", str(warehouse)],
        cwd=ROOT,
        env=_child_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_to_completion(raw: Path, warehouse: Path, home: Path, timeout: float = 300) -> tuple[float, str]:
    started = time.perf_counter()
    proc = start_run(raw, warehouse, home)
    out, err = proc.communicate(timeout=timeout)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0 and "RUN-OK" in out, f"run failed (exit {proc.returncode}):\n{err[-3000:]}"
    return elapsed, out


# ---------------------------------------------------------------------------------------------
# A small raw folder shared by the kill, concurrency and reader tests
# ---------------------------------------------------------------------------------------------
N_GENERATED = 3


def build_small_raw(dest: Path) -> Path:
    """The bundled raw/ folder (11 files: text, html, json, jsonl, gz + sidecar, a broken record) plus 3 articles."""
    shutil.copytree(RAW, dest)
    for p in dest.rglob("*"):  # the bundled files are read-only; the tests edit copies
        p.chmod(0o755 if p.is_dir() else 0o644)
    rng = random.Random(SEED)
    for i in range(N_GENERATED):
        write(dest / "generated" / f"report_{i:02d}.txt", make_article(rng, 100 + i))
    return dest


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The small raw folder, a clean reference run of it (timed), and a base warehouse of a subset.

    The base warehouse is a published warehouse built from the same folder without the generated
    articles, so a run of the full folder on a copy of it has real work to do and a previous
    warehouse that must survive a crash.
    """
    base = tmp_path_factory.mktemp("small")
    raw = build_small_raw(base / "raw")
    ref_wh = base / "ref_warehouse"
    duration, _ = run_to_completion(raw, ref_wh, base / "dh_ref")
    reference = db_snapshot(ref_wh)
    assert_same_warehouse(ref_wh, reference, "reference run")
    assert len(reference["articles"][1]) == 11 + N_GENERATED

    subset = base / "raw_subset"
    shutil.copytree(raw, subset)
    shutil.rmtree(subset / "generated")
    base_wh = base / "base_warehouse"
    run_to_completion(subset, base_wh, base / "dh_base")
    base_snapshot = db_snapshot(base_wh)
    assert len(base_snapshot["articles"][1]) == 11

    # An uninterrupted incremental run from the base warehouse must already equal the clean run.
    inc_wh = base / "incremental_warehouse"
    shutil.copytree(base_wh, inc_wh)
    inc_duration, _ = run_to_completion(raw, inc_wh, base / "dh_inc")
    assert_same_warehouse(inc_wh, reference, "incremental run from the base warehouse")
    _log(f"small raw folder: {len(list_raw_entries(raw))} files; clean run {duration:.2f}s, incremental run {inc_duration:.2f}s")
    return {
        "raw": raw,
        "reference": reference,
        "duration": duration,
        "inc_duration": inc_duration,
        "base_wh": base_wh,
        "base_snapshot": base_snapshot,
        "n_articles_base": len(base_snapshot["articles"][1]),
        "n_articles_full": len(reference["articles"][1]),
    }


# ---------------------------------------------------------------------------------------------
# 1. Two hundred hostile inputs in one folder
# ---------------------------------------------------------------------------------------------
ARTICLE = {"article"}


def q(*reasons: str) -> set[str]:
    return {f"q:{r}" for r in reasons}


class BadFolder:
    """Writes the hostile raw folder and remembers what each file (or JSONL line) may become.

    `expect[path]` is a set of allowed outcomes ("article", "q:<reason>"), or None when any
    outcome is fine as long as the file is accounted for.
    """

    def __init__(self, raw: Path, outside: Path, seed: int) -> None:
        self.raw, self.outside = raw, outside
        self.rng = random.Random(seed)
        self.expect: dict[str, set[str] | None] = {}
        self.jsonl_lines: dict[str, list[int]] = {}  # .jsonl path -> non-blank line numbers
        self.tag = 0

    def article(self, fancy: bool = False) -> str:
        self.tag += 1
        return make_article(self.rng, self.tag, fancy=fancy)

    def add(self, rel: str, data: bytes | str, expect: set[str] | None) -> None:
        assert rel not in self.expect, rel
        write(self.raw / rel, data)
        self.expect[rel] = expect

    def rand(self, n: int, *, nul: bool = True) -> bytes:
        data = bytearray(self.rng.getrandbits(8) for _ in range(n))
        if nul:
            data[self.rng.randrange(n)] = 0
        return bytes(data)


def build_bad_folder(raw: Path, outside: Path) -> BadFolder:
    b = BadFolder(raw, outside, SEED)
    rng = b.rng

    # --- good articles -----------------------------------------------------------------------
    for name in GOOD_SEEDS:
        b.add(f"good/{name}", (RAW / name).read_bytes(), ARTICLE)
    b.add("good/generated.txt", b.article(), ARTICLE)
    b.add(".hidden_article.txt", b.article(), ARTICLE)  # hidden, but a supported type: ingested

    # --- empty and whitespace-only -----------------------------------------------------------
    for ext in [".txt", ".html", ".htm", ".json", ".jsonl", ".TXT", ".txt.gz", ".json.gz", ".jsonl.gz", ".html.gz"]:
        b.add(f"empty/zero{ext}", b"", q("empty"))
    b.add("empty/gzip_of_nothing.txt.gz", gzip_bytes(b""), q("empty"))
    b.add("empty/gzip_of_nothing.json.gz", gzip_bytes(b""), q("empty"))
    spaces = [b" ", b"\n" * 500, b"\t \r\n \r\n", " \u00a0\u2003\u3000 \n".encode(), b"\xef\xbb\xbf   \n"]
    for i, data in enumerate(spaces):
        for ext in [".txt", ".html", ".json"]:
            b.add(f"whitespace/ws{i}{ext}", data, q("empty"))
    b.add("whitespace/utf16_spaces.txt", b"\xff\xfe" + "   \n\t ".encode("utf-16-le"), q("empty"))
    b.add("whitespace/blank_lines.jsonl", b"\n  \n\r\n\t\n", q("empty"))
    b.add("whitespace/spaces.txt.gz", gzip_bytes(b"   \n\n   "), q("empty"))

    # --- binary --------------------------------------------------------------------------------
    for i in range(24):
        ext = [".txt", ".html", ".htm", ".json", ".jsonl", ".TXT"][i % 6]
        b.add(f"binary/random_{i:02d}{ext}", b.rand(rng.randint(64, 8192)), q("binary"))
    magics = {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "gif": b"GIF89a\x01\x00\x01\x00",
        "gzip_unnamed": gzip_bytes(b"an article that was compressed but not named .gz"),
    }
    for kind, head in magics.items():
        for ext in [".txt", ".html", ".json"]:
            b.add(f"binary/{kind}_magic{ext}", head + b.rand(512), q("binary"))
    b.add(
        "binary/pdf_clean_ascii.txt",
        b"%PDF-1.4\n1 0 obj << /Length 44 >> stream\nBT /F1 12 Tf (Hello) Tj ET\nendstream\n",
        q("binary"),
    )
    b.add("binary/png_in.jsonl", magics["png"] + b.rand(256, nul=False), q("binary"))
    for i in range(4):
        noisy = "".join(rng.choice("abcdef \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x1b") for _ in range(2000))
        b.add(f"binary/control_flood_{i}.txt", noisy, q("binary"))
    b.add("binary/utf16_no_bom.txt", b.article().encode("utf-16-le"), q("binary"))
    b.add("binary/elf", b"\x7fELF\x02\x01\x01\x00" + b.rand(400), q("unsupported_type"))

    # --- gzip: truncated, corrupt, bombs ---------------------------------------------------------
    packed = gzip_bytes(b.article().encode())
    for i, cut in enumerate([1, 2, 5, 10, 18, len(packed) // 3, len(packed) // 2, len(packed) - 9, len(packed) - 1]):
        b.add(f"gzip/truncated_{i}.txt.gz", packed[:cut], q("parse_error"))
    json_packed = gzip_bytes(json.dumps({"text": b.article()}).encode())
    b.add("gzip/truncated.json.gz", json_packed[: len(json_packed) // 2], q("parse_error"))
    b.add("gzip/truncated.jsonl.gz", json_packed[: len(json_packed) // 2], q("parse_error"))
    b.add("gzip/truncated.html.gz", json_packed[:40], q("parse_error"))
    b.add("gzip/not_gzip_at_all.txt.gz", b.article(), q("parse_error"))
    b.add("gzip/random.txt.gz", b.rand(3000), q("parse_error"))
    b.add("gzip/trailing_junk.txt.gz", packed + b"this is not gzip", q("parse_error"))
    for i in range(3):
        broken = bytearray(packed)
        for _ in range(6):
            broken[rng.randrange(12, len(broken) - 8)] ^= 0xFF
        b.add(f"gzip/bitflip_{i}.txt.gz", bytes(broken), None)
    gzip_bomb(b.raw / "gzip" / "bomb_300mb.txt.gz", 300 * 1024 * 1024)
    b.expect["gzip/bomb_300mb.txt.gz"] = q("too_large")
    gzip_bomb(b.raw / "gzip" / "bomb_64mb.jsonl.gz", 64 * 1024 * 1024)
    b.expect["gzip/bomb_64mb.jsonl.gz"] = q("too_large")
    b.add("gzip/bomb_text.html.gz", gzip_bytes(b"<p>" + b"A" * 8_000_000 + b"</p>"), q("too_large"))

    # --- too large -----------------------------------------------------------------------------
    big = b.raw / "large" / "fifty_mb.txt"
    big.parent.mkdir(parents=True, exist_ok=True)
    with open(big, "wb") as fh:
        line = (b.article().replace("\n", " ") + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    b.expect["large/fifty_mb.txt"] = q("too_large")
    b.add("large/six_mb.html", b"<html><body>" + b"<p>word</p>" * 550_000 + b"</body></html>", q("too_large"))
    b.add("large/just_over.json", b'{"text": "' + b"x" * 5_000_000 + b'"}', q("too_large"))

    # --- encodings -------------------------------------------------------------------------------
    for i in range(6):
        b.add(f"encoding/cp1252_{i}.txt", b.article(fancy=True).encode("cp1252"), ARTICLE)
    for i in range(4):
        lines = b.article(fancy=True).split("\n")
        mixed = b"\n".join(ln.encode("utf-8" if j % 4 == 0 else "cp1252") for j, ln in enumerate(lines))
        b.add(f"encoding/mixed_{i}.txt", mixed, ARTICLE)
    b.add("encoding/utf16_bom.txt", b"\xff\xfe" + b.article(fancy=True).encode("utf-16-le"), ARTICLE)
    b.add("encoding/utf8_bom.txt", b"\xef\xbb\xbf" + b.article(fancy=True).encode(), ARTICLE)
    b.add("encoding/utf16_bom_broken.txt", b"\xff\xfe" + b.article().encode("utf-16-le") + b"\x00\xd8", q("decode_error"))
    b.add(
        "encoding/cp1252_meta.html",
        (
            '<html><head><meta charset="windows-1252"><title>Report</title></head><body><article>'
            + "".join(f"<p>{p}</p>" for p in b.article(fancy=True).split("\n\n"))
            + "</article></body></html>"
        ).encode("cp1252"),
        ARTICLE,
    )
    invalid = [
        b"\xc3\x28",
        b"\xa0\xa1",
        b"\xe2\x28\xa1",
        b"\xf0\x28\x8c\xbc",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\x81\x8d\x8f\x90\x9d",
    ]
    for i in range(14):
        text = b.article().encode()
        pos = sorted(rng.randrange(len(text)) for _ in range(rng.randint(1, 6)))
        for p in reversed(pos):
            text = text[:p] + rng.choice(invalid) + text[p:]
        b.add(f"encoding/invalid_utf8_{i:02d}{['.txt', '.html', '.json'][i % 3]}", text, None)
    b.add("encoding/shift_jis.txt", ("東京の報道によると、戦闘で多くの市民が死亡した。" * 20).encode("shift_jis"), None)
    b.add("encoding/random_high_bytes.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(3000)), None)

    # --- JSON --------------------------------------------------------------------------------------
    good_json = json.dumps({"text": b.article(), "title": "x"})
    broken_json = [
        "{",
        "}",
        "[",
        '{"text": "abc"',
        '{"text": "abc",}',
        "{'text': 'abc'}",
        '{text: "abc"}',
        '{"text": "abc"} trailing',
        '{"text": "abc"}{"text": "def"}',
        '{"text": "unterminated}',
        '{"a":1,,}',
        '{"text": "\\q"}',
        '{"text" "abc"}',
        '{"text": "a" "b"}',
        '{"text": undefined}',
        '{"text": 0x1F}',
        '{"text": "a"]',
        "{{}}",
        '{"text": True}',
        "<html>not json</html>",
    ]
    for i, text in enumerate(broken_json):
        b.add(f"json/broken_{i:02d}.json", text, q("parse_error"))
    for i in range(8):
        b.add(f"json/cut_{i}.json", good_json[: rng.randrange(2, len(good_json) - 2)], q("parse_error"))
    b.add("json/huge_int.json", '{"text": "abc", "n": ' + "9" * 5000 + "}", q("parse_error"))
    for i, text in enumerate(["null", "true", "123", '"just a string"', "NaN", "[]", f"[{good_json}, {good_json}]"]):
        b.add(f"json/not_object_{i}.json", text, q("parse_error"))
    depth = 100_000
    b.add("json/nested_arrays.json", "[" * depth + "]" * depth, q("parse_error"))
    b.add("json/nested_objects.json", '{"a":' * depth + "1" + "}" * depth, q("parse_error"))
    b.add("json/nested_unclosed.json", '{"text": "abc", "x": ' + "[" * depth, q("parse_error"))
    b.add(
        "json/nested_in_article.json",
        '{"text": "' + b.article().replace("\n", "\\n") + '", "x": ' + "[" * depth + "]" * depth + "}",
        q("parse_error"),
    )
    no_text = [
        {"title": "Only a title", "url": "https://example.com/a"},
        {"text": ""},
        {"text": "   \n  "},
        {"text": None},
        {"text": 12345},
        {"text": ["a", "list"]},
        {"text": {"nested": "object"}},
        {"html": ["<p>list</p>"]},
        {"maintext": None, "title": "news-please record without text"},
        {},
    ]
    for i, record in enumerate(no_text):
        b.add(f"json/no_text_{i}.json", json.dumps(record), q("no_article_text"))
    b.add("json/good_newsplease.json", json.dumps({"maintext": b.article(), "source_domain": "example.org"}), ARTICLE)
    b.add(
        "json/empty_page.json", json.dumps({"html": "<html><body><script>var a=1;</script></body></html>"}), q("no_article_text")
    )

    # --- JSONL: good and bad lines in one file -----------------------------------------------------
    lines: list[tuple[bytes, set[str] | None]] = [
        (json.dumps({"text": b.article()}).encode(), ARTICLE),
        (b"", None),  # blank: no row expected
        (b'{"text": "broken', q("parse_error")),
        (json.dumps({"maintext": b.article(), "date_publish": "2021-08-01 10:00:00"}).encode(), ARTICLE),
        (json.dumps([{"text": "in a list"}]).encode(), q("parse_error")),
        (json.dumps({"title": "no text here"}).encode(), q("no_article_text")),
        (b"[" * depth + b"]" * depth, q("parse_error")),
        # A raw NUL inside a JSON string is invalid JSON (one stray NUL no longer makes a line binary).
        (b'{"text": "nul \x00 byte here and more words to make it long enough"}', q("parse_error")),
        (b"   ", None),  # whitespace-only: blank
        (b"12345", q("parse_error")),
        (json.dumps({"text": b.article()}).encode() + b"\r", ARTICLE),
        (b'{"text": "abc", "n": ' + b"9" * 5000 + b"}", q("parse_error")),
        (json.dumps({"text": ""}).encode(), q("no_article_text")),
        (b"not json at all", q("parse_error")),
        (json.dumps({"text": b.article(fancy=True)}, ensure_ascii=False).encode("cp1252"), ARTICLE),
    ]
    b.add("jsonl/mixed.jsonl", b"\n".join(data for data, _ in lines) + b"\n", None)
    b.jsonl_lines["jsonl/mixed.jsonl"] = []
    for number, (data, expect) in enumerate(lines, start=1):
        if data.strip():
            b.jsonl_lines["jsonl/mixed.jsonl"].append(number)
            b.expect[f"jsonl/mixed.jsonl#{number}"] = expect
    bad_lines = [text for text in broken_json if text.strip()] * 3
    b.add("jsonl/all_bad.jsonl", "\n".join(bad_lines) + "\n", None)
    b.jsonl_lines["jsonl/all_bad.jsonl"] = list(range(1, len(bad_lines) + 1))
    for number in b.jsonl_lines["jsonl/all_bad.jsonl"]:
        b.expect[f"jsonl/all_bad.jsonl#{number}"] = q("parse_error")
    gz_lines = [json.dumps({"text": b.article()}), "{oops", json.dumps({"nope": 1})]
    b.add("jsonl/packed.jsonl.gz", gzip_bytes("\n".join(gz_lines).encode()), None)
    b.jsonl_lines["jsonl/packed.jsonl.gz"] = [1, 2, 3]
    b.expect.update(
        {
            "jsonl/packed.jsonl.gz#1": ARTICLE,
            "jsonl/packed.jsonl.gz#2": q("parse_error"),
            "jsonl/packed.jsonl.gz#3": q("no_article_text"),
        }
    )

    # --- HTML ----------------------------------------------------------------------------------------
    n_div = 100_000
    b.add(
        "html/nested_divs.html",
        "<html><body>" + "<div>" * n_div + "<p>Deep text about 40 fighters in Kunduz.</p>" + "</div>" * n_div + "</body></html>",
        None,
    )
    b.add("html/nested_divs_unclosed.html", "<html><body>" + "<div>" * n_div + "<p>Deep text.</p></body></html>", None)
    b.add(
        "html/nested_divs_article.html",
        "<html><body>"
        + "<div>" * 5000
        + "".join(f"<p>{p}</p>" for p in b.article().split("\n\n"))
        + "</div>" * 5000
        + "</body></html>",
        None,
    )
    b.add(
        "html/only_script.html",
        "<html><head><script>" + "var x = 1;" * 500 + "</script></head><body></body></html>",
        q("no_article_text"),
    )
    b.add("html/tag_soup.htm", "<<<>>><p<p<p>>>" + "</div>" * 2000 + "<b><i></b></i>" * 500, None)
    b.add("html/unterminated.html", "<html><body><p>" + b.article().replace("\n\n", "<p>") + "<div class=", None)
    b.add("html/comments_only.html", "<!--" + "x" * 100_000, None)

    # --- unsupported types and names -----------------------------------------------------------------
    unsupported = [
        "doc.pdf",
        "doc.docx",
        "table.csv",
        "feed.xml",
        "notes.md",
        "story.rtf",
        "setup.exe",
        "blob.bin",
        "data.dat",
        "photo.png",
        "photo.jpg",
        "bundle.tar.gz",
        "archive.zip",
        "old.doc",
        "sheet.xlsx",
        "script.py",
        "run.sh",
        "app.log",
        "backup.txt.bak",
        "README",
        "Makefile",
        "trailing_dot.",
        "article.gz",
        ".txt",
        "page.php",
    ]
    for name in unsupported:
        b.add(f"unsupported/{name}", b.article(), q("unsupported_type"))
    b.add(".DS_Store", b"\x00\x00\x00\x01Bud1" + b.rand(200), q("unsupported_type"))
    b.add("._apple_double.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b.rand(100), q("binary"))
    b.add(".git/HEAD", "ref: refs/heads/main\n", q("unsupported_type"))
    b.add(".git/config", "[core]\n\trepositoryformatversion = 0\n", q("unsupported_type"))
    b.add("names/with space and ünïcödé.txt", b.article(), ARTICLE)
    b.add(
        "names/UPPER.HTML",
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in b.article().split("\n\n")) + "</article></body></html>",
        ARTICLE,
    )

    # --- sub-folders, deeply nested -------------------------------------------------------------------
    deep = "/".join(f"level{i}" for i in range(30))
    b.add(f"{deep}/deep_broken.json", "{", q("parse_error"))
    b.add(f"{deep}/deep_good.txt", b.article(), ARTICLE)
    (b.raw / "empty_folder" / "nested_empty").mkdir(parents=True)

    # --- sidecars ------------------------------------------------------------------------------------
    b.add("sidecars/a.txt", b.article(), ARTICLE)
    b.add("sidecars/a.meta.json", json.dumps({"title": "Sidecar title A", "publisher": "Sidecar Times"}), None)
    b.add("sidecars/b.txt", b.article(), ARTICLE)
    b.add("sidecars/b.meta.json", '{"title": ', q("parse_error"))
    b.add("sidecars/c.txt", b.article(), ARTICLE)
    b.add("sidecars/c.meta.json", "[" * depth + "]" * depth, q("parse_error"))
    b.add("sidecars/d.txt", b"", q("empty"))
    b.add("sidecars/d.meta.json", json.dumps({"title": "for an empty file"}), q("no_article_text"))
    b.add("sidecars/orphan.meta.json", json.dumps({"title": "nobody's"}), q("no_article_text"))
    b.add("sidecars/f.txt", b.article(), ARTICLE)
    b.add("sidecars/f.meta.json", json.dumps([{"title": "a list"}]), q("parse_error"))
    b.add("sidecars/g.txt", b.article(), ARTICLE)
    b.add("sidecars/g.meta.json", b.rand(500), {"q:binary", "q:parse_error", "q:decode_error"})

    # --- links, a FIFO, permissions --------------------------------------------------------------------
    secret = secret_article(b.outside)
    links = b.raw / "links"
    links.mkdir()
    for name, target in [
        ("outside_abs.txt", secret["txt"]),
        ("outside_abs.html", secret["html"]),
        ("outside_abs.json", secret["json"]),
        ("outside_rel.txt", Path(os.path.relpath(secret["txt"], links))),
        ("outside_dir", b.outside),
        ("outside_dir_rel", Path(os.path.relpath(b.outside, links))),
    ]:
        os.symlink(target, links / name)
        b.expect[f"links/{name}"] = q("unsupported_type")
    b.add("sidecars/e.txt", b.article(), ARTICLE)
    os.symlink(secret["meta"], b.raw / "sidecars" / "e.meta.json")  # a sidecar pointing outside
    b.expect["sidecars/e.meta.json"] = q("unsupported_type")
    os.symlink("does_not_exist.txt", links / "dangling.txt")
    b.expect["links/dangling.txt"] = q("decode_error", "unsupported_type")
    os.symlink("loop_b.txt", links / "loop_a.txt")
    os.symlink("loop_a.txt", links / "loop_b.txt")
    b.expect["links/loop_a.txt"] = b.expect["links/loop_b.txt"] = q("decode_error", "unsupported_type")
    os.symlink("..", links / "up")  # a folder link back to an ancestor: must not loop forever
    b.expect["links/up"] = q("unsupported_type", "decode_error")
    os.symlink(f"../good/{GOOD_SEEDS[0]}", links / "inside_ok.txt")  # inside the raw folder: allowed
    b.expect["links/inside_ok.txt"] = ARTICLE
    os.mkfifo(b.raw / "links" / "pipe.txt")  # reading it naively would hang the run
    b.expect["links/pipe.txt"] = q("unsupported_type")
    b.add("locked/locked.txt", b.article(), None)
    b.add("locked/locked_dir/inside.txt", b.article(), None)
    return b


def secret_article(outside: Path) -> dict:
    """Files outside the raw folder whose content must never reach the warehouse."""
    marker = "OUTSIDESECRET" + hashlib.sha256(str(SEED).encode()).hexdigest()[:16]
    text = (
        f"{marker} Kabul secret report\n\n"
        f"About 500 {marker} soldiers were killed near Kabul on Monday, officials said {marker}.\n\n"
        f"The {marker} commander said 40 fighters were captured.\n"
    )
    files = {
        "txt": write(outside / "secret.txt", text),
        "html": write(outside / "secret.html", f"<html><body><article><p>{text}</p></article></body></html>"),
        "json": write(outside / "secret.json", json.dumps({"text": text, "title": marker})),
        "meta": write(
            outside / "secret.meta.json", json.dumps({"title": marker, "publisher": marker, "url": f"https://{marker}.example"})
        ),
    }
    write(outside / "sub" / "more.txt", text)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in [*files.values(), outside / "sub" / "more.txt"]}
    return {**files, "marker": marker, "digests": digests}


def _detail_is_sentence(detail: str) -> bool:
    return (
        bool(detail) and detail == detail.strip() and detail[-1] in ".!?" and len(detail.split()) >= 5 and detail[0].isprintable()
    )


def test_two_hundred_hostile_files_are_all_accounted_for(tmp_path: Path) -> None:
    raw, outside, warehouse = tmp_path / "raw", tmp_path / "outside", tmp_path / "warehouse"
    t0 = time.perf_counter()
    folder = build_bad_folder(raw, outside)
    secret = secret_article(outside)
    locked_file, locked_dir = raw / "locked" / "locked.txt", raw / "locked" / "locked_dir"
    locked_file.chmod(0o000)
    locked_dir.chmod(0o000)
    _log(f"bad folder written in {time.perf_counter() - t0:.1f}s")
    try:
        on_disk = list_raw_entries(raw)
        # Hostile: every file not expected to be a clean article (legacy encodings count as good here).
        n_bad = sum(1 for rel in on_disk if folder.expect.get(rel) != ARTICLE)
        assert n_bad >= 200, n_bad

        settings = Settings(raw_dir=raw, warehouse_dir=warehouse, max_bytes=5_000_000)
        started = time.perf_counter()
        summary = run_pipeline(settings)  # must return, whatever is in the folder
        elapsed = time.perf_counter() - started
        _log(f"bad folder: {len(on_disk)} files ({n_bad} hostile) processed in {elapsed:.1f}s; {summary.row_counts}")
        assert summary.written
        assert elapsed < 150, f"the hostile folder took {elapsed:.0f}s"

        tables = {name: t.to_pylist() for name, t in WarehouseStore(warehouse).read_tables().items()}
        articles, quarantine, ledger = tables["articles"], tables["quarantine"], tables["ingest_ledger"]

        # Contract: reasons from the list, details are sentences a person can act on.
        for row in quarantine:
            assert row["reason"] in QUARANTINE_REASONS, row
            assert _detail_is_sentence(row["detail"]), row
        assert len({r["source_path"] for r in quarantine}) == len(quarantine), "one quarantine row per path"
        assert len({r["source_path"] for r in articles}) == len(articles), "one article per path"

        # Outcomes by path (a JSONL line is "file.jsonl#N").
        outcome: dict[str, set[str]] = {}
        for row in articles:
            outcome.setdefault(row["source_path"], set()).add("article")
        for row in quarantine:
            outcome.setdefault(row["source_path"], set()).add(f"q:{row['reason']}")
        sidecars_used = {r["sidecar_path"] for r in ledger if r["sidecar_path"]}
        ledger_paths = {r["source_path"] for r in ledger} | sidecars_used

        # Every entry on disk is accounted for, and nothing else appears.
        unaccounted = []
        for rel in sorted(on_disk):
            lines = [f"{rel}#{n}" for n in folder.jsonl_lines.get(rel, [])]
            if rel in outcome:
                continue
            if lines and all(line in outcome for line in lines):
                continue
            if rel in sidecars_used and any(r["sidecar_path"] == rel and r["n_articles"] for r in ledger):
                continue
            unaccounted.append(rel)
        assert not unaccounted, (
            f"{len(unaccounted)} files are neither an article, a quarantine row nor a used sidecar: {unaccounted[:20]}"
        )
        assert on_disk <= ledger_paths, f"not in the ledger: {sorted(on_disk - ledger_paths)[:20]}"
        phantom = sorted(p for p in outcome if p not in on_disk and p.rsplit("#", 1)[0] not in on_disk)
        assert not phantom, f"rows for paths that are not in the raw folder: {phantom[:20]}"

        # Each file (or JSONL line) ended as expected.
        is_root = os.geteuid() == 0
        wrong = []
        for path, allowed in sorted(folder.expect.items()):
            got = outcome.get(path, set())
            if path in folder.jsonl_lines and not got:
                continue  # judged line by line
            if allowed is not None and not (got and got <= allowed):
                wrong.append((path, sorted(got), sorted(allowed)))
        assert not wrong, "unexpected outcomes (path, got, allowed):\n" + "\n".join(map(str, wrong))
        assert outcome.get("sidecars/a.txt") == {"article"}
        a_row = next(r for r in articles if r["source_path"] == "sidecars/a.txt")
        assert (a_row["title"], a_row["publisher"]) == ("Sidecar title A", "Sidecar Times")
        for sidecar in ["sidecars/b.meta.json", "sidecars/c.meta.json", "sidecars/e.meta.json", "sidecars/f.meta.json"]:
            assert outcome.get(sidecar, set()) <= q("parse_error", "unsupported_type", "binary") and outcome.get(sidecar)
        if not is_root:  # root ignores permissions, so chmod 000 changes nothing for it
            assert outcome.get("locked/locked.txt") == q("decode_error")
            assert outcome.get("locked/locked_dir") == q("decode_error")
        else:
            assert outcome.get("locked/locked.txt") == ARTICLE
            assert outcome.get("locked/locked_dir/inside.txt") == ARTICLE

        # Nothing from outside the raw folder: no text, no digest of its bytes.
        dumped = repr(tables)
        assert secret["marker"] not in dumped, "content of a file outside the raw folder reached the warehouse"
        for digest in secret["digests"]:
            assert digest not in dumped, "a file outside the raw folder was read (its digest is in the warehouse)"
        parquet_dump = repr({name: v for name, v in parquet_snapshot(warehouse).items()})
        assert secret["marker"] not in parquet_dump

        # Measure the 100k-deep HTML on its own too: read + clean in bounded time.
        from pipeline.ingest import IngestLimits, group_units, read_unit, scan_raw_folder

        units = {u.path: u for u in group_units(scan_raw_folder(raw))}
        started = time.perf_counter()
        recs = read_unit(raw, units["html/nested_divs.html"], IngestLimits(max_bytes=5_000_000))
        clean([r for r in recs if not hasattr(r, "reason")])
        html_elapsed = time.perf_counter() - started
        _log(f"100k nested <div> page alone: read + clean in {html_elapsed:.1f}s")
        assert html_elapsed < 60

        # A second run over the same folder works and changes no row (unreadable units are re-read).
        before = db_snapshot(warehouse)
        started = time.perf_counter()
        run_pipeline(settings)
        _log(f"bad folder, second run: {time.perf_counter() - started:.1f}s")
        problems = diff_snapshots(db_snapshot(warehouse), before)
        assert not problems, problems
    finally:
        locked_file.chmod(0o644)
        locked_dir.chmod(0o755)


# ---------------------------------------------------------------------------------------------
# 2. Files that vanish between the scan and the read
# ---------------------------------------------------------------------------------------------
VANISHING = [
    "001_26ff0d73370cc3a0.txt",  # a plain article
    "samples/jsonl/wire-roundup.jsonl",  # a JSONL file (three articles)
    "samples/text/helmand-clashes.meta.json",  # a sidecar (its article stays)
    "samples/html/kunduz-offensive.html",  # removed together with its folder
]


def test_files_vanishing_mid_run_become_quarantine_rows_and_the_next_run_is_clean(tmp_path: Path) -> None:
    raw = build_small_raw(tmp_path / "raw")
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "warehouse")
    store = WarehouseStore(settings.warehouse_dir)
    plan = plan_run(settings, store)
    assert set(VANISHING) <= set(plan.units) | {u.sidecar for u in plan.units.values()}

    (raw / VANISHING[0]).unlink()
    (raw / VANISHING[1]).unlink()
    (raw / VANISHING[2]).unlink()
    shutil.rmtree(raw / "samples" / "html")
    run_stages(plan, store, settings)  # what run_pipeline does after planning; must not raise

    tables = {n: t.to_pylist() for n, t in store.read_tables().items()}
    articles = {r["source_path"]: r for r in tables["articles"]}
    quarantine = {r["source_path"]: r for r in tables["quarantine"]}
    for path in VANISHING:
        rows = [p for p in [*articles, *quarantine] if p == path or p.startswith(path + "#")]
        assert all(p in quarantine for p in rows), f"{path} vanished but became an article: {rows}"
        for p in rows:
            assert quarantine[p]["reason"] == "decode_error", quarantine[p]
            assert "disappeared during the run" in quarantine[p]["detail"] and _detail_is_sentence(quarantine[p]["detail"])
    _log(
        "vanished mid-run -> "
        + ", ".join(f"{p}: {quarantine[p]['reason'] if p in quarantine else 'absent'}" for p in VANISHING[:1] + VANISHING[2:])
    )
    # The article whose sidecar vanished is kept, without the sidecar's metadata.
    assert "samples/text/helmand-clashes.txt.gz" in articles
    # Everything that did not vanish is there.
    assert {"000_9be1167d6977def7.txt", "samples/json/aleppo-siege.json", "generated/report_00.txt"} <= set(articles)

    # The next run: no trace of the vanished files, and the same warehouse as a clean run.
    run_pipeline(settings)
    tables = {n: t.to_pylist() for n, t in store.read_tables().items()}
    paths = {r["source_path"] for r in tables["articles"]} | {r["source_path"] for r in tables["quarantine"]}
    paths |= {r["source_path"] for r in tables["ingest_ledger"]} | {r["sidecar_path"] for r in tables["ingest_ledger"]}
    for path in VANISHING:
        assert not any(p and (p == path or p.startswith(path + "#")) for p in paths), f"{path} still in the warehouse"
    clean_wh = tmp_path / "clean_warehouse"
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=clean_wh))
    assert_same_warehouse(settings.warehouse_dir, db_snapshot(clean_wh), "run after files vanished")


@pytest.mark.parametrize("change", ["vanished and came back", "edited and reverted"])
def test_a_file_changed_mid_run_is_reprocessed_once_it_is_back(tmp_path: Path, change: str) -> None:
    raw = build_small_raw(tmp_path / "raw")
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "warehouse")
    store = WarehouseStore(settings.warehouse_dir)
    path = raw / VANISHING[0]
    original = path.read_bytes()
    plan = plan_run(settings, store)
    if change == "vanished and came back":
        path.unlink()  # e.g. a sync tool deleting and re-creating the file
    else:
        path.write_bytes(original.replace(b"Taliban", b"Tali-edited"))
    run_stages(plan, store, settings)
    path.write_bytes(original)  # back, byte for byte

    run_pipeline(settings)  # the quarantine detail says: re-run the pipeline
    tables = {n: t.to_pylist() for n, t in store.read_tables().items()}
    article = next((r for r in tables["articles"] if r["source_path"] == VANISHING[0]), None)
    assert article is not None, f"{VANISHING[0]} is back in the raw folder but not in the articles table"
    assert VANISHING[0] not in {r["source_path"] for r in tables["quarantine"]}
    assert "Tali-edited" not in article["body"], "the rows still hold the edit that was reverted"


# ---------------------------------------------------------------------------------------------
# Two more inputs that break the contract (kept out of the big folder so that test stays meaningful)
# ---------------------------------------------------------------------------------------------
def test_a_file_name_with_a_hash_survives_an_incremental_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "report#1.txt", (RAW / GOOD_SEEDS[0]).read_bytes())
    write(raw / "other.txt", (RAW / GOOD_SEEDS[1]).read_bytes())
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "warehouse")
    store = WarehouseStore(settings.warehouse_dir)
    run_pipeline(settings)
    assert "report#1.txt" in {r["source_path"] for r in store.read_tables(("articles",))["articles"].to_pylist()}

    write(raw / "new.txt", (RAW / GOOD_SEEDS[2]).read_bytes())  # any change makes the next run incremental
    run_pipeline(settings)
    tables = {n: t.to_pylist() for n, t in store.read_tables().items()}
    assert "report#1.txt" in {r["source_path"] for r in tables["articles"]}, "the article of report#1.txt is gone"
    ledger = {r["source_path"]: r for r in tables["ingest_ledger"]}
    assert ledger["report#1.txt"]["n_articles"] == 1


def test_an_article_longer_than_spacys_max_length_does_not_fail_the_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / GOOD_SEEDS[0], (RAW / GOOD_SEEDS[0]).read_bytes())
    rng = random.Random(SEED)
    words = ["the", "army", "said", "soldiers", "were", "killed", "near", "town", "while", "officials", "reported"]
    words += ["that", "fighters", "captured", "villages", "and", "residents", "fled", "across", "river", "after", "shelling"]
    paragraphs, size = [], 0
    while size < 1_100_000:  # about 1.1 MB of prose: a long report, a transcript, a scraped live blog
        para = " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "." for _ in range(5))
        paragraphs.append(para)
        size += len(para) + 2
    write(raw / "live_blog.txt", "\n\n".join(paragraphs))
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "warehouse", max_bytes=5_000_000)
    run_pipeline(settings)
    tables = {n: t.to_pylist() for n, t in WarehouseStore(settings.warehouse_dir).read_tables().items()}
    assert GOOD_SEEDS[0] in {r["source_path"] for r in tables["articles"]}
    assert "live_blog.txt" in {r["source_path"] for r in tables["articles"]} | {r["source_path"] for r in tables["quarantine"]}


def test_a_document_over_the_time_limit_is_quarantined_and_the_rest_is_kept(tmp_path: Path) -> None:
    """The per-document limit (NEWS_DOC_SECONDS) stops one slow document, not the run."""
    raw = tmp_path / "raw"
    write(raw / GOOD_SEEDS[0], (RAW / GOOD_SEEDS[0]).read_bytes())
    rng = random.Random(SEED)
    words = ["the", "army", "said", "soldiers", "were", "near", "town", "while", "officials", "reported", "fighters"]
    paragraphs = [
        " ".join(" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(5)) for _ in range(4000)
    ]
    write(raw / "slow.txt", "\n\n".join(paragraphs))  # about 1.6 MB: minutes of NLP, far over a 2 s limit
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "warehouse", doc_seconds=2.0)
    started = time.perf_counter()
    run_pipeline(settings)
    elapsed = time.perf_counter() - started
    tables = {n: t.to_pylist() for n, t in WarehouseStore(settings.warehouse_dir).read_tables().items()}
    assert [r["source_path"] for r in tables["articles"]] == [GOOD_SEEDS[0]]
    [row] = [q for q in tables["quarantine"] if q["source_path"] == "slow.txt"]
    assert row["reason"] == "too_large" and "NEWS_DOC_SECONDS" in row["detail"], row
    _log(f"1.6 MB article under a 2 s limit: quarantined, run took {elapsed:.1f}s")
    assert elapsed < 60


def test_the_time_limit_interrupts_python_code_and_is_not_swallowed() -> None:
    from pipeline.budget import DocumentTimeout, time_limit

    def extractor_that_catches_everything() -> None:
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - what a defensive extractor does
            pass

    started = time.perf_counter()
    with pytest.raises(DocumentTimeout):
        with time_limit(0.2):
            extractor_that_catches_everything()
    assert time.perf_counter() - started < 5
    with time_limit(0.2):  # a fast block is untouched, and no alarm is left behind
        pass
    time.sleep(0.3)


# ---------------------------------------------------------------------------------------------
# 3. kill -9 at random points, then a re-run equals a clean run
# ---------------------------------------------------------------------------------------------
def _kill_when(proc: subprocess.Popen, condition, timeout: float) -> tuple[bool, float]:
    """SIGKILL `proc` as soon as `condition()` holds (or at `timeout`); (killed while running, seconds)."""
    started = time.perf_counter()
    while proc.poll() is None:
        elapsed = time.perf_counter() - started
        if elapsed >= timeout or condition():
            break
        time.sleep(0.001)
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return running and proc.returncode == -signal.SIGKILL, time.perf_counter() - started


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def test_kill_9_at_random_points_then_rerun_equals_a_clean_run(small: dict, tmp_path: Path) -> None:
    raw, reference = small["raw"], small["reference"]
    rng = random.Random(SEED)
    trials: list[tuple[str, str, float | None]] = []  # (start state, kill point, delay)
    for i in range(5):  # delays spread over the whole run, from process start to publish
        start = "fresh" if i % 2 == 0 else "base"
        duration = small["duration"] if start == "fresh" else small["inc_duration"]
        lo, hi = 0.1 + i * 0.2, 0.1 + (i + 1) * 0.2  # fractions of the measured duration: 0.1 .. 1.1
        trials.append((start, "delay", round(rng.uniform(lo, hi) * duration, 3)))
    # And the three moments that matter most, found by watching the warehouse folder.
    trials += [
        ("base", "tmp database being built", None),
        ("base", "parquet being written", None),
        ("base", "database swapped in", None),
    ]

    results = []
    for i, (start, point, delay) in enumerate(trials):
        wh, home = tmp_path / f"wh{i}", tmp_path / f"dagster_home{i}"
        if start == "base":
            shutil.copytree(small["base_wh"], wh)
        db, old_inode = wh / "news.duckdb", _inode(wh / "news.duckdb")
        conditions = {
            "delay": lambda: False,
            "tmp database being built": lambda wh=wh: any(wh.glob(".news.duckdb.*.tmp")),
            "parquet being written": lambda wh=wh: any((wh / "parquet").glob("*/.data.parquet.*.tmp")),
            "database swapped in": lambda db=db, old=old_inode: _inode(db) not in (None, old),
        }
        proc = start_run(raw, wh, home)
        killed, at = _kill_when(proc, conditions[point], delay if delay is not None else 120)

        # Right after the kill: news.duckdb opens and is one whole warehouse, the old one or the new one.
        leftovers = tmp_leftovers(wh)
        if db.exists():
            snap = db_snapshot(wh)
            candidates = {"new": reference} | ({"old": small["base_snapshot"]} if start == "base" else {})
            state = next((name for name, want in candidates.items() if not diff_snapshots(snap, want)), None)
            assert state, f"trial {i} ({point} {delay}): after the kill news.duckdb is neither the old nor the new warehouse"
        else:
            assert start == "fresh", f"trial {i}: a kill removed the previous warehouse"
            state = "none"
        # Re-run to completion: equal to a clean run, Parquet included; leftovers break nothing.
        run_to_completion(raw, wh, home)
        results.append((start, point, delay, killed, round(at, 2), state, len(leftovers), len(tmp_leftovers(wh))))
        assert_same_warehouse(wh, reference, f"re-run after kill trial {i} ({point})")
        assert tmp_leftovers(wh) == [], "a re-run removes what the killed run left (staged rows, temporaries)"
        con = duckdb.connect()
        try:
            n = con.execute(f"SELECT count(*) FROM '{wh}/parquet/articles/*.parquet'").fetchone()[0]
        finally:
            con.close()
        assert n == small["n_articles_full"], "a leftover temporary file is read as part of the Parquet dataset"

    _log(f"kill test: clean run {small['duration']:.2f}s, incremental run {small['inc_duration']:.2f}s")
    for start, point, delay, killed, at, state, tmp_after_kill, tmp_after_rerun in results:
        _log(
            f"  start={start} kill at {point} (delay {delay}): killed={killed} after {at}s; warehouse after the kill: "
            f"{state}; .tmp files after the kill {tmp_after_kill}, after the re-run {tmp_after_rerun}"
        )
    assert sum(1 for r in results if r[3]) >= 4, f"too few runs were actually killed: {results}"
    assert any(r[3] for r in results[:5]), "no random-delay kill hit a running run"
    assert any(r[5] == "old" for r in results), "no kill hit a run that had not yet published"


# ---------------------------------------------------------------------------------------------
# 4. Two runs started at once
# ---------------------------------------------------------------------------------------------
CONFLICT_MESSAGES = ("the warehouse changed while this run worked", "WarehouseBusyError", "busy")


# What `news-etl run` does before it runs anything: set up DAGSTER_HOME and open the Dagster instance
# (assets/cli.py cmd_run). The barrier lines the processes up right before the instance is opened.
OPEN_INSTANCE_SCRIPT = """
import sys, time
from pathlib import Path
import dagster as dg
from assets.cli import open_dagster_instance
go = Path(sys.argv[1]) if len(sys.argv) > 1 else None
while go is not None and not go.exists():
    time.sleep(0.001)
with open_dagster_instance() as instance:
    instance.get_runs(limit=1)
print("INSTANCE-OK", flush=True)
"""


def open_instance(home: Path, go: Path | None = None) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-c", OPEN_INSTANCE_SCRIPT] + ([str(go)] if go else [])
    return subprocess.Popen(args, cwd=ROOT, env=_child_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("how,start", [("script", "fresh"), ("script", "base"), ("cli", "fresh")])
def test_two_runs_started_at_once_never_corrupt_the_warehouse(small: dict, tmp_path: Path, how: str, start: str) -> None:
    raw, wh, home = small["raw"], tmp_path / "warehouse", tmp_path / "dagster_home"
    if start == "base":
        shutil.copytree(small["base_wh"], wh)
    if how == "cli":
        # Both share one Dagster instance, as two `news-etl run` in the same project folder do. The instance
        # exists already: creating it from two processes at once is a separate (known) bug, tested below.
        init = open_instance(home)
        out, err = init.communicate(timeout=120)
        assert "INSTANCE-OK" in out, err[-2000:]
    launch = start_run if how == "script" else start_cli_run
    started = time.perf_counter()
    procs = [launch(raw, wh, home) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    elapsed = time.perf_counter() - started
    codes = [p.returncode for p in procs]
    assert 0 in codes, f"neither run succeeded: {[e[-2000:] for _, e in outputs]}"
    for code, (_out, err) in zip(codes, outputs):
        if code != 0:
            assert code == 1, f"a run died instead of failing cleanly (exit {code}):\n{err[-3000:]}"
            assert any(m in err for m in CONFLICT_MESSAGES), f"failure without a clear message:\n{err[-3000:]}"
    _log(f"two {how} runs at once ({start}): exit codes {codes}, both done in {elapsed:.1f}s")

    # The winner published a whole warehouse; the loser changed nothing.
    reference = small["reference"]
    assert_same_warehouse(wh, reference, f"after two {how} runs at once")
    if how == "cli":  # the shared Dagster instance still works
        again = start_cli_run(raw, wh, home)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err[-3000:]
    else:
        run_to_completion(raw, wh, home)
    assert_same_warehouse(wh, reference, "one more run after the two concurrent runs")


def test_two_cli_runs_started_at_once_in_a_fresh_project_leave_a_working_instance(small: dict, tmp_path: Path) -> None:
    failures: list[str] = []
    for round_no in range(3):  # a race: each round of four lined-up processes hit it about 5 times in 6 before the fix
        home, go = tmp_path / f"dagster_home{round_no}", tmp_path / f"go{round_no}"
        procs = [open_instance(home, go) for _ in range(4)]
        time.sleep(4)  # let every process import Dagster and wait at the barrier
        go.touch()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            if proc.returncode != 0 or "INSTANCE-OK" not in out:
                errors = [line for line in err.splitlines() if "Error" in line and not line.startswith(" ")]
                failures.append(errors[-1] if errors else f"exit {proc.returncode}")
        if failures:
            break
    _log(f"fresh Dagster instance opened by 4 processes at once: failures in round {round_no}: {failures}")
    # Whatever happened, the project must still be usable: a plain `news-etl run` with that DAGSTER_HOME.
    after = start_cli_run(small["raw"], tmp_path / "warehouse", home)
    _out, err = after.communicate(timeout=300)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    _log(f"news-etl run afterwards with the same DAGSTER_HOME: exit {after.returncode} {last[:160]}")
    assert not failures and after.returncode == 0, (failures, last)


# ---------------------------------------------------------------------------------------------
# 5. Read-only queries during a run
# ---------------------------------------------------------------------------------------------
def test_read_only_queries_never_fail_during_a_run(small: dict, tmp_path: Path) -> None:
    raw, wh = small["raw"], tmp_path / "warehouse"
    shutil.copytree(small["base_wh"], wh)
    old_n, new_n = small["n_articles_base"], small["n_articles_full"]
    stop = threading.Event()
    inproc: list[tuple[int, int, str]] = []  # (articles in news.duckdb, articles in Parquet, generation)
    cli: list[int] = []
    errors: list[str] = []

    def query_in_process() -> None:
        while True:
            last = stop.is_set()
            try:
                con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
                try:
                    n, gen = con.execute(
                        "SELECT (SELECT count(*) FROM articles), (SELECT generation FROM warehouse_meta)"
                    ).fetchone()
                    con.execute("SELECT count(*) FROM figures_readable").fetchone()
                finally:
                    con.close()
                mem = duckdb.connect()
                try:
                    n_pq = mem.execute(f"SELECT count(*) FROM '{wh}/parquet/articles/*.parquet'").fetchone()[0]
                finally:
                    mem.close()
                inproc.append((n, n_pq, gen))
            except Exception as exc:  # noqa: BLE001 - every failure is recorded and fails the test
                errors.append(f"in-process: {type(exc).__name__}: {exc}")
            if last:
                return
            time.sleep(0.01)

    def query_cli() -> None:
        env = _child_env(tmp_path / "dagster_home_query")
        while True:
            last = stop.is_set()
            res = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "assets.cli",
                    "query",
                    "SELECT count(*) AS n FROM articles",
                    "--warehouse",
                    str(wh),
                    "--format",
                    "csv",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if res.returncode != 0:
                errors.append(f"cli exit {res.returncode}: {res.stderr[-1000:]}")
            else:
                cli.append(int(res.stdout.split()[-1]))
            if last:
                return

    threads = [threading.Thread(target=query_in_process), threading.Thread(target=query_cli)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    proc = start_run(raw, wh, tmp_path / "dagster_home_run")
    try:
        out, err = proc.communicate(timeout=300)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0 and "RUN-OK" in out, err[-3000:]
    _log(f"readers during a {elapsed:.1f}s run: {len(inproc)} in-process queries, {len(cli)} CLI queries, {len(errors)} failures")

    assert not errors, errors[:5]
    assert len(inproc) >= 10 and len(cli) >= 2, (len(inproc), len(cli))
    assert {n for n, _, _ in inproc} <= {old_n, new_n} and {p for _, p, _ in inproc} <= {old_n, new_n}
    assert set(cli) <= {old_n, new_n}
    assert inproc[-1][:2] == (new_n, new_n) and cli[-1] == new_n
    assert inproc[0][0] == old_n, "the queries did not start before the run published"
    seen_new = [n == new_n for n, _, _ in inproc]
    assert seen_new == sorted(seen_new), "a reader saw the old warehouse again after the new one"
    assert len({g for _, _, g in inproc}) == 2
    assert_same_warehouse(wh, small["reference"], "after the run with readers")
