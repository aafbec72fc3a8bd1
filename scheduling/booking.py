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
    MoveTooLateError,
    NotFoundError,
    RuleError,
    SchedulingError,
    SlotTakenError,
)
from scheduling.models import (
    BOOKED,
    CANCELLED,
    IDEMPOTENCY_KEY_LENGTH,
    SLOT_OPEN,
    Booking,
    BookingEvent,
    Client,
    Slot,
    Teacher,
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


def record_event(
    session: Session, booking: Booking, action: str, actor: Actor, **details: Any
) -> BookingEvent:
    """Append an entry to the booking's history (who, when, from where, what)."""
    event = BookingEvent(
        booking_id=booking.id,
        action=action,
        actor=actor.label,
        source=actor.source,
        details=details,
    )
    session.add(event)
    session.flush()
    return event


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
    if idempotency_key and not (
        len(idempotency_key) <= IDEMPOTENCY_KEY_LENGTH and idempotency_key.isprintable()
    ):
        raise RuleError("invalid_idempotency_key", limit=IDEMPOTENCY_KEY_LENGTH)
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
            select(Booking).where(
                Booking.client_id == client_id,
                Booking.idempotency_key == idempotency_key,
            )
        )
        if earlier is not None:
            # A retry repeats its request; the same key for another slot is
            # a mistake of the caller, not a second booking to make.
            if earlier.slot_id != slot_id:
                raise RuleError("idempotency_key_reused")
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
    event = record_event(session, booking, "created", actor, slot_id=slot.id)
    notify(session, booking, "booking_created", event)
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
    booking = _lock_own_booking(session, booking_id, actor)
    too_late = _check_cutoff(session, booking, actor, override_cutoff, now)

    booking.status = CANCELLED
    booking.cancelled_at = now
    session.flush()
    cancel_pending_for_booking(session, booking.id, (REMINDER,))
    event = record_event(
        session,
        booking,
        "cancelled",
        actor,
        late=too_late,
        override=bool(too_late and override_cutoff),
        reason=reason,
    )
    notify(session, booking, "booking_cancelled", event)
    logger.info(
        "booking cancelled id=%s by=%s source=%s late=%s",
        booking.id,
        actor.kind,
        actor.source,
        too_late,
    )
    return booking


def _lock_own_booking(session: Session, booking_id: int, actor: Actor) -> Booking:
    """Row-lock an active booking that `actor` may change."""
    booking = session.get(
        Booking, booking_id, with_for_update=True, populate_existing=True
    )
    check_access(booking, actor)
    if booking.status != BOOKED:
        raise RuleError("booking_not_active")
    return booking


def past_cutoff(starts_at: dt.datetime, cutoff_min: int, now: dt.datetime) -> bool:
    """Whether a lesson starting at `starts_at` can no longer be cancelled or moved."""
    return starts_at - now < dt.timedelta(minutes=cutoff_min)


def _check_cutoff(
    session: Session,
    booking: Booking,
    actor: Actor,
    override_cutoff: bool,
    now: dt.datetime,
    moving: bool = False,
) -> bool:
    """Refuse a change after the cancellation cutoff unless staff override it.

    The refusal names the change (`moving`): a client told that a cancel is
    too late while moving would not know what was refused. Returns whether
    the change is late (recorded in the history).
    """
    cutoff = get_settings(session).cancel_cutoff_min
    too_late = past_cutoff(booking.starts_at, cutoff, now)
    if too_late and not (override_cutoff and actor.is_staff):
        refusal = MoveTooLateError if moving else CancelTooLateError
        raise refusal(cutoff=cutoff, staff=actor.is_staff)
    return too_late


def check_change_allowed(
    session: Session,
    booking: Booking,
    actor: Actor,
    now: dt.datetime | None = None,
    *,
    moving: bool = False,
) -> None:
    """Refuse early, before asking, what `cancel` or `move` would refuse as late.

    :raise CancelTooLateError: the cutoff has passed (and `actor` is not
        staff); `MoveTooLateError` when `moving`.
    """
    _check_cutoff(session, booking, actor, False, now or utcnow(), moving)


