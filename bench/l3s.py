"""L3S-GN1 (Kohlschütter et al., WSDM 2010) as a third, measure-only set for `make bench-clean`.

621 news articles from 408 sites, crawled from Google News in 2008, each page labelled by a human
assessor block by block: headline, full text, supplemental (captions, dates), related content,
comments, not content. The reference text here is the **full text** blocks in page order: the
article without its headline (news-etl keeps that in `title`), captions, related links or
comments, which is what `articles.body` should hold.

The set is research-use only, so it is not copied into this repository. Get it with
`git clone https://github.com/geodrome/page-signal` and pass
`--l3s page-signal/L3S-GN1-20100130203947-00001` (the folder with `original/`, `annotated/` and
`url-mapping.txt`). No rule was written or tuned while looking at these pages: every page is in
the `holdout` part.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from bench.clean_sets import Page, decode_page, page_site

def full_text(annotated_html: str) -> str:
    """The text of the blocks the assessor labelled full text (`x-nc-sel2`), one block a line."""
    root = lxml.html.fromstring(annotated_html)
    blocks = [re.sub(r"\s+", " ", "".join(span.itertext())).strip() for span in root.iter("span") if "x-nc-sel2" in (span.get("class") or "")]
    return "\n".join(b for b in blocks if b)


def load_l3s(data: Path) -> list[Page]:
    """The L3S-GN1 pages (original HTML) with their full-text reference; the site from the URL mapping."""
    urls: dict[str, str] = {}
    for line in (data / "url-mapping.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, url = line.partition("\t")
        urls[key.strip("<>").removeprefix("urn:uuid:")] = url.strip()
    pages = []
    for path in sorted((data / "original").glob("*.html")):
        page_id = path.stem
        annotated = data / "annotated" / path.name
        if not annotated.exists():
            continue
        truth = full_text(decode_page(annotated.read_bytes()))
        url = urls.get(page_id)
        pages.append(Page("l3s", page_id, path, truth, page_site(url, page_id), url=url, gzipped=False))
    return pages
