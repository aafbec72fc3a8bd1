"""The demo centre's lessons: about half the slots booked, with a believable past.

Lessons to come are booked through `scheduling.booking`; lessons already
begun cannot be (the rules refuse the past), so they are written directly
with their outcome and history, as the centre would have recorded them.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduling.booking import Actor, book, cancel
from scheduling.errors import SchedulingError
from scheduling.models import (
    ATTENDED,
    BOOKED,
    CANCELLED,
    NO_SHOW,
    SLOT_OPEN,
    Booking,
    BookingEvent,
    Slot,
)
from scheduling.settings import CentreSettings

logger = logging.getLogger(__name__)

DEMO = Actor("system", source="demo", name="demo")

Link = tuple[int, int]  # (client id, subject id) of a client's regular teacher


def _occupancy(days_ahead: int) -> float:
    """The chance a slot is booked: high for the past week, thinning ahead."""
    if days_ahead <= 0:
        return 0.62
    return max(0.42, 0.66 - 0.03 * days_ahead)


def add_bookings(
    session: Session,
    rng: random.Random,
    links: dict[int, list[Link]],
    settings: CentreSettings,
    now: dt.datetime,
) -> list[int]:
    """Book about half the slots, each for one of the teacher's regular clients."""
    slots = session.scalars(
        select(Slot)
        .where(Slot.status == SLOT_OPEN)
        .order_by(Slot.starts_at, Slot.teacher_id)
    ).all()
    today = now.astimezone(settings.tz).date()
    # One lesson a day per client keeps every client's lessons apart.
    busy_days: set[tuple[int, dt.date]] = set()
    booking_ids: list[int] = []
    for slot in slots:
        day = slot.starts_at.astimezone(settings.tz).date()
        if rng.random() >= _occupancy((day - today).days):
            continue
        free = [
            link for link in links[slot.teacher_id] if (link[0], day) not in busy_days
        ]
        if not free:
            continue
        client_id, subject_id = rng.choice(free)
        if slot.starts_at <= now:
            marked = day < today
            booking = _past_booking(session, rng, slot, client_id, subject_id, marked)
        else:
            booking = _future_booking(session, rng, slot, client_id, subject_id, now)
        if booking is not None:
            busy_days.add((client_id, day))
            booking_ids.append(booking.id)
    # The history says a booking was made when the booking says it was.
    session.execute(
        update(BookingEvent)
        .where(
            BookingEvent.booking_id == Booking.id,
            BookingEvent.action == "created",
            Booking.id.in_(booking_ids),
        )
        .values(created_at=Booking.created_at)
        .execution_options(synchronize_session=False)
    )
    return booking_ids


def _past_booking(
    session: Session,
    rng: random.Random,
    slot: Slot,
    client_id: int,
    subject_id: int,
    marked: bool,
) -> Booking:
    """A lesson that has begun, with its outcome if attendance is `marked`."""
    created_at = slot.starts_at - dt.timedelta(hours=rng.randint(20, 240))
    roll = rng.random()
    if roll < 0.12:
        status = CANCELLED
    elif not marked:
        status = BOOKED
    else:
        status = NO_SHOW if roll < 0.20 else ATTENDED
    cancelled_at = None
    if status == CANCELLED:
        earliest = created_at + dt.timedelta(hours=1)
        lead = dt.timedelta(hours=rng.randint(4, 72))
        cancelled_at = max(earliest, slot.starts_at - lead)
    booking = Booking(
        slot_id=slot.id,
        client_id=client_id,
        subject_id=subject_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=status,
        source=DEMO.source,
        created_at=created_at,
        cancelled_at=cancelled_at,
    )
    session.add(booking)
    session.flush()
    session.add(
        BookingEvent(
            booking_id=booking.id,
            action="created",
            actor=DEMO.label,
            source=DEMO.source,
            details={"slot_id": slot.id},
            created_at=created_at,
        )
    )
    if status == CANCELLED:
        session.add(
            BookingEvent(
                booking_id=booking.id,
                action="cancelled",
                actor=f"client:{client_id}",
                source="bot",
                details={"late": False, "override": False, "reason": ""},
                created_at=cancelled_at,
            )
        )
    elif status in (ATTENDED, NO_SHOW):
        session.add(
            BookingEvent(
                booking_id=booking.id,
                action="attendance",
                actor=f"teacher:{slot.teacher_id}",
                source="bot",
                details={"status": status, "was": BOOKED},
                created_at=slot.ends_at + dt.timedelta(minutes=rng.randint(1, 90)),
            )
        )
    return booking


def _future_booking(
    session: Session,
    rng: random.Random,
    slot: Slot,
    client_id: int,
    subject_id: int,
    now: dt.datetime,
) -> Booking | None:
    """A lesson to come, booked through the rules; a few are cancelled again."""
    try:
        booking = book(
            session,
            slot_id=slot.id,
            client_id=client_id,
            actor=DEMO,
            subject_id=subject_id,
            now=now,
        )
    except SchedulingError as exc:
        logger.warning("demo booking refused slot=%s code=%s", slot.id, exc.code)
        return None
    booking.created_at = now - dt.timedelta(hours=rng.randint(1, 120))
    if slot.starts_at > now + dt.timedelta(days=1) and rng.random() < 0.06:
        cancel(
            session,
            booking_id=booking.id,
            actor=Actor("client", client_id, source="bot"),
            now=now,
        )
    session.flush()
    return booking
