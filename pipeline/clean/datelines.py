"""Datelines: lines that only say when (or where) a story was filed.

"Friday 23/July/2021 - 06:25 PM", "Published: 12 March 2019, 10:02 GMT", "Mis à jour le 3 mars
2019 à 10h", "BAAR, SWITZERLAND". The text passes remove them from the body (kind `dateline`);
the date they give is read by `metadata.parse_datetime`. Wire datelines opening a story
("MOSUL, Iraq (Reuters) - ", `match_wire_dateline`) give the place and the agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAYS = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
# A line that is only a date (and maybe a time): "Friday 23/July/2021 - 06:25 PM",
# "Published: 12 March 2019, 10:02 GMT", "2021-07-23T18:25:00Z", "Nov 21, 2001".
_DATELINE = re.compile(
    rf"^\s*((published|updated|posted|first published|last updated|date)\s*(on|at)?\s*[:\-]?\s*)?"
    rf"({_WEEKDAYS}\s*)?"
    rf"(\d{{1,2}}(st|nd|rd|th)?[\s/.\-]+({_MONTHS}|\d{{1,2}})[\s/.\-,]+\d{{4}}"
    rf"|{_MONTHS}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}([T ]\d{{2}}:\d{{2}}(:\d{{2}})?(\.\d+)?(Z|[+\-]\d{{2}}:?\d{{2}})?)?)"
    rf"(\s*[,\-–—|@]?\s*(at\s*)?\d{{1,2}}[:.]\d{{2}}(:\d{{2}})?\s*([ap]\.?m\.?)?\s*([A-Z]{{2,4}}|[+\-]\d{{2}}:?\d{{2}})?)?\s*$",
    re.IGNORECASE,
)


# Date words in the languages scraped news most often comes in (for datelines such as
# "segunda-feira, 22 de janeiro de 2018 às 0:13" or "Mis à jour le 3 mars 2019 à 10h").
_DATE_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun am pm a m p gmt utc bst est edt cst cdt pst pdt cet cest ist
    updated published posted last modified on at by first
    janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro dezembro
    segunda terça terca quarta quinta sexta feira sábado sabado domingo de às as atualizado publicado em
    enero febrero marzo mayo junio julio septiembre setiembre octubre noviembre diciembre lunes martes
    miércoles miercoles jueves viernes del las la actualizado
    janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche le à mis jour publié h
    januar februar märz maerz juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag
    sonntag um uhr aktualisiert veröffentlicht am
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre il alle ore aggiornato
    """.split()
)
_UPDATED_TIME = re.compile(
    r"^\s*(updated|published|posted|last updated)\s*(at|on)?\s*[:\-]?\s*\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?\s*([A-Z]{2,4})?\.?\s*$",
    re.I,
)
# "BAAR, SWITZERLAND" or "KABUL, Afghanistan": a place dateline on a line of its own.
_PLACE_LINE = re.compile(r"^[A-Z][A-Z .'\-]{1,30},\s*[A-Z][A-Za-z .'\-]{1,30}$")


def is_dateline(line: str) -> bool:
    """True when the line holds nothing but a publication date (and maybe a time)."""
    if len(line) > 80:
        return False
    if _DATELINE.match(line) or _UPDATED_TIME.match(line):
        return True
    words = re.findall(r"[^\W\d_]+", line.lower())
    has_year = re.search(r"\b(19|20)\d{2}\b", line) is not None
    return has_year and len(words) <= 10 and all(w in _DATE_WORDS for w in words)


def is_place_dateline(line: str) -> bool:
    """ "BAAR, SWITZERLAND": an upper-case place name alone on a line, opening a story."""
    return bool(_PLACE_LINE.match(line.strip())) and line.split(",")[0].isupper()


@dataclass(frozen=True)
class WireDateline:
    """A wire dateline opening a story: "MOSUL, Iraq (Reuters) - " gives place "MOSUL, Iraq",
    agency "Reuters" (as written in the parentheses) and `end`, where the story's sentence starts.
    A place dateline without an agency ("KUNDUZ, Afghanistan — ") has agency None."""

    place: str
    agency: str | None
    end: int


_CAP_WORD = r"[A-Z][A-Za-z.'’\-]*"
_UPPER_WORD = r"[A-Z][A-Z.'’\-]+"
# The place: one to four upper-case words ("EL FASHER", "ST. JOSEPH"), or title-case words when
# a known agency follows ("Kabul (Reuters) -"); then maybe a region ("Iraq", "Calif.", "N.M.").
_WIRE_DATELINE = re.compile(
    rf"^(?P<place>(?P<upper>{_UPPER_WORD}(?:\s+{_UPPER_WORD}){{0,3}})|{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})"
    rf"(?P<region>,\s*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})?"
    rf"(?:,?\s*(?i:{_MONTHS}\s*\d{{1,2}}|\d{{1,2}}\s+{_MONTHS})(?:,?\s*\d{{4}})?)?"
    r"\s*\((?P<agency>[^()\n]{1,40})\)\s*(?:-{1,2}|[–—])\s*"
)
# A dateline without an agency: "KUNDUZ, Afghanistan — Hundreds of ...". Only an upper-case place
# WITH a region qualifies, and the story must go on with a capital: a bare "AJAX — Asynchronous
# JavaScript ..." or "KNIME — short for ..." opens many a page that is no dispatch.
_PLACE_DATELINE = re.compile(
    rf"^(?P<place>{_UPPER_WORD}(?:\s+{_UPPER_WORD}){{0,3}})(?P<region>,\s*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})"
    r"\s*(?:-{1,2}|[–—])\s+(?=[\"“‘'A-Z])"
)
# An agency named in the parentheses but unknown to `rules.AGENCIES`: capitalised words ("Tigris Wire").
_AGENCY_NAME = re.compile(r"^[A-Z][\w.&'’\-]*(?:\s+(?:[A-Z][\w.&'’\-]*|of|the|and|&))*$")


def match_wire_dateline(text: str, known_agencies: frozenset[str], max_agency_words: int = 4) -> WireDateline | None:
    """The wire dateline opening `text`, or None.

    The agency is one of `known_agencies` (lower-case keys) or, after an upper-case place, any
    name-like run of at most `max_agency_words` capitalised words; a title-case place needs a
    known agency, so "Prime Minister Boris Johnson (Conservative) - ..." is no dateline. Without
    parentheses, an upper-case place with its region ("KUNDUZ, Afghanistan —") is a dateline
    with no agency.
    """
    match = _WIRE_DATELINE.match(text)
    if not match:
        place_only = _PLACE_DATELINE.match(text)
        if place_only is None:
            return None
        return WireDateline(place=place_only.group("place") + place_only.group("region"), agency=None, end=place_only.end())
    agency = match.group("agency").strip()
    known = agency.lower() in known_agencies
    if not known and not (match.group("upper") and _AGENCY_NAME.match(agency) and len(agency.split()) <= max_agency_words):
        return None
    place = (match.group("place") + (match.group("region") or "")).strip()
    return WireDateline(place=place, agency=agency, end=match.end())
