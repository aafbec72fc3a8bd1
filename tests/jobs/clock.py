"""Moments in the centre's timezone, for the job tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """The UTC instant of a Moscow wall-clock time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW).astimezone(
        dt.UTC
    )
