"""Figure extraction from a parsed article: the entry point `extract_figures` and the assembly of a figure.

Each number phrase goes through these steps, one module each:
  1. phrases.py      the number phrase and its value or bounds: "about 5,000", "300-400", and vague
                     words with the bounds of the coding scheme, data/schemes/ ("several insurgents" -> at least 2);
                     the qualifier around it ("more than", "or so": data/qualifiers.tsv)
  2. filters.py      named checks that drop what is no count: dates, times, ages, money, ids, model names
  3. counted.py      what is counted (the noun it modifies, or the noun after "of") and its class
  4. frames.py       what the count means (its category, see categories.py) from the governing noun,
                     verb or participle: captured vs captors, killed vs killers
     tolls.py        ... or from the total it sets: "the death toll rose to 45"
     coordination.py ... summed over coordinated people: "his wife and two daughters were killed"
  5. groups.py, places.py, attribution.py, flags.py: the side, the place, who made the claim, and
                     whether it is a running total or disputed
negation.py adds the figures of zero ("no civilians were killed"); context.py keeps only the figures
that stand in conflict reporting (a restaurant guide's "15 Best Firms" is none). Word lists: data/
(lexicon.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipeline.figures import lexicon as lx
from pipeline.figures.attribution import attribution_for
from pipeline.figures.context import in_conflict_context
from pipeline.figures.coordination import coordinated_sum
from pipeline.figures.counted import counted_noun, noun_class
from pipeline.figures.doc_index import DocIndex
from pipeline.figures.filters import fails_counted_checks, fails_surface_checks
from pipeline.figures.flags import is_contested, is_cumulative
from pipeline.figures.frames import category_for
from pipeline.figures.groups import group_for
from pipeline.figures.negation import negated_figures
from pipeline.figures.phrases import Phrase, number_phrase, qualified
from pipeline.figures.places import location_for
from pipeline.figures.tolls import toll_category
from pipeline.records import Figure, Mention, Sentence


@dataclass
class _Count:
    """What a number phrase says once its noun and frame are read, before it becomes a Figure."""

    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    start: int  # first token of the figure's text (qualifier included)
    end: int  # exclusive; the counted noun included
    noun: Token | None
    category: str | None
    verb: Token | None
    summed: bool = False


def extract_figures(source_path: str, doc: Doc, sentences: list[Sentence], mentions: list[Mention]) -> list[Figure]:
    """All figures in a parsed body; offsets index the body the Doc was made from."""
    index = DocIndex(doc, sentences, mentions)
    figures: list[Figure] = []
    pending: list[Figure] = []  # figures waiting for a category from their sentence
    consumed: set[int] = set()
    i = 0
    while i < len(doc):
        if i in consumed:
            i += 1
            continue
        phrase = number_phrase(doc, i)
        if phrase is None:
            i += 1
            continue
        consumed.update(range(phrase.start, phrase.end))
        i = phrase.end
        built = _build_figure(index, source_path, phrase, consumed)
        if built is not None:
            figure, borrows_category = built
            (pending if borrows_category else figures).append(figure)
    _borrow_sentence_categories(pending, figures)
    figures.extend(negated_figures(index, source_path))
    figures.sort(key=lambda f: f.char_start)
    return in_conflict_context(doc, index, figures)


def _borrow_sentence_categories(pending: list[Figure], figures: list[Figure]) -> None:
    """A count of people with no frame of its own shares its sentence's category ("more than 30,000
    Taleban in Kunduz, but less than 10,000 are foreigners"); with none to share it is dropped."""
    for fig in pending:
        civilian = fig.counted in lx.CIVILIAN
        same = [
            f
            for f in figures
            if f.sentence_idx == fig.sentence_idx
            and f.category not in ("equipment", "strikes", "territory")
            and not (civilian and f.category in ("troops", "population"))
        ]
        if same:
            fig.category = same[0].category
            if fig.group_mention is None:
                fig.group_mention = same[0].group_mention
            figures.append(fig)


