"""Why a number is not a figure: one named check per reason.

`SURFACE_CHECKS` look at the tokens around a number phrase; `COUNTED_CHECKS` run once the counted
noun and its class are known (`counted.py`). A number failing any check is dropped. Two reasons
are decided earlier: `phrases.py` reads no money, percentage, ordinal or product entity as a
number and drops digit strings over seven characters (phone numbers, ids), and `counted.py`
gives units ("5 km", "3 years", "$5 million") no noun class.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.phrases import Phrase

# Entities a number can be part of without counting anything.
_NAME_ENTS = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PERSON", "LOC"})
# The model often tags counts as DATE or QUANTITY ("Two thousand five hundred soldiers", "40 airstrikes");
# such a number is kept only when it counts a noun of the lexicon.
_SUSPECT_ENTS = frozenset({"DATE", "TIME", "QUANTITY"})


def _before(doc: Doc, phrase: Phrase) -> Token | None:
    return doc[phrase.start - 1] if phrase.start > 0 else None


def _after(doc: Doc, phrase: Phrase, offset: int = 0) -> Token | None:
    return doc[phrase.end + offset] if phrase.end + offset < len(doc) else None


def is_age_label_or_money(doc: Doc, phrase: Phrase) -> bool:
    """An age, a label or money right before: "aged 34", "No. 5", "number 10", "$5 million"."""
    before = _before(doc, phrase)
    return before is not None and (before.lower_ in lx.LABEL_WORDS or before.text in lx.CURRENCY_SIGNS)


def is_date(doc: Doc, phrase: Phrase) -> bool:
    """A month name on either side: "Sept 11", "11 September"."""
    return any(tok is not None and tok.lower_.rstrip(".") in lx.MONTHS for tok in (_before(doc, phrase), _after(doc, phrase)))


def is_clock_time(doc: Doc, phrase: Phrase) -> bool:
    """A time of day: "1400 GMT", "0600 local time"."""
    after, next_after = _after(doc, phrase), _after(doc, phrase, 1)
    if after is None:
        return False
    return after.lower_ in lx.CLOCK_WORDS or (after.lower_, next_after.lower_ if next_after else "") == ("local", "time")


def is_part_of_a_name(doc: Doc, phrase: Phrase) -> bool:
    """A number inside a named entity: "Three Brotherhood Alliance", "Operation 1027"."""
    return doc[phrase.start].ent_type_ in _NAME_ENTS


def is_one_of(doc: Doc, phrase: Phrase) -> bool:
    """ "one of the wounded": a reference to one member, not a count."""
    after = _after(doc, phrase)
    return doc[phrase.start].lower_ == "one" and after is not None and after.lower_ == "of"


def is_age_range(doc: Doc, phrase: Phrase) -> bool:
    """An age word up to three tokens before: "aged up to 65", "aged between 18 and 22"."""
    return any(t.lower_ in lx.AGE_WORDS for t in doc[max(0, phrase.start - 3) : phrase.start])


def is_model_name(doc: Doc, phrase: Phrase) -> bool:
    """After a capitalised proper noun that is no nation, place or organisation: "Leopard 2 tanks", "Flight 17"."""
    before = _before(doc, phrase)
    return (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.ent_type_ not in ("NORP", "GPE", "ORG")
    )


def is_id_of_a_name(doc: Doc, phrase: Phrase) -> bool:
    """A number the parse hangs on the proper noun before it: "Resolution 2254", "Highway 1"."""
    before = _before(doc, phrase)
    last = doc[phrase.end - 1]
    return (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and last.dep_ in ("appos", "nummod", "compound")
        and last.head.i == before.i
    )


SURFACE_CHECKS: tuple[Callable[[Doc, Phrase], bool], ...] = (
    is_age_label_or_money,
    is_date,
    is_clock_time,
    is_part_of_a_name,
    is_one_of,
    is_age_range,
    is_model_name,
    is_id_of_a_name,
)


def counts_nothing_known(doc: Doc, phrase: Phrase, noun: Token | None, cls: str | None) -> bool:
    """The counted noun has no class: a unit ("5 km", "3 years") or a noun the lexicon does not count."""
    return cls is None


def is_tagged_date_or_quantity(doc: Doc, phrase: Phrase, noun: Token | None, cls: str | None) -> bool:
    """A bare number (no counted noun) the model tags DATE, TIME or QUANTITY: "in 2001", "by 10"."""
    return cls == "bare" and doc[phrase.end - 1].ent_type_ in _SUSPECT_ENTS


def is_year(doc: Doc, phrase: Phrase, noun: Token | None, cls: str | None) -> bool:
    """A year-like number that does not directly count a noun: "in 2019" (but "2019 soldiers" counts)."""
    return phrase.qualifier == "year?" and (cls == "bare" or noun is None or doc[phrase.end - 1].dep_ != "nummod")


COUNTED_CHECKS: tuple[Callable[[Doc, Phrase, Token | None, str | None], bool], ...] = (
    counts_nothing_known,
    is_tagged_date_or_quantity,
    is_year,
)


def fails_surface_checks(doc: Doc, phrase: Phrase) -> bool:
    """The tokens around the phrase say it is not a count."""
    return any(check(doc, phrase) for check in SURFACE_CHECKS)


def fails_counted_checks(doc: Doc, phrase: Phrase, noun: Token | None, cls: str | None) -> bool:
    """What the phrase counts says it is not a figure."""
    return any(check(doc, phrase, noun, cls) for check in COUNTED_CHECKS)
