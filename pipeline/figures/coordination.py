"""Coordinated people counted together: "his wife and two daughters were killed" is one figure of 3."""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from pipeline.figures import lexicon as lx
from pipeline.figures.numbers import parse_number

_PEOPLE = lx.PERSON | lx.COMBATANT | lx.CIVILIAN | lx.CAPTIVE


class Sum(NamedTuple):
    """The total of a coordination, its tokens [start, end) and its first conjunct."""

    total: float
    start: int
    end: int
    first: Token


def coordinated_sum(noun: Token | None, cls: str | None) -> Sum | None:
    """The sum of the people coordinated with a counted noun, or None when there is nothing to sum.

    A conjunct counts its number ("two daughters", "two of his sons") or 1 when it is a singular
    noun ("his wife"); at least one singular conjunct is needed: "11 women and 13 children" is two
    figures, not one sum.
    """
    if noun is None or cls not in ("person", "combatant", "captive"):
        return None
    if noun.dep_ != "conj" and not any(c.dep_ == "conj" for c in noun.children):
        return None
    first = noun
    while first.dep_ == "conj":
        first = first.head
    conjuncts = [first, *first.conjuncts]
    if len(conjuncts) < 2:
        return None
    total, implicit = 0.0, False
    for conj in conjuncts:
        count = _conjunct_count(conj)
        if count is None:
            return None
        total += count[0]
        implicit = implicit or count[1]
    if not implicit:
        return None
    return Sum(total, first.left_edge.i, max(t.i for t in conjuncts[-1].subtree) + 1, first)


def _conjunct_count(conj: Token) -> tuple[float, bool] | None:
    """(people a conjunct counts, whether that is an implicit one: "his wife"); None if it counts no people."""
    if conj.pos_ == "NUM":  # "my brother and two of his sons"
        of = next((c for c in conj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        value = parse_number([conj.text])
        if pobj is None or value is None or pobj.lemma_.lower() not in _PEOPLE:
            return None
        return value, False
    if conj.lemma_.lower() not in _PEOPLE:
        return None
    nums = [c for c in conj.subtree if c.dep_ in ("nummod", "compound") and c.like_num and c.i < conj.i]
    if nums:
        value = parse_number([t.text for t in conj.doc[min(t.i for t in nums) : max(t.i for t in nums) + 1]])
        return (value, False) if value is not None else None
    if conj.tag_ in ("NN", "NNP"):
        return 1.0, True
    return None
