"""Reading a `NAME.meta.json` sidecar: metadata for the article beside it."""

from __future__ import annotations

from pathlib import Path

from .decode import bytes_to_text
from .formats import map_metadata
from .json_parse import parse_json_object
from .limits import IngestLimits
from .load import load_content
from .problems import IngestProblem


def read_sidecar(raw_dir: Path | str, rel: str, limits: IngestLimits) -> dict[str, str | None]:
    """Return the sidecar's `url`, `title`, `published`, `publisher` (None when absent).

    Raises `IngestProblem` when the sidecar cannot be read or is not one JSON
    object; the problem carries the sidecar's on-disk digest when it was read.
    """
    loaded = load_content(raw_dir, rel, limits)
    try:
        decoded = bytes_to_text(loaded.data)
        record = parse_json_object(decoded.text, limits.max_json_depth, container="sidecar")
    except IngestProblem as problem:
        problem.content_sha256 = loaded.disk_sha256
        raise
    return map_metadata(record)
