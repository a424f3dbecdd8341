"""Grouping scanned files into ingest units: an article file plus its optional sidecar."""

from __future__ import annotations

import re

from dataclasses import dataclass

from pipeline.records import RawFile

from .formats import ARTICLE_KINDS, detect_format


@dataclass(frozen=True)
class IngestUnit:
    """One main file and the `NAME.meta.json` sidecar that describes it, if any.

    `files` holds the RawFile of the main file and then of the sidecar, so a
    later run can compare sizes and mtimes to spot changes cheaply.
    """

    path: str
    sidecar: str | None
    files: tuple[RawFile, ...]


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def group_units(files: list[RawFile]) -> list[IngestUnit]:
    """Pair each `NAME.txt` / `NAME.html` / `NAME.htm` (optionally .gz) with `NAME.meta.json[.gz]`.

    Every file ends up in exactly one unit. A sidecar with no article beside it
    (or a second sidecar for the same article) is a unit of its own, which
    `read_unit` quarantines. When one sidecar could serve several articles
    (`NAME.txt` and `NAME.html`), the first by path gets it. Sorted by path.
    """
    ordered = sorted(files, key=lambda raw_file: raw_file.path)
    sidecars: dict[tuple[str, str], RawFile] = {}
    for raw_file in ordered:
        fmt = detect_format(raw_file.path)
        if fmt.kind == "sidecar":
            sidecars.setdefault((_folder(raw_file.path), fmt.stem), raw_file)
    paired: set[str] = set()
    units: list[IngestUnit] = []
    for raw_file in ordered:
        fmt = detect_format(raw_file.path)
        if fmt.kind == "sidecar":
            continue
        sidecar = None
        if fmt.kind in ARTICLE_KINDS:
            candidate = sidecars.get((_folder(raw_file.path), fmt.stem))
            if candidate is not None and candidate.path not in paired:
                sidecar = candidate
                paired.add(candidate.path)
        if sidecar is None:
            units.append(IngestUnit(raw_file.path, None, (raw_file,)))
        else:
            units.append(IngestUnit(raw_file.path, sidecar.path, (raw_file, sidecar)))
    units.extend(
        IngestUnit(raw_file.path, None, (raw_file,))
        for raw_file in ordered
        if detect_format(raw_file.path).kind == "sidecar" and raw_file.path not in paired
    )
    units.sort(key=lambda unit: unit.path)
    return units


_JSONL_LINE = re.compile(r"^(.*\.jsonl(?:\.gz)?)#\d+$", re.IGNORECASE)


def unit_of(source_path: str) -> str:
    """The raw file a record came from ("feed.jsonl#3" -> "feed.jsonl"; "report#1.txt" stays itself)."""
    match = _JSONL_LINE.match(source_path)
    return match.group(1) if match else source_path
