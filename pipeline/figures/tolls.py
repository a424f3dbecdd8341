"""What a total counts: "the death toll rose to 45" -> killed, "bringing the number of generals who have fled to 20"."""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.figures import lexicon as lx

_TOTALS = lx.TOTAL_NOUNS | lx.COUNT_NOUNS
# "the number of X": the category of X when no verb says what happened to them.
_COUNTED_CATEGORIES = (
    ("strikes", lx.STRIKES),
    ("territory", lx.TERRITORY),
    ("equipment", lx.EQUIPMENT),
    ("displaced", lx.DISPLACED),
    ("killed", lx.KILLED_NOUN),
    ("captured", lx.CAPTIVE),
)


def toll_category(number: Token) -> str | None:
    """Category of a total the number sets: "death toll rose to 45" -> killed, "bringing the number of
    generals who have fled to 20" -> what the generals did, "increase the force to 2,500" -> troops."""
    subject = _total_noun(number)
    if subject is None:
        return None
    lemma = subject.lemma_.lower()
    if lemma == "force":
        return "troops"
    for child in subject.subtree:
        if child.i > number.i:
            break
        category = lx.TOLL_MODIFIERS.get(child.lemma_.lower()) or lx.TOLL_MODIFIERS.get(child.lower_)
        if category:
            return category
    return _number_of_category(subject) or ("killed" if lemma == "toll" else None)


def _total_noun(number: Token) -> Token | None:
    """The total noun the number sets, among its first three heads or their subjects and objects."""
    for anc in [number, *number.ancestors][1:4]:
        if anc.lemma_.lower() in _TOTALS:
            return anc
        subject = next(
            (c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() in _TOTALS), None
        )
        if subject is not None:
            return subject
    return None


def _number_of_category(subject: Token) -> str | None:
    """ "the number of X": what X are, or what the clause says happened to them."""
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    participle = next((c for c in subject.children if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in lx.PATIENT_VERBS), None)
    if participle is not None:
        return lx.PATIENT_VERBS[participle.lemma_.lower()]  # "the total number evacuated"
    if counted is None:
        return None
    for child in counted.children:
        verb_lemma = child.lemma_.lower()
        if child.dep_ == "relcl" and verb_lemma in lx.SUBJECT_VERBS:
            category = lx.SUBJECT_VERBS[verb_lemma]
            # Officers who flee defect: "the number of generals who have fled".
            if counted.lemma_.lower() in lx.COMBATANT | {"general", "officer"}:
                return {"displaced": "defected"}.get(category, category)
            return category
        if child.dep_ == "relcl" and verb_lemma in lx.TERRITORY_VERBS and counted.lemma_.lower() in lx.TERRITORY:
            return "territory"
    c_lemma = counted.lemma_.lower()
    for category, words in _COUNTED_CATEGORIES:
        if c_lemma in words:
            return category
    return None
