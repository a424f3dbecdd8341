"""The HTML extractors the cleaner combines: trafilatura (recall, default and precision settings),
readability and boilerpy3, and the one lxml parse they share where they can.

Each returns the page's main text with one paragraph per line, or "" when it finds none;
none of them may raise (a malformed page is common on the real web).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import lxml.html
import trafilatura
from boilerpy3 import extractors as bp_extractors
from boilerpy3 import parser as bp_parser
from lxml.html import HtmlElement
from readability import Document
from trafilatura.utils import load_html

# The extractors log every odd page at WARNING; importing chatter routes that to a DEBUG log.
from pipeline.clean import chatter  # noqa: F401

_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt", "figcaption")
_BOILERPY = bp_extractors.ArticleExtractor(raise_on_failure=False)


@dataclass
class PageBlock:
    """A visible text block of the page and whether boilerpy3 counts it as content."""

    text: str
    is_content: bool


def parse_page(html: str) -> HtmlElement | None:
    """The page's lxml tree (trafilatura's loader: it copes with encoding declarations and odd
    markup), or None when nothing parses. Parsed once per page and shared."""
    try:
        return load_html(html)
    except Exception:  # noqa: BLE001
        return None


TrafilaturaMode = Literal["recall", "default", "precision"]


def trafilatura_text(page: str | HtmlElement | None, *, mode: TrafilaturaMode = "default") -> str:
    """trafilatura's main text (tables kept, comments left out) in one of its three settings.

    `page` may be the parsed tree: trafilatura works on its own copy, so the tree can be shared.
    """
    if page is None:
        return ""
    try:
        text = trafilatura.extract(
            page,
            include_comments=False,
            include_tables=True,
            favor_recall=mode == "recall",
            favor_precision=mode == "precision",
        )
    except Exception:  # noqa: BLE001
        return ""
    return text or ""


def readability_text(html: str) -> str:
    """readability's article summary, one paragraph per text block (a p, li or td holding
    other blocks is left to them)."""
    try:
        summary = Document(html).summary(html_partial=True)
        root = lxml.html.fromstring(summary)
    except Exception:  # noqa: BLE001
        return ""
    paragraphs = []
    for element in root.iter(*_BLOCK_TAGS):
        if element.tag in ("p", "li", "td") and any(child.tag in _BLOCK_TAGS for child in element.iterdescendants()):
            continue  # its inner blocks are visited on their own
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if text:
            paragraphs.append(text)
    return "\n".join(paragraphs)


def boilerpy3_blocks(tree: HtmlElement | None) -> list[PageBlock]:
    """Every visible text block of the page, with boilerpy3's ArticleExtractor verdict.

    boilerpy3 tokenises the markup itself with the standard library's HTML parser, which cost as
    much as an extractor; here its own block builder and ArticleExtractor filters are fed the
    events of the tree the page was already parsed into (same algorithm, half the time, and on
    the dev pages slightly better content).
    """
    if tree is None:
        return []
    try:
        builder = bp_parser.BoilerpipeBaseParser(raise_on_failure=False)
        builder.start_document()
        _feed(builder, tree)
        builder.end_document()
        doc = builder.to_text_document()
        _BOILERPY.filter.process(doc)
        return [PageBlock(b.text.strip(), bool(b.is_content)) for b in doc.text_blocks if b.text and b.text.strip()]
    except Exception:  # noqa: BLE001
        return []


def _feed(builder: bp_parser.BoilerpipeBaseParser, element: HtmlElement) -> None:
    """The SAX-like events boilerpy3's parser would send for this element and what it holds."""
    tag = element.tag
    if isinstance(tag, str):  # comments and processing instructions have no tag name, only a tail
        builder.start_element(tag, list(element.attrib.items()))
        if element.text:
            builder.characters(element.text)
        for child in element:
            _feed(builder, child)
        builder.end_element(tag)
    if element.tail:
        builder.characters(element.tail)


def boilerpy3_text(blocks: list[PageBlock]) -> str:
    """The blocks boilerpy3's ArticleExtractor counts as content."""
    return "\n".join(b.text for b in blocks if b.is_content)
