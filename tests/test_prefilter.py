"""The literal prefilter of the phrase rules gives exactly what running every regex gives."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from pipeline.clean.prefilter import RuleList, required_literals
from pipeline.clean.rules import SEGMENT_RULES
from pipeline.clean.segments import split_segments

DATA = Path(__file__).parent / "data"


def _sequential(text: str) -> str | None:
    return next((kind for kind, pattern in SEGMENT_RULES if pattern.search(text)), None)


def _texts() -> list[str]:
    """Labelled chrome and article lines, the bundled sample and the AEB fixtures' visible text."""
    lines = [ln.split("\t", 1)[1] for ln in (DATA / "chrome_lines.tsv").read_text().splitlines() if "\t" in ln and not ln.startswith("#")]
    root = Path(__file__).resolve().parents[1] / "raw"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".json", ".jsonl", ".html"):
            lines += path.read_text(errors="replace").splitlines()
    for path in sorted((DATA / "aeb").glob("*.html.gz")):
        lines += re.sub(r"<[^>]+>", "\n", gzip.decompress(path.read_bytes()).decode("utf-8", "replace")).splitlines()
    return [line[a:b] for line in lines for a, b in split_segments(line)]


TEXTS = _texts()


def test_the_corpus_exercises_the_rules() -> None:
    kinds = {_sequential(t) for t in TEXTS}
    assert len(TEXTS) > 2000 and len(kinds - {None}) >= 5


def test_first_kind_equals_trying_every_regex_in_order() -> None:
    rules = RuleList(SEGMENT_RULES)
    assert [rules.first_kind(t) for t in TEXTS] == [_sequential(t) for t in TEXTS]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\byour support helps\b", {"your support helps"}),
        (r"\b(donate|give) (now|today)\b", {"donate", "give"}),  # the more selective of the two required parts
        (r"^\s*ad(\s+\w)*$", None),  # "ad" is too short to be worth looking for
        (r"\bsign ?up (for|to)\b", {"sign"}),
        (r"(foo)?bar\w+", {"bar"}),  # an optional group promises nothing; the literal after it does
        (r"x+|yy", None),  # a branch without a literal of its own lets anything through
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(re.compile(pattern, re.IGNORECASE))
    assert (set(found) if found is not None else None) == expected


def test_case_and_unicode_folding_never_hide_a_match() -> None:
    rules = RuleList([("k", re.compile(r"\bstrasse\b|\bsubscribe\b", re.IGNORECASE))])
    for text in ("SUBSCRIBE today", "SubScribe", "Strasse 4", "an der STRASSE"):
        assert rules.first_kind(text) == "k"
    assert rules.first_kind("nothing here") is None
