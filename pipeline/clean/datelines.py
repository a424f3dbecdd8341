"""Datelines: lines that only say when (or where) a story was filed.

"Friday 23/July/2021 - 06:25 PM", "Published: 12 March 2019, 10:02 GMT", "Mis à jour le 3 mars
2019 à 10h", "BAAR, SWITZERLAND". The text passes remove them from the body (kind `dateline`);
the date they give is read by `metadata.parse_datetime`.
"""

from __future__ import annotations

import re

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
