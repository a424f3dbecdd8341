"""What a count means (its category, see `categories.py`), read from the words that govern it.

In order: a frame noun above the phrase ("the execution of 150 troops"), a population frame ("a
city of 300,000"), the governing verb ("killed 12", "12 were killed", "20,000 people had fled"),
participles and adjectives on the noun ("160 captured soldiers", "20 dead"), the verb right after
a subject the parse lost; failing all these, the default of the noun's class ("300 fighters" ->
troops). Word tables: `data/frames.json`.
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.figures import lexicon as lx

# A class's category when no frame says more.
_DEFAULT_CATEGORY = {
    "combatant": "troops",
    "group": "troops",
    "population": "population",
    "captive": "captured",
    "displaced": "displaced",
    "killed": "killed",
    "wounded": "wounded",
    "missing": "missing",
}


def category_for(cls: str, noun: Token | None, np_head: Token) -> tuple[str | None, Token | None]:
    """(category, governing verb) for a counted noun of class `cls` (`np_head` stands for a missing noun)."""
    frame, top = _noun_frame(np_head)
    subject = noun if noun is not None else np_head
    if cls == "equipment":
        return "equipment", None
    if cls == "strikes":
        return "strikes", None
    if cls == "territory":
        return ("territory" if _governed_by_territory_verb(np_head) else None), None
    if frame is None and cls in ("person", "nationals", "population", "bare") and _population_frame(subject):
        return "population", None  # "a city of some 600,000 people", "a pre-war population of 100,000"
    frame, role, verb = _clause_frame(cls, noun, np_head, frame, top)
    frame = _troops_refined(frame, role, cls, noun)
    if frame is not None:
        return frame, verb
    if cls in ("person", "nationals") and _population_frame(subject):
        return "population", verb  # "a city of some 600,000 people", "home to 1.8 million Palestinians"
    if cls == "nationals":
        return None, verb
    return _DEFAULT_CATEGORY.get(cls), verb


def _clause_frame(
    cls: str, noun: Token | None, np_head: Token, frame: str | None, top: Token
) -> tuple[str | None, str | None, Token | None]:
    """(category, role, verb) from the clause around the phrase, unless a frame noun already gave the category."""
    role = verb = None
    subject = noun if noun is not None else np_head
    if frame is None and noun is not None and noun.dep_ == "conj":
        frame = _modifier_frame(noun)  # "12 were killed and 41 others wounded": the conjunct's own participle
    if frame is None:
        frame, role, verb = _verb_frame(top)
    # "one of the wounded demonstrators": the noun's own participle says nothing about the part counted.
    partitive = (
        noun is not None and noun is not np_head and any(c.dep_ in ("det", "poss") and c.lower_ != "no" for c in noun.children)
    )
    if frame is None and not partitive:
        frame = _modifier_frame(subject)
    if (
        verb is not None
        and verb.lemma_.lower() in lx.CIVILIAN_ONLY_VERBS
        and not (noun is not None and noun.lemma_.lower() in lx.CIVILIAN)
    ):
        frame = None  # "fighters left the town" is not displacement
    subject_like = subject.dep_ not in ("dobj", "attr", "oprd", "dative")
    if (
        frame is None
        and role != "subset"
        and subject_like
        and cls in ("person", "nationals", "bare", "combatant", "population", "captive")
    ):
        frame, role = _surface_frame(subject)
    return frame, role, verb


def _troops_refined(frame: str | None, role: str | None, cls: str, noun: Token | None) -> str | None:
    """A troop frame corrected by the counted noun: "left three soldiers missing", "250,000 people remain"."""
    if frame == "troops" and noun is not None:
        state = next(
            (
                c.lower_
                for c in noun.children
                if c.dep_ in ("amod", "oprd", "acomp") and c.lower_ in ("missing", "dead", "wounded", "injured")
            ),
            None,
        )
        if state:
            frame = lx.PREDICATE_ADJECTIVES[state]  # "left three soldiers missing"
    if frame == "troops" and noun is not None and noun.lemma_.lower() in lx.CIVILIAN:
        frame = "population" if role == "agent" else None  # "250,000 people remain": not troops
    elif frame == "troops" and role == "patient" and cls not in ("combatant", "group", "bare"):
        frame = None  # "sent 20 officials" is not a troop count
    return frame


def _noun_frame(np_head: Token) -> tuple[str | None, Token]:
    """Climb "of"/"by" chains to a frame noun ("the execution of 150 troops"); return (category, top NP)."""
    top = np_head
    for _ in range(3):
        if top.dep_ != "pobj" or top.head.dep_ not in ("prep", "agent"):
            break
        governor = top.head.head
        if governor.pos_ in ("VERB", "AUX"):
            # The parser often hangs "by/of ..." on the verb instead of its object noun:
            # "followed the massacre ... by forces of several hundred prisoners".
            obj = next((c for c in governor.children if c.dep_ == "dobj" and c.i < top.i), None)
            if obj is not None and obj.lemma_.lower() in lx.FRAME_NOUNS and top.head.lower_ in ("by", "of"):
                return lx.FRAME_NOUNS[obj.lemma_.lower()], obj
            break
        if governor.pos_ not in ("NOUN", "PROPN"):
            break
        if governor.lemma_.lower() in lx.FRAME_NOUNS:
            return lx.FRAME_NOUNS[governor.lemma_.lower()], governor
        top = governor
    return None, top


def _verb_frame(top: Token) -> tuple[str | None, str | None, Token | None]:
    """(category, role, verb) from the verb governing the noun phrase."""
    while top.dep_ == "conj":
        top = top.head
    dep, head = top.dep_, top.head
    if dep == "appos" or (dep == "pobj" and head.lower_ == "of" and head.head.lower_ in lx.QUANTIFIER_HEADS):
        return None, "subset", None  # "many of Kandahar's 600,000 residents have fled": the verb is not about the count
    lemma = head.lemma_.lower()
    if dep in ("nsubj", "nsubjpass"):
        # "remain missing", "were reported dead", "are feared killed": the state word decides.
        for child in head.children:
            if child.dep_ in ("acomp", "attr", "oprd", "xcomp") and child.lower_ in lx.PREDICATE_ADJECTIVES:
                return lx.PREDICATE_ADJECTIVES[child.lower_], "patient", head
    if dep in ("dobj", "nsubjpass"):
        if lemma in lx.PATIENT_VERBS:
            return lx.PATIENT_VERBS[lemma], "patient", head
        for child in head.children:  # "are believed to remain"
            if child.dep_ in ("xcomp", "ccomp") and child.lemma_.lower() in lx.SUBJECT_VERBS:
                return lx.SUBJECT_VERBS[child.lemma_.lower()], "agent", child
        return None, None, head
    if dep == "nsubj":
        return _subject_verb_frame(head, lemma)
    return None, None, head if head.pos_ in ("VERB", "AUX") else None


def _subject_verb_frame(head: Token, lemma: str) -> tuple[str | None, str | None, Token | None]:
    """(category, role, verb) for a counted subject of `head`: "150 insurgents surrendered"."""
    if lemma == "be":
        return None, None, head
    prt = next((c.lower_ for c in head.children if c.dep_ == "prt"), None)
    obj = next((c for c in head.children if c.dep_ == "dobj"), None)
    if (lemma, prt) in lx.SURRENDER_PHRASES and obj is not None and obj.lemma_.lower() in lx.WEAPON_NOUNS:
        return "surrendered", "agent", head  # "1,081 fighters handed over their weapons"
    if head.tag_ == "VBN" and lemma in lx.PATIENT_VERBS and not any(c.dep_ == "aux" for c in head.children):
        return lx.PATIENT_VERBS[lemma], "patient", head  # elliptical passive: "and 41 others wounded"
    if lemma in lx.SUBJECT_VERBS:
        return lx.SUBJECT_VERBS[lemma], "agent", head
    return None, None, head


def _modifier_frame(noun: Token | None) -> str | None:
    """ "12 people killed in ...", "160 captured soldiers", "20 dead": participles on the noun."""
    if noun is None:
        return None
    for child in noun.children:
        lemma = child.lemma_.lower()
        reduced = child.tag_ in ("VBN", "VBD") and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in child.children)
        if child.dep_ in ("acl", "relcl") and reduced and lemma in lx.PATIENT_VERBS:
            return lx.PATIENT_VERBS[lemma]  # "2.4 million people already displaced", "30,000 deployed in Belarus"
    for child in noun.children:
        if child.dep_ == "amod" and child.lower_ in lx.PREDICATE_ADJECTIVES:
            return lx.PREDICATE_ADJECTIVES[child.lower_]
        if child.dep_ == "amod" and child.tag_ == "VBN" and child.lemma_.lower() in lx.PATIENT_VERBS:
            return lx.PATIENT_VERBS[child.lemma_.lower()]
    return None


def _governed_by_territory_verb(token: Token) -> bool:
    """A territory verb (or "siege") up to four heads above: "seized 12 districts"."""
    node = token
    for _ in range(4):
        node = node.head
        if node.lemma_.lower() in lx.TERRITORY_VERBS or node.lower_ == "siege":
            return True
        if node.head == node:
            break
    return False


def _population_frame(token: Token) -> bool:
    """ "a city of about 300,000 residents", "a pre-war population of 100,000", "home to 1.8 million people"."""
    node = token
    for _ in range(2):
        if node.dep_ == "pobj" and node.head.lower_ in ("of", "to") and node.head.head.lemma_.lower() in lx.POPULATED_PLACE_NOUNS:
            return True
        node = node.head
    return token.dep_ in ("appos",) and token.head.lemma_.lower() in lx.POPULATED_PLACE_NOUNS


def _surface_frame(noun: Token) -> tuple[str | None, str | None]:
    """The verb right after a subject when the parse lost it: "20,000 people had fled", "12 were killed"."""
    doc = noun.doc
    passive = False
    for tok in doc[noun.i + 1 : noun.i + 5]:
        low = tok.lower_
        if low in ("were", "was", "been", "being", "are", "is"):
            passive = True
            continue
        if tok.pos_ in ("AUX", "ADV", "PART") or low in ("had", "have", "has", "reportedly", "also", "still", "later"):
            continue
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            if passive and lemma in lx.PATIENT_VERBS:
                return lx.PATIENT_VERBS[lemma], "patient"
            if not passive and lemma in lx.SUBJECT_VERBS:
                return lx.SUBJECT_VERBS[lemma], "agent"
        return None, None
    return None, None
