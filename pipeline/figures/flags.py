"""Flags on a figure: a running total (`is_cumulative`) or a claim the article says is disputed (`is_contested`)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.figures import lexicon as lx
from pipeline.figures.categories import ACCUMULATING
from pipeline.figures.doc_index import DocIndex

_RUNNING = re.compile(
    r"\b(so far|to date|in total|altogether|cumulative|overall toll|since the (start|beginning|outbreak) of|"
    r"since the (war|conflict|fighting|offensive|invasion) (began|started|erupted)|bringing the (total|toll|number|tally))\b",
    re.I,
)
_SINCE = re.compile(
    r"\bsince (january|february|march|april|may|june|july|august|september|october|november|december|"
    r"(19|20)\d{2}|last year|the start)\b",
    re.I,
)


def is_cumulative(index: DocIndex, number_tok: Token, start_tok: int, category: str | None = None) -> bool:
    """A running total: "the death toll rose to 45", "a total of 300", "... so far this year"."""
    doc = index.doc
    before = " ".join(t.lower_ for t in doc[max(0, start_tok - 4) : start_tok])
    if re.search(r"\b(total|tally|toll) (of|to|at|reached|rose to|stands at)$", before) or before.endswith("a total of"):
        return True
    for anc in [number_tok, *number_tok.ancestors][:5]:
        if anc.lemma_.lower() in lx.TOTAL_NOUNS:
            return True
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lx.TOTAL_NOUNS for c in anc.children):
            return True
    if category not in ACCUMULATING:  # "8,000 fighters ... since July" is a strength
        return False
    sent = index.sentence_span(index.sentence_of_token[number_tok.i]).text
    return bool(_RUNNING.search(sent) or _SINCE.search(sent))


def is_contested(index: DocIndex, number_tok: Token) -> bool:
    """The article says the claim holding this number is denied or disputed ("claims denied by the Pentagon that 160 ...")."""
    sent = index.sentence_span(index.sentence_of_token[number_tok.i])
    for verb in sent:
        if verb.lemma_.lower() not in lx.CONTEST_VERBS:
            continue
        # The disputed claim: a clause the verb governs ("denied that 160 ..."), a claim-like object
        # ("rejected the figure of 300"), or the claim noun it qualifies ("claims denied by ... that 160 ...").
        scopes = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        scopes += [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in lx.CLAIM_NOUNS]
        if verb.dep_ in ("acl", "relcl", "amod") and verb.head.lemma_.lower() in lx.CLAIM_NOUNS:
            scopes.append(verb.head)
        # "claims denied by the Pentagon that 160 soldiers were shot": the parser often hangs the
        # that-clause elsewhere; a that-clause right after the verb phrase is the claim.
        after = max(t.i for t in verb.subtree) + 1
        if after < len(index.doc) and index.doc[after].lower_ == "that" and index.doc[after].dep_ == "mark":
            scopes.append(index.doc[after].head)
        if any(number_tok.i in {t.i for t in scope.subtree} for scope in scopes):
            return True
    return False
