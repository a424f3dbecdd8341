"""Figures stand only in conflict reporting (pipeline/figures/context.py): a general web page's
numbers before nouns are no troops, captives or dead, and conflict articles keep all of theirs."""

from __future__ import annotations

import pytest

CONFLICT = (
    "Taliban fighters attacked checkpoints on the edge of Kunduz overnight, police said. "
    "Soldiers and militia commanders said the clashes went on until dawn."
)


def _figures(text: str) -> list:
    from pipeline.figures import extract_figures
    from pipeline.nlp import doc_mentions, doc_sentences, load_nlp

    doc = load_nlp()(text)
    sentences = doc_sentences("t", doc)
    return extract_figures("t", doc, sentences, doc_mentions("t", doc, sentences))


# Lines of the kinds general pages carry (list titles, give-aways, health statistics, fleets),
# written for this test after the classes seen on WCXB's dev pages.
OFF_TOPIC = [
    "15 Best HR Consulting Firms to Hire in 2025",
    "Take one, leave one.",
    "Deaths due to drug overdose among adolescents more than doubled from 2018 (253 deaths) to 2022 (723 deaths).",
    "They started in 2007 with just one moving truck and now run 155 trucks across the state.",
    "Our experts compared over a dozen travel insurance carriers to find the best choices.",
    "The Den seats 18 for dinner and has a capacity for 25 in a more casual setting.",
]


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_a_general_page_has_no_figures(text: str) -> None:
    page = f"Our guide to the season's best picks. {text} Prices may change over time."
    assert _figures(page) == []


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_the_same_lines_in_conflict_reporting_are_read_as_before(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate only removes, and not inside a conflict article: the figures are those of no gate."""
    article = f"{CONFLICT} {text}"
    gated = [(f.text, f.category) for f in _figures(article)]
    monkeypatch.setattr("pipeline.figures.context.MIN_CUES_PER_1000_WORDS", 0.0)
    assert gated == [(f.text, f.category) for f in _figures(article)]


def test_a_cue_in_the_sentence_keeps_the_figure_on_a_general_page() -> None:
    page = "Our guide to the parade route. Thousands of soldiers marched past the stands. Tickets are free."
    assert [(f.category, f.sentence_idx) for f in _figures(page)] == [("troops", 1)]


def test_conflict_articles_keep_every_figure() -> None:
    text = f"{CONFLICT} About 200 families fled toward the camps. The city of 300,000 people was cut off."
    assert {f.category for f in _figures(text)} >= {"displaced"}
    assert len(_figures(text)) >= 2


def test_a_sum_of_money_in_a_capitalised_currency_is_no_figure() -> None:
    text = f"{CONFLICT} Troops seized 27,835 Pakistani Rupees and two rifles in the compound."
    assert [f.text for f in _figures(text) if "Rupees" in f.text] == []


# --- coding schemes (NEWS_CODING_SCHEME) ---------------------------------------------------------

_PROBE = (
    "import pipeline\n"
    "from pipeline.figures.numbers import vague_bounds\n"
    "b = vague_bounds()\n"
    "print(pipeline.PIPELINE_VERSION, b['several'][0], b.get('numerous', (None,))[0])\n"
)


def _probe(value: str) -> tuple[int, str, str]:
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _PROBE], env={**os.environ, "NEWS_CODING_SCHEME": value}, capture_output=True, text=True)
    return out.returncode, out.stdout.strip(), out.stderr


def test_the_shipped_schemes_and_the_version_they_write(tmp_path) -> None:
    import pipeline

    base = pipeline.PIPELINE_VERSION.split("+")[0]
    assert _probe("default")[1] == f"{base} 2.0 None"
    assert _probe("isaf")[1] == f"{base}+isaf 3.0 4.0"


def test_a_scheme_file_by_path_enters_the_version_by_its_content(tmp_path) -> None:
    scheme = tmp_path / "mine.tsv"
    scheme.write_text("# word\tlow\thigh\nseveral\t5\t\nnumerous\t7\t\n", encoding="utf-8")
    code, out, _ = _probe(str(scheme))
    version, several, numerous = out.split()
    assert code == 0 and "+scheme-" in version and (several, numerous) == ("5.0", "7.0")
    scheme.write_text("# word\tlow\thigh\nseveral\t6\t\n", encoding="utf-8")
    assert _probe(str(scheme))[1].split()[0] != version  # another table, another version: articles are read again


def test_an_unknown_scheme_stops_with_a_message() -> None:
    code, _, err = _probe("acled-2019")
    assert code != 0 and "NEWS_CODING_SCHEME='acled-2019': neither a shipped scheme (default, isaf) nor a readable file" in err
