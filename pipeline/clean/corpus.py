"""Boilerplate found by repetition across a publisher's articles.

A short paragraph that recurs in many articles of one publisher ("Follow our live
coverage", a masthead, a standing disclaimer) is chrome even when no phrase rule knows it.
Works on the articles cleaned in one run, grouped by publisher (or by folder when the
publisher is unknown); syndicated wire copy shared by different publishers is untouched.
"""

from __future__ import annotations

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


def _group(article: CleanArticle) -> str:
    if article.publisher:
        return f"publisher:{article.publisher.casefold()}"
    folder = unit_of(article.source_path).rsplit("/", 1)
    return f"folder:{folder[0] if len(folder) == 2 else ''}"


def remove_corpus_repeats(articles: Sequence[CleanArticle]) -> int:
    """Remove paragraphs repeated across a group's articles, in place; returns how many were removed."""
    groups: dict[str, list[CleanArticle]] = defaultdict(list)
    for article in articles:
        groups[_group(article)].append(article)
    removed = 0
    for members in groups.values():
        if len(members) < MIN_ARTICLES:
            continue
        counts: Counter[str] = Counter()
        for article in members:
            counts.update({_key(p) for p in article.body.split("\n\n") if p.strip()})
        threshold = max(MIN_ARTICLES, MIN_SHARE * len(members))
        repeated = {k for k, n in counts.items() if n >= threshold and k and len(k.split()) <= MAX_WORDS}
        if not repeated:
            continue
        for article in members:
            kept, dropped = [], []
            for paragraph in article.body.split("\n\n"):
                (dropped if _key(paragraph) in repeated else kept).append(paragraph)
            if dropped and kept:  # never empty an article this way
                seq = len(article.boilerplate)
                for offset, text in enumerate(dropped):
                    article.boilerplate.append(BoilerplatePiece(seq=seq + offset, kind="repeated_text", text=text))
                article.body = "\n\n".join(kept)
                removed += len(dropped)
    return removed
