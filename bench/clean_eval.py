"""`make bench-clean`: boilerplate removal measured on pages the rules were not tuned on (issue 13).

Two labelled sets, AEB (`../shared/benchmarks/aeb`) and WCXB's development split
(`../shared/benchmarks/wcxb-dev`), are each split BY SITE into a `dev` part (develop and tune on
it) and a `holdout` part (only measure it). The split is committed in `bench/data/clean_split.json`
(rule, seed and the news rule: `bench/data/README.md`). For every set x part x extractor the harness
prints F1 / precision / recall (AEB's 4-token shingle metric, `bench/aeb_metric.py`), the pages
whose output still has a prompt-like line, and for WCXB the must-have snippets kept and the
must-not-have snippets leaked, for all pages and for news pages vs the rest. Speed is pages/s on
one core: only the extraction calls are timed, in this one process, extractors interleaved page by
page so both see the same machine load.

Usage: python -m bench.clean_eval [--sets aeb,wcxb] [--parts dev,holdout] [--only ours] [--limit N]
       [--json OUT] [--show-worst N --part dev] [--write-split]
Holdout pages are never listed one by one unless `--i-am-done-tuning` is given.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from bench.aeb_metric import page_counts, score, shingles
from bench.clean_sets import Page, load_aeb, load_wcxb, site_of  # noqa: F401 - site_of: part of this module's interface
from bench.dragnet import load_dragnet
from bench.l3s import load_l3s
from bench.merged_sets import FOLDERS as MERGED_FOLDERS
from bench.merged_sets import load_merged

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"
DEFAULT_AEB = SHARED / "aeb"
DEFAULT_WCXB = SHARED / "wcxb-dev"
DEFAULT_SPLIT = ROOT / "bench" / "data" / "clean_split.json"
DEFAULT_L3S = SHARED / "l3s-gn1"
DEFAULT_DRAGNET = SHARED / "dragnet"
DEFAULT_MERGED = SHARED / "html-cleaning-dataset-merged"

SETS = ("aeb", "wcxb", "l3s", "dragnet", "cleanportaleval", "mozilla", "cleaneval")
DEFAULT_SETS = ("aeb", "wcxb")
# Sets no rule was tuned on: every page is holdout (bench/l3s.py, dragnet.py and merged_sets.py say why).
MEASURE_ONLY = frozenset({"l3s", "dragnet", "cleanportaleval", "mozilla", "cleaneval"})
MARKERS = {"aeb": "ground-truth.json", "wcxb": "pages.json", "l3s": "url-mapping.txt", "dragnet": ".", "cleanportaleval": "CleanPortalEval-master", "mozilla": "readability", "cleaneval": "cleaneval-final"}
PARTS = ("dev", "holdout")
SPLIT_SEED = "news-etl/clean-split/1"
DEV_FRACTION = 0.5

# Lines that look like publisher prompts, whatever extractor left them in.
PROMPT_LINE = re.compile(
    r"\b(sign ?up (for|to)|subscribe\b|newsletter|already a subscriber|log ?in to|create (a|an) (free )?account|"
    r"leave a comment|join the (conversation|discussion)|comments? \(\d+\)|show comments|share (this|on)|"
    r"follow us|your support|donate|read more\b|continue reading|related (stories|articles|coverage)|"
    r"recommended for you|most (read|popular)|advertisement)\b",
    re.IGNORECASE,
)


# --- extractors ----------------------------------------------------------------------------------


def _ours(html: str) -> str:
    from pipeline.clean import clean_record
    from pipeline.records import RawRecord

    return clean_record(RawRecord("page.html", "0" * 64, "html", html=html)).body


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def _trafilatura_with_comments(html: str) -> str:
    """trafilatura's library defaults as they are: reader comments kept (the issue's 0.927 on WCXB)."""
    import trafilatura

    return trafilatura.extract(html) or ""


def _boilerpy3(html: str) -> str:
    from boilerpy3 import extractors

    return extractors.ArticleExtractor(raise_on_failure=False).get_content(html) or ""


# "trafilatura" is its defaults without reader comments, as in the AEB README; "ours" is the pipeline's
# clean_record body (the four-extractor vote plus the text rules), one page at a time.
EXTRACTORS: dict[str, Callable[[str], str]] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    "trafilatura+comments": _trafilatura_with_comments,
    "boilerpy3": _boilerpy3,
}
DEFAULT_EXTRACTORS = ("ours", "trafilatura")


# --- pages (the sets' loaders are in `bench/clean_sets.py` and `bench/l3s.py`) ----------------------


LOADERS: dict[str, Callable[[Path], list[Page]]] = {
    "aeb": load_aeb,
    "wcxb": load_wcxb,
    "l3s": load_l3s,
    "dragnet": load_dragnet,
    **{name: partial(load_merged, name=name) for name in MERGED_FOLDERS},
}


# --- news vs the rest ----------------------------------------------------------------------------

NEWS_TAGS = {"news", "politics", "press-release"}
# schema.org types a news publisher declares (JSON-LD "@type" or microdata itemtype).
NEWS_TYPES = (
    "NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|"
    "ReviewNewsArticle|AskPublicNewsArticle|NewsMediaOrganization"
)
_NEWS_MARKUP = re.compile(
    rf"\"@type\"\s*:\s*(?:\[[^\]]*?)?\"(?:https?://schema\.org/)?(?:{NEWS_TYPES})\"|itemtype=[\"']https?://schema\.org/(?:{NEWS_TYPES})[\"']",
    re.IGNORECASE,
)


def is_news_page(tags: Iterable[str], html: str) -> bool:
    """News: the annotators tagged it news/politics/press-release, or the page declares a schema.org news type."""
    return bool({t.strip().lower() for t in tags} & NEWS_TAGS) or bool(_NEWS_MARKUP.search(html))


# --- the split -----------------------------------------------------------------------------------


def side(site: str, seed: str = SPLIT_SEED, dev_fraction: float = DEV_FRACTION) -> str:
    """`dev` when the first byte of sha256("<seed>:<site>") is below 256 * dev_fraction, else `holdout`."""
    first = hashlib.sha256(f"{seed}:{site}".encode()).digest()[0]
    return "dev" if first < round(256 * dev_fraction) else "holdout"


def make_split(sets: dict[str, list[Page]], seed: str = SPLIT_SEED, dev_fraction: float = DEV_FRACTION) -> dict:
    """The split of every page of every set, by site (a measure-only set is all holdout); for WCXB
    also which pages count as news."""
    out: dict = {
        "rule": f'part = "dev" if sha256("{seed}:" + site).digest()[0] < {round(256 * dev_fraction)} else "holdout"',
        "seed": seed,
        "dev_fraction": dev_fraction,
        "sets": {},
    }
    for name, pages in sorted(sets.items()):
        parts: dict[str, list[str]] = {"dev": [], "holdout": []}
        for page in sorted(pages, key=lambda p: p.id):
            parts["holdout" if name in MEASURE_ONLY else side(page.site, seed, dev_fraction)].append(page.id)
        entry: dict = {**parts, "site": {p.id: p.site for p in sorted(pages, key=lambda p: p.id)}}
        if name == "wcxb":
            entry["news"] = sorted(p.id for p in pages if is_news_page(p.tags, p.html()))
        out["sets"][name] = entry
    return out


def write_split(split: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(split, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_split(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def part_ids(split: dict, set_name: str, part: str) -> list[str]:
    entry = split["sets"][set_name]
    if part == "all":
        return sorted(entry["dev"] + entry["holdout"])
    return list(entry[part])


# --- scoring -------------------------------------------------------------------------------------


def prompt_leak(truth: str, out: str) -> str | None:
    """The first output line that looks like a publisher prompt and is not text of the reference.

    A line of up to three words ("Read more", "Advertisement") is the reference's text only when
    the reference has the same line. A longer line is when, normalised, it occurs in the reference
    or at least half of its word 4-grams do (so a real paragraph that mentions "the most popular" or
    a newsletter, wrapped or punctuated a little differently, is not counted).
    """
    truth_norm, truth_lines, truth_shingles = "", set(), None
    for line in out.splitlines():
        if not PROMPT_LINE.search(line):
            continue
        if truth_shingles is None:
            truth_norm, truth_shingles = normalise(truth), shingles(truth)
            truth_lines = {normalise(t) for t in truth.splitlines()}
        norm = normalise(line)
        if len(norm.split()) <= 3:
            if norm in truth_lines:
                continue
        else:
            if norm in truth_norm:
                continue
            mine = shingles(line)
            total = sum(mine.values())
            if total and sum((mine & truth_shingles).values()) * 2 >= total:
                continue
        return line.strip()
    return None


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """For snippet matching: NFKC, case folded, curly quotes and dashes plain, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold().split())


