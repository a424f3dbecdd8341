"""Resource limits for reading raw files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    """Caps that keep one hostile or broken file from exhausting the run.

    `max_bytes` applies both to a file's size on disk and to the decompressed
    size of a `.gz` file (so a gzip bomb is stopped early). `max_json_depth`
    bounds how deeply a JSON record may nest.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_json_depth: int = 64
