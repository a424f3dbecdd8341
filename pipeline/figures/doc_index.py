"""Token-level lookups over one parsed article, shared by every figure rule."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.records import Mention, Sentence


class DocIndex:
    """A parsed article with its sentences and entity mentions, indexed by token."""

    def __init__(self, doc: Doc, sentences: list[Sentence], mentions: list[Mention]) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string on every access; read it once
        self.sentences = sentences
        self.mentions = mentions
        self.mention_of_token: dict[int, int] = {}
        char_to_token = {t.idx: t.i for t in doc}
        for m_idx, m in enumerate(mentions):
            span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
            if span is None:
                first = char_to_token.get(m.char_start)
                span = doc[first : first + 1] if first is not None else None
            if span is not None:
                for tok in span:
                    self.mention_of_token[tok.i] = m_idx
        self.sentence_of_token: list[int] = []
        s_idx = 0
        for tok in doc:
            while s_idx + 1 < len(sentences) and sentences[s_idx + 1].char_start <= tok.idx:
                s_idx += 1
            self.sentence_of_token.append(s_idx)

    def sentence_span(self, s_idx: int) -> Span:
        """The tokens of sentence `s_idx`."""
        s = self.sentences[s_idx]
        return self.doc.char_span(s.char_start, s.char_end, alignment_mode="expand")

    def mention_label(self, token: Token) -> str | None:
        """The entity label of the mention covering `token`, if any."""
        m = self.mention_of_token.get(token.i)
        return self.mentions[m].label if m is not None else None
