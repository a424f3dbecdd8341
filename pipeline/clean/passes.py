"""The passes of `clean_text`, one class of boilerplate each, run in order over one `TextState`.

A pass marks whole lines (paragraphs) or sentence-sized segments of them with the boilerplate
kind it recognises, and may take metadata from what it marks (title, date, byline, agency).
Later passes leave marked lines alone, so the order in `text.PASSES` matters. The phrases and
patterns the passes match are in `rules.py`; their thresholds are in `options.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.clean import metadata
from pipeline.clean.captions import credit_kind
from pipeline.clean.datelines import is_dateline, is_place_dateline
from pipeline.clean.options import CleanOptions
from pipeline.clean.prefilter import RuleList
from pipeline.clean.prompts import prompt_kind
from pipeline.clean.rules import BYLINE, RELATED_HEADER, RELATED_HEADER_ALONE, SEGMENT_RULES
from pipeline.clean.segments import split_segments
from pipeline.clean.wire import note_kind
from pipeline.records import BoilerplatePiece

# The phrase rules with the literals each needs: most segments are skipped without running a regex.
_SEGMENT_RULES = RuleList(SEGMENT_RULES)
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_WORD = re.compile(r"[\w’'\-]+")


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
    dateline_place: str | None = None  # the place of a wire dateline ("MOSUL, Iraq")
    unreadable_datelines: list[str] = field(default_factory=list)  # dated lines no date could be read from


@dataclass
class Line:
    """One paragraph, its sentence-sized segments, and what the passes decided about them."""

    text: str
    kind: str | None = None  # boilerplate kind when the whole line goes
    segments: list[tuple[int, int, str | None]] = field(default_factory=list)  # (start, end, kind)
    is_title: bool = False  # the line is the headline: it leaves the body without being boilerplate

    @property
    def is_open(self) -> bool:
        """No pass has claimed the whole line yet."""
        return self.kind is None and not self.is_title

    @property
    def has_marked_segments(self) -> bool:
        """Some segment of the line is boilerplate."""
        return any(k for _, _, k in self.segments)

    @property
    def kept_text(self) -> str:
        """What the body keeps of the line so far."""
        if not self.is_open:
            return ""
        if not self.has_marked_segments:
            return self.text
        return " ".join(self.text[a:b] for a, b, k in self.segments if k is None).strip()

    def drop(self, kind: str) -> None:
        """The whole line is boilerplate of `kind`."""
        self.kind = kind
        self.segments = [(a, b, kind) for a, b, _ in self.segments]


@dataclass
class TextState:
    """The text being cleaned, shared by the passes: its lines, the options, the headline the
    source gives, and the result's metadata as the passes find it (body and pieces come last)."""

    lines: list[Line]
    options: CleanOptions
    title: str | None = None  # the headline the source gives
    titles: list[str] = field(default_factory=list)  # it and its variants, normalized (`norm`)
    result: TextCleanResult = field(default_factory=lambda: TextCleanResult(body=""))

    def is_prose(self, text: str) -> bool:
        """A paragraph that reads like article prose rather than a label, link or headline."""
        n = words(text)
        return (n >= self.options.prose_min_words and bool(_TERMINAL.search(text))) or n >= self.options.prose_any_words

    def is_headline(self, text: str) -> bool:
        """A few words with no closing punctuation: what a headline looks like."""
        n = words(text)
        return self.options.headline_min_words <= n <= self.options.headline_max_words and not re.search(r"[.!?:;,]$", text)

    def is_short_label(self, text: str) -> bool:
        """A short line without sentence punctuation: a link title, a name, a section label."""
        return words(text) <= self.options.label_max_words and not re.search(r"[.!]$", text)

    def first_prose(self) -> int:
        """Index of the first open prose line (where the story starts), or len(lines)."""
        return next((i for i, ln in enumerate(self.lines) if ln.is_open and self.is_prose(ln.kept_text)), len(self.lines))

    def take_date(self, line: str) -> None:
        """Until a publication date is known, a dateline gives it; a dated line no date can be
        read from (`+99:00`) is listed in `unreadable_datelines`."""
        if self.result.published_at is not None:
            return
        self.result.published_at = metadata.parse_datetime(line)
        if self.result.published_at is None and re.search(r"\d{4}", line):
            self.result.unreadable_datelines.append(line)


def words(text: str) -> int:
    """How many words the text has (runs of letters, digits, apostrophes and hyphens)."""
    return len(_WORD.findall(text))


def norm(text: str) -> str:
    """Casefolded words only: how lines are compared with titles and with each other."""
    return re.sub(r"\W+", " ", text.casefold()).strip()


def apply_phrase_rules(state: TextState) -> None:
    """Phrase and pattern rules (`rules.SEGMENT_RULES`) on every segment: donation appeals,
    subscription and comment prompts, read-more links, advertisement residue, share buttons,
    credits; then the feature rules for what the phrases miss: picture credits
    (`captions.credit_kind`), calls to action, teasers and disclosures (`prompts.prompt_kind`),
    wire notes (`wire.note_kind`). A line that is mostly boilerplate, or no prose without it,
    goes whole."""
    options = state.options
    for line in state.lines:
        line.segments = [(a, b, _rule_kind(line.text[a:b], options)) for a, b in split_segments(line.text)]
        kinds = [k for _, _, k in line.segments if k]
        if kinds and (len(kinds) * 2 > len(line.segments) or not state.is_prose(line.kept_text)):
            line.drop(Counter(kinds).most_common(1)[0][0])


