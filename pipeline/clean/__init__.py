"""Clean stage: HTML to text, then text-level boilerplate removal and metadata extraction."""

from pipeline.clean.article import clean_record

__all__ = ["clean_record"]
