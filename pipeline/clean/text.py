"""Text-level boilerplate removal: what survives inside article text after HTML extraction.

Works on paragraphs (one per line) split into sentence-sized segments, so chrome glued to a
real sentence is cut off without losing the sentence. Three signals, combined:
phrase/pattern rules (`rules.py`), position (the header zone before the story starts and the
tail after it ends) and repetition (a paragraph that repeats an earlier one).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.clean import metadata
from pipeline.clean.options import TEXT_PRESET, CleanOptions
from pipeline.clean.rules import RELATED_HEADER, RELATED_HEADER_ALONE, SEGMENT_RULES, WIRE_DATELINE
from pipeline.clean.segments import split_segments
from pipeline.records import BoilerplatePiece

_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_WORD = re.compile(r"[\w’'\-]+")
_NAME = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}"
# "By Owen Marsh, Lashkar Gah", "BY LAILA AHMADZAI and PETER QUINLAN ·": names only, no clause after them.
_BYLINE = re.compile(rf"^\s*(?:By|BY|by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,3}})\s*[,|·\-–—]?\s*[·|]?\s*$")


@dataclass
class TextCleanResult:
    """Body text with boilerplate removed, the removed pieces, and metadata found on the way."""

    body: str
    pieces: list[BoilerplatePiece] = field(default_factory=list)
    title: str | None = None
    published_at: datetime | None = None
    publisher: str | None = None
    agency: str | None = None
    byline: str | None = None
    unreadable_datelines: list[str] = field(default_factory=list)  # dated lines no date could be read from


@dataclass
class _Line:
    text: str
    kind: str | None = None  # boilerplate kind when the whole line goes
    segments: list[tuple[int, int, str | None]] = field(default_factory=list)  # (start, end, kind)
    role: str | None = None  # "title" when the line became the title

    @property
    def kept_text(self) -> str:
        if self.kind or self.role:
            return ""
        if not any(k for _, _, k in self.segments):
            return self.text
        return " ".join(self.text[a:b] for a, b, k in self.segments if k is None).strip()


def normalize_text(text: str) -> str:
    """Unify line endings and invisible characters so rules and offsets see one form of text."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return "\n".join(line.strip() for line in text.split("\n"))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_prose(text: str, options: CleanOptions) -> bool:
    """A paragraph that reads like article prose rather than a label, link or headline."""
    n = _words(text)
    return (n >= options.prose_min_words and bool(_TERMINAL.search(text))) or n >= options.prose_any_words


def _is_headline(text: str, options: CleanOptions) -> bool:
    n = _words(text)
    return options.headline_min_words <= n <= options.headline_max_words and not re.search(r"[.!?:;,]$", text)


def _is_short_label(text: str, options: CleanOptions) -> bool:
    """A short line without sentence punctuation: a link title, a name, a section label."""
    return _words(text) <= options.label_max_words and not re.search(r"[.!]$", text)


def _classify_segment(segment: str) -> str | None:
    for kind, pattern in SEGMENT_RULES:
        if pattern.search(segment):
            return kind
    return None


def _first_kind(kinds: list[str]) -> str:
    return Counter(kinds).most_common(1)[0][0]


