"""The word lists the figure rules look up, loaded once from `data/` (each file is described in data/README.md).

Entries are lemmas or lower-case token texts, so every entry is one token: a lookup never sees
"drone strike" or "fighter-jet" (the tokenizer splits hyphens between letters).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _data(name: str) -> Any:
    """A JSON file of `data/`, parsed once."""
    return json.loads(resources.files("pipeline.figures").joinpath(f"data/{name}").read_text(encoding="utf-8"))


def _words(name: str, key: str) -> frozenset[str]:
    return frozenset(_data(name)[key]["words"])


def _categories(name: str, key: str) -> dict[str, str]:
    """word -> category, from a list's `by_category` table."""
    return {word: category for category, words in _data(name)[key]["by_category"].items() for word in words}


def _qualifier_phrases() -> tuple[list[tuple[str, str]], dict[tuple[str, ...], str]]:
    """(phrases right before a number in lookup order, phrases right after it as word tuples)."""
    text = resources.files("pipeline.figures").joinpath("data/qualifiers.tsv").read_text(encoding="utf-8")
    before: list[tuple[str, str]] = []
    after: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, qualifier, position = line.split("\t")
        if position == "before":
            before.append((phrase, qualifier))
        else:
            after[tuple(phrase.split())] = qualifier
    return before, after


# What a counted noun counts (counted_nouns.json).
COMBATANT = _words("counted_nouns.json", "combatant")
KIN = _words("counted_nouns.json", "kin")
PERSON = _words("counted_nouns.json", "person") | KIN
CIVILIAN = _words("counted_nouns.json", "civilian")
POPULATION = _words("counted_nouns.json", "population")
CAPTIVE = _words("counted_nouns.json", "captive")
DISPLACED = _words("counted_nouns.json", "displaced")
KILLED_NOUN = _words("counted_nouns.json", "killed")
WOUNDED_NOUN = _words("counted_nouns.json", "wounded")
MISSING_NOUN = _words("counted_nouns.json", "missing")
EQUIPMENT = _words("counted_nouns.json", "equipment")
STRIKES = _words("counted_nouns.json", "strikes")
TERRITORY = _words("counted_nouns.json", "territory")
UNITS = _words("counted_nouns.json", "units")
STATE_FORCES = _words("counted_nouns.json", "state_forces")
STATE_WORDS = _words("counted_nouns.json", "state_words")

# What a governing verb, noun or adjective says a count means (frames.json).
PATIENT_VERBS = _categories("frames.json", "patient_verbs")
SUBJECT_VERBS = _categories("frames.json", "subject_verbs")
PREDICATE_ADJECTIVES = _categories("frames.json", "predicate_adjectives")
FRAME_NOUNS = _categories("frames.json", "frame_nouns")
TERRITORY_VERBS = _words("frames.json", "territory_verbs")
CIVILIAN_ONLY_VERBS = _words("frames.json", "civilian_only_verbs")
SURRENDER_PHRASES = frozenset(tuple(pair) for pair in _data("frames.json")["surrender_phrases"]["pairs"])
WEAPON_NOUNS = _words("frames.json", "weapon_nouns")
QUANTIFIER_HEADS = _words("frames.json", "quantifier_heads")

# Totals (tolls.json).
TOTAL_NOUNS = _words("tolls.json", "total_nouns")
COUNT_NOUNS = _words("tolls.json", "count_nouns")
TOLL_MODIFIERS = _categories("tolls.json", "toll_modifiers")

# Who made a claim and whether it is disputed (claims.json).
SPEECH_VERBS = _words("claims.json", "speech_verbs")
PRONOUNS = _words("claims.json", "pronouns")
CONTEST_VERBS = _words("claims.json", "contest_verbs")
CLAIM_NOUNS = _words("claims.json", "claim_nouns")

# Places (places.json).
LOCATIVE_PREPOSITIONS = _words("places.json", "locative_prepositions")
LOCATIVE_OF_NOUNS = _words("places.json", "locative_of_nouns")
POPULATED_PLACE_NOUNS = _words("places.json", "populated_place_nouns")
COUNTRIES = _words("places.json", "countries")

# Armed groups (groups.json).
ARMED_WORDS = _words("groups.json", "force_words") | _words("groups.json", "group_names")
# Conflict reporting's vocabulary (figures/context.py).
CONFLICT_CUES = _words("conflict_cues.json", "cues")

# Words beside a number that make it no count (not_figures.json).
LABEL_WORDS = _words("not_figures.json", "label_words")
CURRENCY_SIGNS = _words("not_figures.json", "currency_signs")
AGE_WORDS = _words("not_figures.json", "age_words")
MONTHS = _words("not_figures.json", "months")
CLOCK_WORDS = _words("not_figures.json", "clock_words")

# Qualifiers around a number (qualifiers.tsv).
QUALIFIER_PHRASES, TRAILING_QUALIFIERS = _qualifier_phrases()
