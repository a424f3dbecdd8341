"""Number phrases in a parsed text and the qualifiers around them.

A phrase is exact ("5,000", "Two thousand five hundred"), a range ("300-400", "between 300 and
400") or vague ("several", "dozens", "tens of thousands"). A vague phrase's bounds come from
the coding scheme in force (`data/schemes/`, through `numbers.vague_bounds()`): by default,
"several insurgents" is a vague phrase "several" with value_low 2 and no upper bound
(`_vague_phrase`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.numbers import SCALES, TENS, UNITS, VAGUE_WORDS, parse_number, vague_bounds

# The qualifier values of a figure (the `figures.qualifier` column) and what each means.
QUALIFIERS: dict[str, str] = {
    "exact": "the number as written: 'five soldiers'",
    "approx": "about the number: 'about 300', 'some 300', '200 or so'",
    "at_least": "the number or more: 'more than 300', 'at least 300', '50-plus'",
    "at_most": "the number or fewer: 'up to 300', 'nearly 300'",
    "range": "from value_low to value_high: '300-400', 'between 300 and 400'",
    "vague": "a vague quantity, bounds from the coding scheme (data/schemes/): by default 'several' (at least 2), 'hundreds' (at least 100)",
}
# Entity labels whose numbers are never counts of people or things.
_BLOCKED_ENTS = frozenset({"MONEY", "PERCENT", "ORDINAL", "PRODUCT"})
_CONNECTORS = frozenset({"-", "–", "—", "to"})
_RANGE_SEPARATORS = ("-", "–", "—", "to", "and")


@dataclass
class Phrase:
    """A number phrase: tokens [start, end), a value or bounds, and how it was written.

    `qualifier` is "exact", "range", "vague", or "year?" for a four-digit number between 1800 and
    2100, decided once the counted noun is known ("in 2019" vs "2019 soldiers").
    """

    start: int  # first token of the number phrase (qualifier excluded)
    end: int  # exclusive
    value: float | None
    low: float | None
    high: float | None
    qualifier: str


def is_number_token(tok: Token) -> bool:
    """A token that can be (part of) a count: a numeral, a number word or a vague quantity word."""
    if tok.ent_type_ in _BLOCKED_ENTS:
        return False
    low = tok.lower_
    if low in VAGUE_WORDS or low == "dozen":
        return True
    if not tok.like_num or any(c.isalpha() for c in low) and parse_number([low]) is None:
        return False
    return True


def number_phrase(doc: Doc, i: int) -> Phrase | None:
    """The number phrase starting at token i, with its value or bounds; None if not a count."""
    if not is_number_token(doc[i]):
        return None
    end = _phrase_end(doc, i)
    words = [t.text for t in doc[i:end]]
    start, lows = _with_article(doc, i, [w.lower() for w in words])
    separator = _range_separator(doc, i, lows)
    if separator is not None:
        return _range_phrase(words, lows, separator, start, end)
    if lows[0] in VAGUE_WORDS or lows[0] == "few" or " ".join(lows) in vague_bounds():
        return _vague_phrase(lows, start, end)
    return _exact_phrase(doc[i], words, start, i, end)


def _phrase_end(doc: Doc, i: int) -> int:
    """The token after the last one of the number phrase starting at i."""
    end = i + 1
    while end < len(doc):
        low = doc[end].lower_
        has_next = end + 1 < len(doc)
        if is_number_token(doc[end]) or low in SCALES:
            end += 1
        elif (  # "tens of thousands"
            low == "of"
            and doc[end - 1].lower_ in ("tens", "hundreds")
            and has_next
            and doc[end + 1].lower_ in ("thousands", "millions")
        ):
            end += 1
        elif low in _CONNECTORS and has_next and doc[end + 1].like_num and doc[end - 1].lower_ not in VAGUE_WORDS:
            end += 1
        elif low == "and" and doc[i - 1].lower_ == "between" and has_next and doc[end + 1].like_num:
            end += 1
        elif (  # "Three hundred and eighteen"
            low == "and"
            and doc[end - 1].lower_ in ("hundred", "thousand", "million")
            and has_next
            and doc[end + 1].lower_ in UNITS.keys() | TENS.keys()
        ):
            end += 1
        else:
            break
    return end


def _with_article(doc: Doc, i: int, lows: list[str]) -> tuple[int, list[str]]:
    """(first token, lower-case words): "a dozen", "a few hundred": the article belongs to the number."""
    start = i
    if i > 0 and doc[i - 1].lower_ in ("a", "an") and lows[0] in ("dozen", "few", "handful"):
        start = i - 1
    if i > 1 and doc[i - 1].lower_ == "few" and doc[i - 2].lower_ == "a":
        start, lows = i - 2, ["a", "few", *lows]
    return start, lows


def _range_separator(doc: Doc, i: int, lows: list[str]) -> tuple[str, int] | None:
    """(separator, its index) of a range: "300-400", "300 to 400", "between 300 and 400";
    not "Eighty-two" or "hundred and eighteen"."""
    for sep in _RANGE_SEPARATORS:
        if sep in lows[1:-1]:
            k = lows.index(sep)
            if sep in ("-", "–") and lows[k - 1] in TENS and lows[k + 1] in UNITS:
                continue
            if sep == "and" and doc[i - 1].lower_ != "between":
                continue
            return sep, k
    return None


def _range_phrase(words: list[str], lows: list[str], separator: tuple[str, int], start: int, end: int) -> Phrase | None:
    """A range phrase, or None when its ends are not increasing numbers."""
    sep, k = separator
    left, right = parse_number(words[:k]), parse_number(words[k + 1 :])
    if left is not None and right is not None and left < right:
        return Phrase(start - 1 if sep == "and" else start, end, None, left, right, "range")
    return None


def _vague_phrase(lows: list[str], start: int, end: int) -> Phrase | None:
    """A vague quantity with the bounds of the coding scheme: "several" -> (2, open), "hundreds" -> (100, open) by default."""
    bounds = vague_bounds()
    key: str | None = " ".join(lows)
    if key not in bounds:
        # "dozens" alone is in the table; "hundreds of" is cut before "of".
        key = lows[0] if lows[0] in bounds else None
        if key is None:
            return None
    low, high = bounds[key]
    return Phrase(start, end, None, low, high, "vague")


def _exact_phrase(tok: Token, words: list[str], start: int, i: int, end: int) -> Phrase | None:
    """An exact number; a year-like one is marked "year?", a long digit string (a phone number, an id) is none."""
    value = parse_number(words if start == i else ["a", *words])
    if value is None:
        return None
    raw = tok.text.replace(",", "")
    if raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100 and "," not in tok.text:
        return Phrase(start, end, value, None, None, "year?")
    if raw.isdigit() and len(raw) > 7:
        return None
    return Phrase(start, end, value, None, None, "exact")


def qualified(doc: Doc, phrase: Phrase) -> tuple[str, int]:
    """(qualifier, first token) of a phrase with what surrounds it: "more than 300" -> at_least,
    "200 or so" -> approx (`data/qualifiers.tsv`). Only exact numbers take a qualifier."""
    if phrase.qualifier != "exact":
        return phrase.qualifier, phrase.start
    for words, qualifier in lx.QUALIFIER_PHRASES:
        n = len(words.split())
        if phrase.start - n >= 0 and " ".join(t.lower_ for t in doc[phrase.start - n : phrase.start]) == words:
            return qualifier, phrase.start - n
    for words_after, qualifier in lx.TRAILING_QUALIFIERS.items():
        if tuple(t.lower_ for t in doc[phrase.end : phrase.end + len(words_after)]) == words_after:
            return qualifier, phrase.start
    return "exact", phrase.start
