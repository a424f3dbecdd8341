"""Run the spaCy pipeline over article bodies and turn Docs into sentence and mention rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.records import Mention, Sentence

# Numeric and temporal labels are not entities an analyst links (figures cover numbers).
NON_ENTITY_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def annotate_bodies(
    nlp: Language, items: Iterable[tuple[str, str]], *, n_process: int = 1, batch_size: int = 64
) -> Iterator[tuple[str, Doc]]:
    """Yield (key, Doc) for (key, body) pairs, streaming through `nlp.pipe` in batches."""
    pairs = ((body, key) for key, body in items)
    for doc, key in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield key, doc


def _trimmed(span: Span, text: str) -> tuple[int, int]:
    # `text` is doc.text, passed in: Doc.text rebuilds the whole string on every access.
    start, end = span.start_char, span.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def doc_sentences(source_path: str, doc: Doc) -> list[Sentence]:
    """Sentences with whitespace trimmed; whitespace-only 'sentences' are dropped."""
    # The parser sometimes cuts inside a name ("Mazar-e- | Sharif"): never split an entity.
    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        if spans and sent.start in inside:
            spans[-1] = (spans[-1][0], sent.end)
        else:
            spans.append((sent.start, sent.end))
    rows: list[Sentence] = []
    text = doc.text
    for first, last in spans:
        start, end = _trimmed(doc[first:last], text)
        if end > start:
            rows.append(Sentence(source_path, len(rows), start, end, text[start:end]))
    return rows


def sentence_index_of(sentences: list[Sentence], char_start: int) -> int:
    """Index of the sentence holding a character offset (the nearest preceding one)."""
    lo, hi = 0, len(sentences) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid].char_start <= char_start:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def doc_mentions(source_path: str, doc: Doc, sentences: list[Sentence]) -> list[Mention]:
    """Named-entity mentions (numeric labels excluded), with the gazetteer's canonical name when matched."""
    rows: list[Mention] = []
    text = doc.text
    for ent in doc.ents:
        if ent.label_ in NON_ENTITY_LABELS:
            continue
        start, end = _trimmed(ent, text)
        if end <= start:
            continue
        rows.append(
            Mention(
                source_path=source_path,
                sentence_idx=sentence_index_of(sentences, start),
                text=text[start:end],
                label=ent.label_,
                char_start=start,
                char_end=end,
                canonical_hint=ent.ent_id_ or None,
            )
        )
    return rows