def contains(text_norm: str, snippet: str) -> bool:
    """Whether the normalised text holds the snippet. A snippet of up to three words must match
    whole words ("Home" is not in "homeowners"); longer ones are often cut mid-word by the
    annotators, so they match as plain substrings."""
    snip = normalise(snippet)
    if not snip:
        return False
    if len(snip.split()) > 3:
        return snip in text_norm
    pattern = ("(?<!\\w)" if snip[0].isalnum() else "") + re.escape(snip) + ("(?!\\w)" if snip[-1].isalnum() else "")
    return re.search(pattern, text_norm) is not None


@dataclass
class PageResult:
    set: str
    id: str
    site: str
    part: str
    news: bool | None
    extractor: str
    counts: tuple[float, float, float]
    seconds: float
    prompt_line: str | None
    with_missing: list[str]
    with_judged: int
    without_leaked: list[str]
    without_judged: int
    error: str | None = None


def judge(page: Page, part: str, news: bool | None, extractor: str, out: str, seconds: float, error: str | None = None) -> PageResult:
    """Score one extraction. Snippets that disagree with the page's own main_content (a must-have it
    lacks, a must-not-have it contains) cannot be judged by this metric and are left out."""
    truth_norm, out_norm = normalise(page.truth), normalise(out)
    with_ok = [s for s in page.with_ if contains(truth_norm, s)]
    without_ok = [s for s in page.without if not contains(truth_norm, s)]
    return PageResult(
        page.set,
        page.id,
        page.site,
        part,
        news,
        extractor,
        page_counts(page.truth, out),
        seconds,
        prompt_leak(page.truth, out),
        [s for s in with_ok if not contains(out_norm, s)],
        len(with_ok),
        [s for s in without_ok if contains(out_norm, s)],
        len(without_ok),
        error,
    )


