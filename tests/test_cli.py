"""`news-etl run` and `news-etl query`, as a user calls them (a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_raw


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_HOME"))}
    env["DAGSTER_HOME"] = str(cwd / ".dagster_home")
    return subprocess.run(
        [sys.executable, "-m", "assets.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_run_then_query(tmp_path: Path) -> None:
    copy_raw(tmp_path / "in", ["001_26ff0d73370cc3a0.txt", "004_5abc85a341ba6bb1.txt"])
    (tmp_path / "in" / "junk.bin").write_bytes(b"\x00\x01\x02binary")
    run = _cli("run", "--raw", "in", "--warehouse", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "articles" in run.stdout and "checks: 13 passed, 0 failed" in run.stdout
    assert (tmp_path / "out" / "news.duckdb").exists()
    assert (tmp_path / ".dagster_home" / "dagster.yaml").exists()

    q = _cli("query", "SELECT reason FROM quarantine", "--warehouse", "out", "--format", "json", cwd=tmp_path)
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout) == [{"reason": "unsupported_type"}]

    csv_out = _cli("query", "SELECT count(*) AS n FROM articles", "--warehouse", "out", "--format", "csv", cwd=tmp_path)
    assert csv_out.stdout.splitlines() == ["n", "2"]

    table = _cli("query", "SELECT title FROM articles ORDER BY title", "--warehouse", "out", cwd=tmp_path)
    assert "Taliban claims victory - again" in table.stdout and "(2 rows)" in table.stdout

    bad = _cli("query", "SELEC nonsense", "--warehouse", "out", cwd=tmp_path)
    assert bad.returncode == 1 and "query failed" in bad.stderr

    # Read-only: a statement that would write (here a file beside the warehouse) is refused by name.
    copy = _cli("query", "COPY (SELECT * FROM articles) TO 'out/articles.csv'", "--warehouse", "out", cwd=tmp_path)
    assert copy.returncode == 3 and "COPY is refused" in copy.stderr, copy.stderr
    assert not (tmp_path / "out" / "articles.csv").exists()


def test_query_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = _cli("query", "SELECT 1", "--warehouse", "nowhere", cwd=tmp_path)
    assert result.returncode == 2 and "news-etl run" in result.stderr
