"""Asking teachers, once a lesson is over, who came: the lessons to mark.

`queue_attendance_requests` is called by the periodic tick; the outbox key
``attendance:<slot id>`` makes it safe to run any number of times. The marks
themselves go through `scheduling.attendance.mark_attendance`.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from scheduling.errors import ForbiddenError, NotFoundError
from scheduling.models import (
    ACTIVE_BOOKING_STATES,
    BOOKED,
    Booking,
    Slot,
    Teacher,
    utcnow,
)
from scheduling.outbox import queue_message

logger = logging.getLogger(__name__)

ATTENDANCE_REQUEST = "attendance_request"
# A tick that was down for a while still asks about lessons this recent; older
# ones are left to the panel (asking days later helps nobody).
LOOKBACK = dt.timedelta(hours=24)


def queue_attendance_requests(session: Session, now: dt.datetime | None = None) -> int:
    """Queue one "who came?" message per ended lesson with unmarked clients.

    Returns the number of messages queued by this call.
    """
    now = now or utcnow()
    unmarked = exists().where(Booking.slot_id == Slot.id, Booking.status == BOOKED)
    rows = session.execute(
        select(Slot.id, Teacher.telegram_user_id)
        .join(Teacher, Teacher.id == Slot.teacher_id)
        .where(
            Slot.ends_at <= now,
            Slot.ends_at > now - LOOKBACK,
            Teacher.is_active.is_(True),
            Teacher.telegram_user_id.is_not(None),
            unmarked,
        )
        .order_by(Slot.ends_at, Slot.id)
    ).all()
    queued = 0
    for slot_id, chat_id in rows:
        if queue_message(
            session,
            key=f"attendance:{slot_id}",
            chat_id=chat_id,
            kind=ATTENDANCE_REQUEST,
            payload={"slot_id": slot_id},
        ):
            queued += 1
            logger.info("attendance request queued slot=%s", slot_id)
    return queued


def lessons_to_mark(
    session: Session,
    teacher_id: int,
    now: dt.datetime | None = None,
    lookback: dt.timedelta = LOOKBACK,
) -> list[Slot]:
    """The teacher's lessons that have started recently and have clients in them."""
    now = now or utcnow()
    with_clients = exists().where(
        Booking.slot_id == Slot.id, Booking.status.in_(ACTIVE_BOOKING_STATES)
    )
    return list(
        session.scalars(
            select(Slot)
            .where(
                Slot.teacher_id == teacher_id,
                Slot.starts_at <= now,
                Slot.ends_at > now - lookback,
                with_clients,
            )
            .order_by(Slot.starts_at)
        )
    )


def lesson_for_teacher(session: Session, slot_id: int, teacher_id: int) -> Slot:
    """The teacher's own slot with its bookings and their clients loaded.

    :raise NotFoundError: no such slot.
    :raise ForbiddenError: another teacher's slot.
    """
    slot = session.scalar(
        select(Slot)
        .where(Slot.id == slot_id)
        .options(
            selectinload(Slot.bookings).joinedload(Booking.client),
            joinedload(Slot.subject),
        )
        .execution_options(populate_existing=True)
    )
    if slot is None:
        raise NotFoundError("slot_not_found")
    if slot.teacher_id != teacher_id:
        raise ForbiddenError()
    return slot
