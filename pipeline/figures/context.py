"""Whether a figure stands in conflict reporting: the article's or its own sentence's vocabulary.

Scrapes are never pure: a restaurant guide, a tax page or a product list has numbers before
nouns ("15 Best HR Consulting Firms", "Take one, leave one", "253 deaths" from overdoses) that the
frame rules would read as troops, captives or dead. A figure is kept when its article reads as
conflict reporting, that is `MIN_CUES` cues and `MIN_CUES_PER_1000_WORDS` per 1,000 words (the
labelled conflict articles have 44 or more, 99% of WCXB's general dev pages under 15), or when
its own sentence holds a cue ("thousands of soldiers marched"). Cues: the lemmas of
`data/conflict_cues.json`, the combatant and state-force nouns and the weapon nouns (the words of
armed groups' names are not: "state", "front" and "party" are everyday words).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.doc_index import DocIndex
from pipeline.records import Figure

# Conflict articles measured 44.7 to 148 cues per 1,000 words; general pages 0.6 (median) to 30.
MIN_CUES_PER_1000_WORDS = 20.0
# ... and at least this many cues, so one word in a 30-word page is no conflict article (they had 9+).
MIN_CUES = 3

_CUES = lx.CONFLICT_CUES | lx.COMBATANT | lx.STATE_FORCES | lx.WEAPON_NOUNS


def is_cue(token: Token) -> bool:
    """A word of armed conflict: its lemma or form is in the cue lists."""
    return token.lemma_.lower() in _CUES or token.lower_ in _CUES


def in_conflict_context(doc: Doc, index: DocIndex, figures: list[Figure]) -> list[Figure]:
    """The figures that stand in conflict reporting (see the module docstring)."""
    if not figures:
        return figures
    words = [t for t in doc if t.is_alpha]
    cue_sentences: set[int] = set()
    n_cues = 0
    for token in words:
        if is_cue(token):
            n_cues += 1
            cue_sentences.add(index.sentence_of_token[token.i])
    if n_cues >= MIN_CUES and 1000 * n_cues / max(1, len(words)) >= MIN_CUES_PER_1000_WORDS:
        return figures
    return [f for f in figures if f.sentence_idx in cue_sentences]
