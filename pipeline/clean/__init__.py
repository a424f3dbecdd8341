"""Clean stage: one raw record to one clean article (body, removed boilerplate, metadata columns).

`article.clean_record` is the entry point. A page goes through `html` (four extractors vote on
the text, `page_metadata` reads the page's tags); every text then goes through
`text.clean_text` (named passes in `passes`, phrase rules in `rules`, datelines in `datelines`,
switches and thresholds in `options`); `metadata` reads and checks the metadata values.
`corpus` then removes paragraphs repeated across a publisher's articles of one run.

Imported lazily (PEP 562): the Dagster code location and a no-op run load this package's light
neighbours (`rules`, `corpus`) without importing the HTML extractors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "clean_record": "pipeline.clean.article",
}

if TYPE_CHECKING:
    from pipeline.clean.article import clean_record

__all__ = ["clean_record"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
