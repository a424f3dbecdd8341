"""Domain gazetteer: names the statistical model often mislabels in conflict reporting.

Loaded into an `entity_ruler` placed before `ner`, so the model keeps these spans as given.
Each pattern carries the canonical name as its `id`, which the entity linker uses.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def gazetteer_entries() -> list[dict[str, Any]]:
    """Entries of `data/gazetteer.jsonl`: {"name": canonical, "label": ..., "aliases": [...]}."""
    text = resources.files("pipeline.nlp").joinpath("data/gazetteer.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def ruler_patterns() -> list[dict[str, Any]]:
    """entity_ruler patterns (phrase patterns, matched on the lower-case form)."""
    patterns = []
    for entry in gazetteer_entries():
        for alias in [entry["name"], *entry.get("aliases", [])]:
            patterns.append({"label": entry["label"], "pattern": alias, "id": entry["name"]})
    return patterns


def alias_table() -> dict[str, tuple[str, str]]:
    """casefolded alias -> (canonical name, label)."""
    table: dict[str, tuple[str, str]] = {}
    for entry in gazetteer_entries():
        for alias in [entry["name"], *entry.get("aliases", [])]:
            table[alias.casefold()] = (entry["name"], entry["label"])
    return table
