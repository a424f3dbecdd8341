"""Entities stage: canonical entities across the warehouse, with stable ids."""

from pipeline.entities.resolve import CanonicalEntity, resolve_entities

__all__ = ["CanonicalEntity", "resolve_entities"]
