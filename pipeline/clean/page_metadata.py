"""What a page declares about itself: title, canonical URL, publication date, author, site name.

Read from `<meta>` tags (Open Graph, Twitter, Dublin Core, publishers' own), JSON-LD
(`NewsArticle` and kin), `<link rel=canonical>`, `<title>`, the first
`<h1>` and the first byline element, all from the page's one lxml tree (the pure-Python parser
this used to run cost as much as an extractor). The values are returned as the page gives them;
`clean.article` validates them (`clean.metadata`) and falls back to the text.
"""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

from pipeline.clean.extractors import parse_page


_BYLINE_ATTR = re.compile(r"\b(byline|author|article-author)\b", re.I)


def _text(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _declared(tree: HtmlElement) -> tuple[dict[str, str], str | None, list[str], str, str, str]:
    """The page's <meta> values (first of each key), canonical link, JSON-LD chunks, <title>,
    first <h1> and the text of the first byline element (class, itemprop or rel naming an author)."""
    meta: dict[str, str] = {}
    canonical: str | None = None
    jsonld: list[str] = []
    title = h1 = byline = ""
    for element in tree.iter("meta", "link", "title", "h1", "script"):
        tag = element.tag
        if tag == "meta":
            key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
            content = (element.get("content") or "").strip()
            if key and content and key not in meta:
                meta[key] = content
        elif tag == "link" and canonical is None and "canonical" in (element.get("rel") or "").lower() and element.get("href"):
            canonical = element.get("href", "").strip()
        elif tag == "title" and not title:
            title = element.text_content()
        elif tag == "h1" and not h1:
            h1 = _text(element)
        elif tag == "script" and "ld+json" in (element.get("type") or "").lower():
            jsonld.append(element.text_content())
    body = tree.find("body")
    for element in (body if body is not None else tree).iter():
        attrs = f"{element.get('class') or ''} {element.get('itemprop') or ''} {element.get('rel') or ''}"
        if len(attrs) > 2 and element.tag not in ("meta", "link", "script", "style") and _BYLINE_ATTR.search(attrs):
            byline = element.text_content()
            break
    return meta, canonical, jsonld, title, h1, byline


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


def page_metadata(page: str | HtmlElement | None) -> dict:
    """Title (and the other headlines the page declares), canonical URL, publication date,
    author and site name, best source first; None where the page declares none.

    `page` is the markup or the tree `extractors.parse_page` made of it (parsed once per page).
    """
    tree = parse_page(page) if isinstance(page, str) else page
    if tree is None:
        return {"title": None, "title_variants": (), "url": None, "published": None, "author": None, "publisher": None}
    m, canonical, jsonld, title, h1, byline = _declared(tree)
    ld = _jsonld_fields(jsonld)
    candidates = [
        m.get("og:title"),
        m.get("twitter:title"),
        ld.get("headline"),
        title,
        h1,
    ]
    candidates = [re.sub(r"\s+", " ", c).strip() for c in candidates if c and c.strip()]
    return {
        "title": candidates[0] if candidates else None,
        "title_variants": tuple(dict.fromkeys(c for c in candidates[1:] if c != candidates[0])),
        "url": canonical or m.get("og:url") or ld.get("url"),
        "published": m.get("article:published_time")
        or ld.get("datePublished")
        or m.get("date")
        or m.get("pubdate")
        or m.get("dc.date")
        or m.get("sailthru.date")
        or m.get("parsely-pub-date"),
        "author": ld.get("author")
        or (m.get("author") if m.get("author") and "://" not in m.get("author", "") else None)
        or _byline_names(byline),
        "publisher": m.get("og:site_name") or ld.get("publisher") or m.get("application-name"),
    }
