"""Wire copy's own furniture: datelines, all-caps bylines, editorial notes, photo slugs,
contributor lines and syndication notes.

- `cut_wire_dateline`: "MOSUL, Iraq (Reuters) - " opening the story leaves the body (kind
  `dateline`); the agency and the place become columns and the sentence after it stays.
- `mark_wire_bylines`: "By JOHN SMITH Associated Press Writer" (kind `credit`, byline and agency).
- `note_kind`: per segment, "Eds: RECASTS with ...", photo ids ("NYJD101", "XYZ123-0456"),
  "Jane Doe contributed to this report." (kind `credit`).
- `mark_syndication_notes`: "This article was provided by ...", "Republished with permission"
  among the first or last lines of the text (kind `credit`); in the middle of a story such a
  sentence is more likely about a report than about the page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.clean import metadata
from pipeline.clean.datelines import match_wire_dateline
from pipeline.clean.rules import AGENCIES
from pipeline.clean.vocabulary import alternation

if TYPE_CHECKING:
    from pipeline.clean.passes import Line, TextState

_I = re.IGNORECASE
_KNOWN = frozenset(AGENCIES)
_UP = r"[A-Z][A-Z.'’\-]+"
_UP_NAME = rf"{_UP}(?:\s+{_UP}){{1,3}}"
# "By JOHN SMITH and JANE DOE, Associated Press Writers": all-caps names, then who they write for.
_WIRE_BYLINE = re.compile(
    rf"^\s*By\s+(?P<names>{_UP_NAME}(?:\s*(?:,|and|AND|&)\s*{_UP_NAME}){{0,3}})\s*,?\s*(?P<org>[A-Z][\w.'’&\-]*(?:\s+[\w.'’&\-]+){{0,5}})\s*$"
)
_ROLE = re.compile(r"\b(writers?|correspondents?|reporters?|staff|bureau|editors?)\b", _I)
# "Robert Burns, AP National Security Writer": a name, then an organisation and a newsroom role
# ending the line (no "By", any capitalisation).
_ROLE_BYLINE = re.compile(
    r"^\s*(?P<names>[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){1,3})\s*,\s*"
    r"(?P<org>[A-Z][\w.'’&\-]*(?:\s+[\w.'’&\-]+){0,5}?\s+(?:writers?|correspondents?|reporters?|editors?))\s*$",
    _I,
)
# "Eds: RECASTS with ...", "EDS: Updates with ...": the wire's note to editors.
_EDS = re.compile(r"^\W*(?:eds?|editors)\s*:\s*\S", _I)
# Photo and graphic ids: "NYJD101", "XYZ123-0456" (at least three digits, so "MH17" is no id).
_PHOTO_IDS = re.compile(r"^\W*(?:[A-Z]{2,8}\d{3,8}(?:-\d{1,6})?[\s,;]*){1,6}$")
# Wire story slugs: "AP-US--Trump-Impeachment, 4th Ld-Writethru", "BC-EU--Britain-Brexit-Election": a
# service and desk code, a keyword slug of hyphen-joined capitalised words, maybe a write-through count.
_SLUG = re.compile(
    r"^\W*(?:[A-Z]{2,4}-[A-Z]{2,5}-{1,2}[A-Z][\w'’]*(?:-[\w'’]+)*(?:\s*,\s*(?:\d+(?:st|nd|rd|th)\s+)?(?:Ld-)?Writethru)?"
    r"|(?:\d+(?:st|nd|rd|th)\s+)?Ld-Writethru)\W*$"
)
_REPORTED = re.compile(r"\b(said|says|told|according to)\b", _I)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Contributor and syndication shapes, built from the vocabulary once."""
    noun, verb = alternation("self_noun"), alternation("publish_verb")
    return {
        # "Jane Doe in Kabul contributed to this report.", "Reuters' John Smith contributed reporting from Basra."
        "contributed": re.compile(
            rf"^[\W]*[A-Z].{{0,300}}?\bcontributed\s+(?:(?:additional\s+)?reporting|to\s+(?:this|the)\s+{noun})"
            r"(?:\s+(?:from|in)\s+[A-Z][^.!?]{0,60})?[.!]?\s*$",
            _I,
        ),
        # "This article was provided by ...", "This story originally appeared on ...", "A version of this story ...".
        "syndication": re.compile(
            rf"^\W*(?:this|a version of this|portions of this)\s+{noun}\s+(?:(?:was|is|has been|had been|were|first|originally)\s+)*{verb}\b",
            _I,
        ),
        "permission": re.compile(r"^\W*(?:republished|reprinted|reproduced|used|published)\s+(?:here\s+)?with\s+(?:the\s+)?(?:kind\s+)?permission\b", _I),
    }


