"""Booking and cancelling: the one place these rules live.

The database has the last word on races: a trigger keeps each slot's
``booked_count`` within its capacity and an exclusion constraint refuses
overlapping bookings of one client. Their violations are turned into the
same errors the checks here raise, so callers see one clear answer.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from psycopg import errors as pg_errors
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling.errors import (
    CancelTooLateError,
    ClientBusyError,
    ForbiddenError,
    NotFoundError,
    RuleError,
    SchedulingError,
    SlotTakenError,
)
from scheduling.models import (
    BOOKED,
    CANCELLED,
    SLOT_OPEN,
    Booking,
    BookingEvent,
    Client,
    Slot,
    TeacherSubject,
    utcnow,
)
from scheduling.outbox import cancel_pending_for_booking, queue_message
from scheduling.settings import CentreSettings, get_settings

logger = logging.getLogger(__name__)

REMINDER = "reminder"


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, and through which channel.

    kind: 'client', 'teacher', 'staff' (admin or coordinator) or 'system'.
    """

    kind: str
    id: int | None = None
    source: str = "web"
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"{self.kind}:{self.id}"

    @property
    def is_staff(self) -> bool:
        return self.kind in ("staff", "system")


def _record(
    session: Session, booking: Booking, action: str, actor: Actor, **details: Any
) -> None:
    session.add(
        BookingEvent(
            booking_id=booking.id,
            action=action,
            actor=actor.label,
            source=actor.source,
            details=details,
        )
    )


def _check_rules(
    slot: Slot, settings: CentreSettings, now: dt.datetime, actor: Actor
) -> None:
    """Notice and horizon apply to everyone but staff booking on someone's behalf."""
    if slot.starts_at <= now:
        raise RuleError("slot_in_past", notice=settings.booking_min_notice_min)
    if actor.is_staff:
        return
    if slot.starts_at < now + dt.timedelta(minutes=settings.booking_min_notice_min):
        raise RuleError("slot_in_past", notice=settings.booking_min_notice_min)
    if slot.starts_at > now + dt.timedelta(days=settings.booking_horizon_days):
        raise RuleError("beyond_horizon", days=settings.booking_horizon_days)


def _resolve_subject(
    session: Session, slot: Slot, subject_id: int | None
) -> int | None:
    """The subject of the lesson: the slot's own, or one the teacher teaches."""
    if slot.subject_id is not None:
        if subject_id is not None and subject_id != slot.subject_id:
            raise RuleError("subject_not_taught")
        return slot.subject_id
    if subject_id is None:
        return None
    taught = session.scalar(
        select(TeacherSubject.id).where(
            TeacherSubject.teacher_id == slot.teacher_id,
            TeacherSubject.subject_id == subject_id,
        )
    )
    if taught is None:
        raise RuleError("subject_not_taught")
    return subject_id