def clean_text(
    text: str,
    *,
    title: str | None = None,
    title_variants: tuple[str, ...] = (),
    options: CleanOptions = TEXT_PRESET,
) -> TextCleanResult:
    """Remove publisher boilerplate from article text.

    `title` is the headline when the source already gives one (HTML, JSON, sidecar); a first
    line repeating it is dropped from the body. Without it, a headline-like first line becomes
    the title. `options` is `TEXT_PRESET` for plain text, `HTML_PRESET` for text extracted from a page.
    """
    lines = [_Line(t) for t in normalize_text(text).split("\n") if t.strip()]

    # 1. Rules, per segment; a line that is mostly boilerplate goes whole.
    for line in lines:
        spans = split_segments(line.text)
        line.segments = [(a, b, _classify_segment(line.text[a:b])) for a, b in spans]
        kinds = [k for _, _, k in line.segments if k]
        if kinds and (len(kinds) * 2 > len(line.segments) or not _is_prose(line.kept_text, options)):
            line.kind = _first_kind(kinds)
            line.segments = [(a, b, line.kind) for a, b, _ in line.segments]

    # 2. Appeals run over several paragraphs: fill the gap between two appeal lines.
    appeal_idx = [i for i, ln in enumerate(lines) if any(k == "donation_appeal" for _, _, k in ln.segments)]
    for a, b in zip(appeal_idx, appeal_idx[1:]):
        if 1 < b - a <= options.appeal_block_gap:
            for ln in lines[a + 1 : b]:
                if ln.kind is None and not any(k for _, _, k in ln.segments):
                    ln.kind = "donation_appeal"

    # 3. Related-link blocks: a header line and the short link-like lines after it.
    in_block = False
    for ln in lines:
        inline = RELATED_HEADER.match(ln.text)
        if ln.kind is None and (inline or RELATED_HEADER_ALONE.match(ln.text)):
            # "Related post: <title>" is one link; only a bare header ("Related stories:") opens a list.
            ln.kind = "related_links"
            in_block = not inline or not ln.text[inline.end() :].strip()
            continue
        if in_block:
            if ln.kind is None and _is_short_label(ln.text, options) and not _is_prose(ln.text, options):
                ln.kind = "related_links"
            elif ln.kind is None:
                in_block = False

    result = TextCleanResult(body="")

    # A line holding nothing but a date is a dateline wherever it stands ("Updated at 1:23 p.m.").
    for ln in lines:
        if ln.kind is None and metadata.is_dateline(ln.text):
            ln.kind = "dateline"
            ln.segments = [(a, b, "dateline") for a, b, _ in ln.segments]
            result.published_at = result.published_at or _dateline_date(ln.text, result)

    # Bylines ("By Laila Ahmadzai and Peter Quinlan", "By OWEN MARSH, Lashkar Gah") become a column.
    for ln in lines:
        match = _BYLINE.match(ln.text)
        if ln.kind is None and match and _words(ln.text) <= options.byline_max_words:
            ln.kind = "credit"
            ln.segments = [(a, b, "credit") for a, b, _ in ln.segments]
            result.byline = result.byline or match.group("names").strip(" ,·|-–—")

    # 4. Header zone (before the first prose paragraph): headline, dateline, publisher or byline.
    first_prose = next((i for i, ln in enumerate(lines) if ln.kind is None and _is_prose(ln.kept_text, options)), len(lines))
    norm_titles = [_norm(t) for t in (title, *title_variants) if t and _norm(t)]
    seen_title_or_date = False
    for ln in lines[:first_prose]:
        if ln.kind == "dateline":
            seen_title_or_date = True
        if ln.kind is not None:
            continue
        if norm_titles and _matches_title(_norm(ln.text), norm_titles, options):
            ln.role = "title"
            result.title = title
            seen_title_or_date = True
        elif metadata.is_dateline(ln.text) or metadata.is_place_dateline(ln.text):
            ln.kind = "dateline"
            result.published_at = result.published_at or _dateline_date(ln.text, result)
            seen_title_or_date = True
        elif (
            options.guess_title
            and result.title is None
            and title is None
            and _is_headline(ln.text, options)
            and first_prose < len(lines)
        ):
            ln.role = "title"
            result.title = ln.text
            seen_title_or_date = True
        elif (
            options.header_credits
            and seen_title_or_date
            and _is_short_label(ln.text, options)
            and _words(ln.text) <= options.header_credit_max_words
        ):
            ln.kind = "credit"
            if re.match(r"^by\s", ln.text, re.I):
                continue  # a byline, not the publisher
            if ln.text[:1].isupper() and result.publisher is None:
                result.publisher = ln.text.strip(" -–—|")

    # 5. Tail: after the last prose paragraph, short lines next to boilerplate are link lists.
    last_prose = max(
        (i for i, ln in enumerate(lines) if ln.kind is None and ln.role is None and _is_prose(ln.kept_text, options)), default=-1
    )
    tail_has_chrome = options.tail_links and any(ln.kind for ln in lines[last_prose + 1 :])
    if tail_has_chrome:
        for ln in lines[last_prose + 1 :]:
            if ln.kind is None and ln.role is None and _is_short_label(ln.text, options):
                ln.kind = "related_links"

    # 6. A wire dateline opening the story: "KABUL (Reuters) - ...".
    if first_prose < len(lines):
        lead = lines[first_prose]
        match = WIRE_DATELINE.match(lead.text)
        if match and not any(k for _, _, k in lead.segments):
            result.agency = metadata.agency_from_credit(match.group("agency"))
            prefix = lead.text[: match.end()]
            lead.text = lead.text[match.end() :]
            lead.segments = [(0, len(lead.text), None)]
            result.pieces.append(BoilerplatePiece(seq=-1, kind="dateline", text=prefix.strip()))

    # 7. Repetition: a paragraph printed twice (a repeated lede, a page scraped with its AMP copy).
    # Lines that recur three or more times are structure (recipe steps, interview questions).
    counts = Counter(_norm(ln.kept_text) for ln in lines if ln.kept_text)
    seen: set[str] = set()
    for ln in lines:
        kept = ln.kept_text
        if not kept:
            continue
        key = _norm(kept)
        if key in seen and counts[key] == 2 and _words(kept) >= options.min_repeat_words:
            ln.kind = "repeated_text"
            ln.segments = [(a, b, "repeated_text") for a, b, _ in ln.segments]
        seen.add(key)

    # Collect the body and the removed pieces in source order.
    paragraphs: list[str] = []
    pieces: list[BoilerplatePiece] = [p for p in result.pieces]
    for ln in lines:
        if ln.role == "title":
            continue
        if ln.kind:
            pieces.append(BoilerplatePiece(seq=0, kind=ln.kind, text=ln.text))
            continue
        for a, b, kind in ln.segments:
            if kind:
                pieces.append(BoilerplatePiece(seq=0, kind=kind, text=ln.text[a:b]))
        kept = ln.kept_text
        if kept:
            paragraphs.append(kept)
    for seq, piece in enumerate(pieces):
        piece.seq = seq
        if piece.kind == "credit" and result.agency is None:
            result.agency = metadata.agency_from_credit(piece.text)

    result.body = "\n\n".join(paragraphs)
    result.pieces = pieces
    removed = "\n".join(p.text for p in pieces)
    result.publisher = result.publisher or metadata.publisher_from_chrome(removed)
    return result


def _dateline_date(line: str, result: TextCleanResult) -> datetime | None:
    """The date a dateline gives; a line with a year but no readable date (`+99:00`) is listed."""
    parsed = metadata.parse_datetime(line)
    if parsed is None and re.search(r"\d{4}", line):
        result.unreadable_datelines.append(line)
    return parsed


def _matches_title(line: str, titles: list[str], options: CleanOptions) -> bool:
    """The line is the headline: equal to a known title, or the title minus a site suffix/prefix."""
    for t in titles:
        if line == t:
            return True
        if (
            len(line.split()) >= options.title_min_words
            and (t.startswith(line) or t.endswith(line))
            and len(line) >= options.title_min_share * len(t)
        ):
            return True
    return False


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()
