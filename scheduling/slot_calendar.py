"""Slots of a period as a calendar shows them: who, what, and how full.

One query per call whatever the number of slots (teachers and subjects are
joined in), so a calendar page costs the same with ten bookings or 100,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, joinedload

from scheduling.models import SLOT_OPEN, Slot, TeacherSubject, utcnow

# The states a calendar colours a slot by.
FREE, BOOKED, FULL, PAST = "free", "booked", "full", "past"
SLOT_STATES = (FREE, BOOKED, FULL, PAST)

# A calendar asks for a week or a month; more is refused, not slowly served.
MAX_PERIOD = dt.timedelta(days=62)
MAX_SLOTS = 3000


def slot_state(slot: Slot, now: dt.datetime | None = None) -> str:
    """Past once started; else full, booked (some places taken) or free."""
    now = now or utcnow()
    if slot.starts_at <= now:
        return PAST
    if slot.booked_count >= slot.capacity:
        return FULL
    if slot.booked_count > 0:
        return BOOKED
    return FREE


def slots_between(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    teacher_id: int | None = None,
    subject_id: int | None = None,
    limit: int = MAX_SLOTS,
) -> Sequence[Slot]:
    """Open slots, and closed ones still holding bookings, touching [start, end).

    `subject_id` keeps slots of that subject and open-subject slots of
    teachers who teach it. The period is cut to `MAX_PERIOD`.
    """
    end = min(end, start + MAX_PERIOD)
    query = (
        select(Slot)
        .options(joinedload(Slot.teacher), joinedload(Slot.subject))
        .where(
            Slot.starts_at < end,
            Slot.ends_at > start,
            or_(Slot.status == SLOT_OPEN, Slot.booked_count > 0),
        )
        .order_by(Slot.starts_at, Slot.id)
        .limit(limit)
    )
    if teacher_id is not None:
        query = query.where(Slot.teacher_id == teacher_id)
    if subject_id is not None:
        teaches = exists().where(
            TeacherSubject.teacher_id == Slot.teacher_id,
            TeacherSubject.subject_id == subject_id,
        )
        query = query.where(
            or_(
                Slot.subject_id == subject_id,
                and_(Slot.subject_id.is_(None), teaches),
            )
        )
    return session.scalars(query).all()
