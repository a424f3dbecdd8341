"""Reading a raw file's content within the size limits, decompressing .gz."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .access import open_raw_file, sha256_of_stream
from .formats import SUPPORTED, detect_format
from .gzip_cap import GzipCorrupt, GzipTooLarge, gunzip_capped
from .limits import IngestLimits
from .problems import IngestProblem


@dataclass(frozen=True)
class Loaded:
    """A raw file's content, decompressed."""

    data: bytes  # content after gunzip (the file bytes when not compressed)
    sha256: str  # hex digest of `data`
    disk_sha256: str  # hex digest of the bytes as stored on disk


def load_content(raw_dir: Path | str, rel: str, limits: IngestLimits) -> Loaded:
    """Read `rel` under `raw_dir`, enforcing the supported types and size limits.

    Raises `IngestProblem` for anything that keeps the bytes from being read:
    unsupported type, access problems, `too_large`, and corrupt gzip. Problems
    found after the file was opened carry the on-disk digest.
    """
    fmt = detect_format(rel)
    with open_raw_file(raw_dir, rel) as handle:
        if fmt.kind is None:
            what = f"has extension {fmt.extension}" if fmt.extension else "has no file extension"
            raise IngestProblem(
                "unsupported_type",
                f"{what}; supported: {SUPPORTED}",
                "convert it to a supported format or move it out of the raw folder",
                sha256_of_stream(handle),
            )
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_bytes:  # checked before reading, so a huge file is never loaded
            raise _too_large(f"is {size:,} bytes", limits, sha256_of_stream(handle))
        raw = handle.read(limits.max_bytes + 1)
        if len(raw) > limits.max_bytes:  # it grew after the size check
            raise _too_large("grew past the size limit while it was read", limits, sha256_of_stream(handle, raw))
    disk_sha = hashlib.sha256(raw).hexdigest()
    if not fmt.compressed or not raw:
        return Loaded(raw, disk_sha, disk_sha)
    try:
        data = gunzip_capped(raw, limits.max_bytes)
    except GzipTooLarge:
        raise _too_large("decompresses to more bytes than allowed", limits, disk_sha) from None
    except GzipCorrupt as exc:
        raise IngestProblem(
            "parse_error",
            f"cannot be decompressed: gzip stream is truncated or corrupt: {exc}",
            "re-download or re-compress it (or drop .gz from the name if it is not compressed)",
            disk_sha,
        ) from None
    return Loaded(data, hashlib.sha256(data).hexdigest(), disk_sha)


def _too_large(what: str, limits: IngestLimits, disk_sha: str) -> IngestProblem:
    return IngestProblem(
        "too_large",
        f"{what}, more than the limit of {limits.max_bytes:,} bytes",
        "split it into smaller files or raise IngestLimits.max_bytes",
        disk_sha,
    )