def note_kind(segment: str) -> str | None:
    """`credit` for a note to editors, a line of photo ids, a wire slug, or a contributor line."""
    if _EDS.match(segment) or _PHOTO_IDS.match(segment) or _SLUG.match(segment):
        return "credit"
    if len(segment.split()) <= 40 and _patterns()["contributed"].match(segment):
        return "credit"
    return None


def cut_wire_dateline(state: TextState) -> None:
    """A wire dateline opening one of the story's first lines leaves the body (kind `dateline`)
    and gives the agency (known agencies normalised, others as written) and the place; the
    sentence after it stays. The dateline may stand on a line of its own, and the line it opens
    may have other chrome marked in it."""
    seen_prose = 0
    for ln in state.lines:
        if not ln.is_open:
            continue
        start = next((a for a, _, k in ln.segments if k is None), 0)
        found = match_wire_dateline(ln.text[start:], _KNOWN, state.options.agency_max_words)
        if found is not None:
            _cut(ln, start, start + found.end)
            if found.agency:
                state.result.agency = metadata.agency_from_credit(found.agency) or found.agency
            state.result.dateline_place = found.place
            return
        if state.is_prose(ln.kept_text):
            seen_prose += 1
            if seen_prose >= state.options.wire_dateline_lines:
                return


def _cut(ln: Line, start: int, end: int) -> None:
    """Mark the characters `start:end` of the line as one dateline segment; the segments it
    overlaps keep what follows it."""
    while end > start and ln.text[end - 1].isspace():
        end -= 1
    segments = [(a, b, k) for a, b, k in ln.segments if b <= start]
    segments.append((start, end, "dateline"))
    for a, b, k in ln.segments:
        if b <= start:
            continue
        a = max(a, end)
        while a < b and ln.text[a].isspace():
            a += 1
        if a < b:
            segments.append((a, b, k))
    ln.segments = segments
    if not any(k is None for _, _, k in segments):
        ln.kind = "dateline"


def mark_wire_bylines(state: TextState) -> None:
    """"By JOHN SMITH, Associated Press Writer": all-caps names followed by an agency or a wire
    role, or "Robert Burns, AP National Security Writer": a name, an organisation and a role. The
    line is a credit; the names give the byline and a known agency the agency."""
    for ln in state.lines:
        match = (_WIRE_BYLINE.match(ln.text) or _ROLE_BYLINE.match(ln.text)) if ln.is_open else None
        if not match:
            continue
        org = match.group("org")
        named = [k for k in sorted(_KNOWN, key=len, reverse=True) if re.search(rf"\b{re.escape(k)}\b", org, _I)]
        agency = AGENCIES[named[0]] if named else None
        if agency is None and not _ROLE.search(org):
            continue
        ln.drop("credit")
        state.result.byline = state.result.byline or match.group("names").strip()
        state.result.agency = state.result.agency or agency


def mark_syndication_notes(state: TextState) -> None:
    """Syndication notes ("This article was provided by ...", "Republished with permission")
    among the first or last `note_edge_lines` open lines go whole (kind `credit`)."""
    open_lines = [ln for ln in state.lines if ln.is_open and ln.kept_text]
    edge = state.options.note_edge_lines
    p = _patterns()
    for ln in {id(x): x for x in open_lines[:edge] + open_lines[-edge:]}.values():
        text = ln.kept_text
        if len(text.split()) > state.options.note_max_words or _REPORTED.search(text):
            continue
        if p["syndication"].match(text) or p["permission"].match(text):
            ln.drop("credit")