def _rule_kind(segment: str, options: CleanOptions) -> str | None:
    """The kind of the first rule the segment matches (rule order decides between overlaps):
    phrase rules first, then the feature rules."""
    return (
        _SEGMENT_RULES.first_kind(segment)
        or credit_kind(segment)
        or prompt_kind(segment, options.cta_window_words, options.prompt_max_words)
        or note_kind(segment)
    )


def extend_donation_appeals(state: TextState) -> None:
    """Donation appeals run over several paragraphs ("Your support helps us...", a story, "Donate
    now"): unmarked lines between two appeal lines at most `appeal_block_gap` apart are appeal too."""
    appeal_lines = [i for i, ln in enumerate(state.lines) if any(k == "donation_appeal" for _, _, k in ln.segments)]
    for a, b in zip(appeal_lines, appeal_lines[1:]):
        if 1 < b - a <= state.options.appeal_block_gap:
            for ln in state.lines[a + 1 : b]:
                if ln.is_open and not ln.has_marked_segments:
                    ln.kind = "donation_appeal"


def mark_related_links(state: TextState) -> None:
    """Related-link blocks: a header ("Related stories:", "Most read") and the short link-like
    lines after it. "Related post: <title>" is one link; only a bare header opens a list."""
    in_block = False
    for ln in state.lines:
        inline = RELATED_HEADER.match(ln.text)
        if ln.is_open and (inline or RELATED_HEADER_ALONE.match(ln.text)):
            ln.kind = "related_links"
            in_block = not inline or not ln.text[inline.end() :].strip()
            continue
        if in_block:
            # A link title may be a question ("Who will make the Rock Hall in 2020?"): short, it is
            # still a title inside the block, though a question of eight words reads as prose.
            if ln.is_open and state.is_short_label(ln.text) and (not state.is_prose(ln.text) or ln.text.rstrip().endswith("?")):
                ln.kind = "related_links"
            elif ln.is_open:
                in_block = False


def mark_datelines(state: TextState) -> None:
    """A line holding nothing but a date is a dateline wherever it stands ("Updated at 1:23 p.m.");
    the first readable one gives the publication date."""
    for ln in state.lines:
        if ln.is_open and is_dateline(ln.text):
            ln.drop("dateline")
            state.take_date(ln.text)


def mark_bylines(state: TextState) -> None:
    """Bylines ("By Laila Ahmadzai and Peter Quinlan", "By OWEN MARSH, Lashkar Gah") are credits;
    the first gives the byline column."""
    for ln in state.lines:
        match = BYLINE.match(ln.text)
        if ln.is_open and match and words(ln.text) <= state.options.byline_max_words:
            ln.drop("credit")
            state.result.byline = state.result.byline or match.group("names").strip(" ,·|-–—")


def mark_header_zone(state: TextState) -> None:
    """Before the story starts (the first prose line): the headline, place datelines ("BAAR,
    SWITZERLAND") and, after a headline or dateline, short credit lines naming the publisher.

    A line equal to the given title (or one of its variants) leaves the body as the title; with
    no title given and `guess_title`, a headline-like line becomes it.
    """
    options, result = state.options, state.result
    first_prose = state.first_prose()
    seen_title_or_date = False
    for ln in state.lines[:first_prose]:
        if ln.kind == "dateline":
            seen_title_or_date = True
        if ln.kind is not None:
            continue
        if state.titles and _matches_title(norm(ln.text), state.titles, options):
            ln.is_title = True
            result.title = state.title
            seen_title_or_date = True
        elif is_dateline(ln.text) or is_place_dateline(ln.text):
            ln.kind = "dateline"
            state.take_date(ln.text)
            seen_title_or_date = True
        elif (
            options.guess_title
            and result.title is None
            and state.title is None
            and state.is_headline(ln.text)
            and first_prose < len(state.lines)
        ):
            ln.is_title = True
            result.title = ln.text
            seen_title_or_date = True
        elif (
            options.header_credits
            and seen_title_or_date
            and state.is_short_label(ln.text)
            and words(ln.text) <= options.header_credit_max_words
        ):
            ln.kind = "credit"
            if re.match(r"^by\s", ln.text, re.I):
                continue  # a byline, not the publisher
            if ln.text[:1].isupper() and result.publisher is None:
                result.publisher = ln.text.strip(" -–—|")


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


def mark_tail_links(state: TextState) -> None:
    """After the story ends (the last prose line), short lines are link lists when boilerplate
    is already marked there (`tail_links`)."""
    if not state.options.tail_links:
        return
    tail = state.lines[_last_prose(state) + 1 :]
    if any(ln.kind for ln in tail):
        for ln in tail:
            if ln.is_open and state.is_short_label(ln.text):
                ln.kind = "related_links"


def _last_prose(state: TextState) -> int:
    return max((i for i, ln in enumerate(state.lines) if ln.is_open and state.is_prose(ln.kept_text)), default=-1)


def drop_repeated_paragraphs(state: TextState) -> None:
    """A paragraph printed twice (a repeated lede, a page scraped with its AMP copy) goes the
    second time, unless shorter than `min_repeat_words`. Paragraphs that recur three or more
    times are structure (recipe steps, interview questions) and stay."""
    counts = Counter(norm(ln.kept_text) for ln in state.lines if ln.kept_text)
    seen: set[str] = set()
    for ln in state.lines:
        kept = ln.kept_text
        if not kept:
            continue
        key = norm(kept)
        if key in seen and counts[key] == 2 and words(kept) >= state.options.min_repeat_words:
            ln.drop("repeated_text")
        seen.add(key)
