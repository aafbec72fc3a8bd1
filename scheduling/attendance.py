"""Marking whether a client came to a lesson."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.booking import Actor, check_access, record_event
from scheduling.errors import MESSAGES, ForbiddenError, RuleError
from scheduling.labels import BOOKING_STATUS, label
from scheduling.models import (
    ATTENDED,
    CANCELLED,
    NO_SHOW,
    Booking,
    BookingEvent,
    utcnow,
)

logger = logging.getLogger(__name__)


class MarkedByStaffError(RuleError):
    """A teacher tried to change an attendance mark the centre's staff made."""

    code = "attendance_set_by_staff"

    def message(self, lang: str = "ru") -> str:
        ru, en = MESSAGES[self.code]
        english = (lang or "").startswith("en")
        status = label(BOOKING_STATUS, self.params["status"], lang)
        return (en if english else ru).format(status=status)


def mark_attendance(
    session: Session,
    *,
    booking_id: int,
    attended: bool,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Booking:
    """Mark a started lesson attended or no-show; its teacher or staff only.

    A mark may be corrected later; each change is recorded in the history
    with who made it (`by`). A teacher may correct their own mark but not
    one staff made: an old button in the bot must not undo the office's
    correction.
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
    if actor.kind == "teacher" and _marked_by_staff(session, booking):
        raise MarkedByStaffError(status=booking.status)
    previous = booking.status
    booking.status = new_status
    session.flush()
    record_event(
        session,
        booking,
        "attendance",
        actor,
        status=new_status,
        was=previous,
        by=actor.kind,
    )
    logger.info(
        "attendance marked booking=%s status=%s by=%s",
        booking.id,
        new_status,
        actor.kind,
    )
    return booking


def _marked_by_staff(session: Session, booking: Booking) -> bool:
    """Whether the booking's current attendance mark was made by staff."""
    if booking.status not in (ATTENDED, NO_SHOW):
        return False
    last = session.scalar(
        select(BookingEvent)
        .where(
            BookingEvent.booking_id == booking.id,
            BookingEvent.action == "attendance",
        )
        .order_by(BookingEvent.id.desc())
        .limit(1)
    )
    return last is not None and last.details.get("by") in ("staff", "system")
