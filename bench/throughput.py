"""`make bench`: end-to-end throughput and memory on a generated corpus, next to bare spaCy.

For each corpus size it generates a mixed-format raw folder (bench/corpus.py), then measures, each
phase in its own process so peak memory is that phase's own:
  1. the whole pipeline (ingest -> warehouse), articles/s and words/s, peak RSS;
  2. bare `nlp.pipe` with the same model over the same bodies, with both cores (n_process=2);
  3. a no-op re-run on the unchanged folder, by the pipeline and by `news-etl run` (wall time of
     the whole command, Dagster start-up included);
  4. adding 100 new articles to the built warehouse.
Usage: python -m bench.throughput --sizes 2000 10000 [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _phase_pipeline(raw: str, warehouse: str, processes: int) -> dict:
    from pipeline.run import run_pipeline
    from pipeline.settings import Settings

    started = time.perf_counter()
    summary = run_pipeline(Settings(raw_dir=Path(raw), warehouse_dir=Path(warehouse), nlp_processes=processes))
    seconds = time.perf_counter() - started
    import duckdb

    with duckdb.connect(str(Path(warehouse) / "news.duckdb"), read_only=True) as con:
        # Whitespace-separated words, as str.split() counts them in the bare phase.
        words = con.execute(
            "SELECT coalesce(sum(length(regexp_split_to_array(trim(body), '\\s+'))), 0) FROM articles"
        ).fetchall()[0][0]
    return {
        "seconds": seconds,
        "words": int(words),
        "articles": summary.row_counts.get("articles", 0),
        "processed_units": summary.processed_units,
        "written": summary.written,
    }


def _phase_bare_nlp(warehouse: str, processes: int) -> dict:
    import duckdb

    from pipeline.nlp.model import resolve_model_name

    with duckdb.connect(str(Path(warehouse) / "news.duckdb"), read_only=True) as con:
        bodies = [r[0] for r in con.execute("SELECT body FROM articles").fetchall()]
    import spacy

    nlp = spacy.load(resolve_model_name(None))
    started = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=64, n_process=processes):
        pass
    return {"seconds": time.perf_counter() - started, "articles": len(bodies), "words": sum(len(b.split()) for b in bodies)}


def _run_phase(name: str, *args: str) -> dict:
    """Run one phase in a child process; returns its result, with that phase's own peak RSS."""
    out = subprocess.run([sys.executable, "-m", "bench.throughput", "_phase", name, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"bench phase {name} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    """Peak RSS of the largest process of this phase: itself or one of its (forked) workers, in MB.

    ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN covers this phase's workers only, because each
    phase runs in a fresh process.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def _cli_noop(raw: Path, warehouse: Path, home: Path) -> float:
    """Wall time of `news-etl run` on an unchanged folder, as a user (or the schedule) meets it."""
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assets.cli", "run", "--raw", str(raw), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def bench_size(n: int, workdir: Path, processes: int, bare: bool = True) -> dict:
    from bench.corpus import write_corpus

    raw, warehouse = workdir / f"raw{n}", workdir / f"wh{n}"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(warehouse, ignore_errors=True)
    write_corpus(raw, n, seed=n)
    full = _run_phase("pipeline", str(raw), str(warehouse), str(processes))
    # Bare spaCy takes as long as the pipeline; --bare-sizes can limit it to some sizes.
    bare = _run_phase("bare", str(warehouse), str(processes)) if bare else None
    noop = _run_phase("pipeline", str(raw), str(warehouse), str(processes))
    _cli_noop(raw, warehouse, workdir / "dagster_home")  # first CLI run creates the Dagster instance
    cli_noop = _cli_noop(raw, warehouse, workdir / "dagster_home")
    write_corpus(raw / "added", 100, seed=n + 1)
    added = _run_phase("pipeline", str(raw), str(warehouse), str(processes))
    words = bare["words"] if bare else full["words"]
    return {
        "articles": full["articles"],
        "words": words,
        "pipeline_s": full["seconds"],
        "articles_per_s": full["articles"] / full["seconds"],
        "words_per_s": words / full["seconds"],
        "bare_nlp_s": bare["seconds"] if bare else None,
        "bare_words_per_s": words / bare["seconds"] if bare else float("nan"),
        "ratio": bare["seconds"] / full["seconds"] if bare else float("nan"),
        "noop_s": noop["seconds"],
        "cli_noop_s": cli_noop,
        "add100_s": added["seconds"],
        "add100_units": added["processed_units"],
        "peak_rss_mb": full["peak_rss_mb"],
        "add100_peak_rss_mb": added["peak_rss_mb"],
        "bare_peak_rss_mb": bare["peak_rss_mb"] if bare else None,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_phase"]:
        name, args = argv[1], argv[2:]
        result = _phase_pipeline(args[0], args[1], int(args[2])) if name == "pipeline" else _phase_bare_nlp(args[0], int(args[1]))
        result["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--bare-sizes", type=int, nargs="*", help="sizes to run bare nlp.pipe on (default: all)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="news-etl-bench-"))
    print(f"corpus and warehouses in {workdir}; nlp processes: {args.processes}")
    print(
        f"{'articles':>8} {'words':>9} {'e2e s':>7} {'art/s':>6} {'words/s':>8} {'bare w/s':>8} {'ratio':>5} {'no-op s':>7} {'CLI no-op s':>11} {'+100 s':>6} {'peak MB':>7} {'+100 MB':>7}"
    )
    for n in args.sizes:
        r = bench_size(n, workdir, args.processes, bare=args.bare_sizes is None or n in args.bare_sizes)
        print(
            f"{r['articles']:>8} {r['words']:>9} {r['pipeline_s']:>7.1f} {r['articles_per_s']:>6.1f} {r['words_per_s']:>8.0f} "
            f"{r['bare_words_per_s']:>8.0f} {r['ratio']:>5.2f} {r['noop_s']:>7.2f} {r['cli_noop_s']:>11.1f} {r['add100_s']:>6.1f} {r['peak_rss_mb']:>7.0f} {r['add100_peak_rss_mb']:>7.0f}",
            flush=True,
        )
        with open(workdir / f"results-{n}.json", "w") as fh:
            json.dump(r, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
