"""What a person has coming up: a client's bookings, a teacher's schedule."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from scheduling.models import (
    ACTIVE_BOOKING_STATES,
    BOOKED,
    SLOT_OPEN,
    Booking,
    Slot,
    utcnow,
)


def upcoming_bookings(
    session: Session, client_id: int, now: dt.datetime | None = None, limit: int = 20
) -> list[Booking]:
    """The client's lessons still to come, earliest first."""
    query = (
        select(Booking)
        .where(
            Booking.client_id == client_id,
            Booking.status == BOOKED,
            Booking.starts_at > (now or utcnow()),
        )
        .options(
            joinedload(Booking.slot).joinedload(Slot.teacher),
            joinedload(Booking.subject),
        )
        .order_by(Booking.starts_at)
        .limit(limit)
    )
    return list(session.scalars(query).unique())


def teacher_schedule(
    session: Session,
    teacher_id: int,
    days: int = 7,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """The teacher's slots from now over `days` days: open ones and booked ones.

    Each slot's ``bookings`` are loaded; only active bookings matter to the
    reader (cancelled ones stay in the history).
    """
    now = now or utcnow()
    query = (
        select(Slot)
        .where(
            Slot.teacher_id == teacher_id,
            Slot.ends_at > now,
            Slot.starts_at < now + dt.timedelta(days=days),
            (Slot.status == SLOT_OPEN) | (Slot.booked_count > 0),
        )
        .options(
            selectinload(Slot.bookings).joinedload(Booking.client),
            selectinload(Slot.bookings).joinedload(Booking.subject),
            joinedload(Slot.subject),
        )
        .order_by(Slot.starts_at)
    )
    return list(session.scalars(query).unique())


def active_bookings(slot: Slot) -> list[Booking]:
    """A slot's bookings that hold a place (not cancelled)."""
    return [b for b in slot.bookings if b.status in ACTIVE_BOOKING_STATES]
