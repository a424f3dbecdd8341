"""Run a per-chunk function over both cores, in order, in forked workers.

Each worker sets up what it needs on first use and keeps it for the pool's life: the spaCy
pipeline is loaded by the workers themselves (`pipeline.nlp.load_nlp`, cached per process), so
the parent stays small for the warehouse build. Workers return plain records, never spaCy Docs,
so little crosses the process boundary.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
READ_AHEAD = 4


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def iter_chunks(
    fn: Callable[[Sequence[T]], list[R]], items: Iterable[T], *, processes: int, chunk_size: int = 16
) -> Iterator[list[R]]:
    """`fn` over consecutive chunks of `items` in `processes` forked workers, yielding each chunk's
    results in input order as soon as it is ready (so the caller can convert and drop them).

    `items` may be a stream (a spool on disk): at most a few chunks per worker are read ahead,
    unlike `Pool.imap`, whose feeder thread would pull the whole input into its queue.
    """
    chunks = _chunks(items, chunk_size)
    head = list(islice(chunks, 2))
    if processes <= 1 or len(head) < 2:
        for chunk in chain(head, chunks):
            yield fn(chunk)
        return
    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes=processes, initializer=_worker_init)
    try:
        pending: deque = deque()
        for chunk in chain(head, chunks):
            pending.append(pool.apply_async(fn, (chunk,)))
            if len(pending) >= processes * READ_AHEAD:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
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


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Iterable[T], *, processes: int, chunk_size: int = 16) -> list[R]:
    """`fn` applied to consecutive chunks of `items` in `processes` forked workers; results in input order."""
    return [r for part in iter_chunks(fn, items, processes=processes, chunk_size=chunk_size) for r in part]
