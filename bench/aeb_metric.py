"""The article-extraction-benchmark metric: 4-token shingle overlap, averaged per page.

Tokens are `\\w+` matches (case kept); shingles are counted as a multiset; a text of fewer
than four tokens is one short shingle. Each page's tp/fp/fn are normalised by their sum so
long pages do not dominate; precision is the mean over pages that predicted something,
recall the mean over pages that have a reference text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_counts(reference: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) for one page."""
    ref, pred = shingles(reference), shingles(predicted)
    tp = sum((ref & pred).values())
    fp = sum((pred - ref).values())
    fn = sum((ref - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass
class Score:
    precision: float
    recall: float
    f1: float


def score(pages: Iterable[tuple[float, float, float]]) -> Score:
    """Benchmark precision, recall and F1 from per-page normalised counts."""
    pages = list(pages)

    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else tp / (tp + fp)

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else tp / (tp + fn)

    ps = [prec(*c) for c in pages if c[0] + c[1] > 0]
    rs = [rec(*c) for c in pages if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)
