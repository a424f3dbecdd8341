"""File formats by name, and mapping JSON records onto article fields."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .problems import IngestProblem

# Lower-cased extension (after stripping .gz) -> kind of content.
EXTENSIONS = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}
SIDECAR_SUFFIX = ".meta.json"
ARTICLE_KINDS = frozenset({"text", "html"})  # the kinds a sidecar can describe
SUPPORTED = ".txt, .html, .htm, .json, .jsonl (optionally .gz)"

# Contract names first, then news-please's: the first non-empty value wins.
TEXT_KEYS = ("text", "maintext")
HTML_KEYS = ("html",)
METADATA_KEYS: dict[str, tuple[str, ...]] = {
    "url": ("url",),
    "title": ("title",),
    "published": ("published", "date_publish"),
    "publisher": ("publisher", "source_domain"),
}


@dataclass(frozen=True)
class FileFormat:
    """What a file name says about its content."""

    kind: str | None  # "text", "html", "json", "jsonl", "sidecar", or None if unsupported
    compressed: bool  # the name ends in .gz
    stem: str  # file name without the format extension(s), case kept
    extension: str  # lower-cased extension as seen, e.g. ".pdf", ".tar.gz", "" if none


def detect_format(path: str) -> FileFormat:
    """Classify a raw file by its name (case-insensitive), e.g. `a/b.TXT.gz` -> text, compressed."""
    name = path.rsplit("/", 1)[-1]
    compressed = name.lower().endswith(".gz") and len(name) > len(".gz")
    base = name[: -len(".gz")] if compressed else name
    lower = base.lower()
    gz = ".gz" if compressed else ""
    if lower.endswith(SIDECAR_SUFFIX) and len(lower) > len(SIDECAR_SUFFIX):
        return FileFormat("sidecar", compressed, base[: -len(SIDECAR_SUFFIX)], SIDECAR_SUFFIX + gz)
    dot = lower.rfind(".")
    if dot <= 0:  # no extension, or a dot-file such as ".DS_Store"
        return FileFormat(None, compressed, base, gz)
    extension = lower[dot:]
    return FileFormat(EXTENSIONS.get(extension), compressed, base[:dot], extension + gz)


def _as_text(value: Any) -> str | None:
    """A metadata value as a stripped string: numbers are spelled out, others ignored."""
    if isinstance(value, str):
        return value.strip() or None
    # bool is an int subclass, but True is no sensible title or date.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = _as_text(record.get(key))
        if value is not None:
            return value
    return None


def map_metadata(record: dict[str, Any]) -> dict[str, str | None]:
    """`url`, `title`, `published`, `publisher` from a JSON record or sidecar (nulls ignored)."""
    return {name: _first(record, keys) for name, keys in METADATA_KEYS.items()}


@dataclass(frozen=True)
class ArticleFields:
    """The article content and metadata found in one JSON record."""

    text: str | None
    html: str | None
    url: str | None
    title: str | None
    published: str | None
    publisher: str | None


def _content(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    # Content must be a string: a number or list is not an article body.
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def map_article(record: dict[str, Any]) -> ArticleFields:
    """Map a JSON record onto article fields; raise `IngestProblem` when it has no text.

    `text`/`maintext` is used when present; `html` only when there is no text,
    so exactly one of `text` / `html` is set.
    """
    text = _content(record, TEXT_KEYS)
    html = None if text is not None else _content(record, HTML_KEYS)
    if text is None and html is None:
        raise IngestProblem(
            "no_article_text",
            "has no article text: none of the fields "
            + ", ".join(repr(key) for key in TEXT_KEYS + HTML_KEYS)
            + " holds a non-empty string"
            + _wrong_types(record, TEXT_KEYS + HTML_KEYS),
            "add the article text under 'text' (or the page under 'html')",
        )
    return ArticleFields(text=text, html=html, **map_metadata(record))


def _wrong_types(record: dict[str, Any], keys: tuple[str, ...]) -> str:
    """Mention content fields that are present but not strings, which is the likely mistake."""
    wrong = [
        f"{key!r} is {json_type(record[key])}" for key in keys if record.get(key) is not None and not isinstance(record[key], str)
    ]
    return f" ({', '.join(wrong)})" if wrong else ""


def json_type(value: Any) -> str:
    """JSON's name for the type of a parsed value, with an article: "an array", "a number"."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null"
