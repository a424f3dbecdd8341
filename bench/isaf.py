"""Counts an analyst can add up, against hand-coded ISAF press releases (issue 14's measure).

`../shared/benchmarks/isaf-dev`: 242 releases, each coded with the minimum number killed and
detained (the coding rules are in that folder's README). For every release the killed and the
captured figures the pipeline finds are summed, the way an analyst would sum the warehouse today
(negated, running and contested figures left out; a vague or open figure counts its low bound),
and the sums are compared with the coded minimums. The releases are split by a hash of the file
name into a dev part and a holdout part (`sha256("news-etl/isaf-split/1:" + name)`, first byte
below 128 is dev), so a change can be developed on one and measured on the other.

Usage: python -m bench.isaf [--data DIR] [--parts dev,holdout]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path

from bench.figures import predict

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "isaf-dev"
SPLIT_SEED = "news-etl/isaf-split/1"


def part_of(name: str) -> str:
    """dev or holdout, by a hash of the release's file name."""
    return "dev" if hashlib.sha256(f"{SPLIT_SEED}:{name}".encode()).digest()[0] < 128 else "holdout"


def summed(figures: list[dict], category: str) -> int:
    """The figures of one category added up as an analyst would today (low bound of a vague count)."""
    total = 0.0
    for f in figures:
        if f["category"] != category or f["is_negated"] or f["is_cumulative"] or f["is_contested"]:
            continue
        value = f["value"] if f["value"] is not None else f["value_low"]
        total += value or 0
    return int(total)


def score(gold: dict[str, dict], predicted: dict[str, list[dict]]) -> dict[str, float | int]:
    """Share of releases whose sums match the coded minimums (killed, captured, both)."""
    killed = [n for n in gold if gold[n]["min_killed"] > 0]
    captured = [n for n in gold if gold[n]["min_captured"] > 0]
    ok_k = {n for n in gold if summed(predicted.get(n, []), "killed") == gold[n]["min_killed"]}
    ok_c = {n for n in gold if summed(predicted.get(n, []), "captured") == gold[n]["min_captured"]}
    return {
        "releases": len(gold),
        "reporting_killed": len(killed),
        "killed_match": sum(n in ok_k for n in killed) / max(1, len(killed)),
        "reporting_captured": len(captured),
        "captured_match": sum(n in ok_c for n in captured) / max(1, len(captured)),
        "both_match_all": len(ok_k & ok_c) / max(1, len(gold)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parts", default="dev,holdout")
    args = parser.parse_args(argv)
    if not (args.data / "gold.json").exists():
        print(f"bench-isaf: no ISAF data at {args.data} (pass --data DIR)", file=sys.stderr)
        return 2
    logging.getLogger("pipeline").setLevel(logging.ERROR)
    gold = json.loads((args.data / "gold.json").read_text(encoding="utf-8"))
    print("| part | releases | reporting killed | sum = coded min killed | reporting detained | sum = coded min detained | both right, all releases |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for part in [p.strip() for p in args.parts.split(",") if p.strip()]:
        names = sorted(n for n in gold if part_of(n) == part)
        texts = {n: (args.data / "raw" / n).read_text(encoding="utf-8") for n in names}
        predicted = {name: figures for name, (_body, figures) in predict(texts).items()}
        s = score({n: gold[n] for n in names}, predicted)
        print(
            f"| {part} | {s['releases']} | {s['reporting_killed']} | {s['killed_match']:.0%} | {s['reporting_captured']} | "
            f"{s['captured_match']:.0%} | {s['both_match_all']:.0%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