def run(
    pages: Sequence[tuple[Page, str, bool | None]],
    extractors: dict[str, Callable[[str], str]],
    progress: Callable[[int, int], None] | None = None,
) -> list[PageResult]:
    """Every extractor on every (page, part, news) entry, page by page; only the extract call is timed."""
    results = []
    if pages:
        first = pages[0][0].html()
        for extract in extractors.values():  # warm-up: imports and model loading are not per-page cost
            try:
                extract(first)
            except Exception:  # noqa: BLE001 - a page that breaks an extractor is scored as empty below
                pass
    for n, (page, part, news) in enumerate(pages, 1):
        html = page.html()
        for name, extract in extractors.items():
            error = None
            started = time.perf_counter()
            try:
                out = extract(html)
            except Exception as exc:  # noqa: BLE001
                out, error = "", f"{type(exc).__name__}: {exc}"[:200]
            seconds = time.perf_counter() - started
            results.append(judge(page, part, news, name, out, seconds, error))
        if progress:
            progress(n, len(pages))
    return results


@dataclass
class Row:
    set: str
    part: str
    group: str
    extractor: str
    pages: int
    f1: float
    precision: float
    recall: float
    prompt_pages: int
    prompt_pct: float
    with_kept_pct: float | None
    without_leaked_pct: float | None
    seconds: float
    pages_per_s: float
    errors: int


