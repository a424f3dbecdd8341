"""Third-party parsers' per-page chatter, kept off the console and counted.

The HTML extractors and date parser report odd pages themselves, one message per page:

- boilerpy3 logs "SAX input contains nested A elements ... Trying to recover somehow..." at
  WARNING (logger `boilerpy3`) for any page with a link inside a link, and logs "Error parsing
  HTML" with a traceback at ERROR when it gives up on a page;
- trafilatura (and justext behind it), readability, htmldate and courlan log odd pages on their
  own loggers;
- dateutil (`UnknownTimezoneWarning` for a zone such as "WIB") and lxml_html_clean, behind
  readability (`AmbiguousURLWarning`), use the `warnings` module.

With no logging configured, Python prints each of these to stderr, so a run flooded the console
and the Dagster logs. Here every one of them is re-logged at DEBUG on `pipeline.clean.chatter`
(`logging.getLogger("pipeline.clean.chatter").setLevel(logging.DEBUG)` shows them), and the
pages that produced any are counted per process (`take_noisy_pages`); the clean stage adds the
counts up (`CleanResult.pages_with_parser_warnings`, shown on the `clean_articles` asset). The pipeline reports what
is wrong with an article itself (quarantine rows, NULL metadata with a warning).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

LIBRARY_LOGGERS = ("boilerpy3", "trafilatura", "readability", "htmldate", "courlan", "justext", "lxml_html_clean")
# Messages re-logged per page at most; the rest of a pathological page's warnings are only counted.
MAX_MESSAGES_PER_PAGE = 20


class _Tally:
    """Per-process counts: messages heard on the current page, pages that had any."""

    heard = 0
    noisy_pages = 0


class _ToDebug(logging.Handler):
    """Takes a library's WARNING-and-above records and re-logs them at DEBUG."""

    def emit(self, record: logging.LogRecord) -> None:
        _Tally.heard += 1
        if _Tally.heard <= MAX_MESSAGES_PER_PAGE:
            exc = record.exc_info[1] if record.exc_info else None
            suffix = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
            log.debug("%s: %s%s", record.name, record.getMessage(), suffix)


def route_library_logs() -> None:
    """Send the libraries' log records to `_ToDebug` only (idempotent; runs at import).

    Their level is WARNING, so their own DEBUG and INFO records are never even built, and
    `propagate` is off, so no root handler (or Python's last-resort stderr handler) sees them.
    """
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if not isinstance(h, _ToDebug)] + [_HANDLER]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


@contextmanager
def page_chatter() -> Iterator[None]:
    """Around the cleaning of one page: its `warnings` are caught and re-logged at DEBUG, and the
    page is counted when it produced any warning or library log record."""
    _Tally.heard = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # every page's own warnings, not only the first in the process
        try:
            yield
        finally:
            for item in caught[: max(0, MAX_MESSAGES_PER_PAGE - _Tally.heard)]:
                log.debug("%s: %s", item.category.__name__, item.message)
            if caught or _Tally.heard:
                _Tally.noisy_pages += 1
            _Tally.heard = 0


def take_noisy_pages() -> int:
    """Pages cleaned in this process since the last call that made a library warn; resets to 0.

    Cleaning runs in forked workers, so each worker keeps its own count: call this where a chunk
    of records has been cleaned and carry the number back with the chunk's results.
    """
    count, _Tally.noisy_pages = _Tally.noisy_pages, 0
    return count


_HANDLER = _ToDebug(logging.DEBUG)
route_library_logs()
