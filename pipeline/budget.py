"""A per-document time limit, so one pathological input cannot stall a run.

The limit raises `DocumentTimeout` in the middle of whatever Python code is running (HTML
parsing, extraction, NLP between pieces); the caller turns it into a quarantine row. It is a
BaseException, like KeyboardInterrupt, so the `except Exception` around each extractor cannot
swallow it. Uses SIGALRM, which only the main thread can receive: elsewhere (and on systems
without it) the limit is not enforced, and the size caps still bound the work.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DocumentTimeout(BaseException):
    """A document took longer than its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in this block after `seconds` of wall time (None or 0: no limit)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum: int, frame: FrameType | None) -> None:
        raise DocumentTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
