"""The boilerplate evaluation gate (bench/clean_eval.py) on two tiny fake sets: no ../shared data needed."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from bench import clean_eval as ce

STORY = (
    "Rebel forces attacked an army base near Herat on Tuesday, the Defence Ministry said.\n\n"
    "At least 45 civilians were killed in the attack and 12 soldiers were captured by the rebels."
)
LEAK = "Sign up for our newsletter to get the latest news delivered to your inbox."


def _html(body: str, url: str | None = None, news: bool = False) -> str:
    head = f'<link rel="canonical" href="{url}">' if url else ""
    if news:
        head += '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"<html><head>{head}</head><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8")))


@pytest.fixture
def fake_sets(tmp_path: Path) -> tuple[Path, Path]:
    aeb = tmp_path / "aeb"
    truth = {
        "a1": {"articleBody": STORY, "url": "https://www.example.com/world/1"},
        "a2": {"articleBody": STORY, "url": "https://news.example.com/world/2"},  # same site as a1
        "a3": {"articleBody": STORY, "url": "https://other.co.uk/story"},
        "a4": {"articleBody": STORY},  # no URL in the truth: the page's canonical link gives the site
    }
    (aeb / "html").mkdir(parents=True)
    (aeb / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    for page_id in truth:
        _gz(aeb / "html" / f"{page_id}.html.gz", _html(STORY, "https://www.third.org/a" if page_id == "a4" else None))

    wcxb = tmp_path / "wcxb"
    pages = {"0001": "blog.example.com", "0002": "shop.test", "0003": "daily.news.test", "0004": "empty.test"}
    (wcxb / "pages.json").parent.mkdir(parents=True)
    (wcxb / "pages.json").write_text(json.dumps({k: {"domain": v} for k, v in pages.items()}), encoding="utf-8")
    for page_id, domain in pages.items():
        gt = {
            "main_content": "" if page_id == "0004" else STORY,
            "with": ["At least 45 civilians were killed"],
            "without": ["Home", LEAK],
        }
        tags = ["news"] if page_id == "0001" else ["guide"]
        record = {"url": f"https://{domain}/{page_id}", "_internal": {"page_type": {"primary": "article", "tags": tags}}, "ground_truth": gt}
        (wcxb / "ground-truth").mkdir(exist_ok=True)
        (wcxb / "ground-truth" / f"{page_id}.json").write_text(json.dumps(record), encoding="utf-8")
        _gz(wcxb / "html" / f"{page_id}.html.gz", _html(STORY, news=page_id == "0003"))
    return aeb, wcxb


def _sets(fake_sets: tuple[Path, Path]) -> dict[str, list[ce.Page]]:
    aeb, wcxb = fake_sets
    return {"aeb": ce.load_aeb(aeb), "wcxb": ce.load_wcxb(wcxb)}


def test_sites_come_from_the_url_or_the_canonical_link(fake_sets):
    sites = {p.id: p.site for p in _sets(fake_sets)["aeb"]}
    assert sites == {"a1": "example.com", "a2": "example.com", "a3": "other.co.uk", "a4": "third.org"}
    assert ce.site_of("www.News.Example.COM") == "example.com"
    assert ce.site_of("a.b.example.com.au") == "example.com.au"


@pytest.mark.parametrize("seed", [ce.SPLIT_SEED, "another seed", "x"])
def test_split_is_by_site_deterministic_disjoint_and_complete(fake_sets, seed):
    sets = _sets(fake_sets)
    split = ce.make_split(sets, seed=seed)
    shuffled = {name: random.Random(7).sample(pages, len(pages)) for name, pages in sets.items()}
    assert ce.make_split(shuffled, seed=seed) == split  # input order does not matter
    assert json.loads(json.dumps(split)) == split  # survives the file round trip
    for name, pages in sets.items():
        entry = split["sets"][name]
        dev, holdout = set(entry["dev"]), set(entry["holdout"])
        assert not dev & holdout
        assert dev | holdout == {p.id for p in pages}
        for part in (dev, holdout):  # every site lies on one side only
            others = holdout if part is dev else dev
            assert not {entry["site"][i] for i in part} & {entry["site"][i] for i in others}
        for page in pages:
            assert (page.id in dev) == (ce.side(page.site, seed) == "dev")
    assert split["sets"]["aeb"]["site"]["a1"] == split["sets"]["aeb"]["site"]["a2"]
    assert split["sets"]["wcxb"]["news"] == ["0001", "0003"]  # a "news" tag; NewsArticle markup
    assert "news" not in split["sets"]["aeb"]


def test_split_is_about_half_and_half_on_many_sites():
    dev = sum(ce.side(f"site{i}.example") == "dev" for i in range(2000))
    assert 900 < dev < 1100
    assert ce.side("example.com") == ce.side("example.com")


def test_split_file_round_trip_and_parts(fake_sets, tmp_path):
    split = ce.make_split(_sets(fake_sets))
    path = tmp_path / "data" / "split.json"
    ce.write_split(split, path)
    again = ce.read_split(path)
    assert again == split
    assert sorted(ce.part_ids(again, "aeb", "dev") + ce.part_ids(again, "aeb", "holdout")) == ce.part_ids(again, "aeb", "all")


def _results(fake_sets, extract) -> list[ce.PageResult]:
    pages = [p for p in _sets(fake_sets)["wcxb"] if p.truth]
    return ce.run([(p, "dev", p.id == "0001") for p in pages], {"x": extract})


def test_perfect_extraction_scores_one(fake_sets):
    results = _results(fake_sets, lambda html: STORY)
    row = ce.summarise(results, "wcxb", "dev", "all", "x")
    assert (row.f1, row.precision, row.recall) == (1.0, 1.0, 1.0)
    assert row.pages == 3 and row.prompt_pages == 0
    assert row.with_kept_pct == 1.0 and row.without_leaked_pct == 0.0
    assert row.pages_per_s > 0


def test_leaky_extraction_scores_less_and_is_counted(fake_sets):
    results = _results(fake_sets, lambda html: STORY + "\n\n" + LEAK + "\n\nHome")
    row = ce.summarise(results, "wcxb", "dev", "all", "x")
    assert row.f1 < 1.0 and row.precision < 1.0 and row.recall == 1.0
    assert row.prompt_pages == 3 and row.prompt_pct == 1.0
    assert row.without_leaked_pct == 1.0
    lossy = ce.summarise(_results(fake_sets, lambda html: STORY.split("\n\n")[0]), "wcxb", "dev", "all", "x")
    assert lossy.recall < 1.0 and lossy.with_kept_pct == 0.0
    broken = ce.summarise(_results(fake_sets, lambda html: 1 / 0), "wcxb", "dev", "all", "x")
    assert broken.errors == 3 and broken.f1 == 0.0


def test_snippets_match_whole_words_only():
    text = ce.normalise("Homeowners said the “storm” hit at 3\u00a0a.m.")
    assert not ce.contains(text, "Home")
    assert ce.contains(text, 'the "storm" hit')
    assert ce.contains(text, "owners said the “storm” hi")  # long snippets are often cut mid-word


def test_rows_split_news_from_the_rest(fake_sets):
    rows = ce.rows_for(_results(fake_sets, lambda html: STORY), ["x"])
    assert [(r.group, r.pages) for r in rows] == [("all", 3), ("news", 1), ("rest", 2)]
    assert "wcxb · news" in ce.format_table(rows)


def test_holdout_pages_are_not_listed_without_the_flag(fake_sets, tmp_path, capsys):
    results = _results(fake_sets, lambda html: STORY)
    holdout = [ce.PageResult(**{**r.__dict__, "part": "holdout"}) for r in results]
    with pytest.raises(ce.HoldoutLocked):
        ce.worst_pages(holdout, 2, "holdout")
    with pytest.raises(ce.HoldoutLocked):
        ce.worst_pages(holdout, 2, "all")
    assert len(ce.worst_pages(holdout, 2, "holdout", done_tuning=True)) == 2
    assert len(ce.worst_pages(results, 2, "dev")) == 2

    aeb, wcxb = fake_sets
    split = tmp_path / "split.json"
    ce.write_split(ce.make_split(_sets(fake_sets)), split)
    argv = ["--aeb", str(aeb), "--wcxb", str(wcxb), "--split", str(split), "--show-worst", "3", "--part", "holdout"]
    assert ce.main(argv) == 2  # refused before any page is read
    assert "--i-am-done-tuning" in capsys.readouterr().err


def test_stale_split_file_is_refused(fake_sets, tmp_path, capsys):
    aeb, wcxb = fake_sets
    split = ce.make_split(_sets(fake_sets))
    del split["sets"]["aeb"]["site"]["a3"]
    path = tmp_path / "split.json"
    ce.write_split(split, path)
    assert ce.main(["--aeb", str(aeb), "--wcxb", str(wcxb), "--split", str(path), "--sets", "aeb"]) == 2
    assert "--write-split" in capsys.readouterr().err


def test_committed_split_covers_its_sets_by_site():
    split = ce.read_split(ce.DEFAULT_SPLIT)
    assert split["seed"] == ce.SPLIT_SEED
    for name, entry in split["sets"].items():
        dev, holdout = set(entry["dev"]), set(entry["holdout"])
        assert not dev & holdout and dev | holdout == set(entry["site"])
        if name in ce.MEASURE_ONLY:  # no rule was tuned on these: all holdout
            assert not dev
        else:
            assert all(ce.side(entry["site"][i]) == ("dev" if i in dev else "holdout") for i in entry["site"])
    assert len(split["sets"]["aeb"]["site"]) == 177 and len(split["sets"]["wcxb"]["site"]) == 711
    assert len(split["sets"]["l3s"]["site"]) == 621 and len(split["sets"]["dragnet"]["site"]) == 1381


def test_prompt_like_lines_count_only_when_not_reference_text():
    truth = "It is the most popular newsletter in town, readers say.\n\nRead more\n\nThe end of the story."
    assert ce.prompt_leak(truth, "It is the most popular newsletter in town, readers say!") is None
    assert ce.prompt_leak(truth, "Read more") is None  # the reference has this very line
    assert ce.prompt_leak(truth, "The end of the story.\nAdvertisement") == "Advertisement"
    assert ce.prompt_leak("Advertisement revenue fell.", "Advertisement") == "Advertisement"
    assert ce.prompt_leak(truth, "Sign up for our newsletter today") == "Sign up for our newsletter today"


# --- the measure-only sets (L3S-GN1, Dragnet) ----------------------------------------------------


def test_l3s_reference_is_the_full_text_blocks_and_every_page_is_holdout(tmp_path: Path) -> None:
    from bench.l3s import load_l3s

    data = tmp_path / "l3s"
    (data / "original").mkdir(parents=True)
    (data / "annotated").mkdir()
    (data / "url-mapping.txt").write_text("<urn:uuid:p1>\thttp://www.example.co.uk/news/1\n", encoding="utf-8")
    first, second = STORY.split("\n\n")
    annotated = (
        '<html><body><span class="x-nc-sel1">Headline</span><span class="x-nc-sel2">'
        + first
        + '</span><span class="x-nc-sel3">Photo: caption</span><p><span class="x-nc-sel2">'
        + second
        + '</span></p><span class="x-nc-sel4">Related story</span><span class="x-nc-sel0">Menu</span></body></html>'
    )
    (data / "annotated" / "p1.html").write_text(annotated, encoding="utf-8")
    (data / "original" / "p1.html").write_bytes(_html(STORY).replace("Herat", "Hérat").encode("latin-1"))  # not UTF-8
    [page] = load_l3s(data)
    assert page.truth == f"{first}\n{second}" and page.site == "example.co.uk"
    assert "Hérat" in page.html()  # decoded as the fallback code page, not dropped
    split = ce.make_split({"l3s": [page]})
    assert split["sets"]["l3s"]["dev"] == [] and split["sets"]["l3s"]["holdout"] == ["p1"]


@pytest.mark.parametrize("layout", ["merged", "original"])
def test_dragnet_reference_stops_at_the_comments_marker(tmp_path: Path, layout: str) -> None:
    from bench.dragnet import load_dragnet

    data = tmp_path / "dragnet"
    html_dir, gold = (data / "input", data / "GoldStandard" / "7.txt") if layout == "merged" else (data / "HTML", data / "Corrected" / "7.html.corrected.txt")
    html_dir.mkdir(parents=True)
    gold.parent.mkdir(parents=True)
    (html_dir / "7.html").write_text(_html(STORY), encoding="utf-8")
    gold.write_text(f"{STORY}\n!@#$%^&*()  COMMENTS\nGreat article, thanks!", encoding="utf-8")
    [page] = load_dragnet(data)
    assert page.truth == STORY and page.id == "7"
    assert ce.make_split({"dragnet": [page]})["sets"]["dragnet"]["holdout"] == ["7"]


def test_merged_sets_gold_text_from_cleaneval_markers_and_from_html(tmp_path: Path) -> None:
    from bench.merged_sets import gold_text, load_merged

    first, second = STORY.split("\n\n")
    cleaneval = f"URL: http://example.com/a\n\n<h>Herat attack\n\n<p>{first}\n<l>{second}\n"
    assert gold_text(cleaneval) == f"Herat attack\n{first}\n{second}"
    html = f'<div id="readability-page-1" class="page"><article><h2>Herat attack</h2><p>{first}</p><ul><li>{second}</li></ul></article></div>'
    assert gold_text(html) == f"Herat attack\n{first}\n{second}"

    folder = tmp_path / "CleanPortalEval-master"
    (folder / "input").mkdir(parents=True)
    (folder / "GoldStandard").mkdir()
    (folder / "input" / "bbc_01.html").write_text(_html(STORY), encoding="utf-8")
    (folder / "GoldStandard" / "bbc_01.txt").write_text(cleaneval, encoding="utf-8")
    (folder / "input" / "no_gold.html").write_text(_html(STORY), encoding="utf-8")
    [page] = load_merged(tmp_path, "cleanportaleval")
    assert page.id == "bbc_01" and page.set == "cleanportaleval" and first in page.truth
