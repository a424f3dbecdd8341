"""`make bench-clean`: the project's HTML cleaner against trafilatura and boilerpy3 on the AEB pages.

Prints F1, precision, recall and pages/s for each extractor, and how many pages still carry a
prompt-like line (newsletter, subscription, comment, share, donation, read-more) in the output.
Usage: python -m bench.clean_aeb [--data ../shared/benchmarks/aeb] [--only ours] [--show-worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.aeb_metric import page_counts, score

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "aeb"

# Lines that look like publisher prompts, whatever extractor left them in.
PROMPT_LINE = re.compile(
    r"\b(sign ?up (for|to)|subscribe\b|newsletter|already a subscriber|log ?in to|create (a|an) (free )?account|"
    r"leave a comment|join the (conversation|discussion)|comments? \(\d+\)|show comments|share (this|on)|"
    r"follow us|your support|donate|read more\b|continue reading|related (stories|articles|coverage)|"
    r"recommended for you|most (read|popular)|advertisement)\b",
    re.IGNORECASE,
)


def _ours(html: str) -> str:
    from pipeline.clean import clean_record
    from pipeline.records import RawRecord

    return clean_record(RawRecord("page.html", "0" * 64, "html", html=html)).body


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def _boilerpy3(html: str) -> str:
    from boilerpy3 import extractors

    return extractors.ArticleExtractor(raise_on_failure=False).get_content(html) or ""


EXTRACTORS: dict[str, Callable[[str], str]] = {"ours": _ours, "trafilatura": _trafilatura, "boilerpy3": _boilerpy3}


def load_pages(data: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, raw.decode("utf-8", errors="replace"), truth[page_id].get("articleBody", "")))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", nargs="*", choices=sorted(EXTRACTORS))
    parser.add_argument("--show-worst", type=int, default=0, help="print the N worst pages of the first extractor")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"bench-clean: no AEB data at {args.data} (pass --data DIR)", file=sys.stderr)
        return 2
    pages = load_pages(args.data)
    names = args.only or list(EXTRACTORS)
    print(f"AEB: {len(pages)} pages")
    print(f"{'extractor':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'pages/s':>8} {'prompt leaks':>13}")
    for name in names:
        extract = EXTRACTORS[name]
        extract(pages[0][1])  # warm-up: imports and model loading are not per-page cost
        counts, leaks, worst = [], 0, []
        started = time.perf_counter()
        outputs = [extract(html) for _, html, _ in pages]
        elapsed = time.perf_counter() - started
        for (page_id, _, truth), out in zip(pages, outputs):
            c = page_counts(truth, out)
            counts.append(c)
            truth_prompts = {line for line in truth.splitlines() if PROMPT_LINE.search(line)}
            if any(PROMPT_LINE.search(line) and line not in truth_prompts for line in out.splitlines()):
                leaks += 1
            worst.append((c[0] / (c[0] + c[1] + c[2]) if sum(c) else 1.0, page_id, c))
        s = score(counts)
        print(
            f"{name:<12} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} {len(pages) / elapsed:8.1f} {leaks:>6} ({leaks / len(pages):.1%})"
        )
        if args.show_worst and name == names[0]:
            for jaccard, page_id, c in sorted(worst)[: args.show_worst]:
                print(f"    {page_id[:16]} overlap={jaccard:.2f} tp={c[0]:.2f} fp={c[1]:.2f} fn={c[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
