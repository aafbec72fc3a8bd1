"""A teacher's free time, and the slots cut from it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from scheduling.errors import NotFoundError, RuleError, SchedulingError
from scheduling.models import (
    SLOT_CLOSED,
    SLOT_OPEN,
    Availability,
    Booking,
    Slot,
    Teacher,
    TeacherSubject,
)
from scheduling.settings import CentreSettings, get_settings
from scheduling.slicing import (
    Interval,
    local_day_bounds,
    local_interval,
    merge_intervals,
    slice_availability,
)

logger = logging.getLogger(__name__)


@dataclass
class ResliceResult:
    """What re-slicing a window did to a teacher's slots."""

    created: list[Interval] = field(default_factory=list)
    removed: int = 0
    kept_booked: list[Slot] = field(default_factory=list)


# Places in one slot: a group lesson, not a lecture hall.
MAX_CAPACITY = 100


def check_capacity(capacity: int) -> None:
    """Refuse a slot with fewer than 1 or more than MAX_CAPACITY places."""
    if not 1 <= capacity <= MAX_CAPACITY:
        raise RuleError("invalid_capacity", limit=MAX_CAPACITY)


@dataclass(frozen=True)
class SlotTemplate:
    """What new slots are like: open to any subject of the teacher, or one."""

    subject_id: int | None = None
    capacity: int = 1

    def check(self, session: Session, teacher_id: int) -> None:
        """Refuse a capacity out of range or a subject the teacher does not teach."""
        check_capacity(self.capacity)
        if self.subject_id is None:
            return
        taught = session.scalar(
            select(TeacherSubject.id).where(
                TeacherSubject.teacher_id == teacher_id,
                TeacherSubject.subject_id == self.subject_id,
            )
        )
        if taught is None:
            raise RuleError("subject_not_taught")


def lock_teacher(session: Session, teacher_id: int) -> Teacher:
    """Load and row-lock the teacher so their schedule changes one at a time."""
    teacher = session.get(Teacher, teacher_id, with_for_update=True)
    if teacher is None:
        raise NotFoundError("teacher_not_found")
    return teacher


def set_availability(
    session: Session,
    teacher_id: int,
    window: Interval,
    intervals: Iterable[Interval],
    settings: CentreSettings | None = None,
    template: SlotTemplate | None = None,
) -> ResliceResult:
    """Replace the teacher's availability inside `window` and re-slice it.

    Booked slots always stay; free slots no longer inside availability are
    removed; new slots are added where nothing overlaps. Calling it twice
    with the same input changes nothing the second time.
    """
    settings = settings or get_settings(session)
    lock_teacher(session, teacher_id)
    w_start, w_end = window
    wanted = merge_intervals(
        (max(s, w_start), min(e, w_end))
        for s, e in intervals
        if s < w_end and e > w_start
    )
    for start, end in wanted:
        if end <= start:
            raise SchedulingError("invalid_interval")

    # Availability is stored merged; rows straddling the window are trimmed.
    straddling = session.scalars(
        select(Availability).where(
            Availability.teacher_id == teacher_id,
            # Touching rows too, so that adjacent free time merges.
            Availability.starts_at <= w_end,
            Availability.ends_at >= w_start,
        )
    ).all()
    outside: list[Interval] = []
    for row in straddling:
        if row.starts_at < w_start:
            outside.append((row.starts_at, w_start))
        if row.ends_at > w_end:
            outside.append((w_end, row.ends_at))
        session.delete(row)
    session.flush()
    for start, end in merge_intervals([*outside, *wanted]):
        session.add(Availability(teacher_id=teacher_id, starts_at=start, ends_at=end))

    result = reslice(session, teacher_id, window, wanted, settings, template)
    logger.info(
        "availability set teacher=%s window=%s..%s created=%s removed=%s kept=%s",
        teacher_id,
        w_start.isoformat(),
        w_end.isoformat(),
        len(result.created),
        result.removed,
        len(result.kept_booked),
    )
    return result


