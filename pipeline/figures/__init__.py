"""Figures stage: numeric claims about people, forces and losses."""

from pipeline.figures.extract import extract_figures

__all__ = ["extract_figures"]
