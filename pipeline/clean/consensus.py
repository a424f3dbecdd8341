"""Pick the extractor output the extractors agree on.

Each extractor errs in its own way (trafilatura keeps related-story lists, readability
drops short pages, boilerpy3 keeps navigation). Text that at least `quorum` of them
extract is very likely article text, so each candidate is scored by how well its word
4-grams match that consensus (F1) and the best one is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

_TOKEN = re.compile(r"\w+")


def _grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return {tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))} if tokens else set()


def choose_by_consensus(candidates: Mapping[str, str], quorum: int = 3) -> str:
    """Name of the candidate closest to what at least `quorum` candidates agree on.

    Ties go to the first candidate in mapping order, so list the most trusted first.
    """
    grams = {name: _grams(text) for name, text in candidates.items()}
    votes: Counter[tuple[str, ...]] = Counter(g for gs in grams.values() for g in gs)
    consensus = {g for g, n in votes.items() if n >= min(quorum, len(candidates))}

    def f1(name: str) -> float:
        mine = grams[name]
        overlap = len(mine & consensus)
        if not overlap:
            return 0.0
        precision, recall = overlap / len(mine), overlap / len(consensus)
        return 2 * precision * recall / (precision + recall)

    return max(candidates, key=f1)
