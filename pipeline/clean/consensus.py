"""Decide which extractor's text a page keeps.

Each extractor errs in its own way: trafilatura in its recall setting keeps the most of the
article but sometimes a related-story list, or stops at the first heading of a long page;
readability drops short pages; boilerpy3 keeps navigation. So the recall extraction is compared
with boilerpy3's, which comes from a different method (block text density, no tree heuristics):
when the two largely agree (`ExtractionSettings.trust_agreement`), the page is easy and the recall
text is kept. When they disagree, more extractors are run and vote: text that at least `quorum` of
them extract is very likely article text, and the candidate whose word 4-grams best match that
consensus (F1) wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class ExtractionSettings:
    """Thresholds of the extractor choice (tuned on the dev part of AEB and WCXB only)."""

    # 4-gram F1 between the recall extraction and boilerpy3's at or above which no vote is held.
    # 0.7 sends about a sixth of pages to the vote; higher thresholds vote more and gain nothing.
    trust_agreement: float = 0.7
    # Extractors that must share a 4-gram for it to count as consensus (of four candidates).
    quorum: int = 2


def grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """The word n-grams of a text (the whole text as one gram when it is shorter than n words)."""
    tokens = _TOKEN.findall(text)
    return {tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))} if tokens else set()


def agreement(a: str, b: str) -> float:
    """4-gram F1 between two extractions of one page: 1.0 the same text, 0.0 nothing shared (or one is empty)."""
    ga, gb = grams(a), grams(b)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def choose_by_consensus(candidates: Mapping[str, str], quorum: int = 3) -> str:
    """Name of the candidate closest to what at least `quorum` candidates agree on.

    Ties go to the first candidate in mapping order, so list the most trusted first.
    """
    grams_of = {name: grams(text) for name, text in candidates.items()}
    votes: Counter[tuple[str, ...]] = Counter(g for gs in grams_of.values() for g in gs)
    consensus = {g for g, n in votes.items() if n >= min(quorum, len(candidates))}

    def f1(name: str) -> float:
        mine = grams_of[name]
        overlap = len(mine & consensus)
        if not overlap:
            return 0.0
        precision, recall = overlap / len(mine), overlap / len(consensus)
        return 2 * precision * recall / (precision + recall)

    return max(candidates, key=f1)
