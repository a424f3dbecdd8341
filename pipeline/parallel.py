"""Run a per-item function over both cores, in order, with per-process state set up once.

Workers are forked after the parent has loaded what they need (the spaCy pipeline), so the
model's memory is shared copy-on-write and never loaded twice; each worker returns plain
records, never spaCy Docs, so little crosses the process boundary.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def iter_chunks(
    fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, processes: int, chunk_size: int = 16
) -> Iterator[list[R]]:
    """`fn` over consecutive chunks of `items` in `processes` forked workers, yielding each chunk's
    results in input order as soon as it is ready (so the caller can convert and drop them)."""
    if processes <= 1 or len(items) <= chunk_size:
        for chunk in _chunks(items, chunk_size):
            yield fn(chunk)
        return
    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes=processes, initializer=_worker_init)
    try:
        yield from pool.imap(fn, _chunks(items, chunk_size))
        pool.close()  # workers take their end-of-work sentinel and exit on their own
        pool.join()
    finally:
        pool.terminate()  # on an error or an early stop: SIGTERM, which _worker_init made fatal


def _worker_init() -> None:
    """Undo signal handlers inherited from the parent.

    A forked worker inherits the parent's Python signal handlers; a host that handles SIGTERM
    without exiting (an orchestrator's graceful-shutdown hook, a test runner) would otherwise
    leave a worker alive after `Pool.terminate()`, and the parent waiting for it forever.
    Ctrl-C is the parent's to handle: it stops the pool.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, processes: int, chunk_size: int = 16) -> list[R]:
    """`fn` applied to consecutive chunks of `items` in `processes` forked workers; results in input order."""
    return [r for part in iter_chunks(fn, items, processes=processes, chunk_size=chunk_size) for r in part]
