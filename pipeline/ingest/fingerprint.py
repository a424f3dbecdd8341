"""A content fingerprint of an ingest unit, to tell whether it changed since the last run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .access import disk_sha256
from .units import IngestUnit


def unit_fingerprint(raw_dir: Path, unit: IngestUnit) -> str | None:
    """Hex sha256 over the main file's and the sidecar's bytes as stored on disk.

    Files are streamed in chunks, so size does not matter. Returns None when
    either file cannot be read or lies outside the raw folder (such a unit is
    quarantined on every run anyway).
    """
    digest = hashlib.sha256()
    for role, path in (("main", unit.path), ("sidecar", unit.sidecar)):
        if path is None:
            continue
        file_digest = disk_sha256(raw_dir, path)
        if file_digest is None:
            return None
        # Role-tagged digests: adding, removing or changing the sidecar changes the result.
        digest.update(f"{role} {file_digest}\n".encode("ascii"))
    return digest.hexdigest()
