"""`make bench-figures`: precision, recall and F1 of the figure extractor on every labelled set.

Sets: the five seeds (tests/data/seeds_gold.json, texts in raw/), the development set
(tests/data/figures_dev.json, texts in tests/data/figures_dev/) and two labelled AEB pages
(tests/data/figures_aeb.json). Articles go through the real
pipeline stages (clean, spaCy, figures, entity resolution).
Usage: python -m bench.figures [--show-errors]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.figures_metric import CRITERIA, ArticleResult, Counts, score_article

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "seeds": (ROOT / "tests" / "data" / "seeds_gold.json", ROOT / "raw"),
    "dev": (ROOT / "tests" / "data" / "figures_dev.json", ROOT / "tests" / "data" / "figures_dev"),
    "aeb": (ROOT / "tests" / "data" / "figures_aeb.json", ROOT / "tests" / "data" / "figures_aeb"),
}


def predict(texts: dict[str, str]) -> dict[str, tuple[str, list[dict]]]:
    """name -> (clean body, figure rows as the warehouse writes them)."""
    from pipeline.records import RawRecord
    from pipeline.stages.annotate import annotate
    from pipeline.stages.clean import clean
    from pipeline.warehouse.assemble import finalize

    records = [RawRecord(name, "0" * 64, "text", text=text) for name, text in texts.items()]
    tables = finalize(annotate(clean(records).articles).rows, [], [])
    names = {e["entity_id"]: e["name"] for e in tables["entities"].to_pylist()}
    by_article: dict[str, list[dict]] = {}
    for f in tables["figures"].to_pylist():
        f["group"], f["location"] = names.get(f["group_entity_id"]), names.get(f["location_entity_id"])
        by_article.setdefault(f["article_id"], []).append(f)
    return {a["source_path"]: (a["body"], by_article.get(a["article_id"], [])) for a in tables["articles"].to_pylist()}


def score_set(gold_path: Path, text_dir: Path) -> tuple[dict[str, Counts], dict[str, ArticleResult], dict]:
    """Totals per criterion, each article's result, and the gold labels of one labelled set."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    predictions = predict({a: (text_dir / a).read_text(encoding="utf-8") for a in gold})
    totals = {c: Counts() for c in CRITERIA}
    per_article: dict[str, ArticleResult] = {}
    for article, labels in gold.items():
        body, predicted = predictions[article]
        result = score_article(body, predicted, labels["figures"], labels.get("not_figures", []))
        for c in CRITERIA:
            totals[c].add(result.counts[c])
        per_article[article] = result
    return totals, per_article, gold


def run_set(name: str, gold_path: Path, text_dir: Path, show: bool) -> dict[str, Counts]:
    totals, per_article, gold = score_set(gold_path, text_dir)
    for article, result in per_article.items():
        if show and (result.misses or result.false_alarms or result.not_figure_hits or result.mismatches):
            print(f"  {article}")
            for m in result.misses:
                print(f"    miss   {m}")
            for fa in result.false_alarms:
                print(f"    extra  {fa!r}")
            for mm in result.mismatches:
                print(f"    differs {mm}")
            for nf in result.not_figure_hits:
                print(f"    NOT-A-FIGURE extracted: {nf!r}")
    not_fig_hits = sum(len(r.not_figure_hits) for r in per_article.values())
    n_required = sum(1 for a in gold.values() for f in a["figures"] if f.get("required", True))
    print(f"{name}: {len(gold)} articles, {n_required} required figures, not_figures extracted: {not_fig_hits}")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    for name, (gold_path, text_dir) in SETS.items():
        if gold_path.exists():
            results[name] = run_set(name, gold_path, text_dir, args.show_errors)
    overall = {c: Counts() for c in CRITERIA}
    for totals in results.values():
        for c in CRITERIA:
            overall[c].add(totals[c])
    results["all"] = overall
    print(f"\n{'set':<7} {'criterion':<15} {'prec':>6} {'recall':>6} {'F1':>6}   tp/fp/fn")
    for name, totals in results.items():
        for c, counts in totals.items():
            print(
                f"{name:<7} {c:<15} {counts.precision:6.3f} {counts.recall:6.3f} {counts.f1:6.3f}   {counts.tp}/{counts.fp}/{counts.fn}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
