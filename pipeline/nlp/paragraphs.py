"""spaCy component: a paragraph break always starts a new sentence.

Bodies separate paragraphs with a blank line; without this the parser sometimes runs a
headline-like paragraph into the next sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("news_paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Mark the first token after a whitespace token holding a line break as a sentence start."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