def summarise(results: Sequence[PageResult], set_name: str, part: str, group: str, extractor: str) -> Row:
    s = score([r.counts for r in results])
    n = len(results)
    prompts = sum(1 for r in results if r.prompt_line)
    with_judged = sum(r.with_judged for r in results)
    without_judged = sum(r.without_judged for r in results)
    seconds = sum(r.seconds for r in results)
    return Row(
        set_name,
        part,
        group,
        extractor,
        n,
        s.f1,
        s.precision,
        s.recall,
        prompts,
        prompts / n if n else 0.0,
        1 - sum(len(r.with_missing) for r in results) / with_judged if with_judged else None,
        sum(len(r.without_leaked) for r in results) / without_judged if without_judged else None,
        seconds,
        n / seconds if seconds else 0.0,
        sum(1 for r in results if r.error),
    )


GROUPS: dict[str, Callable[[PageResult], bool]] = {
    "all": lambda r: True,
    "news": lambda r: r.news is True,
    "rest": lambda r: r.news is False,
}


def rows_for(results: Sequence[PageResult], extractors: Iterable[str]) -> list[Row]:
    """One row per set x part x group x extractor, in a fixed order (WCXB gets news and rest too)."""
    rows = []
    names = list(extractors)
    for set_name in SETS:
        for part in (*PARTS, "all"):
            chunk = [r for r in results if r.set == set_name and r.part == part]
            if not chunk:
                continue
            for group in ("all", "news", "rest") if set_name == "wcxb" else ("all",):
                for name in names:
                    mine = [r for r in chunk if r.extractor == name and GROUPS[group](r)]
                    if mine:
                        rows.append(summarise(mine, set_name, part, group, name))
    return rows


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:.1%}"


