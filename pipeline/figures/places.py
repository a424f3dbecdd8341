"""Where a figure happened: a place in its noun phrase, its sentence, or the sentences just before."""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.figures import lexicon as lx
from pipeline.figures.doc_index import DocIndex

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _usable(index: DocIndex, m_idx: int, exclude: set[int]) -> bool:
    """A place mention that can be where a figure happened (not a side: "US jets", "Afghan forces")."""
    m = index.mentions[m_idx]
    if m_idx in exclude or m.label not in PLACE_LABELS:
        return False
    span = index.doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
    root = span.root if span is not None else None
    # "US jets", "Afghan forces": a place name used as a modifier names a side, not a place.
    if root is None:
        return True
    first = root
    while first.dep_ == "conj" and first.head != first:
        first = first.head
    if first.dep_ == "appos" and index.mention_label(first.head) not in PLACE_LABELS:
        return False  # "foreigners - Arabs, Pakistanis, Chechens": people, not places
    return root.dep_ not in ("compound", "amod", "nmod")


def _is_locative(index: DocIndex, m_idx: int) -> bool:
    """The mention follows a locative word: "in Kunduz", "near Kabul", "the outskirts of Kabul", "Kabul's"."""
    m = index.mentions[m_idx]
    span = index.doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ == "poss":
        return True
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ == "of":
            return prep.head.lemma_.lower() in lx.LOCATIVE_OF_NOUNS
        return prep.lower_ in lx.LOCATIVE_PREPOSITIONS
    return False


def _root_index(index: DocIndex, m_idx: int) -> int | None:
    m = index.mentions[m_idx]
    span = index.doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
    return span.root.i if span is not None else None


def location_for(index: DocIndex, np_tokens: range, number_tok: Token, exclude: set[int]) -> int | None:
    """Index of the place mention for a figure, or None when the article does not say."""
    for i in np_tokens:
        m = index.mention_of_token.get(i)
        if m is not None and index.mentions[m].label in PLACE_LABELS and m not in exclude:
            return m
    s_idx = index.sentence_of_token[number_tok.i]
    in_sentence = [k for k, m in enumerate(index.mentions) if m.sentence_idx == s_idx and _usable(index, k, exclude)]
    if in_sentence:
        # Prefer places in the figure's own clause, then places after a locative preposition.
        clause = number_tok
        while clause.pos_ not in ("VERB", "AUX") and clause.head != clause:
            clause = clause.head
        in_clause = {t.i for t in clause.subtree}
        own = [k for k in in_sentence if _root_index(index, k) in in_clause] or in_sentence
        locative = [k for k in own if _is_locative(index, k)] or own
        return min(locative, key=lambda k: abs(index.mentions[k].char_start - number_tok.idx))
    # Look back up to three sentences: the nearest sentence naming a place below country level.
    for back in range(s_idx - 1, max(-1, s_idx - 4), -1):
        found = [k for k, m in enumerate(index.mentions) if m.sentence_idx == back and _usable(index, k, exclude)]
        specific = [k for k in found if index.mentions[k].text.casefold() not in lx.COUNTRIES]
        if specific:
            return specific[-1]
    return None
