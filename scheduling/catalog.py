"""What a client can book right now: subjects, teachers, days and free times.

Only slots that `scheduling.booking.book` would accept for this client are
offered: open, not full, after the minimum notice, within the horizon, of an
active teacher who teaches the subject, and not overlapping one of the
client's own active bookings. The database still has the last word when the
client confirms (someone may take the time in between).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from scheduling.models import (
    CANCELLED,
    SLOT_OPEN,
    Booking,
    Slot,
    Subject,
    Teacher,
    TeacherSubject,
    utcnow,
)
from scheduling.settings import CentreSettings, get_settings
from scheduling.slicing import local_day_bounds


def _fits_subject(subject_id: int):
    """Condition on Slot: a lesson of `subject_id` may take place in it."""
    teaches = exists().where(
        TeacherSubject.teacher_id == Slot.teacher_id,
        TeacherSubject.subject_id == subject_id,
    )
    return or_(
        Slot.subject_id == subject_id,
        and_(Slot.subject_id.is_(None), teaches),
    )


def _bookable(
    client_id: int,
    subject_id: int | None,
    settings: CentreSettings,
    now: dt.datetime,
    teacher_id: int | None = None,
):
    """Conditions on Slot (joined with Teacher) that make it bookable."""
    earliest = now + dt.timedelta(minutes=settings.booking_min_notice_min)
    latest = now + dt.timedelta(days=settings.booking_horizon_days)
    own_overlap = exists().where(
        Booking.client_id == client_id,
        Booking.status != CANCELLED,
        Booking.starts_at < Slot.ends_at,
        Booking.ends_at > Slot.starts_at,
    )
    conditions = [
        Slot.status == SLOT_OPEN,
        Slot.booked_count < Slot.capacity,
        Slot.starts_at >= earliest,
        Slot.starts_at <= latest,
        Teacher.is_active.is_(True),
        ~own_overlap,
    ]
    if subject_id is not None:
        conditions.append(_fits_subject(subject_id))
    if teacher_id is not None:
        conditions.append(Slot.teacher_id == teacher_id)
    return and_(*conditions)


def _slots(
    session: Session,
    client_id: int,
    subject_id: int,
    teacher_id: int | None,
    now: dt.datetime | None,
) -> tuple[Select, CentreSettings]:
    settings = get_settings(session)
    query = (
        select(Slot)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(_bookable(client_id, subject_id, settings, now or utcnow(), teacher_id))
        .options(joinedload(Slot.teacher))
        .order_by(Slot.starts_at, Teacher.full_name, Slot.id)
    )
    return query, settings


def subjects_with_free_slots(
    session: Session, client_id: int, now: dt.datetime | None = None
) -> list[Subject]:
    """Subjects in which the client can book at least one time."""
    settings = get_settings(session)
    now = now or utcnow()
    teaches = (
        select(TeacherSubject.subject_id)
        .join(Slot, Slot.teacher_id == TeacherSubject.teacher_id)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(
            _bookable(client_id, None, settings, now),
            or_(
                Slot.subject_id.is_(None), Slot.subject_id == TeacherSubject.subject_id
            ),
        )
    )
    return list(
        session.scalars(
            select(Subject).where(Subject.id.in_(teaches)).order_by(Subject.name)
        )
    )


def teachers_with_free_slots(
    session: Session, client_id: int, subject_id: int, now: dt.datetime | None = None
) -> list[Teacher]:
    """Teachers of the subject who have a time the client can book."""
    settings = get_settings(session)
    ids = (
        select(Slot.teacher_id)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(_bookable(client_id, subject_id, settings, now or utcnow()))
    )
    return list(
        session.scalars(
            select(Teacher).where(Teacher.id.in_(ids)).order_by(Teacher.full_name)
        )
    )


def days_with_free_slots(
    session: Session,
    client_id: int,
    subject_id: int,
    teacher_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[dt.date]:
    """Local dates (centre's timezone) with a bookable time, in order."""
    settings = get_settings(session)
    local_day = func.date(func.timezone(settings.timezone, Slot.starts_at))
    rows = session.scalars(
        select(distinct(local_day))
        .select_from(Slot)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(_bookable(client_id, subject_id, settings, now or utcnow(), teacher_id))
        .order_by(local_day)
    )
    return list(rows)


def free_slots_on_day(
    session: Session,
    client_id: int,
    subject_id: int,
    day: dt.date,
    teacher_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Bookable slots starting on local `day`, earliest first."""
    query, settings = _slots(session, client_id, subject_id, teacher_id, now)
    start, end = local_day_bounds(day, settings.tz)
    query = query.where(Slot.starts_at >= start, Slot.starts_at < end)
    return list(session.scalars(query).unique())


def next_free_slots(
    session: Session,
    client_id: int,
    subject_id: int,
    after: dt.datetime,
    teacher_id: int | None = None,
    limit: int = 6,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """The first bookable slots from `after` on: the offer after a refusal."""
    query, _ = _slots(session, client_id, subject_id, teacher_id, now)
    query = query.where(Slot.starts_at >= after).limit(limit)
    return list(session.scalars(query).unique())


def is_bookable(
    session: Session,
    client_id: int,
    slot_id: int,
    subject_id: int,
    now: dt.datetime | None = None,
) -> bool:
    """Whether the catalogue would offer this slot to the client now."""
    settings = get_settings(session)
    found = session.scalar(
        select(Slot.id)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(
            Slot.id == slot_id,
            _bookable(client_id, subject_id, settings, now or utcnow()),
        )
    )
    return found is not None


def move_targets(
    session: Session,
    booking: Booking,
    days: int,
    limit: int,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Slots staff may move `booking` to, the same teacher's first, then by time.

    Open, not full, starting within `days`, fit for the booking's subject and
    free of the client's other lessons. Staff are not held to the notice and
    horizon (`scheduling.booking.move` checks everything again).
    """
    now = now or utcnow()
    other_lessons = exists().where(
        Booking.client_id == booking.client_id,
        Booking.id != booking.id,
        Booking.status != CANCELLED,
        Booking.starts_at < Slot.ends_at,
        Booking.ends_at > Slot.starts_at,
    )
    query = (
        select(Slot)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .options(joinedload(Slot.teacher), joinedload(Slot.subject))
        .where(
            Slot.id != booking.slot_id,
            Slot.status == SLOT_OPEN,
            Slot.booked_count < Slot.capacity,
            Slot.starts_at > now,
            Slot.starts_at < now + dt.timedelta(days=days),
            Teacher.is_active.is_(True),
            ~other_lessons,
        )
        .order_by(Slot.teacher_id != booking.slot.teacher_id, Slot.starts_at, Slot.id)
        .limit(limit)
    )
    if booking.subject_id is not None:
        query = query.where(_fits_subject(booking.subject_id))
    return list(session.scalars(query).unique())