def format_table(rows: Sequence[Row]) -> str:
    head = "| set | part | pages | extractor | F1 | precision | recall | prompt-like line left | must-have kept | must-not leaked | pages/s |"
    lines = [head, "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        label = r.set if r.group == "all" else f"{r.set} · {r.group}"
        lines.append(
            f"| {label} | {r.part} | {r.pages} | {r.extractor} | {r.f1:.3f} | {r.precision:.3f} | {r.recall:.3f} | "
            f"{r.prompt_pages} ({r.prompt_pct:.1%}) | {_pct(r.with_kept_pct)} | {_pct(r.without_leaked_pct)} | {r.pages_per_s:.1f} |"
        )
    return "\n".join(lines)


def speed_rows(results: Sequence[PageResult], extractors: Iterable[str]) -> list[dict]:
    out = []
    names = list(extractors)
    for set_name in (*SETS, "all"):
        chunk = [r for r in results if set_name in ("all", r.set)]
        if not chunk:
            continue
        row: dict = {"set": set_name}
        for name in names:
            mine = [r.seconds for r in chunk if r.extractor == name]
            row["pages"] = len(mine)
            row[name] = {
                "seconds": sum(mine),
                "pages_per_s": len(mine) / sum(mine) if sum(mine) else 0.0,
                "slowest_page_s": max(mine) if mine else 0.0,
            }
        out.append(row)
    return out


def format_speed(rows: Sequence[dict], extractors: Iterable[str]) -> str:
    names = list(extractors)
    head = "| set | pages | " + " | ".join(f"{n} pages/s | {n} slowest page (s)" for n in names) + " |"
    lines = [head, "| --- | ---: |" + " ---: | ---: |" * len(names)]
    for row in rows:
        cells = " | ".join(f"{row[n]['pages_per_s']:.1f} | {row[n]['slowest_page_s']:.2f}" for n in names)
        lines.append(f"| {row['set']} | {row['pages']} | {cells} |")
    return "\n".join(lines)


# --- looking at single pages ---------------------------------------------------------------------


class HoldoutLocked(Exception):
    """Raised when holdout pages would be listed one by one before tuning is over."""


def check_may_list(part: str, done_tuning: bool) -> None:
    if part != "dev" and not done_tuning:
        raise HoldoutLocked(
            f"refusing to list {part} pages one by one: tune on dev only. Holdout errors are looked at once, "
            "at the end; pass --i-am-done-tuning when that time has come."
        )


def worst_pages(results: Sequence[PageResult], n: int, part: str, done_tuning: bool = False) -> list[PageResult]:
    """The n pages of `part` with the least shingle overlap (tp share); refuses holdout without the flag."""
    check_may_list(part, done_tuning)
    mine = [r for r in results if r.part == part or (part == "all")]
    return sorted(mine, key=lambda r: (r.counts[0], r.set, r.id))[:n]


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def format_worst(results: Sequence[PageResult]) -> str:
    lines = []
    for r in results:
        tp, fp, fn = r.counts
        p = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        news = "" if r.news is None else (" news" if r.news else " rest")
        lines.append(f"  {r.set}/{r.id[:16]} {r.site}{news}: overlap={tp:.2f} precision={p:.2f} recall={rec:.2f}")
        if r.error:
            lines.append(f"      error: {r.error}")
        if r.prompt_line:
            lines.append(f"      prompt-like line left: {_short(r.prompt_line)!r}")
        for s in r.with_missing[:2]:
            lines.append(f"      must-have missing: {_short(s)!r}")
        for s in r.without_leaked[:3]:
            lines.append(f"      must-not leaked: {_short(s)!r}")
    return "\n".join(lines)


# --- command line --------------------------------------------------------------------------------


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _load_sets(args: argparse.Namespace, names: Iterable[str]) -> dict[str, list[Page]] | None:
    sets = {}
    for name in names:
        data: Path = args.merged if name in MERGED_FOLDERS else getattr(args, name)
        marker = data / MARKERS[name]
        if not marker.exists():
            print(f"bench-clean: no {name.upper()} data at {data} (pass --{name} DIR)", file=sys.stderr)
            return None
        sets[name] = LOADERS[name](data)
    return sets


def _write_split(args: argparse.Namespace) -> int:
    """--write-split: recompute the split of the sets given and keep the other sets' entries."""
    sets = _load_sets(args, args.sets)
    if sets is None:
        return 2
    split = make_split(sets)
    if args.split.exists():
        split["sets"] = {**read_split(args.split)["sets"], **split["sets"]}
    write_split(split, args.split)
    for name, entry in split["sets"].items():
        extra = f", {len(entry['news'])} news" if "news" in entry else ""
        print(f"{name}: {len(entry['dev'])} dev, {len(entry['holdout'])} holdout pages{extra} -> {args.split}")
    return 0


def _pages_to_score(
    args: argparse.Namespace, split: dict, sets: dict[str, list[Page]]
) -> tuple[list[tuple[Page, str, bool | None]], dict[str, int]] | None:
    """(page, part, is news) for every page with reference text in the parts asked for, and how
    many were skipped without one; None (after saying why) when the split file does not list
    exactly the pages found."""
    todo: list[tuple[Page, str, bool | None]] = []
    skipped: dict[str, int] = {}
    for name, pages in sets.items():
        by_id = {p.id: p for p in pages}
        known = set(split["sets"].get(name, {}).get("site", {}))
        if set(by_id) != known:
            print(
                f"bench-clean: the split file does not list exactly the {name} pages found in the data "
                f"({len(set(by_id) - known)} unlisted, {len(known - set(by_id))} missing); run with --write-split",
                file=sys.stderr,
            )
            return None
        news = set(split["sets"][name].get("news", [])) if name == "wcxb" else None
        for part in args.parts:
            ids = [i for i in part_ids(split, name, part) if by_id[i].truth.strip()]
            skipped[name] = len(part_ids(split, name, part)) - len(ids) + skipped.get(name, 0)
            if args.limit:
                ids = ids[: args.limit]
            todo += [(by_id[i], part, None if news is None else i in news) for i in ids]
    return todo, skipped


def _write_json(
    args: argparse.Namespace,
    split: dict,
    set_names: list[str],
    names: list[str],
    rows: list[Row],
    speeds: list[dict],
    wall: float,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> None:
    """--json OUT: the table and speeds, with what was run and on how loaded a machine."""
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "split": str(args.split),
        "seed": split["seed"],
        "sets": set_names,
        "parts": args.parts,
        "limit": args.limit,
        "extractors": names,
        "rows": [asdict(r) for r in rows],
        "speed": speeds,
        "wall_seconds": wall,
        "load_average": {"before": load[0], "after": load[1]},
    }
    args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB, help="AEB folder (ground-truth.json, html/)")
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB, help="WCXB folder (pages.json, ground-truth/, html/)")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="the committed split file")
    parser.add_argument("--l3s", type=Path, default=DEFAULT_L3S, help="L3S-GN1 folder (original/, annotated/, url-mapping.txt)")
    parser.add_argument("--dragnet", type=Path, default=DEFAULT_DRAGNET, help="Dragnet folder (input/ + GoldStandard/, or HTML/ + Corrected/)")
    parser.add_argument("--merged", type=Path, default=DEFAULT_MERGED, help="root of html-cleaning-dataset-merged (cleanportaleval, mozilla, cleaneval)")
    parser.add_argument("--sets", type=_csv, default=list(DEFAULT_SETS), help=f"comma list of {', '.join(SETS)}")
    parser.add_argument("--parts", type=_csv, default=list(PARTS), help="comma list of dev, holdout, all")
    parser.add_argument("--only", nargs="+", metavar="EXTRACTOR", help=f"extractors ({', '.join(EXTRACTORS)}); default ours trafilatura")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages of each set x part (quick runs)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the table and speeds as JSON")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N", help="list the N worst pages of --part for the first extractor")
    parser.add_argument("--part", default="dev", choices=(*PARTS, "all"), help="the part --show-worst lists (default dev)")
    parser.add_argument("--i-am-done-tuning", action="store_true", help="allow --show-worst on holdout pages")
    parser.add_argument("--write-split", action="store_true", help="(re)compute the split from the data and write --split")
    args = parser.parse_args(argv)

    names = [n for value in (args.only or DEFAULT_EXTRACTORS) for n in _csv(value)]
    bad = [n for n in names if n not in EXTRACTORS] + [s for s in args.sets if s not in SETS]
    bad += [p for p in args.parts if p not in (*PARTS, "all")]
    if bad:
        parser.error(f"unknown value(s): {', '.join(bad)}")
    if args.show_worst:
        try:
            check_may_list(args.part, args.i_am_done_tuning)
        except HoldoutLocked as exc:
            print(f"bench-clean: {exc}", file=sys.stderr)
            return 2
        args.parts = [args.part]

    if args.write_split:
        return _write_split(args)

    if not args.split.exists():
        print(f"bench-clean: no split file at {args.split} (run with --write-split)", file=sys.stderr)
        return 2
    split = read_split(args.split)
    sets = _load_sets(args, args.sets)
    if sets is None:
        return 2

    planned = _pages_to_score(args, split, sets)
    if planned is None:
        return 2
    todo, skipped = planned

    extractors = {n: EXTRACTORS[n] for n in names}
    # Per-page metadata notes ("not a valid date (dropped)") are the pipeline's business, not the benchmark's.
    logging.getLogger("pipeline").setLevel(logging.ERROR)
    load_before = os.getloadavg()
    started = time.perf_counter()

    def progress(n: int, total: int) -> None:
        if sys.stderr.isatty() and (n % 25 == 0 or n == total):
            print(f"\r  {n}/{total} pages", end="" if n < total else "\n", file=sys.stderr, flush=True)

    results = run(todo, extractors, progress)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()

    rows = rows_for(results, names)
    speeds = speed_rows(results, names)
    print(f"Boilerplate removal, split {args.split.name} (seed {split['seed']!r}, by site); parts: {', '.join(args.parts)}")
    for name in sets:
        if skipped.get(name):
            print(f"  {name}: {skipped[name]} page(s) without reference text skipped")
    print()
    print(format_table(rows))
    print()
    print("Speed (one core, only the extraction calls timed, extractors interleaved page by page):")
    print()
    print(format_speed(speeds, names))
    print()
    errors = sum(1 for r in results if r.error)
    print(
        f"{len(todo)} pages x {len(names)} extractors in {wall:.0f} s; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after" + (f"; {errors} extraction error(s), scored as empty" if errors else "")
    )
    if args.show_worst:
        first = [r for r in results if r.extractor == names[0]]
        print(f"\nWorst {args.part} pages for {names[0]} (least shingle overlap):")
        print(format_worst(worst_pages(first, args.show_worst, args.part, args.i_am_done_tuning)))
    if args.json:
        _write_json(args, split, list(sets), names, rows, speeds, wall, (load_before, load_after))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
