"""Which side a figure belongs to: a group named in its phrase, the subject deploying it, or an armed group nearby."""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.figures import lexicon as lx
from pipeline.figures.categories import SIDED
from pipeline.figures.doc_index import DocIndex
from pipeline.records import Mention

_GROUP_LABELS = ("ORG", "NORP", "GPE")
# Force words and armed groups' names (`data/groups.json`) as whole words, any case.
_ARMED = re.compile(r"\b(" + "|".join(sorted(map(re.escape, lx.ARMED_WORDS))) + r")\b", re.I)


def group_for(
    index: DocIndex,
    np_tokens: range,
    cls: str,
    category: str,
    verb: Token | None,
    number_tok: Token,
    noun: Token | None = None,
) -> int | None:
    """The mention of the group the counted belong to: in the noun phrase, the deploying subject, or nearby."""
    named = _group_in_phrase(index, np_tokens, number_tok)
    if named is not None:
        return named
    if (
        cls not in ("combatant", "bare", "group")
        or (noun is not None and noun.lemma_.lower() in lx.STATE_FORCES)
        or category not in SIDED
    ):
        return None
    if verb is not None and category == "troops":
        deploying = _deploying_group(index, verb)
        if deploying is not None:
            return deploying
    return _nearby_armed_group(index, number_tok)


def _is_armed_group(name: str) -> bool:
    """A name that denotes a fighting side (armed groups' names and common force words)."""
    return bool(_ARMED.search(name))


def _group_in_phrase(index: DocIndex, np_tokens: range, number_tok: Token) -> int | None:
    """An organisation, nationality or country named in the noun phrase ("300 Taliban fighters"), in that order."""
    found: dict[str, int] = {}
    for i in np_tokens:
        m = index.mention_of_token.get(i)
        # A mention holding the number itself is a mis-tagged phrase ("BEIRUT - Thousands"), not a group.
        if m is not None and index.mentions[m].label in _GROUP_LABELS and index.mention_of_token.get(number_tok.i) != m:
            found.setdefault(index.mentions[m].label, m)
    for label in _GROUP_LABELS:
        if label in found:
            return found[label]
    return None


def _deploying_group(index: DocIndex, verb: Token) -> int | None:
    """An armed group in the subject of the verb that deploys the troops: "the Taliban sent 300 fighters"."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    ms = [index.mention_of_token[t.i] for t in subj.subtree if t.i in index.mention_of_token]
    orgs = [m for m in ms if index.mentions[m].label in ("ORG", "NORP") and _is_armed_group(index.mentions[m].text)]
    return orgs[-1] if orgs else None


def _nearby_armed_group(index: DocIndex, number_tok: Token) -> int | None:
    """The nearest armed group named before the number in its sentence, else in the five sentences before;
    organisations that only speak ("the Ministry of Defence said") are not sides."""
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


def _is_speaker(index: DocIndex, mention: Mention) -> bool:
    """The mention is (in) the subject of a speech verb: "the Ministry of Defence said"."""
    span = index.doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    while node.dep_ in ("compound", "pobj", "prep", "appos") and node.head != node:
        node = node.head
    return node.dep_ == "nsubj" and node.head.lemma_.lower() in lx.SPEECH_VERBS
