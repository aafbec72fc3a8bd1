"""Tidying the tick does: close polls for days gone by, prune old outbox rows.

Both are safe to repeat and to run late: they act on what the database holds
at that moment.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_SENT,
    POLL_EXPIRED,
    POLL_PENDING,
    OutboxMessage,
    Poll,
    utcnow,
)
from scheduling.settings import get_settings

logger = logging.getLogger(__name__)

# Sent and cancelled outbox rows are kept this long for support questions
# ("did the reminder go out?"), then deleted. Failed rows are kept until an
# admin has seen them: they are few and the panel lists them.
OUTBOX_RETENTION = dt.timedelta(days=30)


def expire_stale_polls(session: Session, now: dt.datetime | None = None) -> int:
    """Close unanswered polls whose day is over in the centre's timezone."""
    now = now or utcnow()
    today = now.astimezone(get_settings(session).tz).date()
    result = session.execute(
        update(Poll)
        .where(Poll.status == POLL_PENDING, Poll.date < today)
        .values(status=POLL_EXPIRED)
    )
    expired = result.rowcount or 0
    if expired:
        logger.info("polls expired count=%s before=%s", expired, today)
    return expired


def prune_outbox(
    session: Session,
    now: dt.datetime | None = None,
    retention: dt.timedelta = OUTBOX_RETENTION,
) -> int:
    """Delete sent and cancelled outbox rows created before now - retention."""
    now = now or utcnow()
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_((OUTBOX_SENT, OUTBOX_CANCELLED)),
            OutboxMessage.created_at < now - retention,
        )
    )
    pruned = result.rowcount or 0
    if pruned:
        logger.info("outbox pruned count=%s retention_days=%s", pruned, retention.days)
    return pruned
