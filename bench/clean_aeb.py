"""The whole AEB set (dev and holdout together) with boilerpy3 as well: the numbers the README used to quote.

A thin wrapper over `bench.clean_eval`, which `make bench-clean` runs (dev and holdout apart, WCXB too);
the extractors, PROMPT_LINE and the metric live there and in `bench.aeb_metric`.
Usage: python -m bench.clean_aeb [--data ../shared/benchmarks/aeb] [--only ours ...] [other bench.clean_eval options]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.clean_eval import DEFAULT_AEB, EXTRACTORS, PROMPT_LINE, main as eval_main

__all__ = ["EXTRACTORS", "PROMPT_LINE", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--only", nargs="+", choices=sorted(EXTRACTORS))
    args, rest = parser.parse_known_args(argv)
    names = args.only or ["ours", "trafilatura", "boilerpy3"]
    return eval_main(["--sets", "aeb", "--parts", "all", "--aeb", str(args.data), "--part", "all", "--only", *names, *rest])


if __name__ == "__main__":
    raise SystemExit(main())
