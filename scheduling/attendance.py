"""Marking whether a client came to a lesson."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from scheduling.booking import Actor, check_access, record_event
from scheduling.errors import ForbiddenError, RuleError
from scheduling.models import ATTENDED, CANCELLED, NO_SHOW, Booking, utcnow

logger = logging.getLogger(__name__)


def mark_attendance(
    session: Session,
    *,
    booking_id: int,
    attended: bool,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Booking:
    """Mark a started lesson attended or no-show; its teacher or staff only.

    A mark may be corrected later; each change is recorded in the history.
    """
    now = now or utcnow()
    if actor.kind == "client":
        raise ForbiddenError()
    booking = session.get(
        Booking, booking_id, with_for_update=True, populate_existing=True
    )
    check_access(booking, actor)
    if booking.status == CANCELLED:
        raise RuleError("booking_not_active")
    if booking.starts_at > now:
        raise RuleError("lesson_not_started")
    new_status = ATTENDED if attended else NO_SHOW
    if booking.status == new_status:
        return booking
    previous = booking.status
    booking.status = new_status
    session.flush()
    record_event(session, booking, "attendance", actor, status=new_status, was=previous)
    logger.info(
        "attendance marked booking=%s status=%s by=%s",
        booking.id,
        new_status,
        actor.kind,
    )
    return booking
