"""Figures stage: numeric claims about people, forces and losses.

Imported lazily (PEP 562): the Dagster code location and a no-op run load this package's light
neighbours without paying for spaCy and the HTML extractors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "extract_figures": "pipeline.figures.extract",
}

if TYPE_CHECKING:
    from pipeline.figures.extract import extract_figures

__all__ = ["extract_figures"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