def move(
    session: Session,
    *,
    booking_id: int,
    new_slot_id: int,
    actor: Actor,
    override_cutoff: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a booking to another slot, atomically.

    The booking keeps its id and history; if the new slot cannot take it
    (full, overlapping, against a rule) nothing changes. Pending reminders for
    the old time are cancelled; the reminder job queues new ones.
    """
    now = now or utcnow()
    booking = _lock_own_booking(session, booking_id, actor)
    if booking.slot_id == new_slot_id:
        return booking
    too_late = _check_cutoff(session, booking, actor, override_cutoff, now, moving=True)
    new_slot = session.get(
        Slot, new_slot_id, with_for_update=True, populate_existing=True
    )
    if new_slot is None:
        raise NotFoundError("slot_not_found")
    if new_slot.status != SLOT_OPEN:
        raise SlotTakenError("slot_closed")
    _check_rules(new_slot, get_settings(session), now, actor)
    subject_id = _resolve_subject(session, new_slot, booking.subject_id)
    if new_slot.booked_count >= new_slot.capacity:
        raise SlotTakenError()

    old = {"slot_id": booking.slot_id, "starts_at": booking.starts_at.isoformat()}
    old_teacher_id = booking.slot.teacher_id
    try:
        with session.begin_nested():
            booking.slot_id = new_slot.id
            booking.subject_id = subject_id
            booking.starts_at = new_slot.starts_at
            booking.ends_at = new_slot.ends_at
            session.flush()
    except IntegrityError as exc:
        raise _integrity_to_domain(exc) from exc
    session.refresh(booking)
    cancel_pending_for_booking(session, booking.id, (REMINDER,))
    event = record_event(
        session,
        booking,
        "moved",
        actor,
        late=too_late,
        override=bool(too_late and override_cutoff),
        **{f"from_{k}": v for k, v in old.items()},
        to_slot_id=new_slot.id,
        to_starts_at=new_slot.starts_at.isoformat(),
    )
    if old_teacher_id == new_slot.teacher_id:
        notify(session, booking, "booking_moved", event)
    else:
        # Another teacher: the new one gets a lesson, the old one loses it.
        notify(
            session, booking, "booking_moved", event, teacher_kind="booking_moved_in"
        )
        old_teacher = session.get(Teacher, old_teacher_id)
        teacher_chat = old_teacher.telegram_user_id if old_teacher else None
        tell(session, booking, "booking_moved_away", event, "teacher", teacher_chat)
    logger.info(
        "booking moved id=%s from_slot=%s to_slot=%s by=%s source=%s",
        booking.id,
        old["slot_id"],
        new_slot.id,
        actor.kind,
        actor.source,
    )
    return booking


def notify(
    session: Session,
    booking: Booking,
    kind: str,
    event: BookingEvent,
    *,
    teacher_kind: str | None = None,
) -> None:
    """Tell the client and the teacher about a change, if they use Telegram.

    `teacher_kind` gives the teacher another message than the client's.
    """
    tell(session, booking, kind, event, "client", booking.client.telegram_user_id)
    teacher_chat = booking.slot.teacher.telegram_user_id
    tell(session, booking, teacher_kind or kind, event, "teacher", teacher_chat)


def tell(
    session: Session,
    booking: Booking,
    kind: str,
    event: BookingEvent,
    role: str,
    chat_id: int | None,
) -> None:
    """Queue one message about a booking change for one person, once."""
    if not chat_id:
        return
    queue_message(
        session,
        key=f"{kind}:{booking.id}:{event.id}:{role}",
        chat_id=chat_id,
        kind=f"{kind}_{role}",
        payload={"booking_id": booking.id, "event_id": event.id},
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
        # The same client's key, used at once for another slot.
        return RuleError("idempotency_key_reused")
    logger.error("unexpected integrity error on booking: %s", constraint or orig)
    raise exc


def get_booking_for(session: Session, booking_id: int, actor: Actor) -> Booking:
    """The booking if `actor` may see it."""
    booking = session.get(Booking, booking_id)
    check_access(booking, actor)
    return booking


def check_access(booking: Booking | None, actor: Actor) -> None:
    """Clients reach their own bookings, teachers those in their own slots.

    :raise NotFoundError: no such booking.
    :raise ForbiddenError: somebody else's booking.
    """
    if booking is None:
        raise NotFoundError("booking_not_found")
    if actor.kind == "client" and booking.client_id != actor.id:
        raise ForbiddenError()
    if actor.kind == "teacher" and booking.slot.teacher_id != actor.id:
        raise ForbiddenError()
