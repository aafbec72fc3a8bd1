"""Reminders before lessons, written to the outbox by a periodic job.

One reminder per (booking, offset, lesson start), guaranteed by the outbox
key. A booking made after an offset's moment gets no late reminder for it: its
confirmation stands in. Cancelling a booking cancels its pending reminders
(see booking).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import BigInteger, and_, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.booking import REMINDER
from scheduling.models import BOOKED, Booking, Client, OutboxMessage, utcnow
from scheduling.settings import get_settings

logger = logging.getLogger(__name__)

# Reminders are queued this far ahead of their moment; the sender waits for
# `not_before`, so a late tick still sends on time.
LOOKAHEAD = dt.timedelta(minutes=15)
# A reminder whose moment passed longer ago than this is skipped, not sent
# late (missed ticks are caught up; a day-before reminder is not sent an hour
# before the lesson).
MAX_LATENESS = dt.timedelta(hours=1)


def queue_due_reminders(session: Session, now: dt.datetime | None = None) -> int:
    """Queue every reminder due by now + LOOKAHEAD; return how many were new."""
    now = now or utcnow()
    total = 0
    for minutes in get_settings(session).reminder_minutes_before:
        offset = dt.timedelta(minutes=minutes)
        due_at = Booking.starts_at - offset
        candidates = (
            select(
                # The lesson's start is in the key so a moved booking gets
                # reminders for its new time.
                func.concat(
                    "reminder:",
                    Booking.id,
                    f":{minutes}:",
                    func.extract("epoch", Booking.starts_at).cast(BigInteger),
                ),
                Client.telegram_user_id,
                literal(REMINDER),
                func.jsonb_build_object(
                    "booking_id", Booking.id, "minutes_before", minutes
                ),
                Booking.id,
                due_at,
            )
            .join(Client, Client.id == Booking.client_id)
            .where(
                Booking.status == BOOKED,
                Client.telegram_user_id.is_not(None),
                Booking.starts_at > now,
                and_(due_at <= now + LOOKAHEAD, due_at > now - MAX_LATENESS),
                due_at > Booking.created_at,
            )
        )
        stmt = (
            insert(OutboxMessage)
            .from_select(
                ["key", "chat_id", "kind", "payload", "booking_id", "not_before"],
                candidates,
            )
            .on_conflict_do_nothing(index_elements=[OutboxMessage.key])
            # SQLAlchemy 2.0 reports -1 for an INSERT's rowcount unless asked.
            .execution_options(preserve_rowcount=True)
        )
        total += session.execute(stmt).rowcount or 0
    if total:
        logger.info("reminders queued count=%s", total)
    return total
