"""The labelled pages `make bench-clean` scores: AEB and WCXB (L3S-GN1 is in `bench/l3s.py`).

A `Page` holds its reference text and where its HTML is; the site (registrable host name) decides
the dev/holdout split.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w\-:.]+)""", re.IGNORECASE)


def decode_page(raw: bytes) -> str:
    """The page's text: UTF-8 when it decodes, else the charset its <meta> declares, else cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(raw[:4096])
    for encoding in ((declared.group(1).decode("ascii", "replace"),) if declared else ()) + ("cp1252",):
        try:
            return raw.decode(encoding, errors="replace")
        except LookupError:
            continue
    return raw.decode("latin-1")


@dataclass
class Page:
    """One labelled page. `html` is read from `path` on demand (the sets hold ~900 pages)."""

    set: str
    id: str
    path: Path
    truth: str
    site: str
    url: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    gzipped: bool = True

    def html(self) -> str:
        if not self.gzipped:
            return decode_page(self.path.read_bytes())
        return gzip.decompress(self.path.read_bytes()).decode("utf-8", errors="replace")


# Second-level labels under which a country code hands out names (example.co.uk, example.com.au).
_SECOND_LEVEL = {"ac", "co", "com", "edu", "go", "gob", "gov", "mil", "ne", "net", "or", "org"}


def site_of(host: str) -> str:
    """The registrable part of a host name: www.news.example.co.uk -> example.co.uk.

    A short rule instead of the public suffix list: the last two labels, or the last three when
    the top level is a two-letter country code and the label before it is one of _SECOND_LEVEL.
    Subdomains of one organisation (health.ucdavis.edu, ucdavis.edu) and of one platform
    (a.substack.com, b.substack.com) share a template, so they are one site.
    """
    labels = [label for label in host.lower().strip().strip(".").split(":")[0].split(".") if label]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url.strip()).hostname or None
    except ValueError:
        return None


_PAGE_URL = re.compile(
    r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)|<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical"
    r"|<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)|<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*property=[\"']og:url",
    re.IGNORECASE,
)


def page_url_in_html(html: str) -> str | None:
    """The page's canonical link or og:url, if it declares one with a host."""
    for match in _PAGE_URL.finditer(html):
        url = next(g for g in match.groups() if g)
        if _host(url):
            return url
    return None


def page_site(url: str | None, page_id: str) -> str:
    """The site of a page's URL, or its id when the URL has no host."""
    host = _host(url)
    return site_of(host) if host else page_id


def load_aeb(data: Path) -> list[Page]:
    """AEB pages; the site comes from the ground truth's URL, else the page's canonical/og:url, else its id."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = data / "html" / f"{page_id}.html.gz"
        page = Page("aeb", page_id, path, truth[page_id].get("articleBody") or "", "", url=truth[page_id].get("url"))
        host = _host(page.url) or _host(page_url_in_html(page.html()))
        page.site = site_of(host) if host else page_id
        pages.append(page)
    return pages


def load_wcxb(data: Path) -> list[Page]:
    """WCXB pages, including the ones without main_content (they are in the split but never scored)."""
    domains = json.loads((data / "pages.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(domains):
        record = json.loads((data / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
        gt = record.get("ground_truth") or {}
        host = domains[page_id].get("domain") or _host(record.get("url"))
        pages.append(
            Page(
                "wcxb",
                page_id,
                data / "html" / f"{page_id}.html.gz",
                gt.get("main_content") or "",
                site_of(host) if host else page_id,
                url=record.get("url"),
                with_=list(gt.get("with") or []),
                without=list(gt.get("without") or []),
                tags=[str(t) for t in (record.get("_internal", {}).get("page_type", {}).get("tags") or [])],
            )
        )
    return pages
