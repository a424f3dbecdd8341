"""Figure extraction from a parsed article: numbers + dependency parse + lexicon rules.

For each number phrase ("about 5,000", "several hundred", "thousands", "300-400") the extractor
finds what is counted (the noun it modifies, or the noun after "of"), decides what the count
means from the governing noun or verb (captured vs captors, killed vs killers), and attaches the
group, location and who made the claim. Numbers that count no people, forces, equipment,
strikes or territory (years, durations, distances, money, percentages, model names) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.attribution import attribution_for
from pipeline.figures.doc_index import DocIndex
from pipeline.figures.flags import is_contested, is_cumulative
from pipeline.figures.places import location_for
from pipeline.figures.numbers import SCALES, TENS, UNITS, VAGUE_WORDS, parse_number, vague_bounds
from pipeline.records import Figure, Mention, Sentence

# Entity labels whose numbers are never counts of people or things.
_BLOCKED_ENTS = frozenset({"MONEY", "PERCENT", "ORDINAL", "PRODUCT"})
# The model often tags counts as DATE or QUANTITY ("Two thousand five hundred soldiers", "40 airstrikes");
# such a number is kept only when it counts a noun of the lexicon.
_SUSPECT_ENTS = frozenset({"DATE", "TIME", "QUANTITY"})
_GROUP_LABELS = ("ORG", "NORP", "GPE")
_CONNECTORS = frozenset({"-", "–", "—", "to"})


@dataclass
class _Phrase:
    start: int  # first token of the number phrase (qualifier excluded)
    end: int  # exclusive
    value: float | None
    low: float | None
    high: float | None
    qualifier: str


def _is_number_token(tok: Token) -> bool:
    if tok.ent_type_ in _BLOCKED_ENTS:
        return False
    low = tok.lower_
    if low in VAGUE_WORDS or low == "dozen":
        return True
    if not tok.like_num or any(c.isalpha() for c in low) and parse_number([low]) is None:
        return False
    return True


def _number_phrase(doc: Doc, i: int) -> _Phrase | None:
    """The number phrase starting at token i, with its value or bounds; None if not a count."""
    tok = doc[i]
    if not _is_number_token(tok):
        return None
    end = i + 1
    while end < len(doc):
        nxt = doc[end]
        low = nxt.lower_
        if _is_number_token(nxt) or low in SCALES:
            end += 1
        elif (
            low == "of"
            and doc[end - 1].lower_ in ("tens", "hundreds")
            and end + 1 < len(doc)
            and doc[end + 1].lower_ in ("thousands", "millions")
        ):
            end += 1
        elif low in _CONNECTORS and end + 1 < len(doc) and doc[end + 1].like_num and doc[end - 1].lower_ not in VAGUE_WORDS:
            end += 1
        elif low == "and" and doc[i - 1].lower_ == "between" and end + 1 < len(doc) and doc[end + 1].like_num:
            end += 1
        elif (  # "Three hundred and eighteen"
            low == "and"
            and doc[end - 1].lower_ in ("hundred", "thousand", "million")
            and end + 1 < len(doc)
            and doc[end + 1].lower_ in UNITS.keys() | TENS.keys()
        ):
            end += 1
        else:
            break
    words = [t.text for t in doc[i:end]]
    lows = [w.lower() for w in words]
    start = i
    # "a dozen", "a few hundred": the article belongs to the number.
    if i > 0 and doc[i - 1].lower_ in ("a", "an") and lows[0] in ("dozen", "few", "handful"):
        start = i - 1
    if i > 1 and doc[i - 1].lower_ == "few" and doc[i - 2].lower_ == "a":
        start, lows = i - 2, ["a", "few", *lows]
    # Ranges: "300-400", "300 to 400", "between 300 and 400"; not "Eighty-two" or "hundred and eighteen".
    for sep in ("-", "–", "—", "to", "and"):
        if sep in lows[1:-1]:
            k = lows.index(sep)
            if sep in ("-", "–") and lows[k - 1] in TENS and lows[k + 1] in UNITS:
                continue
            if sep == "and" and doc[i - 1].lower_ != "between":
                continue
            k = lows.index(sep)
            left, right = parse_number(words[:k]), parse_number(words[k + 1 :])
            if left is not None and right is not None and left < right:
                return _Phrase(start - 1 if sep == "and" else start, end, None, left, right, "range")
            return None
    key = " ".join(lows)
    bounds = vague_bounds()
    if key in bounds or lows[0] in VAGUE_WORDS or lows[0] == "few":
        if key not in bounds:
            # "dozens" alone is in the table; "hundreds of" is cut before "of".
            key = next((k for k in (key, lows[0]) if k in bounds), None)
            if key is None:
                return None
        low, high = bounds[key]
        return _Phrase(start, end, None, low, high, "vague")
    value = parse_number(words if start == i else ["a", *words])
    if value is None:
        return None
    raw = tok.text.replace(",", "")
    if raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100 and "," not in tok.text:
        return _Phrase(start, end, value, None, None, "year?")  # decided once the counted noun is known
    if raw.isdigit() and len(raw) > 7:
        return None  # phone numbers, ids
    return _Phrase(start, end, value, None, None, "exact")


def _qualifier(doc: Doc, start: int) -> tuple[str | None, int]:
    """Qualifier phrase right before the number ("more than", "about") and its first token."""
    for phrase, qual in lx.QUALIFIER_PHRASES:
        n = len(phrase.split())
        if start - n >= 0 and " ".join(t.lower_ for t in doc[start - n : start]) == phrase:
            return qual, start - n
    return None, start


_NAME_ENTS = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PERSON", "LOC"})



def _trailing_qualifier(doc: Doc, end: int) -> str | None:
    """ "a million or more", "200 or so", "50-plus": a qualifier after the number."""
    for words, qual in lx.TRAILING_QUALIFIERS.items():
        if tuple(t.lower_ for t in doc[end : end + len(words)]) == words:
            return qual
    return None


def _counted(doc: Doc, phrase: _Phrase) -> tuple[Token | None, Token]:
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
    # "left 20 dead and 35 wounded": a state word right after the number is what is counted.
    if phrase.end < len(doc) and doc[phrase.end].lower_ in lx.STATE_WORDS:
        return doc[phrase.end], doc[phrase.end]
    if phrase.end + 1 < len(doc) and doc[phrase.end].lower_ in ("more", "others") and doc[phrase.end + 1].lower_ in lx.STATE_WORDS:
        return doc[phrase.end + 1], doc[phrase.end + 1]  # "dozens more wounded"
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


def _noun_class(index: DocIndex, noun: Token | None) -> str | None:
    if noun is None:
        return "bare"
    lemma = noun.lemma_.lower()
    text = noun.lower_
    compounds = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
    if lemma in lx.UNITS or text in lx.UNITS:
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
    for cls, words in (
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
    ):
        if lemma in words or text in words:
            return cls
    return None


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
    return None, None, head if head.pos_ in ("VERB", "AUX") else None


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
    node = token
    for _ in range(4):
        node = node.head
        if node.lemma_.lower() in lx.TERRITORY_VERBS or node.lower_ == "siege":
            return True
        if node.head == node:
            break
    return False


def _category(index: DocIndex, cls: str, noun: Token | None, np_head: Token) -> tuple[str | None, Token, Token | None]:
    """(category, top noun phrase token, governing verb) for a counted noun of class `cls`."""
    frame, top = _noun_frame(np_head)
    verb = None
    if cls == "equipment":
        return "equipment", top, None
    if cls == "strikes":
        return "strikes", top, None
    if cls == "territory":
        return ("territory" if _governed_by_territory_verb(np_head) else None), top, None
    role = None
    if (
        frame is None
        and cls in ("person", "nationals", "population", "bare")
        and _population_frame(np_head if noun is None else noun)
    ):
        return "population", top, None  # "a city of some 600,000 people", "a pre-war population of 100,000"
    if frame is None and noun is not None and noun.dep_ == "conj":
        frame = _modifier_frame(noun)  # "12 were killed and 41 others wounded": the conjunct's own participle
    if frame is None:
        frame, role, verb = _verb_frame(top)
    # "one of the wounded demonstrators": the noun's own participle says nothing about the part counted.
    partitive = (
        noun is not None and noun is not np_head and any(c.dep_ in ("det", "poss") and c.lower_ != "no" for c in noun.children)
    )
    if frame is None and not partitive:
        frame = _modifier_frame(noun if noun is not None else np_head)
    if (
        verb is not None
        and verb.lemma_.lower() in lx.CIVILIAN_ONLY_VERBS
        and not (noun is not None and noun.lemma_.lower() in lx.CIVILIAN)
    ):
        frame = None  # "fighters left the town" is not displacement
    subject_like = (noun if noun is not None else np_head).dep_ not in ("dobj", "attr", "oprd", "dative")
    if (
        frame is None
        and role != "subset"
        and subject_like
        and cls in ("person", "nationals", "bare", "combatant", "population", "captive")
    ):
        frame, role = _surface_frame(noun if noun is not None else np_head)
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
    if frame is not None:
        return frame, top, verb
    defaults = {
        "combatant": "troops",
        "group": "troops",
        "population": "population",
        "captive": "captured",
        "displaced": "displaced",
        "killed": "killed",
        "wounded": "wounded",
        "missing": "missing",
    }
    if cls in ("person", "nationals") and _population_frame(np_head if noun is None else noun):
        return "population", top, verb  # "a city of some 600,000 people", "home to 1.8 million Palestinians"
    if cls == "nationals":
        return None, top, verb
    return defaults.get(cls), top, verb


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


def _sum_coordination(index: DocIndex, noun: Token) -> tuple[float, int, int, Token] | None:
    """ "His wife and two daughters were killed" -> (3, start, end, first conjunct)."""
    first = noun
    while first.dep_ == "conj":
        first = first.head
    conjuncts = [first, *first.conjuncts]
    if len(conjuncts) < 2:
        return None
    total, implicit = 0.0, 0
    people = lx.PERSON | lx.COMBATANT | lx.CIVILIAN | lx.CAPTIVE
    for conj in conjuncts:
        if conj.pos_ == "NUM":  # "my brother and two of his sons"
            of = next((c for c in conj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            value = parse_number([conj.text])
            if pobj is None or value is None or pobj.lemma_.lower() not in people:
                return None
            total += value
            continue
        if conj.lemma_.lower() not in people:
            return None
        nums = [c for c in conj.subtree if c.dep_ in ("nummod", "compound") and c.like_num and c.i < conj.i]
        if nums:
            value = parse_number([t.text for t in conj.doc[min(t.i for t in nums) : max(t.i for t in nums) + 1]])
            if value is None:
                return None
            total += value
        elif conj.tag_ in ("NN", "NNP"):
            total, implicit = total + 1, implicit + 1
        else:
            return None
    if not implicit:
        return None  # "11 women and 13 children": two figures, not one sum
    start = first.left_edge.i
    end = max(t.i for t in conjuncts[-1].subtree) + 1
    return total, start, end, first


def _group_for(
    index: DocIndex,
    np_tokens: range,
    cls: str,
    category: str | None,
    verb: Token | None,
    number_tok: Token,
    noun: Token | None = None,
) -> int | None:
    """The mention of the group the counted belong to: in the noun phrase, the deploying subject, or nearby."""
    found: dict[str, int] = {}
    for i in np_tokens:
        m = index.mention_of_token.get(i)
        # A mention holding the number itself is a mis-tagged phrase ("BEIRUT - Thousands"), not a group.
        if m is not None and index.mentions[m].label in _GROUP_LABELS and index.mention_of_token.get(number_tok.i) != m:
            found.setdefault(index.mentions[m].label, m)
    for label in ("ORG", "NORP", "GPE"):
        if label in found:
            return found[label]
    if (
        cls not in ("combatant", "bare", "group")
        or (noun is not None and noun.lemma_.lower() in lx.STATE_FORCES)
        or category
        not in (
            "troops",
            "killed",
            "captured",
            "executed",
            "surrendered",
            "defected",
            "wounded",
            "missing",
        )
    ):
        return None
    if verb is not None and category == "troops":
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            ms = [index.mention_of_token[t.i] for t in subj.subtree if t.i in index.mention_of_token]
            orgs = [m for m in ms if index.mentions[m].label in ("ORG", "NORP") and _is_armed_group(index.mentions[m].text)]
            if orgs:
                return orgs[-1]
    # Nearest armed group named before the number in this sentence, else in the five sentences before;
    # organisations that only speak ("the Ministry of Defence said") are not sides.
    s_idx = index.sentence_of_token[number_tok.i]
    candidates = [
        (m.sentence_idx, m.char_start, k)
        for k, m in enumerate(index.mentions)
        if m.label in ("ORG", "NORP")
        and _is_armed_group(m.text)
        and s_idx - 5 <= m.sentence_idx <= s_idx
        and m.char_start < number_tok.idx
        and not _is_speaker(index, m)
    ]
    return max(candidates)[2] if candidates else None


_ARMED = re.compile(r"\b(" + "|".join(sorted(map(re.escape, lx.ARMED_WORDS))) + r")\b", re.I)


def _is_armed_group(name: str) -> bool:
    """A name that denotes a fighting side (the gazetteer's groups and common force words)."""
    return bool(_ARMED.search(name))


def _is_speaker(index: DocIndex, mention: Mention) -> bool:
    span = index.doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    while node.dep_ in ("compound", "pobj", "prep", "appos") and node.head != node:
        node = node.head
    return node.dep_ == "nsubj" and node.head.lemma_.lower() in lx.SPEECH_VERBS


_TOTALS = lx.TOTAL_NOUNS | lx.COUNT_NOUNS


def _toll_category(number: Token) -> str | None:
    """Category of a total the number sets: "death toll rose to 45" -> killed, "bringing the number of
    generals who have fled to 20" -> what the generals did, "increase the force to 2,500" -> troops."""
    subject = None
    for anc in [number, *number.ancestors][1:4]:
        if anc.lemma_.lower() in _TOTALS:
            subject = anc
            break
        subject = next(
            (c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() in _TOTALS), None
        )
        if subject is not None:
            break
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
    # "the number of X": what X are, or what the clause says happened to them.
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    participle = next((c for c in subject.children if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in lx.PATIENT_VERBS), None)
    if participle is not None:
        return lx.PATIENT_VERBS[participle.lemma_.lower()]  # "the total number evacuated"
    if counted is not None:
        for child in counted.children:
            verb_lemma = child.lemma_.lower()
            if child.dep_ == "relcl" and verb_lemma in lx.SUBJECT_VERBS:
                return (
                    {"displaced": "defected"}.get(lx.SUBJECT_VERBS[verb_lemma], lx.SUBJECT_VERBS[verb_lemma])
                    if counted.lemma_.lower() in lx.COMBATANT | {"general", "officer"}
                    else lx.SUBJECT_VERBS[verb_lemma]
                )
            if child.dep_ == "relcl" and verb_lemma in lx.TERRITORY_VERBS and counted.lemma_.lower() in lx.TERRITORY:
                return "territory"
        c_lemma = counted.lemma_.lower()
        for cat, words in (
            ("strikes", lx.STRIKES),
            ("territory", lx.TERRITORY),
            ("equipment", lx.EQUIPMENT),
            ("displaced", lx.DISPLACED),
            ("killed", lx.KILLED_NOUN),
            ("captured", lx.CAPTIVE),
        ):
            if c_lemma in words:
                return cat
    return "killed" if lemma == "toll" else None


_NEGATED_CATEGORIES = frozenset(
    {"troops", "killed", "wounded", "captured", "missing", "executed", "displaced", "released", "surrendered", "defected"}
)


def _negated_figures(index: DocIndex, source_path: str) -> list[Figure]:
    """ "No civilians were killed", "none of the soldiers was hurt", "nobody was injured" -> value 0."""
    doc = index.doc
    found: list[Figure] = []
    for tok in doc:
        low = tok.lower_
        if low == "no" and tok.dep_ == "det" and tok.head.pos_ == "NOUN":
            noun, np_head, start, end = tok.head, tok.head, tok.i, tok.head.i + 1
        elif low in ("none", "nobody") or (low == "one" and tok.i > 0 and doc[tok.i - 1].lower_ == "no"):
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            noun, np_head = pobj, tok
            start = tok.i - 1 if low == "one" else tok.i
            end = (pobj.i + 1) if pobj is not None else tok.i + 1
        else:
            continue
        cls = _noun_class(index, noun) if noun is not None else "person"
        if cls not in ("person", "combatant", "population", "captive", "group"):
            continue
        category, _, _ = _category(index, cls, noun, np_head)
        if category not in _NEGATED_CATEGORIES:
            continue
        span = doc[start:end]
        found.append(
            Figure(
                source_path,
                index.sentence_of_token[tok.i],
                span.text,
                0.0,
                None,
                None,
                "exact",
                category,
                noun.lemma_.lower() if noun is not None else "person",
                span.start_char,
                span.end_char,
                attributed_to=attribution_for(index, tok),
                is_negated=True,
            )
        )
    return found


def extract_figures(source_path: str, doc: Doc, sentences: list[Sentence], mentions: list[Mention]) -> list[Figure]:
    """All figures in a parsed body; offsets index the body the Doc was made from."""
    index = DocIndex(doc, sentences, mentions)
    figures: list[Figure] = []
    pending: list[tuple[Figure, str]] = []  # figures waiting for a category from their sentence
    consumed: set[int] = set()
    i = 0
    while i < len(doc):
        if i in consumed:
            i += 1
            continue
        phrase = _number_phrase(doc, i)
        if phrase is None:
            i += 1
            continue
        consumed.update(range(phrase.start, phrase.end))
        i = phrase.end
        figure = _build_figure(index, source_path, phrase, consumed)
        if figure is None:
            continue
        fig, needs_category = figure
        if needs_category:
            pending.append((fig, needs_category))
        else:
            figures.append(fig)
    # A count of people with no frame of its own shares its sentence's ("more than 30,000
    # Taleban in Kunduz, but less than 10,000 are foreigners").
    for fig, _ in pending:
        civilian = fig.counted in lx.CIVILIAN
        same = [
            f
            for f in figures
            if f.sentence_idx == fig.sentence_idx
            and f.category not in ("equipment", "strikes", "territory")
            and not (civilian and f.category in ("troops", "population"))
        ]
        if same:
            fig.category = same[0].category
            if fig.group_mention is None:
                fig.group_mention = same[0].group_mention
            figures.append(fig)
    figures.extend(_negated_figures(index, source_path))
    figures.sort(key=lambda f: f.char_start)
    return figures


def _build_figure(index: DocIndex, source_path: str, phrase: _Phrase, consumed: set[int]) -> tuple[Figure, str | None] | None:
    doc = index.doc
    before = doc[phrase.start - 1] if phrase.start > 0 else None
    after = doc[phrase.end] if phrase.end < len(doc) else None
    if before is not None and (before.lower_ in ("aged", "age", "ages", "no.", "number", "#") or before.text in ("$", "£", "€")):
        return None  # an age, an ordinal label or money
    if (before is not None and before.lower_.rstrip(".") in lx.MONTHS) or (
        after is not None and after.lower_.rstrip(".") in lx.MONTHS
    ):
        return None  # a date: "Sept 11", "11 September"
    after2 = doc[phrase.end + 1].lower_ if phrase.end + 1 < len(doc) else ""
    if after is not None and (
        after.lower_ in ("gmt", "utc", "hrs", "am", "pm", "a.m.", "p.m.") or (after.lower_, after2) == ("local", "time")
    ):
        return None  # a time: "1400 GMT", "0600 local time"
    if doc[phrase.start].ent_type_ in _NAME_ENTS:
        return None  # part of a name: "Three Brotherhood Alliance", "Operation 1027"
    if doc[phrase.start].lower_ == "one" and after is not None and after.lower_ == "of":
        return None  # "one of the wounded": a reference, not a count
    if any(t.lower_ in ("aged", "ages") for t in doc[max(0, phrase.start - 3) : phrase.start]):
        return None  # "aged up to 65", "aged between 18 and 22"
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.ent_type_ not in ("NORP", "GPE", "ORG")
    ):
        return None  # a model or an id: "Leopard 2 tanks", "Flight 17"
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and doc[phrase.end - 1].dep_ in ("appos", "nummod", "compound")
        and doc[phrase.end - 1].head.i == before.i
    ):
        return None  # an id: "Resolution 2254", "Flight 17", "Highway 1"
    noun, np_head = _counted(doc, phrase)
    cls = _noun_class(index, noun)
    if cls is None or (cls == "bare" and doc[phrase.end - 1].ent_type_ in _SUSPECT_ENTS):
        return None
    if phrase.qualifier == "year?":
        if cls in ("bare",) or noun is None or doc[phrase.end - 1].dep_ != "nummod":
            return None
        phrase.qualifier = "exact"
    value, low, high, qualifier = phrase.value, phrase.low, phrase.high, phrase.qualifier
    start_tok = phrase.start
    if qualifier == "exact":
        qual, q_start = _qualifier(doc, phrase.start)
        if qual:
            qualifier, start_tok = qual, q_start
        else:
            qualifier = _trailing_qualifier(doc, phrase.end) or qualifier
    end_tok = max(phrase.end, noun.i + 1) if noun is not None and noun.i >= phrase.start else phrase.end

    category, top, verb = _category(index, cls, noun, np_head)
    if category is None and cls == "bare":
        category = _toll_category(doc[phrase.end - 1])  # "the death toll rose to 45"
    summed = False
    # Coordinated people under a casualty frame are summed: "his wife and two daughters were killed".
    if (
        noun is not None
        and cls in ("person", "combatant", "captive")
        and (noun.dep_ == "conj" or any(c.dep_ == "conj" for c in noun.children))
    ):
        coordination = _sum_coordination(index, noun)
        if coordination is not None:
            total, s_start, s_end, first = coordination
            category, top, verb = _category(index, "person", first, first)
            if category in (None, "troops", "population"):
                return None
            value, low, high, qualifier = total, None, None, "exact"
            start_tok, end_tok = s_start, s_end
            consumed.update(range(s_start, s_end))
            noun, summed = first, True
    needs_category = None
    if category is None:
        # Only "less than 10,000 are foreigners" borrows its sentence's category.
        last_tok = doc[phrase.end - 1]
        copula = last_tok.dep_ in ("nsubj", "nsubjpass") and last_tok.head.lemma_ == "be"
        # "... 82 civilians, including 11 women and 13 children": a part shares the whole's category.
        part = any(t.lower_ in ("including", "among") for t in [noun.head if noun is not None else last_tok.head, last_tok.head])
        if cls in ("person", "bare", "nationals") and (copula or part):
            needs_category = cls
        else:
            return None

    span = doc[start_tok:end_tok]
    number_tok = doc[phrase.start]
    s_idx = index.sentence_of_token[number_tok.i]
    np_tokens = range(min(start_tok, noun.left_edge.i if noun is not None else start_tok), end_tok)
    counted = None
    if noun is not None and cls != "group":
        counted = noun.lemma_.lower()
        if summed and noun.lemma_.lower() in lx.KIN:
            counted = "civilian"  # a family counted together
        compounds = [c.lower_ for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        if compounds:
            counted = " ".join([*compounds, counted])
    group = _group_for(index, np_tokens, cls, category or "troops", verb, number_tok, noun)
    location = location_for(index, np_tokens, number_tok, exclude={group} if group is not None else set())
    figure = Figure(
        source_path=source_path,
        sentence_idx=s_idx,
        text=span.text,
        value=value,
        value_low=low,
        value_high=high,
        qualifier=qualifier,
        category=category or "",
        counted=counted,
        char_start=span.start_char,
        char_end=span.end_char,
        group_mention=group,
        location_mention=location,
        attributed_to=attribution_for(index, number_tok),
        is_cumulative=is_cumulative(index, number_tok, start_tok, category),
        is_contested=is_contested(index, number_tok),
    )
    return figure, needs_category
