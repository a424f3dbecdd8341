"""Dragnet's data (Peters and Lecocq, WWW 2013) as a measure-only set for `make bench-clean`.

1,381 pages (news, blogs and the CETR collections, crawled 2012) with the article text an
annotator kept; reader comments follow the marker `!@#$%^&*() COMMENTS` and are not reference
text. The data is AGPLv3 and is not copied into this repository: `git clone
https://github.com/seomoz/dragnet_data` and unpack its two archives (`HTML/X.html`,
`Corrected/X.html.corrected.txt`), or use the merged copy in
https://github.com/j-szulc/html-cleaning-dataset-merged (`dragnet_data/input/X.html`,
`dragnet_data/GoldStandard/X.txt`); pass the folder with `--dragnet DIR`. No rule was written or
tuned while looking at these pages, so every page is in the `holdout` part.
"""

from __future__ import annotations

from pathlib import Path

from bench.clean_sets import Page, decode_page

COMMENTS = "!@#$%^&*()  COMMENTS"


def article_text(gold: str) -> str:
    """The annotated text before the comments marker (spacing inside the marker varies)."""
    for marker in (COMMENTS, COMMENTS.replace("  ", " ")):
        gold = gold.split(marker, 1)[0]
    return gold.strip()


def _pairs(data: Path) -> list[tuple[str, Path, Path]]:
    if (data / "input").is_dir():  # the merged layout
        return [(p.stem, p, data / "GoldStandard" / f"{p.stem}.txt") for p in sorted((data / "input").glob("*.html"))]
    return [(p.stem, p, data / "Corrected" / f"{p.name}.corrected.txt") for p in sorted((data / "HTML").glob("*.html"))]


def load_dragnet(data: Path) -> list[Page]:
    """Every page with its gold text; the site is the page's id (the data names no URLs)."""
    return [
        Page("dragnet", page_id, html, article_text(decode_page(gold.read_bytes())), page_id, gzipped=False)
        for page_id, html, gold in _pairs(data)
        if gold.exists()
    ]
