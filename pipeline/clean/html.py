"""HTML page to article text: four extractors vote on the text (`extractors.py`, `consensus.py`),
the page's blocks it leaves out are kept as chrome, and the page's own tags give the metadata
(`page_metadata.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.clean.consensus import choose_by_consensus
from pipeline.clean.extractors import boilerpy3_blocks, boilerpy3_text, readability_text, trafilatura_text
from pipeline.clean.nesting import flatten_deep_nesting
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


def html_to_text(html: str) -> HtmlExtract:
    """Article text of a page (one paragraph per line) and the chrome removed around it.

    Four extractions (trafilatura with its default and its precision setting, readability,
    boilerpy3's ArticleExtractor) vote: the one closest to what three of them agree on wins.
    Page blocks (boilerpy3's segmentation) that the chosen text does not contain are
    recorded as `navigation`, so the audit table shows what the page carried around the story.
    """
    html = flatten_deep_nesting(html)
    meta = page_metadata(html)
    blocks = boilerpy3_blocks(html)
    candidates = {
        "trafilatura": trafilatura_text(html),
        "trafilatura_precision": trafilatura_text(html, favor_precision=True),
        "readability": readability_text(html),
        "boilerpy3": boilerpy3_text(blocks),
    }
    text = candidates[choose_by_consensus(candidates)]
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
    )


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
