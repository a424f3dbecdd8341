"""Figures found where almost none should be: conflict-category figures per 100 general web pages.

Scrapes are never pure, so the figure extractor must stay quiet on pages that are not about armed
conflict. The pages are WCXB's article pages (`../shared/benchmarks/wcxb-dev`, news, blogs, guides),
split by site into the dev and holdout parts of `bench/data/clean_split.json` (the same split as
`make bench-clean`). Each page goes through the real stages (HTML cleaning, spaCy, figures). Every
category but `other` counts as a conflict category. The target of issue 14 is at most 1 per 100
pages.

Usage: python -m bench.figures_offtopic [--wcxb DIR] [--parts dev,holdout] [--show N]
(`--show` lists dev figures; holdout figures only with `--i-am-done-tuning`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

from bench.clean_eval import DEFAULT_SPLIT, DEFAULT_WCXB, part_ids, read_split
from bench.clean_sets import load_wcxb

NOT_CONFLICT = frozenset({"other"})


def figures_of_pages(htmls: dict[str, str]) -> dict[str, list[dict]]:
    """page id -> the figure rows the warehouse would hold for it, with each figure's sentence."""
    from pipeline.records import RawRecord
    from pipeline.stages.annotate import annotate
    from pipeline.stages.clean import clean
    from pipeline.warehouse.assemble import finalize

    records = [RawRecord(f"{page_id}.html", "0" * 64, "html", html=html) for page_id, html in htmls.items()]
    tables = finalize(annotate(clean(records).articles).rows, [], [])
    page_of = {a["article_id"]: a["source_path"].removesuffix(".html") for a in tables["articles"].to_pylist()}
    sentences = {(s["article_id"], s["sentence_idx"]): s["text"] for s in tables["sentences"].to_pylist()}
    out: dict[str, list[dict]] = {page_id: [] for page_id in htmls}
    for f in tables["figures"].to_pylist():
        f["sentence"] = sentences.get((f["article_id"], f["sentence_idx"]), "")
        out[page_of[f["article_id"]]].append(f)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    parser.add_argument("--parts", default="dev,holdout")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="list N conflict figures of the dev part")
    parser.add_argument("--i-am-done-tuning", action="store_true", help="allow --show on holdout pages")
    args = parser.parse_args(argv)
    if not (args.wcxb / "pages.json").exists():
        print(f"figures-offtopic: no WCXB data at {args.wcxb} (pass --wcxb DIR)", file=sys.stderr)
        return 2
    logging.getLogger("pipeline").setLevel(logging.ERROR)
    split = read_split(DEFAULT_SPLIT)
    pages = {p.id: p for p in load_wcxb(args.wcxb)}
    print("| part | pages | conflict figures | per 100 pages | pages with one | by category |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    shown: list[dict] = []
    for part in [p.strip() for p in args.parts.split(",") if p.strip()]:
        ids = part_ids(split, "wcxb", part)
        found = figures_of_pages({i: pages[i].html() for i in ids})
        conflict = {i: [f for f in fs if f["category"] not in NOT_CONFLICT] for i, fs in found.items()}
        n = sum(len(fs) for fs in conflict.values())
        cats = Counter(f["category"] for fs in conflict.values() for f in fs)
        with_one = sum(1 for fs in conflict.values() if fs)
        print(f"| {part} | {len(ids)} | {n} | {100 * n / len(ids):.1f} | {with_one} | {', '.join(f'{c} {k}' for c, k in cats.most_common())} |")
        if args.show and (part == "dev" or args.i_am_done_tuning):
            shown += [dict(f, page=i) for i, fs in sorted(conflict.items()) for f in fs]
    for f in shown[: args.show]:
        print(f"  {f['page']} {f['category']:10s} {f['text']!r:40s} in {f['sentence'][:120]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
