"""HTML page to article text: trafilatura's recall setting, checked against boilerpy3, with a vote
of four extractors where it may have missed part of the article (`extractors.py`,
`consensus.py`); the page's blocks left out are kept as chrome, and the page's own tags give the
metadata (`page_metadata.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline import HTML_EXTRACTION
from pipeline.clean.consensus import ExtractionSettings, choose_by_consensus, needs_vote
from pipeline.clean.extractors import (
    PageBlock,
    boilerpy3_blocks,
    boilerpy3_text,
    parse_page,
    readability_text,
    trafilatura_text,
)
from pipeline.clean.nesting import flatten_deep_nesting, too_deep
from pipeline.clean.page_metadata import page_metadata
from pipeline.records import BoilerplatePiece


@dataclass
class HtmlExtract:
    """What an HTML page yields before text-level cleaning."""

    text: str
    n_chars: int  # the page's visible text, all blocks, content or not (at least the chosen text)
    chrome: list[BoilerplatePiece] = field(default_factory=list)
    title: str | None = None
    title_variants: tuple[str, ...] = ()  # other headlines the page declares (<title>, <h1>, JSON-LD)
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    extractor: str = "trafilatura_recall"  # whose text was kept
    voted: bool = False  # the extractors disagreed and voted


def html_to_text(html: str, settings: ExtractionSettings | None = None) -> HtmlExtract:
    """Article text of a page (one paragraph per line) and the chrome removed around it.

    The page is parsed once; trafilatura (recall setting), boilerpy3 and the metadata read that
    tree. boilerpy3's ArticleExtractor segments the page into blocks (the chrome comes from them)
    and gives a second opinion: when trafilatura's text may have missed part of the article
    (`consensus.needs_vote`), trafilatura's default setting and readability are run too and the
    four vote. In "vote" mode (`pipeline.HTML_EXTRACTION`) trafilatura's default and precision
    settings, readability and boilerpy3 vote on every page instead. Blocks the kept text does not
    contain are recorded as `navigation`, so the audit table shows what the page carried around
    the story.
    """
    tree = parse_page(html)
    if tree is None or too_deep(tree):
        html = flatten_deep_nesting(html)
        tree = parse_page(html)
    meta = page_metadata(tree)
    blocks = boilerpy3_blocks(tree)
    settings = settings or ExtractionSettings.for_mode(HTML_EXTRACTION)
    # In order of trust: a tie in the vote goes to the first.
    if settings.always_vote:
        candidates = {
            "trafilatura": trafilatura_text(tree),
            "trafilatura_precision": trafilatura_text(tree, mode="precision"),
            "readability": readability_text(html),
            "boilerpy3": boilerpy3_text(blocks),
        }
    else:
        recall, boilerpy3 = trafilatura_text(tree, mode="recall"), boilerpy3_text(blocks)
        if not needs_vote(recall, boilerpy3, settings):
            return _extract(recall, blocks, meta, "trafilatura_recall", voted=False)
        candidates = {
            "trafilatura_recall": recall,
            "trafilatura": trafilatura_text(tree),
            "readability": readability_text(html),
            "boilerpy3": boilerpy3,
        }
    chosen = choose_by_consensus(candidates, quorum=settings.quorum)
    return _extract(candidates[chosen], blocks, meta, chosen, voted=True)


def _extract(text: str, blocks: list[PageBlock], meta: dict, chosen: str, voted: bool) -> HtmlExtract:
    """The kept text with the page's metadata, and the page blocks it leaves out as chrome."""
    kept = _normalized(text)
    # seq is numbered by the caller, once text-level pieces are added.
    chrome = [BoilerplatePiece(seq=0, kind="navigation", text=b.text) for b in blocks if _normalized(b.text) not in kept]
    return HtmlExtract(
        text=text,
        # Counted as bodies are written (paragraphs joined by a blank line), so it compares with len(body).
        n_chars=max(len("\n\n".join(b.text for b in blocks)), len(text.replace("\n", "\n\n"))),
        chrome=chrome,
        title=meta["title"],
        title_variants=meta["title_variants"],
        url=meta["url"],
        published=meta["published"],
        publisher=meta["publisher"],
        author=meta["author"],
        extractor=chosen,
        voted=voted,
    )


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
