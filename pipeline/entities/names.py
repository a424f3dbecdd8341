"""Surface forms of names to matching keys: case, possessives, articles, honorifics, spellings."""

from __future__ import annotations

import re
from functools import lru_cache

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "mr.", "mrs.", "ms.", "dr."})
# Transliteration variants folded together for matching (the display name keeps a written form).
_SPELLINGS = {
    "taleban": "taliban",
    "talebans": "taliban",
    "talibans": "taliban",
    "muhammad": "mohammed",
    "mohammad": "mohammed",
    "mohamed": "mohammed",
    "mohamad": "mohammed",
    "muhammed": "mohammed",
    "qaida": "qaeda",
    "qa'ida": "qaeda",
    "usama": "osama",
}


# Pure functions of the surface text, called for every mention of the warehouse on each publish:
# cached, because the same few thousand surfaces recur across hundreds of thousands of mentions.
@lru_cache(maxsize=65536)
def clean_surface(text: str) -> str:
    """The name as written, minus possessive, a leading article and stray spaces ("Mazar-e- Sharif")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"['’]s?$", "", text).strip()
    text = re.sub(r"^(the|The|THE)\s+", "", text)
    text = re.sub(r"\s*-\s+|\s+-\s*", "-", text)
    return text.strip(' ,.;:"“”')


@lru_cache(maxsize=65536)
def match_key(text: str, *, person: bool = False) -> str:
    """Casefolded key with spelling variants folded; honorifics dropped for people."""
    tokens = re.split(r"[\s\-]+", clean_surface(text).casefold())
    tokens = [_SPELLINGS.get(t, t) for t in tokens if t]
    if tokens and tokens[0] == "al" and len(tokens) > 1:
        tokens = ["al", *tokens[1:]]
    if person:
        tokens = [t for t in tokens if t not in HONORIFICS] or tokens
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def display_form(text: str) -> str:
    """A written form fit to show: ALL-CAPS names are title-cased."""
    text = clean_surface(text)
    if text.isupper() and len(text) > 4:
        return text.title()
    return text
