"""Tidying the tick does: close old polls, prune old outbox rows and invites.

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
    TeacherInvite,
    utcnow,
)
from scheduling.settings import get_settings

logger = logging.getLogger(__name__)

# Sent and cancelled outbox rows are kept this long for support questions
# ("did the reminder go out?"), then deleted. Failed rows are kept until an
# admin has seen them: they are few and the panel lists them.
OUTBOX_RETENTION = dt.timedelta(days=30)
# Unused invite links are refused once expired; a week later their tokens
# (stored in plain text so the panel can show them) are deleted.
INVITE_RETENTION = dt.timedelta(days=7)


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


def prune_expired_invites(session: Session, now: dt.datetime | None = None) -> int:
    """Delete unused teacher invites that expired more than INVITE_RETENTION ago."""
    now = now or utcnow()
    result = session.execute(
        delete(TeacherInvite).where(
            TeacherInvite.used_at.is_(None),
            TeacherInvite.expires_at < now - INVITE_RETENTION,
        )
    )
    pruned = result.rowcount or 0
    if pruned:
        logger.info("invites pruned count=%s", pruned)
    return pruned
