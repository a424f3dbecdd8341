"""Who the article says made a claim: "tribal leader Abdul Jabbar said", "according to the UN"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.doc_index import DocIndex

_QUOTES_OPEN = '"“'
_MAX_LOOKBACK = 4


def _np_text(index: DocIndex, head: Token) -> str | None:
    """A speaker's name: a PERSON inside the phrase wins, else the phrase minus a lower-case article."""
    tokens = [t for t in head.subtree if t.dep_ not in ("punct", "relcl", "acl", "advmod") and not t.is_space]
    tokens = [t for t in tokens if t.i <= head.i or t.dep_ in ("appos", "compound", "flat")]
    ms = [index.mention_of_token[t.i] for t in head.subtree if t.i in index.mention_of_token]
    persons = [m for m in ms if index.mentions[m].label == "PERSON"]
    if persons:
        return index.mentions[persons[-1]].text
    left = [t for t in tokens if t.i <= head.i and t.tag_ not in ("WDT", "WP", "WP$")]
    if not left:
        return None
    # Short prepositional qualifiers belong to the name: "defence ministry in Paris", "officials on both sides".
    end = head.i
    for child in head.children:
        if child.dep_ == "prep" and child.i == end + 1 and child.lower_ in ("in", "of", "on", "for", "from", "at"):
            sub = list(child.subtree)
            if len(sub) <= 6 and not any(t.pos_ == "VERB" or t.is_punct for t in sub):
                end = sub[-1].i
    tokens = list(index.doc[left[0].i : end + 1])
    if len(tokens) > 1 and (tokens[0].lower_ in ("a", "an") or (tokens[0].lower_ == "the" and not tokens[1].text[:1].isupper())):
        tokens = tokens[1:]
    text = index.doc[tokens[0].i : tokens[-1].i + 1].text.strip(" ,")
    return text or None


def _resolve(index: DocIndex, subj: Token, s_idx: int) -> str | None:
    """Pronouns and bare definite nouns ("the spokesman") resolved to an earlier, fuller speaker."""
    if subj.lower_ in lx.PRONOUNS:
        for back in range(s_idx - 1, max(-1, s_idx - 1 - _MAX_LOOKBACK), -1):
            speaker = _subject_person(index, back)
            if speaker:
                return speaker
        return None
    head_lemma = subj.lemma_.lower()
    modifiers = [c for c in subj.children if c.dep_ in ("compound", "amod", "poss", "appos")]
    if not modifiers and subj.pos_ == "NOUN":
        for back in range(s_idx - 1, max(-1, s_idx - 1 - _MAX_LOOKBACK * 2), -1):
            for tok in index.sentence_span(back):
                if tok.lemma_.lower() == head_lemma and any(c.dep_ in ("compound", "amod") for c in tok.children):
                    return _np_text(index, tok)
    return _np_text(index, subj)


def _subject_person(index: DocIndex, s_idx: int) -> str | None:
    """A PERSON that is the subject of the sentence's main or speech verb, outside quotes."""
    for tok in index.sentence_span(s_idx):
        if tok.dep_ != "nsubj" or not (tok.head.dep_ == "ROOT" or tok.head.lemma_.lower() in lx.SPEECH_VERBS):
            continue
        ms = [index.mention_of_token[t.i] for t in tok.subtree if t.i in index.mention_of_token]
        persons = [m for m in ms if index.mentions[m].label == "PERSON"]
        if persons and not _inside_quote(index, tok):
            return index.mentions[persons[-1]].text
    return None


def _inside_quote(index: DocIndex, tok: Token) -> bool:
    """The token sits inside an open quotation in its paragraph."""
    text = index.text
    para_start = text.rfind("\n", 0, tok.idx) + 1
    before = text[para_start : tok.idx]
    opens = sum(before.count(q) for q in "“") + before.count('"')
    closes = before.count("”")
    return (opens - closes) % 2 == 1 if "“" in before or '"' in before else False


def _speech_speaker(index: DocIndex, sent: Span, target: Token | None, s_idx: int) -> str | None:
    """The speaker of a sentence ("according to X", "X said"); with `target`, of the claim holding that token."""
    # "According to X".
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(index.doc) and index.doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in index.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _np_text(index, pobj)
    found: list[tuple[int, Token]] = []
    for tok in sent:
        if tok.lemma_.lower() not in lx.SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX"):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        if target is not None:
            # The claim is what the verb governs, not a clause merely coordinated with it.
            subtree = {t.i for t in tok.subtree} - {t.i for c in tok.children if c.dep_ == "conj" for t in c.subtree}
            if target.i not in subtree or target.i in {t.i for t in subj.subtree}:
                continue
            depth = sum(1 for _ in tok.ancestors)
        else:
            depth = 0
        found.append((depth, subj))
    if not found:
        return None
    # The innermost claim with a named speaker; a pronoun speaker defers to an outer named one.
    found.sort(key=lambda x: -x[0])
    named = [s for _, s in found if s.lower_ not in lx.PRONOUNS]
    subj = named[0] if named else found[0][1]
    return _resolve(index, subj, s_idx)


def attribution_for(index: DocIndex, number_tok: Token) -> str | None:
    """Who made the claim holding this number, or None when the article does not say."""
    s_idx = index.sentence_of_token[number_tok.i]
    sent = index.sentence_span(s_idx)
    speaker = _speech_speaker(index, sent, number_tok, s_idx)
    if speaker:
        return speaker
    # A quoted sentence with no speech verb: the speaker of the quote it belongs to, nearby.
    if _inside_quote(index, number_tok) or sent.text[:1] in _QUOTES_OPEN:
        for back in range(s_idx - 1, max(-1, s_idx - 1 - _MAX_LOOKBACK), -1):
            speaker = _speech_speaker(index, index.sentence_span(back), None, back)
            if speaker:
                return speaker
    return None
