"""Pure functions that cut free time into slots. No database here.

An interval is a half-open pair ``(start, end)`` of timezone-aware datetimes.
Breaks are daily wall-clock intervals in the centre's timezone; they are
subtracted first, then each remaining piece is cut into whole slots from its
start, and a partial slot at the end of a piece is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

Interval = tuple[dt.datetime, dt.datetime]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals; drop empty ones."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def local_day_bounds(day: dt.date, tz: ZoneInfo) -> Interval:
    """The instants at which the local `day` starts and ends (DST-aware)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_interval(
    day: dt.date, start: dt.time, end: dt.time | None, tz: ZoneInfo
) -> Interval:
    """The instants of wall-clock `start`-`end` on local `day`.

    `end` of None or at or before `start` means the next day's wall time (so
    22:30-02:00 crosses midnight and 09:00-00:00 ends at 24:00).
    """
    begin = dt.datetime.combine(day, start, tzinfo=tz)
    end_day = day if end is not None and end > start else day + dt.timedelta(days=1)
    finish = dt.datetime.combine(end_day, end or dt.time(0), tzinfo=tz)
    return begin.astimezone(dt.UTC), finish.astimezone(dt.UTC)


def break_intervals(
    span: Interval, breaks: Sequence[tuple[dt.time, dt.time]], tz: ZoneInfo
) -> list[Interval]:
    """Every occurrence of the daily breaks that touches `span`."""
    first = span[0].astimezone(tz).date() - dt.timedelta(days=1)
    last = span[1].astimezone(tz).date()
    found = []
    day = first
    while day <= last:
        for b_start, b_end in breaks:
            end = None if b_end == dt.time.max else b_end
            found.append(local_interval(day, b_start, end, tz))
        day += dt.timedelta(days=1)
    return merge_intervals(i for i in found if i[0] < span[1] and i[1] > span[0])


def subtract(interval: Interval, holes: Sequence[Interval]) -> list[Interval]:
    """`interval` minus the merged, sorted `holes`."""
    pieces = []
    cursor, end = interval
    for h_start, h_end in holes:
        if h_end <= cursor or h_start >= end:
            continue
        if h_start > cursor:
            pieces.append((cursor, h_start))
        cursor = max(cursor, h_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def slice_interval(
    interval: Interval,
    duration: dt.timedelta,
    breaks: Sequence[tuple[dt.time, dt.time]],
    tz: ZoneInfo,
) -> list[Interval]:
    """Whole slots of `duration` inside `interval`, none touching a break."""
    if duration <= dt.timedelta(0):
        raise ValueError("slot duration must be positive")
    slots = []
    for start, end in subtract(interval, break_intervals(interval, breaks, tz)):
        cursor = start
        while cursor + duration <= end:
            slots.append((cursor, cursor + duration))
            cursor += duration
    return slots


def slice_availability(
    intervals: Iterable[Interval],
    duration: dt.timedelta,
    breaks: Sequence[tuple[dt.time, dt.time]],
    tz: ZoneInfo,
) -> list[Interval]:
    """Slots for a set of availability intervals (merged first)."""
    slots: list[Interval] = []
    for interval in merge_intervals(intervals):
        slots.extend(slice_interval(interval, duration, breaks, tz))
    return slots
