"""Generate a realistic mixed-format raw corpus for throughput benchmarks.

Articles are assembled from the paragraphs of the bundled sample (real conflict reporting),
with numbers, places and groups varied, wrapped with publisher chrome, and written as
.txt, .html, .json (news-please), .jsonl (batches) and gzip variants.
Usage: python -m bench.corpus OUT_DIR --articles 2000 [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = [
    "Kandahar",
    "Kunduz",
    "Helmand",
    "Ghazni",
    "Mosul",
    "Aleppo",
    "Raqqa",
    "El Fasher",
    "Mogadishu",
    "Kherson",
    "Bakhmut",
    "Marib",
    "Gao",
    "Maiduguri",
    "Goma",
    "Sangin",
    "Herat",
    "Fallujah",
    "Idlib",
    "Khartoum",
]
GROUPS = ["Taliban", "Islamic State", "al-Shabaab", "Houthi", "RSF", "Boko Haram", "Hezbollah", "Wagner"]
CHROME_TOP = ["Sign up for our newsletter", "Advertisement", "Share on Facebook · Share on Twitter · Email"]
CHROME_BOTTOM = [
    "READ MORE: {p} offensive enters second week",
    "Related stories:",
    "- Inside the battle for {p}",
    "- Aid agencies warn of famine",
    "Copyright 2024 Example News. All rights reserved.",
]


def _paragraphs() -> list[str]:
    from pipeline.ingest import group_units, read_unit, scan_raw_folder
    from pipeline.records import RawRecord
    from pipeline.stages.clean import clean

    raw = ROOT / "raw"
    records = [r for u in group_units(scan_raw_folder(raw)) for r in read_unit(raw, u) if isinstance(r, RawRecord)]
    paras = [p for a in clean(records).articles for p in a.body.split("\n\n") if len(p.split()) >= 12]
    return paras


def _vary(text: str, rng: random.Random) -> str:
    text = re.sub(
        r"\b\d{1,3}(,\d{3})*\b",
        lambda m: f"{rng.randint(2, 40000):,}" if len(m.group()) < 4 or "," in m.group() else m.group(),
        text,
    )
    for place in ("Kandahar", "Kunduz", "Mazar-e-Sharif", "Aleppo", "Mosul", "Ghazni", "Helmand"):
        if place in text and rng.random() < 0.5:
            text = text.replace(place, rng.choice(PLACES))
    return text


def make_article(rng: random.Random, paras: list[str], words: int) -> tuple[str, list[str]]:
    body: list[str] = []
    while sum(len(p.split()) for p in body) < words:
        body.append(_vary(rng.choice(paras), rng))
    place = rng.choice(PLACES)
    title = f"{rng.choice(GROUPS)} fighters advance on {place} as thousands flee"
    return title, body


def write_corpus(out: Path, n_articles: int, seed: int = 1, mean_words: int = 550) -> dict[str, int]:
    """Write n_articles into out/ in mixed formats; returns a count per format."""
    rng = random.Random(seed)
    paras = _paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    counts = {"txt": 0, "html": 0, "json": 0, "jsonl": 0, "gz": 0}
    jsonl_batch: list[str] = []
    for i in range(n_articles):
        title, body = make_article(rng, paras, max(150, int(rng.gauss(mean_words, 150))))
        place = rng.choice(PLACES)
        chrome_top = [c.format(p=place) for c in rng.sample(CHROME_TOP, 2)]
        chrome_bottom = [c.format(p=place) for c in CHROME_BOTTOM]
        folder = out / f"{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        kind = rng.choices(["txt", "html", "json", "jsonl", "gz"], weights=[40, 25, 15, 15, 5])[0]
        url = f"https://news.example/{i}"
        if kind == "txt":
            (folder / f"a{i}.txt").write_text("\n".join([title, *chrome_top, *body, *chrome_bottom]) + "\n", encoding="utf-8")
        elif kind == "gz":
            data = "\n".join([title, *chrome_top, *body, *chrome_bottom]).encode("utf-8")
            (folder / f"a{i}.txt.gz").write_bytes(gzip.compress(data, mtime=0))
        elif kind == "html":
            paragraphs = "".join(f"<p>{p}</p>" for p in body)
            nav = "".join(f'<li><a href="/s{j}">Section {j}</a></li>' for j in range(12))
            html = (
                f'<html><head><title>{title} | Example News</title><meta property="og:title" content="{title}">'
                f'<link rel="canonical" href="{url}"><meta property="article:published_time" content="2024-0{1 + i % 9}-1{i % 9}T08:00:00Z">'
                f'</head><body><nav><ul>{nav}</ul></nav><header><h1>{title}</h1><p class="byline">By Staff Reporter</p></header>'
                f"<article>{paragraphs}<aside><h3>Related stories</h3><ul><li><a>Inside the battle</a></li><li><a>Famine warning</a></li></ul></aside></article>"
                f"<footer><p>Copyright 2024 Example News</p><p>About us | Contact | Privacy</p></footer></body></html>"
            )
            (folder / f"a{i}.html").write_text(html, encoding="utf-8")
        elif kind == "json":
            record = {
                "maintext": "\n".join(body),
                "title": title,
                "url": url,
                "date_publish": "2024-03-01 10:00:00",
                "source_domain": "news.example",
            }
            (folder / f"a{i}.json").write_text(json.dumps(record), encoding="utf-8")
        else:
            jsonl_batch.append(json.dumps({"text": "\n\n".join(body), "title": title, "url": url, "published": "2024-03-02"}))
            if len(jsonl_batch) == 20:
                (folder / f"batch{i}.jsonl").write_text("\n".join(jsonl_batch) + "\n", encoding="utf-8")
                jsonl_batch = []
        counts[kind] += 1
    if jsonl_batch:
        (out / "batch-last.jsonl").write_text("\n".join(jsonl_batch) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(write_corpus(args.out, args.articles, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
