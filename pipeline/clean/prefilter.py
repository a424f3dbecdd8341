"""A literal prefilter for regex rules: the words a pattern cannot match without.

Most text rules are phrases ("your support helps", "sign up for"), and almost every segment of
an article matches none of them; running each regex on each segment was the largest cost of the
text passes. `required_literals` reads a compiled pattern's parse tree and returns strings of
which at least one must occur (casefolded) in any text the pattern matches, or None when the
pattern promises none. `RuleList.first_kind` checks those with `in` before running a regex, so
the result is exactly the regexes'.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_LITERAL, _BRANCH, _SUBPATTERN = sre_constants.LITERAL, sre_constants.BRANCH, sre_constants.SUBPATTERN
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None))
# Shorter literals would pass nearly every segment and only add work.
_MIN_LITERAL = 3


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Casefolded strings, one of which occurs in every match of `pattern`; None if unknown."""
    return _sequence(sre_parse.parse(pattern.pattern, pattern.flags))


def _sequence(items) -> frozenset[str] | None:  # noqa: ANN001 - sre_parse.SubPattern
    """Best requirement of a sequence: each literal run and each required sub-item is a candidate;
    the one whose shortest alternative is longest is the most selective."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if len("".join(run)) >= _MIN_LITERAL:
            candidates.append(frozenset(["".join(run).casefold()]))
        run.clear()

    for op, arg in items:
        if op is _LITERAL:
            run.append(chr(arg))
            continue
        close_run()
        found = _item(op, arg)
        if found:
            candidates.append(found)
    close_run()
    return max(candidates, key=lambda alts: min(len(a) for a in alts), default=None)


def _item(op, arg) -> frozenset[str] | None:  # noqa: ANN001
    if op is _SUBPATTERN:
        return _sequence(arg[-1])
    if op is _BRANCH:
        alternatives: set[str] = set()
        for branch in arg[1]:
            found = _sequence(branch)
            if not found:
                return None  # a branch that needs no literal lets anything through
            alternatives |= found
        return frozenset(alternatives)
    if op in _REPEATS and op is not None and arg[0] >= 1:
        return _sequence(arg[2])
    return None


class RuleList:
    """Ordered (kind, pattern) rules; `first_kind` gives the kind of the first rule whose pattern
    matches, exactly as trying each regex in turn would, but runs only the regexes whose
    required literals the text contains (each distinct literal is looked for once per text)."""

    def __init__(self, rules: list[tuple[str, re.Pattern[str]]]) -> None:
        self.rules = [(kind, pattern, required_literals(pattern)) for kind, pattern in rules]
        self.literals = tuple(sorted({lit for _, _, lits in self.rules if lits for lit in lits}))

    def first_kind(self, text: str) -> str | None:
        folded = text.casefold()
        present = {lit for lit in self.literals if lit in folded}
        for kind, pattern, literals in self.rules:
            if (literals is None or not literals.isdisjoint(present)) and pattern.search(text):
                return kind
        return None