def _build_figure(index: DocIndex, source_path: str, phrase: Phrase, consumed: set[int]) -> tuple[Figure, bool] | None:
    """The figure of a number phrase and whether it must borrow its sentence's category; None if it is no figure."""
    doc = index.doc
    if fails_surface_checks(doc, phrase):
        return None
    noun, np_head = counted_noun(doc, phrase)
    cls = noun_class(index, noun)
    if fails_counted_checks(doc, phrase, noun, cls):
        return None
    assert cls is not None  # a noun of no class fails the counted checks
    if phrase.qualifier == "year?":
        phrase.qualifier = "exact"  # a year-like number that counts a noun: "2019 soldiers"
    count = _read_count(doc, phrase, noun, np_head, cls)
    total = coordinated_sum(noun, cls)
    if total is not None:
        category, verb = category_for("person", total.first, total.first)
        if category in (None, "troops", "population"):
            return None
        count = _Count(total.total, None, None, "exact", total.start, total.end, total.first, category, verb, summed=True)
        consumed.update(range(total.start, total.end))
    borrows_category = count.category is None
    if borrows_category and not _may_borrow_category(doc, phrase, noun, cls):
        return None
    return _figure(index, source_path, phrase, count, cls), borrows_category


def _read_count(doc: Doc, phrase: Phrase, noun: Token | None, np_head: Token, cls: str) -> _Count:
    """The phrase's value, qualifier, extent and category."""
    qualifier, start = qualified(doc, phrase)
    end = max(phrase.end, noun.i + 1) if noun is not None and noun.i >= phrase.start else phrase.end
    category, verb = category_for(cls, noun, np_head)
    if category is None and cls == "bare":
        category = toll_category(doc[phrase.end - 1])  # "the death toll rose to 45"
    return _Count(phrase.value, phrase.low, phrase.high, qualifier, start, end, noun, category, verb)


def _may_borrow_category(doc: Doc, phrase: Phrase, noun: Token | None, cls: str) -> bool:
    """A count of people with no frame that may take its sentence's category: the subject of a copula
    ("less than 10,000 are foreigners") or a part ("82 civilians, including 11 women and 13 children")."""
    last_tok = doc[phrase.end - 1]
    copula = last_tok.dep_ in ("nsubj", "nsubjpass") and last_tok.head.lemma_ == "be"
    part = any(t.lower_ in ("including", "among") for t in [noun.head if noun is not None else last_tok.head, last_tok.head])
    return cls in ("person", "bare", "nationals") and (copula or part)


def _figure(index: DocIndex, source_path: str, phrase: Phrase, count: _Count, cls: str) -> Figure:
    """The Figure record, with its group, place, speaker and flags."""
    doc = index.doc
    span = doc[count.start : count.end]
    number_tok = doc[phrase.start]
    noun = count.noun
    np_tokens = range(min(count.start, noun.left_edge.i if noun is not None else count.start), count.end)
    group = group_for(index, np_tokens, cls, count.category or "troops", count.verb, number_tok, noun)
    return Figure(
        source_path=source_path,
        sentence_idx=index.sentence_of_token[number_tok.i],
        text=span.text,
        value=count.value,
        value_low=count.low,
        value_high=count.high,
        qualifier=count.qualifier,
        category=count.category or "",
        counted=_counted_text(noun, cls, count.summed),
        char_start=span.start_char,
        char_end=span.end_char,
        group_mention=group,
        location_mention=location_for(index, np_tokens, number_tok, exclude={group} if group is not None else set()),
        attributed_to=attribution_for(index, number_tok),
        is_cumulative=is_cumulative(index, number_tok, count.start, count.category),
        is_contested=is_contested(index, number_tok),
    )


def _counted_text(noun: Token | None, cls: str, summed: bool) -> str | None:
    """The `counted` column: the noun's lemma with its noun compounds ("aid worker"); none for a named group."""
    if noun is None or cls == "group":
        return None
    counted = noun.lemma_.lower()
    if summed and counted in lx.KIN:
        counted = "civilian"  # a family counted together
    compounds = [c.lower_ for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
    return " ".join([*compounds, counted]) if compounds else counted
