"""The figure categories (the `figures.category` column) and what each means.

`frames.py` reads a figure's category off the words around it; the sets below say which
categories the other rules apply to.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "troops": 'fighters or forces present, deployed or fighting: a strength ("300 fighters attacked")',
    "killed": 'people killed or dead ("12 villagers were killed", "the death toll rose to 45")',
    "wounded": "people wounded or injured",
    "captured": 'people captured, arrested, detained or held ("25 soldiers were captured")',
    "released": "hostages or prisoners freed, exchanged or rescued",
    "surrendered": "fighters who surrendered or laid down their arms",
    "executed": "people executed, beheaded or hanged",
    "defected": "fighters or officers who defected or deserted",
    "displaced": "people who fled or were displaced, evacuated or made refugees",
    "missing": "people missing",
    "population": 'people living in a place ("a city of 300,000", "250,000 people remain")',
    "equipment": 'vehicles, aircraft and weapons ("two tanks")',
    "strikes": 'attacks counted as events ("40 airstrikes")',
    "territory": 'places taken, held or lost ("seized 12 districts")',
    "other": "reserved by the warehouse contract; the rules do not produce it",
}

# Losses and flows: only these accumulate into running totals ("8,000 fighters ... since July" is a strength).
ACCUMULATING = frozenset(
    {"killed", "wounded", "captured", "released", "displaced", "missing", "executed", "strikes", "surrendered", "defected"}
)
# What "no civilians were killed", "none of the soldiers was hurt" can say (value 0).
NEGATABLE = frozenset(
    {"troops", "killed", "wounded", "captured", "missing", "executed", "displaced", "released", "surrendered", "defected"}
)
# Counts of one side's fighters: a group named nearby is their side.
SIDED = frozenset({"troops", "killed", "captured", "executed", "surrendered", "defected", "wounded", "missing"})
