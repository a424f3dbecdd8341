"""The warehouse's clock: naive UTC timestamps."""

from __future__ import annotations

from datetime import datetime, timezone


def now_utc() -> datetime:
    """The current time as naive UTC, the warehouse's TIMESTAMP convention (microseconds)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
