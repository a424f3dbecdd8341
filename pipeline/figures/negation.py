"""Figures of zero: "No civilians were killed", "none of the soldiers was hurt", "nobody was injured"."""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.figures.attribution import attribution_for
from pipeline.figures.categories import NEGATABLE
from pipeline.figures.counted import noun_class
from pipeline.figures.doc_index import DocIndex
from pipeline.figures.frames import category_for
from pipeline.records import Figure


def negated_figures(index: DocIndex, source_path: str) -> list[Figure]:
    """Every negated count of people in the article, as a figure of value 0 with `is_negated`."""
    doc = index.doc
    found: list[Figure] = []
    for tok in doc:
        negated = _negated_phrase(tok)
        if negated is None:
            continue
        noun, np_head, start, end = negated
        cls = noun_class(index, noun) if noun is not None else "person"
        if cls not in ("person", "combatant", "population", "captive", "group"):
            continue
        category, _ = category_for(cls, noun, np_head)
        if category not in NEGATABLE:
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


def _negated_phrase(tok: Token) -> tuple[Token | None, Token, int, int] | None:
    """(counted noun, phrase head, first token, end token) of a negation starting at `tok`:
    "no civilians", "none of the soldiers", "no one", "nobody"."""
    doc = tok.doc
    low = tok.lower_
    if low == "no" and tok.dep_ == "det" and tok.head.pos_ == "NOUN":
        return tok.head, tok.head, tok.i, tok.head.i + 1
    if low in ("none", "nobody") or (low == "one" and tok.i > 0 and doc[tok.i - 1].lower_ == "no"):
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        start = tok.i - 1 if low == "one" else tok.i
        end = (pobj.i + 1) if pobj is not None else tok.i + 1
        return pobj, tok, start, end
    return None
