"""Run a per-item function over both cores, in order, with per-process state set up once.

Workers are forked after the parent has loaded what they need (the spaCy pipeline), so the
model's memory is shared copy-on-write and never loaded twice; each worker returns plain
records, never spaCy Docs, so little crosses the process boundary.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, processes: int, chunk_size: int = 16) -> list[R]:
    """`fn` applied to consecutive chunks of `items` in `processes` forked workers; results in input order."""
    if processes <= 1 or len(items) <= chunk_size:
        return fn(items)
    context = multiprocessing.get_context("fork")
    results: list[R] = []
    with context.Pool(processes=processes) as pool:
        for part in pool.imap(fn, list(_chunks(items, chunk_size))):
            results.extend(part)
    return results
