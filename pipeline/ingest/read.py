"""Reading one ingest unit into article records and quarantine rows."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.records import QuarantineRecord, RawRecord

from .access import disk_sha256, open_raw_file, sha256_of_stream
from .decode import bytes_to_text, decode_bytes
from .formats import detect_format, map_article
from .json_parse import parse_json_object
from .jsonl import split_jsonl
from .limits import IngestLimits
from .load import Loaded, load_content
from .problems import IngestProblem
from .sidecar import read_sidecar
from .sniff import binary_problem, binary_text_problem
from .units import IngestUnit

Result = RawRecord | QuarantineRecord


# IngestLimits is frozen, so one shared default instance is safe.
def read_unit(raw_dir: Path, unit: IngestUnit, limits: IngestLimits = IngestLimits()) -> list[RawRecord | QuarantineRecord]:
    """Read one unit (a main file plus optional sidecar) into records and quarantine rows.

    Never raises: every problem with the input becomes a `QuarantineRecord`
    whose detail says what is wrong and what to do. A .jsonl file yields one
    result per non-blank line; a broken sidecar yields the article (without its
    metadata) plus a quarantine row for the sidecar.
    """
    try:
        return _read_unit(Path(raw_dir), unit, limits)
    except Exception as exc:  # last resort: the contract says a file never crashes the run
        return [
            QuarantineRecord(
                path,
                None,
                "decode_error",
                f"{path} could not be read because of an unexpected error "
                f"({type(exc).__name__}: {exc}); report this as a pipeline bug "
                "and attach the file.",
            )
            for path in (unit.path, unit.sidecar)
            if path is not None
        ]


def _read_unit(raw_dir: Path, unit: IngestUnit, limits: IngestLimits) -> list[Result]:
    kind = detect_format(unit.path).kind
    if kind == "sidecar":
        return [_orphan_sidecar(raw_dir, unit.path)]
    results = _read_main(raw_dir, unit.path, kind, limits)
    if unit.sidecar is None:
        return results
    records = [result for result in results if isinstance(result, RawRecord)]
    if not records:
        return results + [_unused_sidecar(raw_dir, unit)]
    try:
        metadata = read_sidecar(raw_dir, unit.sidecar, limits)
    except IngestProblem as problem:
        # The article stands on its own; only its metadata is lost.
        detail = (
            f"{unit.sidecar} {problem.problem}, so {unit.path} was ingested without its metadata; "
            f"{problem.advice} to add the metadata."
        )
        return results + [QuarantineRecord(unit.sidecar, problem.content_sha256, problem.reason, detail)]
    for record in records:
        for name, value in metadata.items():
            if value is not None:
                setattr(record, name, value)
    return results


def _quarantine(source_path: str, subject: str, problem: IngestProblem, sha: str | None) -> QuarantineRecord:
    digest = problem.content_sha256 if problem.content_sha256 is not None else sha
    return QuarantineRecord(source_path, digest, problem.reason, problem.detail(subject))


def _read_main(raw_dir: Path, path: str, kind: str | None, limits: IngestLimits) -> list[Result]:
    try:
        loaded = load_content(raw_dir, path, limits)
    except IngestProblem as problem:
        return [_quarantine(path, path, problem, None)]
    if kind == "jsonl":
        return _read_jsonl(path, loaded, limits)
    try:
        return [_read_article(path, kind, loaded, limits)]
    except IngestProblem as problem:
        return [_quarantine(path, path, problem, loaded.disk_sha256)]


def _read_article(path: str, kind: str | None, loaded: Loaded, limits: IngestLimits) -> RawRecord:
    decoded = bytes_to_text(loaded.data, html=kind == "html")
    if kind == "text":
        return RawRecord(
            path,
            loaded.sha256,
            "text",
            text=_normalise_newlines(decoded.text),
            encoding=decoded.encoding,
        )
    if kind == "html":
        # Text and metadata extraction from HTML belong to the clean stage.
        return RawRecord(path, loaded.sha256, "html", html=decoded.text, encoding=decoded.encoding)
    record = parse_json_object(decoded.text, limits.max_json_depth, container="json")
    return _json_record(path, loaded.sha256, record, decoded.encoding)


def _json_record(source_path: str, sha: str, record: dict[str, Any], encoding: str) -> RawRecord:
    fields = map_article(record)
    return RawRecord(
        source_path,
        sha,
        "json",
        text=_normalise_newlines(fields.text) if fields.text is not None else None,
        html=fields.html,
        url=fields.url,
        title=fields.title,
        published=fields.published,
        publisher=fields.publisher,
        encoding=encoding,
    )


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_jsonl(path: str, loaded: Loaded, limits: IngestLimits) -> list[Result]:
    data = loaded.data
    try:
        # NUL bytes are left to the line they are on; magic numbers and a
        # flood of control bytes mean the whole file is not text.
        found = binary_problem(data, check_nul=False)
        if found:
            raise IngestProblem("binary", *found)
        lines = split_jsonl(data)
        if not lines:
            raise IngestProblem("empty", "has no non-blank lines", "re-export the records, one JSON object a line")
    except IngestProblem as problem:
        return [_quarantine(path, path, problem, loaded.disk_sha256)]
    hint = _file_encoding(data)
    results: list[Result] = []
    for line in lines:
        source_path = f"{path}#{line.number}"
        sha = hashlib.sha256(line.raw).hexdigest()
        try:
            if line.text is None:
                decoded = bytes_to_text(line.raw, hint=hint)
                text, encoding = decoded.text, decoded.encoding
            else:
                text, encoding = line.text, hint or "utf-8"
                found = binary_text_problem(text)
                if found:
                    raise IngestProblem("binary", *found)
            record = parse_json_object(text, limits.max_json_depth, container="jsonl")
            results.append(_json_record(source_path, sha, record, encoding))
        except IngestProblem as problem:
            results.append(_quarantine(source_path, f"line {line.number} of {path}", problem, sha))
    return results


def _file_encoding(data: bytes) -> str | None:
    """The encoding of a whole .jsonl file: a better basis for each line than the line alone."""
    try:
        return decode_bytes(data).encoding
    except IngestProblem:
        return None


def _orphan_sidecar(raw_dir: Path, path: str) -> QuarantineRecord:
    try:
        with open_raw_file(raw_dir, path) as handle:
            sha = sha256_of_stream(handle)
    except IngestProblem as problem:
        return _quarantine(path, path, problem, None)
    stem = detect_format(path).stem
    return QuarantineRecord(
        path,
        sha,
        "no_article_text",
        f"{path} is a metadata sidecar with no {stem}.txt or {stem}.html "
        "(.htm, optionally .gz) beside it, so there is no article to attach it to; "
        "add the article file or remove the sidecar.",
    )


def _unused_sidecar(raw_dir: Path, unit: IngestUnit) -> QuarantineRecord:
    assert unit.sidecar is not None
    return QuarantineRecord(
        unit.sidecar,
        disk_sha256(raw_dir, unit.sidecar),
        "no_article_text",
        f"{unit.sidecar} is the metadata sidecar of {unit.path}, which was quarantined, so it was "
        f"not used; fix {unit.path} and re-run.",
    )