def book(
    session: Session,
    *,
    slot_id: int,
    client_id: int,
    actor: Actor,
    subject_id: int | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a place in a slot for a client and queue the notifications.

    :raise SlotTakenError: the slot is full.
    :raise ClientBusyError: the client has another lesson at that time.
    :raise RuleError: past, inside the notice, beyond the horizon, wrong subject.
    :raise NotFoundError: unknown slot or client.
    :raise ForbiddenError: a client booking for somebody else.
    """
    now = now or utcnow()
    if actor.kind == "client" and actor.id != client_id:
        raise ForbiddenError()
    client = session.get(Client, client_id)
    if client is None:
        raise NotFoundError("client_not_found")
    # Lock the slot: bookings of one slot queue here instead of racing.
    slot = session.get(Slot, slot_id, with_for_update=True, populate_existing=True)
    if slot is None:
        raise NotFoundError("slot_not_found")
    # After the lock, so a concurrent retry sees the first attempt committed.
    if idempotency_key:
        earlier = session.scalar(
            select(Booking).where(Booking.idempotency_key == idempotency_key)
        )
        if earlier is not None:
            if earlier.client_id != client_id:
                raise ForbiddenError()
            return earlier
    if slot.status != SLOT_OPEN:
        raise SlotTakenError("slot_closed")
    settings = get_settings(session)
    _check_rules(slot, settings, now, actor)
    lesson_subject = _resolve_subject(session, slot, subject_id)
    if slot.booked_count >= slot.capacity:
        raise SlotTakenError()

    booking = Booking(
        slot_id=slot.id,
        client_id=client_id,
        subject_id=lesson_subject,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=BOOKED,
        source=actor.source,
        idempotency_key=idempotency_key,
    )
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
    except IntegrityError as exc:
        raise _integrity_to_domain(exc) from exc
    session.refresh(slot)
    _record(session, booking, "created", actor, slot_id=slot.id)
    _notify(session, booking, "booking_created")
    logger.info(
        "booking created id=%s slot=%s client=%s source=%s",
        booking.id,
        slot.id,
        client_id,
        actor.source,
    )
    return booking


def cancel(
    session: Session,
    *,
    booking_id: int,
    actor: Actor,
    override_cutoff: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Cancel an active booking; its pending reminders go with it.

    Only staff may cancel after the cutoff (`override_cutoff`), and the
    override is recorded in the booking's history.
    """
    now = now or utcnow()
    booking = session.get(Booking, booking_id, with_for_update=True)
    if booking is None:
        raise NotFoundError("booking_not_found")
    if actor.kind == "client" and booking.client_id != actor.id:
        raise ForbiddenError()
    if actor.kind == "teacher" and booking.slot.teacher_id != actor.id:
        raise ForbiddenError()
    if booking.status != BOOKED:
        raise RuleError("booking_not_active")
    cutoff = get_settings(session).cancel_cutoff_min
    too_late = booking.starts_at - now < dt.timedelta(minutes=cutoff)
    if too_late and not (override_cutoff and actor.is_staff):
        raise CancelTooLateError(cutoff=cutoff)

    booking.status = CANCELLED
    booking.cancelled_at = now
    session.flush()
    cancel_pending_for_booking(session, booking.id, (REMINDER,))
    _record(
        session,
        booking,
        "cancelled",
        actor,
        late=too_late,
        override=bool(too_late and override_cutoff),
        reason=reason,
    )
    _notify(session, booking, "booking_cancelled")
    logger.info(
        "booking cancelled id=%s by=%s source=%s late=%s",
        booking.id,
        actor.kind,
        actor.source,
        too_late,
    )
    return booking


def _notify(session: Session, booking: Booking, kind: str) -> None:
    """Tell the client and the teacher about a change, if they use Telegram."""
    payload = {"booking_id": booking.id}
    recipients = (
        ("client", booking.client.telegram_user_id),
        ("teacher", booking.slot.teacher.telegram_user_id),
    )
    for role, chat_id in recipients:
        if chat_id:
            queue_message(
                session,
                key=f"{kind}:{booking.id}:{role}",
                chat_id=chat_id,
                kind=f"{kind}_{role}",
                payload=payload,
                booking_id=booking.id,
            )


def _integrity_to_domain(exc: IntegrityError) -> SchedulingError:
    """Map a constraint violation to the error a person understands."""
    orig = exc.orig
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", "") or ""
    if isinstance(orig, pg_errors.ExclusionViolation) and "client" in constraint:
        return ClientBusyError()
    if isinstance(orig, pg_errors.CheckViolation) and "capacity" in constraint:
        return SlotTakenError()
    if isinstance(orig, pg_errors.UniqueViolation) and "idempotency" in constraint:
        return SlotTakenError()
    logger.error("unexpected integrity error on booking: %s", constraint or orig)
    raise exc


def get_booking_for(session: Session, booking_id: int, actor: Actor) -> Booking:
    """The booking if `actor` may see it."""
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError("booking_not_found")
    if actor.kind == "client" and booking.client_id != actor.id:
        raise ForbiddenError()
    if actor.kind == "teacher" and booking.slot.teacher_id != actor.id:
        raise ForbiddenError()
    return booking
