"""Boilerplate found by repetition across a publisher's articles.

A short paragraph that recurs in many articles of one publisher ("Follow our live
coverage", a masthead, a standing disclaimer) is chrome even when no phrase rule knows it.
Works on the articles cleaned in one run, grouped by publisher (or by folder when the
publisher is unknown); syndicated wire copy shared by different publishers is untouched.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from pipeline.records import BoilerplatePiece, CleanArticle
from pipeline.ingest.units import unit_of

MIN_ARTICLES = 3  # a paragraph must recur in at least this many articles of the group
MIN_SHARE = 0.3  # ... and in at least this share of them
MAX_WORDS = 40  # longer paragraphs are reporting that was reused, not chrome


def _key(paragraph: str) -> str:
    return re.sub(r"\W+", " ", paragraph.casefold()).strip()


def _digest(key: str) -> bytes:
    # 8 bytes per distinct short paragraph instead of its text, and stable across processes
    # (Python's str hash is salted per process; the Dagster steps may run in different ones).
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def _group(article: CleanArticle) -> str:
    if article.publisher:
        return f"publisher:{article.publisher.casefold()}"
    folder = unit_of(article.source_path).rsplit("/", 1)
    return f"folder:{folder[0] if len(folder) == 2 else ''}"


class CorpusRepeats:
    """Two passes over a run's articles, streamed: `observe` each, then `apply` to each.

    Only digests of short paragraphs and per-group counts are held, never the articles, so the
    articles can stay on disk between the passes.
    """

    def __init__(self) -> None:
        self._members: Counter[str] = Counter()
        self._counts: dict[str, Counter[bytes]] = defaultdict(Counter)
        self._repeated: dict[str, set[bytes]] | None = None

    def observe(self, article: CleanArticle) -> None:
        group = _group(article)
        self._members[group] += 1
        keys = {_key(p) for p in article.body.split("\n\n") if p.strip()}
        self._counts[group].update({_digest(k) for k in keys if k and len(k.split()) <= MAX_WORDS})

    def repeated(self) -> dict[str, set[bytes]]:
        """Per group, the digests of the paragraphs that recur often enough to be chrome."""
        if self._repeated is None:
            self._repeated = {}
            for group, members in self._members.items():
                if members < MIN_ARTICLES:
                    continue
                threshold = max(MIN_ARTICLES, MIN_SHARE * members)
                found = {d for d, n in self._counts[group].items() if n >= threshold}
                if found:
                    self._repeated[group] = found
            self._counts.clear()
        return self._repeated

    def apply(self, article: CleanArticle) -> int:
        """Move the article's repeated paragraphs to its boilerplate, in place; returns how many."""
        repeated = self.repeated().get(_group(article))
        if not repeated:
            return 0
        kept, dropped = [], []
        for paragraph in article.body.split("\n\n"):
            (dropped if _digest(_key(paragraph)) in repeated else kept).append(paragraph)
        if not dropped or not kept:  # never empty an article this way
            return 0
        seq = len(article.boilerplate)
        for offset, text in enumerate(dropped):
            article.boilerplate.append(BoilerplatePiece(seq=seq + offset, kind="repeated_text", text=text))
        article.body = "\n\n".join(kept)
        return len(dropped)


def remove_corpus_repeats(articles: Sequence[CleanArticle]) -> int:
    """Remove paragraphs repeated across a group's articles, in place; returns how many were removed."""
    repeats = CorpusRepeats()
    for article in articles:
        repeats.observe(article)
    return sum(repeats.apply(article) for article in articles)
