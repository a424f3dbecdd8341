"""Opening and reading raw files safely (no outside links, no FIFOs, capped reads)."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from .paths import resolve_in_raw
from .problems import IngestProblem

CHUNK_SIZE = 1 << 16

# O_NONBLOCK keeps a FIFO swapped in after our stat() from hanging the run;
# O_NOFOLLOW refuses a symlink swapped in after the path was resolved.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def unreadable(exc: OSError) -> IngestProblem:
    """An `IngestProblem` for an OS error raised while reading a file."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM):
        advice = "check permissions"
    elif exc.errno == errno.ELOOP:
        advice = "fix or remove the symlink loop"
    else:
        advice = "check the file and the disk it is on"
    return IngestProblem("decode_error", f"could not be read: {reason}", advice)


def _vanished() -> IngestProblem:
    return IngestProblem(
        "decode_error",
        "disappeared during the run (it was moved or deleted after the raw folder was scanned)",
        "re-run the pipeline if the file should be ingested",
    )


def _directory_problem(real: str, lexical: str) -> IngestProblem:
    """Explain why a directory turned up as a unit (scan only lists unreadable or looping ones)."""
    if os.path.islink(lexical):
        return IngestProblem(
            "unsupported_type",
            "is a symlink to a folder that loops back to a folder above it, so it was not followed",
            "remove the link",
        )
    try:
        os.listdir(real)
    except OSError as exc:
        return unreadable(exc)
    return IngestProblem(
        "decode_error",
        "is a folder that could not be listed when the raw folder was scanned, but can be now",
        "re-run the pipeline to ingest the files inside it",
    )


def open_raw_file(raw_dir: Path | str, rel: str) -> BinaryIO:
    """Open regular file `rel` under `raw_dir` for binary reading.

    Raises `IngestProblem` (never `OSError`) when the path leads outside the raw
    folder, is missing, unreadable, a directory, or not a regular file.
    """
    real, lexical = resolve_in_raw(raw_dir, rel)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if os.path.islink(lexical):
            raise IngestProblem(
                "decode_error",
                "is a symlink whose target does not exist",
                "fix or remove the link",
            ) from None
        raise _vanished() from None
    except OSError as exc:
        raise unreadable(exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise _directory_problem(real, lexical)
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular()
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        raise _vanished() from None
    except OSError as exc:
        raise unreadable(exc) from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise _not_regular()
    return handle


def _not_regular() -> IngestProblem:
    return IngestProblem(
        "unsupported_type",
        "is not a regular file (it is a pipe, socket or device)",
        "remove it from the raw folder",
    )


def sha256_of_stream(handle: BinaryIO, prefix: bytes = b"") -> str:
    """Hex sha256 of `prefix` followed by the rest of `handle`, read in chunks."""
    digest = hashlib.sha256(prefix)
    for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
        digest.update(chunk)
    return digest.hexdigest()


def disk_sha256(raw_dir: Path | str, rel: str) -> str | None:
    """Hex sha256 of the bytes of `rel` as stored on disk; None when it cannot be read."""
    try:
        with open_raw_file(raw_dir, rel) as handle:
            return sha256_of_stream(handle)
    except (IngestProblem, OSError):
        return None
