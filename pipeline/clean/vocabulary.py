"""Word classes the feature rules for in-body chrome are built from, read once from a data file.

`data/chrome_vocabulary.tsv` lists, one `class<TAB>term` a line, the words that give a line its
role: the labels that introduce a picture credit, the agencies and picture libraries credits
name, the verbs and products of a call to action, the nouns and verbs of a syndication note,
the labels of a video teaser. The rules in `captions.py`, `prompts.py` and `wire.py` take a class
as a regex alternation, so a new agency or product is a line of data, not a new rule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources

_FILE = "data/chrome_vocabulary.tsv"


@lru_cache(maxsize=1)
def _classes() -> dict[str, tuple[str, ...]]:
    """Every class and its terms, lower-cased, in file order."""
    out: dict[str, list[str]] = defaultdict(list)
    text = resources.files("pipeline.clean").joinpath(_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cls, _, term = line.partition("\t")
        if term.strip():
            out[cls.strip()].append(term.strip().lower())
    return {cls: tuple(terms) for cls, terms in out.items()}


def terms(cls: str) -> tuple[str, ...]:
    """The terms of one class (KeyError for a class the file does not have)."""
    return _classes()[cls]


@lru_cache(maxsize=None)
def alternation(cls: str) -> str:
    """The class as a non-capturing regex group, longest terms first so "getty images" wins over
    "getty"; a space in a term matches any run of whitespace. Word boundaries are the caller's."""
    parts = sorted(terms(cls), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in parts) + ")"
