"""Decide which extractor's text a page keeps.

Each extractor errs in its own way: trafilatura in its recall setting keeps the most of the
article but sometimes stops at the first heading of a long page or takes the wrong block;
readability drops short pages; boilerpy3 keeps navigation. The recall extraction is compared with
boilerpy3's, which comes from a different method (block text density, no tree heuristics). Only
when the two disagree (`ExtractionSettings.trust_agreement`) AND the recall text holds clearly
less than boilerpy3's (`shortfall`), so that part of the article may have been missed, are more
extractors run to vote: text that at least `quorum` of them extract is very likely article text,
and the candidate whose word 4-grams best match that consensus (F1) wins. On the dev pages, a
vote held where the two disagree but are of a size changed little, and as often for the worse.
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

    # 4-gram F1 between the recall extraction and boilerpy3's at or above which no vote is held ...
    trust_agreement: float = 0.7
    # ... and the recall extraction's share of boilerpy3's 4-grams at or above which none is held
    # either (any value from 0.5 to 0.8 gave the same dev results; about 3% of pages vote).
    shortfall: float = 0.7
    # Extractors that must share a 4-gram for it to count as consensus (of four candidates).
    quorum: int = 2
    # "vote" mode: skip the check and let trafilatura (default and precision settings),
    # readability and boilerpy3 vote on every page, keeping what three of them agree on.
    always_vote: bool = False

    @classmethod
    def for_mode(cls, mode: str) -> ExtractionSettings:
        """The settings of a `pipeline.HTML_EXTRACTION` mode: "fast" (the default) or "vote"."""
        return cls(always_vote=True, quorum=3) if mode == "vote" else cls()


def grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """The word n-grams of a text (the whole text as one gram when it is shorter than n words)."""
    tokens = _TOKEN.findall(text)
    if len(tokens) <= n:
        return {tuple(tokens)} if tokens else set()
    return set(zip(*(tokens[i:] for i in range(n))))


def _agreement(ga: set[tuple[str, ...]], gb: set[tuple[str, ...]]) -> float:
    """4-gram F1 between two extractions' grams: 1.0 the same text, 0.0 nothing shared (or one is empty)."""
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def needs_vote(recall: str, boilerpy3: str, settings: ExtractionSettings) -> bool:
    """True when the recall extraction may have missed part of the article: it is empty, or it
    disagrees with boilerpy3's and holds less than `shortfall` of boilerpy3's 4-grams."""
    g_recall, g_boilerpy3 = grams(recall), grams(boilerpy3)
    if not g_recall:
        return True
    disagree = _agreement(g_recall, g_boilerpy3) < settings.trust_agreement
    return disagree and len(g_recall) < settings.shortfall * len(g_boilerpy3)


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
