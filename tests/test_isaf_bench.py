"""The ISAF count measure (bench/isaf.py) on made-up figures: no ../shared data needed."""

from __future__ import annotations

from bench.isaf import part_of, score, summed


def _fig(category: str, value: float | None, low: float | None = None, **flags: bool) -> dict:
    return {"category": category, "value": value, "value_low": low, "is_negated": False, "is_cumulative": False, "is_contested": False, **flags}


def test_sums_leave_out_negated_running_and_contested_figures_and_take_low_bounds() -> None:
    figures = [
        _fig("killed", 2),
        _fig("killed", None, 3),  # "several insurgents were killed": at least 3
        _fig("killed", 0, is_negated=True),
        _fig("killed", 45, is_cumulative=True),
        _fig("killed", 160, is_contested=True),
        _fig("captured", 4),
    ]
    assert (summed(figures, "killed"), summed(figures, "captured"), summed(figures, "wounded")) == (5, 4, 0)


def test_score_counts_releases_that_report_a_count_and_all_releases() -> None:
    gold = {
        "a.txt": {"min_killed": 5, "min_captured": 0},
        "b.txt": {"min_killed": 0, "min_captured": 2},
        "c.txt": {"min_killed": 1, "min_captured": 1},
    }
    predicted = {"a.txt": [_fig("killed", 5)], "b.txt": [_fig("captured", 3)], "c.txt": [_fig("killed", 1), _fig("captured", 1)]}
    s = score(gold, predicted)
    assert (s["reporting_killed"], s["killed_match"]) == (2, 1.0)
    assert (s["reporting_captured"], s["captured_match"]) == (2, 0.5)
    assert s["both_match_all"] == 2 / 3


def test_the_split_is_stable_and_about_half() -> None:
    parts = [part_of(f"isaf_{i:03d}.txt") for i in range(400)]
    assert parts == [part_of(f"isaf_{i:03d}.txt") for i in range(400)]
    assert 150 < parts.count("dev") < 250