def reslice(
    session: Session,
    teacher_id: int,
    window: Interval,
    availability: Sequence[Interval],
    settings: CentreSettings,
    template: SlotTemplate | None = None,
) -> ResliceResult:
    """Make the open slots inside `window` match `availability`.

    New slots take their subject and capacity from `template`.
    """
    template = template or SlotTemplate()
    result = ResliceResult()
    breaks = [(b.start, b.end) for b in settings.breaks]
    wanted = slice_availability(
        availability, settings.slot_duration, breaks, settings.tz
    )
    existing = session.scalars(
        select(Slot).where(
            Slot.teacher_id == teacher_id,
            Slot.status == SLOT_OPEN,
            Slot.starts_at < window[1],
            Slot.ends_at > window[0],
        )
    ).all()
    keep: list[Interval] = []
    wanted_set = set(wanted)
    for slot in existing:
        span = (slot.starts_at, slot.ends_at)
        if slot.booked_count > 0:
            result.kept_booked.append(slot)
            keep.append(span)
        elif span in wanted_set:
            keep.append(span)
        else:
            _retire_slot(session, slot)
            result.removed += 1
    session.flush()
    for start, end in wanted:
        if any(start < k_end and end > k_start for k_start, k_end in keep):
            continue
        session.add(
            Slot(
                teacher_id=teacher_id,
                starts_at=start,
                ends_at=end,
                subject_id=template.subject_id,
                capacity=template.capacity,
            )
        )
        result.created.append((start, end))
    session.flush()
    return result


def _retire_slot(session: Session, slot: Slot) -> None:
    """Remove a free slot; one with cancelled bookings is closed, not deleted."""
    has_history = session.scalar(select(exists().where(Booking.slot_id == slot.id)))
    if has_history:
        slot.status = SLOT_CLOSED
    else:
        session.execute(delete(Slot).where(Slot.id == slot.id))


def add_availability(
    session: Session,
    teacher_id: int,
    intervals: Iterable[Interval],
    settings: CentreSettings | None = None,
    template: SlotTemplate | None = None,
) -> ResliceResult:
    """Add free time to what the teacher already has, and slice it."""
    new = merge_intervals(intervals)
    if not new:
        return ResliceResult()
    window = (new[0][0], new[-1][1])
    existing = session.execute(
        select(Availability.starts_at, Availability.ends_at).where(
            Availability.teacher_id == teacher_id,
            Availability.starts_at <= window[1],
            Availability.ends_at >= window[0],
        )
    ).all()
    current = [(start, end) for start, end in existing]
    return set_availability(
        session, teacher_id, window, [*current, *new], settings, template
    )


def bulk_schedule(
    session: Session,
    teacher_id: int,
    days: Iterable[dt.date],
    start: dt.time,
    end: dt.time | None,
    settings: CentreSettings | None = None,
    template: SlotTemplate | None = None,
) -> ResliceResult:
    """Add the same local hours on several days in one go (all or nothing).

    `end` of None or not after `start` runs past midnight (to 24:00 for 00:00).
    `template` limits the new slots to one subject the teacher teaches and
    sets their capacity (group lessons). The caller's transaction makes it
    atomic: a failure leaves every day as it was.
    """
    settings = settings or get_settings(session)
    template = template or SlotTemplate()
    template.check(session, teacher_id)
    intervals = [local_interval(day, start, end, settings.tz) for day in days]
    return add_availability(session, teacher_id, intervals, settings, template)


def set_day_availability(
    session: Session,
    teacher_id: int,
    day: dt.date,
    intervals: Iterable[Interval],
    settings: CentreSettings | None = None,
) -> ResliceResult:
    """Replace the teacher's availability on one local day of the centre."""
    settings = settings or get_settings(session)
    window = local_day_bounds(day, settings.tz)
    return set_availability(session, teacher_id, window, intervals, settings)


def hours_to_intervals(
    day: dt.date, hours: Iterable[int], settings: CentreSettings
) -> list[Interval]:
    """Local whole hours of `day` (0-23) as merged UTC intervals."""
    tz = settings.tz
    intervals = []
    for hour in sorted(set(hours)):
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
        intervals.append(
            (
                start.astimezone(dt.UTC),
                (start + dt.timedelta(hours=1)).astimezone(dt.UTC),
            )
        )
    return merge_intervals(intervals)
