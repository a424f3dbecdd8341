"""Listing every file under the raw folder, without following links out of it."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.records import RawFile
from pipeline.textsafe import escape_name

from .paths import is_inside


def scan_raw_folder(raw_dir: Path) -> list[RawFile]:
    """List every file under `raw_dir`, recursively, sorted by path.

    Paths are relative to `raw_dir` with POSIX separators, each name escaped by
    `pipeline.textsafe.escape_name` (valid UTF-8 whatever the bytes on disk;
    `paths.lexical_path` maps them back). Nothing is skipped:
    hidden files, unknown types and symlinks are listed so that they can be
    quarantined. Directory symlinks are followed only when they stay inside
    `raw_dir` and do not loop; otherwise the link itself is listed. A
    sub-directory that cannot be listed is returned as a RawFile with size -1;
    files that vanish during the walk are left out. Raises OSError only when
    `raw_dir` itself cannot be listed.
    """
    root = os.path.abspath(os.fspath(raw_dir))
    root_real = os.path.realpath(root)
    found: list[RawFile] = []
    # Each entry: (path on disk, relative prefix, real paths of it and its ancestors).
    stack: list[tuple[str, str, frozenset[str]]] = [(root, "", frozenset({root_real}))]
    while stack:
        dir_path, prefix, ancestors = stack.pop()
        try:
            with os.scandir(dir_path) as iterator:
                entries = list(iterator)
        except FileNotFoundError:
            if not prefix:
                raise
            continue  # removed during the walk: nothing left to account for
        except OSError:
            if not prefix:
                raise
            found.append(_unreadable(dir_path, prefix.rstrip("/")))
            continue
        for entry in entries:
            rel = prefix + escape_name(entry.name)
            try:
                subdir = _subdirectory(entry, root_real, ancestors)
                if subdir is not None:
                    stack.append((entry.path, rel + "/", ancestors | {subdir}))
                else:
                    found.append(_stat_entry(entry, rel, root_real))
            except FileNotFoundError:
                continue  # vanished between listing and stat
            except OSError:
                found.append(_unreadable(entry.path, rel))
    found.sort(key=lambda raw_file: raw_file.path)
    return found


def _subdirectory(entry: os.DirEntry[str], root_real: str, ancestors: frozenset[str]) -> str | None:
    """The real path of a directory to descend into, or None to list the entry as a file."""
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        # Outside links are never followed; a link to an ancestor would loop forever.
        if is_inside(target, root_real) and target not in ancestors and os.path.isdir(target):
            return target
        return None
    if entry.is_dir(follow_symlinks=False):
        return os.path.realpath(entry.path)
    return None


def _stat_entry(entry: os.DirEntry[str], rel: str, root_real: str) -> RawFile:
    if entry.is_symlink():
        st = None
        if is_inside(os.path.realpath(entry.path), root_real):
            try:  # size and mtime of the target, so edits to it are noticed
                st = os.stat(entry.path)
            except OSError:
                st = None  # dangling or looping link: describe the link itself
        if st is None:
            st = os.lstat(entry.path)  # never stat a target outside the raw folder
    else:
        st = entry.stat(follow_symlinks=False)
    return RawFile(rel, st.st_size, st.st_mtime_ns)


def _unreadable(path: str, rel: str) -> RawFile:
    """A placeholder for something that could not be listed or stat'ed (size -1)."""
    try:
        mtime_ns = os.lstat(path).st_mtime_ns
    except OSError:
        mtime_ns = 0
    return RawFile(rel, -1, mtime_ns)
