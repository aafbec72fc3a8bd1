"""Cutting free time into slots: named boundary cases and properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.slicing import local_interval, merge_intervals, slice_interval

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 12, 7)
LUNCH = [(dt.time(13), dt.time(14))]


def local(hour: int, minute: int = 0, day: dt.date = DAY, tz=MSK) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(dt.UTC)


def wall(slots, tz=MSK) -> list[str]:
    return [s.astimezone(tz).strftime("%H:%M") for s, _ in slots]


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def test_a_45_minute_slot_does_not_fit_into_half_an_hour():
    assert slice_interval((local(16, 30), local(17)), minutes(45), [], MSK) == []


def test_a_partial_slot_at_the_end_is_dropped():
    slots = slice_interval((local(9), local(11, 15)), minutes(60), [], MSK)
    assert wall(slots) == ["09:00", "10:00"]


def test_breaks_are_skipped_and_slicing_restarts_after_them():
    slots = slice_interval((local(11), local(16)), minutes(45), LUNCH, MSK)
    assert wall(slots) == ["11:00", "11:45", "14:00", "14:45"]


def test_availability_crossing_midnight_with_60_minute_slots():
    interval = local_interval(DAY, dt.time(22, 30), dt.time(2), MSK)
    slots = slice_interval(interval, minutes(60), LUNCH, MSK)
    assert wall(slots) == ["22:30", "23:30", "00:30"]
    assert slots[-1][1] == local(1, 30, DAY + dt.timedelta(days=1))


def test_availability_ending_at_midnight_gives_the_last_evening_slot():
    interval = local_interval(DAY, dt.time(21), None, MSK)
    slots = slice_interval(interval, minutes(60), [], MSK)
    assert wall(slots) == ["21:00", "22:00", "23:00"]


def test_breaks_given_in_any_order_give_the_same_slots():
    breaks = [(dt.time(13), dt.time(14)), (dt.time(10), dt.time(10, 30))]
    interval = (local(8), local(18))
    forward = slice_interval(interval, minutes(50), breaks, MSK)
    backward = slice_interval(interval, minutes(50), list(reversed(breaks)), MSK)
    assert forward == backward and forward


def test_slots_keep_real_length_across_a_dst_change():
    spring = dt.date(2026, 3, 29)  # Berlin moves 02:00 -> 03:00
    interval = local_interval(spring, dt.time(0), dt.time(6), BERLIN)
    slots = slice_interval(interval, minutes(60), [], BERLIN)
    assert len(slots) == 5
    assert all(end - start == minutes(60) for start, end in slots)


def test_touching_intervals_merge():
    a, b = (local(9), local(10)), (local(10), local(11))
    assert merge_intervals([b, a]) == [(local(9), local(11))]


# Properties -----------------------------------------------------------------

quarter_hours = st.integers(min_value=0, max_value=24 * 4 - 1)


@st.composite
def availability(draw):
    """A local interval of up to 30 hours starting on a quarter hour."""
    start_q = draw(quarter_hours)
    length_q = draw(st.integers(min_value=1, max_value=30 * 4))
    start = local(0) + minutes(15 * start_q)
    return start, start + minutes(15 * length_q)


@st.composite
def break_list(draw):
    """Up to three non-overlapping daily breaks, in random order."""
    edges = sorted(draw(st.sets(st.integers(1, 23 * 4), max_size=6)))
    pairs = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    breaks = [
        (dt.time(a // 4, a % 4 * 15), dt.time(b // 4, b % 4 * 15)) for a, b in pairs
    ]
    return draw(st.permutations(breaks))


@settings(max_examples=300, deadline=None)
@given(
    interval=availability(),
    breaks=break_list(),
    length=st.sampled_from([30, 45, 50, 60, 90]),
)
def test_slices_have_the_length_lie_inside_and_never_overlap_or_touch_a_break(
    interval, breaks, length
):
    slots = slice_interval(interval, minutes(length), breaks, MSK)
    for start, end in slots:
        assert end - start == minutes(length)
        assert interval[0] <= start and end <= interval[1]
        for b_start, b_end in breaks:
            for day_offset in (-1, 0, 1, 2):
                day = start.astimezone(MSK).date() + dt.timedelta(days=day_offset)
                br = local_interval(day, b_start, b_end, MSK)
                assert end <= br[0] or start >= br[1]
    for (_, prev_end), (next_start, _) in zip(slots, slots[1:], strict=False):
        assert prev_end <= next_start
