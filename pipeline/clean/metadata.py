"""Metadata values read and checked: publication dates, URLs, publisher names, wire agencies.

Values come from the source (JSON fields, sidecars), the page's tags (`page_metadata.py`) or
the text (datelines, credits). Every reader is total: a value it cannot read gives None, never
an exception. Known publishers (by domain, or by chrome only their pages carry) are listed in
`data/publishers.tsv`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from urllib.parse import SplitResult, urlsplit

from dateutil import parser as date_parser

from pipeline.clean.rules import AGENCIES

# Zone abbreviations news pages print, in seconds east of UTC (dateutil knows none of them).
_TZINFOS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "EST": -18000,
    "EDT": -14400,
    "CST": -21600,
    "CDT": -18000,
    "MST": -25200,
    "MDT": -21600,
    "PST": -28800,
    "PDT": -25200,
    "ET": -18000,
    "PT": -28800,
    "IST": 19800,
    "PKT": 18000,
    "AFT": 16200,
    "AST": 10800,
    "MSK": 10800,
    "JST": 32400,
    "AEST": 36000,
    "AEDT": 39600,
}


# Longest strings taken as a date, URL or publisher name. Longer ones are not metadata, and
# dateutil's fuzzy search over them would be slow. 2,048 is the sitemap protocol's URL limit.
MAX_DATE_CHARS = 200
MAX_URL_CHARS = 2048
MAX_PUBLISHER_CHARS = 200

# Invisible characters that have no place in a URL or a name: C0/C1 controls, and format
# characters (bidi overrides, zero-width spaces, BOM), which also make look-alike hosts.
# Zero-width (non-)joiners (\u200c, \u200d) are left alone: Persian and Indic names need them.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_YEAR = re.compile(r"\b(1[89]|20)\d{2}\b|\b(1[89]|20)\d{2}-\d")
# Years a TIMESTAMP column can hold and a news date can plausibly have.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a date as publishers write it; aware times become naive UTC.

    Total: any string that is not a plausible date (unparseable, a zone offset outside ±24 h, a
    year outside 1900-2100, too long) gives None, never an exception, so one bad date never
    costs the article its other fields or its body.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_DATE_CHARS:
        return None
    try:
        parsed = _parse_datetime(value.strip())
        return _to_naive_utc(parsed) if parsed is not None else None
    except Exception:  # noqa: BLE001 - dateutil and datetime raise ValueError, OverflowError, OSError, ...
        return None


def _parse_datetime(text: str) -> datetime | None:
    if re.fullmatch(r"\d{10}(\.\d+)?|\d{13}", text):  # Unix time in seconds or milliseconds
        seconds = float(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, timezone.utc)
    if not _YEAR.search(text):
        return None  # a time or weekday alone would be read as today's date
    text = re.sub(
        r"^\s*(published|updated|posted|first published|last updated|date)\s*(on|at)?\s*[:\-]?\s*", "", text, flags=re.I
    )
    # "23/July/2021 - 06:25 PM": slashes and dashes between parts confuse dateutil.
    if re.search(r"[A-Za-z]", text) and "/" in text:
        text = text.replace("/", " ")
    text = re.sub(r"\s[-–—|@]\s", " ", text)
    try:
        return date_parser.parse(
            text, fuzzy=True, tzinfos=_TZINFOS, dayfirst=bool(re.match(r"^\D*\d{1,2}[/.]\d{1,2}[/.]\d{4}", text))
        )
    except (ValueError, OverflowError, TypeError):
        return None


def _to_naive_utc(parsed: datetime) -> datetime | None:
    """Naive UTC, or None for an offset datetime cannot hold (+99:00) or an implausible year."""
    if parsed.tzinfo is not None:
        offset = parsed.utcoffset()  # raises ValueError for an offset of 24 h or more
        if offset is None:
            parsed = parsed.replace(tzinfo=None)
        else:
            parsed = parsed.replace(tzinfo=None) - offset
    if not (_FIRST_YEAR <= parsed.year <= _LAST_YEAR):
        return None
    return parsed


def clean_url(value: str | None) -> str | None:
    """The URL as given (stripped) when it is one, else None. Total: never raises.

    Relative references are kept as before; rejected are strings that `urllib` cannot split
    (`http://[x]/`, `http://[::1`, a port over 65535), that hold whitespace or invisible
    characters (which also make look-alike hosts), or that are longer than `MAX_URL_CHARS`.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_CHARS or _INVISIBLE.search(url) or re.search(r"\s", url):
        return None
    return url if _split(url) is not None else None


def _split(url: str) -> SplitResult | None:
    """`url` split into its parts (a bare "host/path" is read as a host), None when it cannot be."""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        parts.hostname, parts.port  # noqa: B018 - both raise ValueError on a malformed host or port
        return parts
    except ValueError:
        return None


def clean_publisher(value: str | None) -> str | None:
    """A publisher name as given (stripped, invisible characters removed), or None when it cannot
    be one. Total: never raises.

    A name is free text, brackets included ("Reuters [UK]"); rejected are strings with no
    letter or digit, longer than `MAX_PUBLISHER_CHARS`, or URLs whose host cannot be parsed.
    """
    if not isinstance(value, str):
        return None
    name = _INVISIBLE.sub("", value).strip()
    if not name or len(name) > MAX_PUBLISHER_CHARS or not re.search(r"[^\W_]", name):
        return None
    if "://" in name:
        parts = _split(name)
        if parts is None or not parts.hostname:
            return None
    return name


@lru_cache(maxsize=1)
def _publishers() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    rows = []
    text = resources.files("pipeline.clean").joinpath("data/publishers.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t") + ["", ""]
        name, domains, signatures = parts[0], parts[1], parts[2]
        rows.append(
            (
                name.strip(),
                tuple(d.strip().lower() for d in domains.split(",") if d.strip()),
                tuple(s.strip() for s in signatures.split("|") if s.strip()),
            )
        )
    return rows


def publisher_from_url(url: str | None) -> str | None:
    """Publisher name for a known news domain (www.independent.co.uk -> The Independent)."""
    parts = _split(url.strip()) if isinstance(url, str) and url.strip() else None
    host = (parts.hostname or "").lower() if parts is not None else ""
    if not host:
        return None
    for name, domains, _ in _publishers():
        if any(host == d or host.endswith("." + d) for d in domains):
            return name
    return None


def publisher_from_domain_name(value: str | None) -> str | None:
    """news-please's `source_domain` ("www.independent.co.uk") mapped to a name, else the name as
    given without "www." (None when it cannot be a publisher, see `clean_publisher`)."""
    name = clean_publisher(value)
    if name is None:
        return None
    return publisher_from_url(name) or clean_publisher(re.sub(r"^www\.", "", name))


def publisher_from_chrome(removed_text: str) -> str | None:
    """Publisher named by signatures in removed chrome ("Advertise with NZME" -> NZ Herald)."""
    for name, _, signatures in _publishers():
        if any(sig in removed_text for sig in signatures):
            return name
    return None


def agency_from_credit(text: str) -> str | None:
    """Wire agency named in a credit line ("- REUTERS", "(AP)") or None."""
    key = re.sub(r"[^a-z \-]", "", text.lower()).strip(" -")
    return AGENCIES.get(key)
