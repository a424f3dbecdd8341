"""Boilerplate removal across publishers: chrome goes, real sentences stay, HTML pages score."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.aeb_metric import page_counts, score
from pipeline.clean import clean_record
from pipeline.clean.consensus import ExtractionSettings, choose_by_consensus, needs_vote
from pipeline.clean.corpus import remove_corpus_repeats
from pipeline.clean.options import HTML_PRESET, TEXT_PRESET
from pipeline.clean.text import clean_text
from pipeline.records import CleanArticle, RawRecord

STORY = "Taliban fighters attacked checkpoints on the edge of the city overnight, provincial officials said on Tuesday."

# (line as publishers print it, kind it must be filed under)
CHROME = [
    ("Image copyright AFP Image caption Taliban fighters patrol a street in Kunduz", "credit"),
    ("Continue reading the main story", "read_more"),
    ("[Read: The Taliban's new rules for women]", "read_more"),
    ("READ MORE: Who controls Helmand? A district-by-district map", "read_more"),
    ("Sign up for our Middle East briefing, delivered every weekday morning.", "subscription_prompt"),
    ("Get the day's top stories delivered straight to your inbox.", "subscription_prompt"),
    ("Subscribe to Independent Premium to bookmark this article", "subscription_prompt"),
    ("Join the conversation", "comment_prompt"),
    ("Comments (12)", "comment_prompt"),
    ("Follow us on Twitter", "navigation"),
    ("Like this story? Share it with a friend!", "navigation"),
    ("Tags: Afghanistan, Taliban, Kunduz", "navigation"),
    ("Copyright 2021 The Associated Press. All rights reserved.", "credit"),
    ("(Reporting by Hamid Shalizi; Editing by Mark Heinrich)", "credit"),
    ("This material may not be published, broadcast, rewritten or redistributed.", "credit"),
    ("Email Jane Doe at jdoe@example.com or follow her on Twitter.", "credit"),
    ("Editor's note: This story has been updated with new casualty figures.", "other"),
    ("Your support helps us to tell the story", "donation_appeal"),
    ("Story continues below advertisement", "advertisement"),
    ("Advertisement", "advertisement"),
    ("Updated at 1:23 p.m. ET", "dateline"),
]

# Real sentences that look a little like chrome; none may be removed.
REAL = [
    "By Monday, 200 fighters had reached the gates of the city, officials in the province said.",
    "Advertisements for recruits were posted in the market, a resident told reporters.",
    "Getty Images photographer John Moore photographed the convoy as it left the base on Sunday.",
    "Related fighting broke out in two other districts - officials gave no casualty figures.",
    "Comments by the spokesman drew an angry response from the governor, who called them lies.",
    "Share prices in Kabul's small stock market fell sharply as the city was encircled.",
    "Subscribers to the group's Telegram channel were told to expect an attack within days.",
    "The timeline for the withdrawal of US troops was set out in the Doha agreement.",
    "Read the full statement, the ministry said, and you will see that no civilians were targeted.",
]


@pytest.mark.parametrize("line, kind", CHROME, ids=[c[0][:40] for c in CHROME])
def test_chrome_line_is_removed_and_filed(line: str, kind: str) -> None:
    result = clean_text(f"{STORY}\n{line}\n{STORY.replace('Tuesday', 'Wednesday')}")
    assert line not in result.body
    assert [p.kind for p in result.pieces if p.text == line.strip()] == [kind]


@pytest.mark.parametrize("sentence", REAL, ids=[r[:40] for r in REAL])
def test_real_sentences_are_never_removed(sentence: str) -> None:
    result = clean_text(f"{STORY}\n{sentence}\n{STORY.replace('Tuesday', 'Wednesday')}")
    assert sentence in result.body, result.pieces


def test_chrome_glued_to_a_sentence_is_cut_off() -> None:
    result = clean_text("Your support makes all the difference.THE TALIBAN seized the district centre, officials said.")
    assert result.body == "THE TALIBAN seized the district centre, officials said."


def test_byline_and_place_dateline_become_columns_not_text() -> None:
    result = clean_text(f"KABUL, AFGHANISTAN\nBy Laila Ahmadzai and Peter Quinlan\n{STORY}")
    assert result.body == STORY
    assert result.byline == "Laila Ahmadzai and Peter Quinlan"


def test_a_donation_appeal_over_several_paragraphs_goes_whole() -> None:
    appeal = [
        "Your support helps us to tell the story.",
        "Millions rely on our reporting",
        "From the front lines to the courts",
        "Please consider donating today.",
    ]
    result = clean_text("\n".join([STORY, *appeal, STORY.replace("Tuesday", "Wednesday")]))
    assert [p.kind for p in result.pieces] == ["donation_appeal"] * 4


def test_the_text_preset_guesses_layout_the_html_preset_does_not() -> None:
    text = f"Taliban take Kunduz\nFrontier Dispatch\n{STORY}\nRelated: Kabul airport reopens\nMore from the north"
    plain = clean_text(text, options=TEXT_PRESET)
    assert (plain.title, plain.publisher, plain.body) == ("Taliban take Kunduz", "Frontier Dispatch", STORY)
    page = clean_text(text, options=HTML_PRESET)
    assert page.title is None and page.body.startswith("Taliban take Kunduz\n\nFrontier Dispatch")
    assert page.body.endswith("More from the north")


@pytest.mark.parametrize(
    "line",
    ["segunda-feira, 22 de janeiro de 2018 às 0:13", "Mis à jour le 3 mars 2019", "Friday 23/July/2021 - 06:25 PM"],
)
def test_datelines_in_several_languages(line: str) -> None:
    result = clean_text(f"{line}\n{STORY}")
    assert result.body == STORY and result.pieces[0].kind == "dateline"


def test_lines_repeated_across_a_publishers_articles_are_removed() -> None:
    def article(i: int, extra: str) -> CleanArticle:
        body = f"Story {i}: {STORY}\n\nFollow our live coverage of the war in Afghanistan\n\n{extra}"
        return CleanArticle(f"a{i}.txt", "0" * 64, "text", body, len(body), publisher="Frontier Dispatch")

    articles = [article(i, f"Paragraph {i} of real reporting on the fighting in the north.") for i in range(4)]
    other = CleanArticle(
        "b.txt", "0" * 64, "text", "Follow our live coverage of the war in Afghanistan\n\nWire copy.", 60, publisher="Other"
    )
    assert remove_corpus_repeats([*articles, other]) == 4
    assert all("live coverage" not in a.body and a.boilerplate[-1].kind == "repeated_text" for a in articles)
    assert "live coverage" in other.body  # another publisher's text is never judged by this one's


def test_consensus_prefers_what_most_extractors_agree_on() -> None:
    story = " ".join(f"word{i}" for i in range(60))
    candidates = {
        "a": story + " related story one related story two related story three",
        "b": story,
        "c": story + " footer text footer text",
        "d": story[: len(story) // 2],
    }
    assert choose_by_consensus(candidates) == "b"


def _words(prefix: str, n: int) -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


@pytest.mark.parametrize(
    ("recall", "boilerpy3", "vote"),
    [
        ("", _words("w", 80), True),  # trafilatura found nothing: ask the others
        (_words("w", 80), _words("w", 80), False),  # the two agree
        (_words("w", 30), _words("w", 100), True),  # recall holds under 0.7 of boilerpy3's text
        (_words("w", 100), _words("w", 30), False),  # boilerpy3 missed text, recall did not
        (_words("a", 80), _words("b", 80), False),  # of a size but different: a vote did not help on dev pages
        (_words("a", 40), _words("b", 80), True),  # different and half the size
    ],
)
def test_a_vote_is_held_where_recall_may_have_missed_text(recall: str, boilerpy3: str, vote: bool) -> None:
    assert needs_vote(recall, boilerpy3, ExtractionSettings()) is vote


AEB = Path(__file__).parent / "data" / "aeb"


def test_html_cleaner_on_benchmark_pages() -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    counts = []
    for page_id, ref in truth.items():
        html = gzip.decompress((AEB / f"{page_id}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        article = clean_record(RawRecord(f"{page_id}.html", "0" * 64, "html", html=html))
        counts.append(page_counts(ref["articleBody"], article.body))
        assert article.title and article.n_chars_raw > len(article.body)
        assert "Follow Newsbeat on Instagram" not in article.body
    result = score(counts)
    # Measured 0.955 on these seven pages (trafilatura alone: 0.953). The four-way vote on every
    # page scored 0.966 here but 0.911 on WCXB's dev pages; the recall-first method that replaced
    # it (issue 13) trades these seven for the larger sets: `make bench-clean`.
    assert result.f1 >= 0.95, result


def test_vote_mode_lets_four_extractors_vote_on_every_page() -> None:
    from pipeline.clean.html import html_to_text

    paragraphs = "".join(f"<p>{' '.join(f'word{i}{j}' for j in range(30))}.</p>" for i in range(6))
    page = f"<html><head><title>T</title></head><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"
    fast = html_to_text(page, ExtractionSettings.for_mode("fast"))
    vote = html_to_text(page, ExtractionSettings.for_mode("vote"))
    assert (fast.extractor, fast.voted) == ("trafilatura_recall", False)
    assert vote.voted and vote.extractor in ("trafilatura", "trafilatura_precision", "readability", "boilerpy3")
    assert "word00" in vote.text and "word50" in vote.text


@pytest.mark.parametrize(("value", "suffix"), [("", ""), ("fast", ""), ("vote", "+vote"), (" Vote ", "+vote")])
def test_the_extraction_mode_is_part_of_the_pipeline_version(value: str, suffix: str) -> None:
    """Switching the mode makes the next run read every article again (the version differs)."""
    import os
    import subprocess
    import sys

    import pipeline

    base = pipeline.PIPELINE_VERSION.split("+")[0]
    env = {**os.environ, "NEWS_HTML_EXTRACTION": value}
    out = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.PIPELINE_VERSION)"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == base + suffix


def test_an_unknown_extraction_mode_stops_with_a_message() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "NEWS_HTML_EXTRACTION": "thorough"}
    out = subprocess.run([sys.executable, "-c", "import pipeline"], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "NEWS_HTML_EXTRACTION='thorough': expected one of fast, vote" in out.stderr
