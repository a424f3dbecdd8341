"""HTML page to article text: boilerpy3 for the content blocks, the page's own tags for metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from boilerpy3 import extractors

from pipeline.records import BoilerplatePiece


@dataclass
class HtmlExtract:
    """What an HTML page yields before text-level cleaning."""

    text: str
    n_chars: int  # all visible text blocks of the page, content or not
    chrome: list[BoilerplatePiece] = field(default_factory=list)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None


class _MetaParser(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical> and JSON-LD from a page, nothing else."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title_parts: list[str] = []
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
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in = "jsonld"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title_parts.append(data)
        elif self._in == "jsonld":
            self.jsonld.append(data)


def _jsonld_fields(chunks: list[str]) -> dict[str, str]:
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


def page_metadata(html: str) -> dict[str, str | None]:
    """Title, canonical URL, publication date and site name declared by the page."""
    parser = _MetaParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a malformed page still has whatever was parsed so far
        pass
    m = parser.meta
    ld = _jsonld_fields(parser.jsonld)
    title = (
        m.get("og:title")
        or m.get("twitter:title")
        or ld.get("headline")
        or unescape(" ".join(parser.title_parts)).strip()
        or None
    )
    return {
        "title": re.sub(r"\s+", " ", title).strip() if title else None,
        "url": parser.canonical or m.get("og:url") or ld.get("url"),
        "published": m.get("article:published_time")
        or ld.get("datePublished")
        or m.get("date")
        or m.get("pubdate")
        or m.get("dc.date")
        or m.get("sailthru.date")
        or m.get("parsely-pub-date"),
        "publisher": m.get("og:site_name") or ld.get("publisher") or m.get("application-name"),
    }


_EXTRACTOR = extractors.ArticleExtractor(raise_on_failure=False)


def html_to_text(html: str) -> HtmlExtract:
    """Article text of a page (content blocks, one paragraph per line) and the chrome removed."""
    meta = page_metadata(html)
    try:
        doc = _EXTRACTOR.get_doc(html)
        blocks = list(doc.text_blocks)
    except Exception:  # noqa: BLE001 - boilerpy3 can still fail on pathological markup
        blocks = []
    content: list[str] = []
    chrome: list[BoilerplatePiece] = []
    total = 0
    for block in blocks:
        text = (block.text or "").strip()
        if not text:
            continue
        total += len(text)
        if block.is_content:
            content.append(text)
        else:
            chrome.append(BoilerplatePiece(seq=len(chrome), kind="navigation", text=text))
    return HtmlExtract(
        text="\n".join(content),
        n_chars=total,
        chrome=chrome,
        title=meta["title"],
        url=meta["url"],
        published=meta["published"],
        publisher=meta["publisher"],
    )
