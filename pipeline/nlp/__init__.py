"""NLP stage: the spaCy pipeline (loaded once per process), sentences and entity mentions.

Imported lazily (PEP 562): the Dagster code location and a no-op run load this package's light
neighbours without paying for spaCy and the HTML extractors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "annotate_bodies": "pipeline.nlp.annotate",
    "doc_mentions": "pipeline.nlp.annotate",
    "doc_sentences": "pipeline.nlp.annotate",
    "load_nlp": "pipeline.nlp.model",
    "resolve_model_name": "pipeline.nlp.model",
}

if TYPE_CHECKING:
    from pipeline.nlp.annotate import annotate_bodies
    from pipeline.nlp.annotate import doc_mentions
    from pipeline.nlp.annotate import doc_sentences
    from pipeline.nlp.model import load_nlp
    from pipeline.nlp.model import resolve_model_name

__all__ = ["annotate_bodies", "doc_mentions", "doc_sentences", "load_nlp", "resolve_model_name"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
