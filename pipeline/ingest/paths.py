"""Mapping raw-relative paths to disk paths without escaping the raw folder.

Raw-relative paths hold names escaped by `pipeline.textsafe.escape_name` (valid UTF-8 always);
`lexical_path` turns them back into the names on disk, so every access reads the real file.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.textsafe import os_name

from .problems import IngestProblem


def is_inside(path: str, root: str) -> bool:
    """True when absolute, normalised `path` is `root` or lies below it."""
    if path == root:
        return True
    prefix = root if root.endswith(os.sep) else root + os.sep
    return path.startswith(prefix)


def lexical_path(raw_dir: Path | str, rel: str) -> str:
    """The on-disk path of `rel` (POSIX separators, escaped names) under `raw_dir`, links unresolved."""
    return os.path.join(os.fspath(raw_dir), *(os_name(part) for part in rel.split("/")))


def resolve_in_raw(raw_dir: Path | str, rel: str) -> tuple[str, str]:
    """Resolve `rel` to a real path that is guaranteed to lie inside `raw_dir`.

    Returns `(real_path, lexical_path)`. Raises `IngestProblem` when the path, or
    a symlink on the way, leads outside the raw folder; the target is never
    opened in that case (only `realpath` looks at the link text).
    """
    root_abs = os.path.abspath(os.fspath(raw_dir))
    lexical = lexical_path(raw_dir, rel)
    if not is_inside(os.path.normpath(os.path.abspath(lexical)), root_abs):
        raise IngestProblem(
            "unsupported_type",
            "is a path outside the raw folder",
            "only files inside the raw folder can be ingested",
        )
    root_real = os.path.realpath(root_abs)
    real = os.path.realpath(lexical)
    if not is_inside(real, root_real):
        raise IngestProblem(
            "unsupported_type",
            "was not followed because the symlink points outside the raw folder",
            "copy the file into the raw folder instead",
        )
    return real, lexical
