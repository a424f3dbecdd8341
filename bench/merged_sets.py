"""Three more measure-only sets, from one merged copy of older cleaning benchmarks.

https://github.com/j-szulc/html-cleaning-dataset-merged gathers, in one layout
(`<set>/input/X.html`, `<set>/GoldStandard/X.txt`):

- `CleanPortalEval-master`: 71 news-portal article pages (BBC, CNN, Guardian, Hungarian portals, ...).
  Gold text in CleanEval's format.
- `readability`: Mozilla Readability's 116 test pages. The gold text is Readability's expected
  HTML, so it follows one extractor's idea of the article.
- `cleaneval-final`: CleanEval 2007's 681 test pages of all kinds (of the 741 inputs, those with
  a gold file).

CleanEval's gold keeps headings and list items, marked `<h>`, `<p>`, `<l>`. The markers and the
`URL:` line are dropped here. Readability's gold HTML is reduced to the text of its blocks. No rule
was written or tuned on these pages, so every page is in the `holdout` part. Pass the copy's root
with `--merged DIR` and name the sets `cleanportaleval`, `mozilla`, `cleaneval`.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from bench.clean_sets import Page, decode_page

FOLDERS = {"cleanportaleval": "CleanPortalEval-master", "mozilla": "readability", "cleaneval": "cleaneval-final"}
_MARKER = re.compile(r"<(?:h|p|l)>", re.IGNORECASE)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "figcaption", "dd", "dt")


def gold_text(gold: str) -> str:
    """Reference text of a gold file: CleanEval's marked text, or HTML reduced to its blocks' text."""
    if gold.lstrip().startswith("<div") or "</p>" in gold:
        root = lxml.html.fromstring(gold)
        blocks = [
            re.sub(r"\s+", " ", element.text_content()).strip()
            for element in root.iter(*_BLOCKS)
            if not any(child.tag in _BLOCKS for child in element.iterdescendants())
        ]
        return "\n".join(b for b in blocks if b)
    lines = gold.splitlines()
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in _MARKER.split("\n".join(lines))]
    return "\n".join(p for p in paragraphs if p)


def load_merged(data: Path, name: str) -> list[Page]:
    """One of the merged sets; the page id (file stem) is its site, the data naming few URLs."""
    folder = data / FOLDERS[name]
    pages = []
    for html in sorted((folder / "input").glob("*.html")):
        gold = folder / "GoldStandard" / f"{html.stem}.txt"
        if gold.exists():
            pages.append(Page(name, html.stem, html, gold_text(decode_page(gold.read_bytes())), html.stem, gzipped=False))
    return pages
