"""Numbers as news text writes them: "5,000", "1.5 million", "two", "Two thousand five hundred", "a dozen"."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline import CODING_SCHEME, CODING_SCHEMES

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


def parse_number(words: list[str]) -> float | None:
    """Value of a number phrase given as tokens, or None when it is not a plain number.

    >>> parse_number(["Two", "thousand", "five", "hundred"])
    2500.0
    >>> parse_number(["1.5", "million"])
    1500000.0
    """
    tokens: list[str] = []
    for word in words:
        tokens.extend(t for t in re.split(r"[-–\s]+", word.lower()) if t and t != "and")
    if not tokens:
        return None
    if tokens[0] in ("a", "an") and len(tokens) > 1:
        tokens = ["one", *tokens[1:]]
    if tokens == ["dozen"] or tokens == ["one", "dozen"]:
        return 12.0
    total = 0.0
    current = 0.0
    seen = False
    for tok in tokens:
        if _DIGITS.match(tok):
            current += float(tok.replace(",", ""))
        elif tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok in SCALES:
            scale = SCALES[tok]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


@lru_cache(maxsize=1)
def vague_bounds() -> dict[str, tuple[float | None, float | None]]:
    """The bounds table for vague quantity words of the coding scheme in force
    (`pipeline.CODING_SCHEME`: `data/schemes/<name>.tsv`, or a scheme file's path)."""
    table: dict[str, tuple[float | None, float | None]] = {}
    text = scheme_text(CODING_SCHEME)
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, low, high = (line.split("\t") + ["", ""])[:3]
        table[word.strip()] = (float(low) if low.strip() else None, float(high) if high.strip() else None)
    return table


def scheme_text(scheme: str) -> str:
    """The text of a coding scheme: a shipped one by name, else the file at that path."""
    if scheme in CODING_SCHEMES:
        return resources.files("pipeline.figures").joinpath(f"data/schemes/{scheme}.tsv").read_text(encoding="utf-8")
    return Path(scheme).read_text(encoding="utf-8")


# One-word vague quantities ("several", "dozens", "thousands"): the single-word rows of the bounds table.
VAGUE_WORDS = frozenset(word for word in vague_bounds() if " " not in word)
