"""What a page declares about itself: title, canonical URL, publication date, author, site name.

Read from `<meta>` tags (Open Graph, Twitter, Dublin Core, publishers' own), JSON-LD
(`NewsArticle` and kin), `<link rel=canonical>`, `<title>`, the first
`<h1>` and the first byline element. The values are returned as the page gives them;
`clean.article` validates them (`clean.metadata`) and falls back to the text.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser


class _MetaParser(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical>, JSON-LD, the first <h1> and the text of the
    first byline element (class, itemprop or rel naming an author) from a page, nothing else."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.byline_parts: list[str] = []
        self._byline_tag: str | None = None
        self.jsonld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.canonical = self.canonical or a["href"].strip()
        elif (
            self._byline_tag is None
            and not self.byline_parts
            and re.search(
                r"\b(byline|author|article-author)\b", f"{a.get('class', '')} {a.get('itemprop', '')} {a.get('rel', '')}", re.I
            )
        ):
            self._byline_tag = tag
        elif tag == "title":
            self._in = "title"
        elif tag == "h1" and not self.h1_parts:
            self._in = "h1"
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in = "jsonld"

    def handle_endtag(self, tag: str) -> None:
        if tag == self._byline_tag:
            self._byline_tag = None
        if tag in ("title", "script") or (tag == "h1" and self._in == "h1"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._byline_tag is not None:
            self.byline_parts.append(data)
        if self._in == "title":
            self.title_parts.append(data)
        elif self._in == "h1":
            self.h1_parts.append(data)
        elif self._in == "jsonld":
            self.jsonld.append(data)


def _jsonld_fields(chunks: list[str]) -> dict[str, str]:
    """Headline, date, URL, author and publisher of the page's article-typed JSON-LD nodes (also
    under `@graph` and `mainEntity`), each from the first node that gives it."""
    found: dict[str, str] = {}

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(("Article", "NewsArticle", "Report", "BlogPosting")) for k in kinds):
                for key in ("headline", "datePublished", "url"):
                    if isinstance(node.get(key), str):
                        found.setdefault(key, node[key])
                author = node.get("author")
                authors = author if isinstance(author, list) else [author]
                names = [a.get("name") if isinstance(a, dict) else a for a in authors]
                names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
                if names:
                    found.setdefault("author", " and ".join(names))
                pub = node.get("publisher")
                if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                    found.setdefault("publisher", pub["name"])
            for key in ("@graph", "mainEntity"):
                if key in node:
                    visit(node[key])

    for chunk in chunks:
        try:
            visit(json.loads(chunk))
        except (ValueError, RecursionError):
            continue
    return found


def _byline_names(text: str) -> str | None:
    """ "By Laila Ahmadzai and Peter Quinlan · 28 September 2015" -> "Laila Ahmadzai and Peter Quinlan"."""
    text = re.split(r"\s[·|•]\s|\s[·|•]$|\s+-\s+|\bupdated\b|\bpublished\b", re.sub(r"\s+", " ", text).strip(), flags=re.I)[0]
    text = re.sub(r"^(by|written by)\s+", "", text.strip(), flags=re.I).strip(" ,·|")
    return text if text and len(text.split()) <= 12 and text[:1].isupper() else None


def page_metadata(html: str) -> dict:
    """Title (and the other headlines the page declares), canonical URL, publication date,
    author and site name, best source first; None where the page declares none."""
    parser = _MetaParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a malformed page still has whatever was parsed so far
        pass
    m = parser.meta
    ld = _jsonld_fields(parser.jsonld)
    candidates = [
        m.get("og:title"),
        m.get("twitter:title"),
        ld.get("headline"),
        unescape(" ".join(parser.title_parts)),
        " ".join(parser.h1_parts),
    ]
    candidates = [re.sub(r"\s+", " ", c).strip() for c in candidates if c and c.strip()]
    return {
        "title": candidates[0] if candidates else None,
        "title_variants": tuple(dict.fromkeys(c for c in candidates[1:] if c != candidates[0])),
        "url": parser.canonical or m.get("og:url") or ld.get("url"),
        "published": m.get("article:published_time")
        or ld.get("datePublished")
        or m.get("date")
        or m.get("pubdate")
        or m.get("dc.date")
        or m.get("sailthru.date")
        or m.get("parsely-pub-date"),
        "author": ld.get("author")
        or (m.get("author") if m.get("author") and "://" not in m.get("author", "") else None)
        or _byline_names(" ".join(parser.byline_parts)),
        "publisher": m.get("og:site_name") or ld.get("publisher") or m.get("application-name"),
    }
