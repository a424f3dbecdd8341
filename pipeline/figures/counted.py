"""What a number counts: the counted noun of a number phrase and its class.

Classes: "bare" (no noun: "12 were killed"), "nationals" ("13 Israelis"), "group" (a named
organisation), and the lexicon's classes (`data/counted_nouns.json`): combatant, equipment,
strikes, territory, population, captive, displaced, killed, wounded, missing, person. A noun of
no class (a unit such as "km" or "years", or an unknown noun) makes the number no figure.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.doc_index import DocIndex
from pipeline.figures.numbers import VAGUE_WORDS
from pipeline.figures.phrases import Phrase

# Lexicon classes in lookup order: the first list holding the noun's lemma or text wins.
_CLASSES = (
    ("combatant", lx.COMBATANT),
    ("equipment", lx.EQUIPMENT),
    ("strikes", lx.STRIKES),
    ("territory", lx.TERRITORY),
    ("population", lx.POPULATION),
    ("captive", lx.CAPTIVE),
    ("displaced", lx.DISPLACED),
    ("killed", lx.KILLED_NOUN),
    ("wounded", lx.WOUNDED_NOUN),
    ("missing", lx.MISSING_NOUN),
    ("person", lx.PERSON),
)


def counted_noun(doc: Doc, phrase: Phrase) -> tuple[Token | None, Token]:
    """(counted noun or None, syntactic head of the noun phrase)."""
    last = doc[phrase.end - 1]
    if phrase.qualifier == "range" and last.dep_ == "conj":
        last = last.head  # "between 300 and 400 fighters": the first number carries the noun
    head = last.head
    # "86 AK-47 rifles": a model name between the number and the noun is not what is counted.
    if head.i == phrase.end and any(c.isdigit() for c in head.text) and head.head.pos_ == "NOUN" and head.head.i > head.i:
        head = head.head
    if (
        last.dep_ in ("nummod", "amod", "quantmod", "compound", "nmod", "npadvmod")
        and head.i >= phrase.end
        and (head.pos_ in ("NOUN", "PROPN") or head.lower_ in lx.STATE_WORDS)
    ):
        return head, head
    state = _state_word_after(doc, phrase.end)
    if state is not None:
        return state, state
    if last.pos_ in ("NOUN", "NUM") or last.lower_ in VAGUE_WORDS:
        for child in last.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj, last
    # "less than 10,000 are foreigners": the number is the subject, the noun is the attribute.
    if last.dep_ in ("nsubj", "nsubjpass") and head.lemma_ == "be":
        attr = next((c for c in head.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        if attr is not None:
            return attr, last
    return None, last


def _state_word_after(doc: Doc, end: int) -> Token | None:
    """ "left 20 dead and 35 wounded", "dozens more wounded": a state word after the number is what is counted."""
    if end < len(doc) and doc[end].lower_ in lx.STATE_WORDS:
        return doc[end]
    if end + 1 < len(doc) and doc[end].lower_ in ("more", "others") and doc[end + 1].lower_ in lx.STATE_WORDS:
        return doc[end + 1]
    return None


def noun_class(index: DocIndex, noun: Token | None) -> str | None:
    """The class of a counted noun (see the module docstring); None when it counts nothing."""
    if noun is None:
        return "bare"
    lemma = noun.lemma_.lower()
    text = noun.lower_
    compounds = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
    # A capitalised plural keeps its "s" in the lemma ("27,835 Pakistani Rupees"): try the singular too.
    if lemma in lx.UNITS or text in lx.UNITS or (text.endswith("s") and text[:-1] in lx.UNITS):
        return None
    label = index.mention_label(noun)
    if label == "NORP" and noun.tag_ in ("NNPS", "NNS"):
        return "nationals"  # "13 Israelis", "1.8 million Palestinians": people of a nation, not a force
    if noun.pos_ == "PROPN" and label in ("ORG", "NORP"):
        return "group"
    if lemma == "bomber" and "suicide" in compounds:
        return "combatant"
    if lemma in ("strike", "raid") and ("air" in compounds or "drone" in compounds):
        return "strikes"
    for cls, words in _CLASSES:
        if lemma in words or text in words:
            return cls
    return None
