"""NLP stage: the spaCy pipeline (loaded once per process), sentences and entity mentions."""

from pipeline.nlp.annotate import annotate_bodies, doc_mentions, doc_sentences
from pipeline.nlp.model import load_nlp, resolve_model_name

__all__ = ["annotate_bodies", "doc_mentions", "doc_sentences", "load_nlp", "resolve_model_name"]
