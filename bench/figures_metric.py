"""Scoring extracted figures against hand labels (seeds gold format).

A gold figure is located by its `text` in the cleaned body; a predicted figure whose span
overlaps it is its match (one-to-one, same value first). Four criteria are scored:
value; value + category; value + qualifier; value + attribution. Predictions matched to an
optional gold figure count only when right; unmatched optional gold figures are no loss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'"})


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleResult:
    counts: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # required gold figures not matched on value + category
    false_alarms: list[str] = field(default_factory=list)  # predictions matching no gold figure
    not_figure_hits: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # matched on value, wrong qualifier or attribution


def _norm_name(text: str | None) -> str | None:
    if not text:
        return None
    return re.sub(r"^(the|a|an)\s+", "", text.strip().lower().translate(DASHES))


def value_matches(pred: dict, gold: dict) -> bool:
    if gold["value"] is not None:
        return pred["value"] is not None and abs(pred["value"] - gold["value"]) < 1e-6
    return (
        pred["value"] is None
        and pred["value_low"] == gold.get("low")
        and (gold.get("high") is None or pred["value_high"] == gold["high"])
    )


CRITERIA: dict[str, Callable[[dict, dict], bool]] = {
    "value": value_matches,
    "value+category": lambda p, g: value_matches(p, g) and p["category"] in g["category"],
    "qualifier": lambda p, g: value_matches(p, g) and p["qualifier"] == g["qualifier"],
    "attribution": lambda p, g: value_matches(p, g) and _norm_name(p["attributed_to"]) == _norm_name(g["attributed_to"]),
}


def score_article(
    body: str, predicted: Sequence[dict], gold_figures: Sequence[dict], not_figures: Sequence[str]
) -> ArticleResult:
    """Per-criterion counts for one article; `predicted` rows carry the figures table's columns."""
    text = body.translate(DASHES)
    spans = []
    for g in gold_figures:
        start = text.find(g["text"].translate(DASHES))
        spans.append((start, start + len(g["text"])) if start >= 0 else None)
    pairs: dict[int, int] = {}  # gold index -> predicted index
    used: set[int] = set()
    for strict in (True, False):
        for gi, g in enumerate(gold_figures):
            if gi in pairs or spans[gi] is None:
                continue
            a, b = spans[gi]
            for pi, p in enumerate(predicted):
                if pi in used or not (p["char_start"] < b and p["char_end"] > a):
                    continue
                if strict and not value_matches(p, g):
                    continue
                pairs[gi], _ = pi, used.add(pi)
                break
    result = ArticleResult()
    for name, ok in CRITERIA.items():
        c = Counts()
        for gi, g in enumerate(gold_figures):
            pi = pairs.get(gi)
            right = pi is not None and ok(predicted[pi], g)
            if right:
                c.tp += 1
            elif g.get("required", True):
                c.fn += 1
            if pi is not None and not right:
                c.fp += 1
        c.fp += len(predicted) - len(pairs)
        result.counts[name] = c
    for gi, g in enumerate(gold_figures):
        pi = pairs.get(gi)
        if g.get("required", True) and (pi is None or not CRITERIA["value+category"](predicted[pi], g)):
            got = predicted[pi] if pi is not None else None
            result.misses.append(
                f"{g['text']!r} want {g['value']} {g['category']}"
                + (f", got {got['value']} {got['category']}" if got else ", not found")
            )
    result.false_alarms = [p["text"] for pi, p in enumerate(predicted) if pi not in used]
    for gi, g in enumerate(gold_figures):
        pi = pairs.get(gi)
        if pi is None or not value_matches(predicted[pi], g):
            continue
        p = predicted[pi]
        if p["qualifier"] != g["qualifier"]:
            result.mismatches.append(f"{g['text']!r} qualifier {p['qualifier']} want {g['qualifier']}")
        if _norm_name(p["attributed_to"]) != _norm_name(g["attributed_to"]):
            result.mismatches.append(f"{g['text']!r} attributed_to {p['attributed_to']!r} want {g['attributed_to']!r}")
    for nf in not_figures:
        for m in re.finditer(re.escape(nf.translate(DASHES)), text):
            if any(p["char_start"] < m.end() and p["char_end"] > m.start() and _digits_overlap(p, m, text) for p in predicted):
                result.not_figure_hits.append(nf)
    return result


def _digits_overlap(pred: dict, match: re.Match, text: str) -> bool:
    """A not_figure counts as extracted only if the predicted span covers one of its digits or number words."""
    lo, hi = max(pred["char_start"], match.start()), min(pred["char_end"], match.end())
    return bool(
        re.search(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|dozen)\b", text[lo:hi], re.I)
    )
