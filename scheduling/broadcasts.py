"""Broadcasts: one text from the centre, fanned out into one outbox row per chat.

Fan-out is idempotent: each recipient's row has the key
``broadcast:<id>:<chat>``, so running it twice (a retried RQ job, a tick and
a job at once) queues nobody twice. The audience is evaluated when the
broadcast is fanned out, so a person who blocked the bot in between is left
out. Small audiences are fanned out in the creating request; large ones by a
job (see jobs.tasks), and the tick catches up any the job never ran.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.errors import NotFoundError, RuleError
from scheduling.models import (
    BROADCAST_NEW,
    BROADCAST_QUEUED,
    OUTBOX_CANCELLED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    Broadcast,
    OutboxMessage,
    utcnow,
)
from scheduling.recipients import audience_chats, count_audience, normalise_audience
from scheduling.settings import get_settings

logger = logging.getLogger(__name__)

BROADCAST = "broadcast"
# Telegram's limit for one text message.
MAX_TEXT_LENGTH = 4096
# Up to this many recipients are queued inside the request that creates the
# broadcast; above it a job does it so the page answers at once.
INLINE_FANOUT_LIMIT = 200
# The sender records a blocked recipient's failure with this prefix.
BLOCKED_PREFIX = "unreachable"


def create_broadcast(
    session: Session, *, text: str, audience: dict[str, Any], created_by: str
) -> Broadcast:
    """Validate and store a broadcast (not yet fanned out)."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        raise RuleError("invalid_broadcast_text", limit=MAX_TEXT_LENGTH)
    broadcast = Broadcast(
        text=text, audience=normalise_audience(audience), created_by=created_by[:100]
    )
    session.add(broadcast)
    session.flush()
    logger.info(
        "broadcast created id=%s audience=%s by=%s",
        broadcast.id,
        broadcast.audience["kind"],
        broadcast.created_by,
    )
    return broadcast


def preview_count(session: Session, audience: dict[str, Any]) -> int:
    """How many chats a broadcast to `audience` would reach now."""
    return count_audience(session, audience, get_settings(session).tz)


def fan_out(session: Session, broadcast_id: int, tz: ZoneInfo | None = None) -> int:
    """Queue the broadcast's outbox rows; return how many were new. Idempotent."""
    broadcast = session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None:
        raise NotFoundError("broadcast_not_found")
    tz = tz or get_settings(session).tz
    chats = audience_chats(broadcast.audience, tz).subquery()
    chat = chats.c[0]
    rows = select(
        func.concat(f"broadcast:{broadcast.id}:", chat),
        chat,
        literal(BROADCAST),
        func.jsonb_build_object("text", broadcast.text, "broadcast_id", broadcast.id),
        literal(broadcast.id),
    ).distinct()
    result = session.execute(
        insert(OutboxMessage)
        .from_select(["key", "chat_id", "kind", "payload", "broadcast_id"], rows)
        .on_conflict_do_nothing(index_elements=[OutboxMessage.key])
        .execution_options(preserve_rowcount=True)
    )
    added = result.rowcount or 0
    if broadcast.status != BROADCAST_QUEUED:
        broadcast.status = BROADCAST_QUEUED
        broadcast.queued_at = utcnow()
    broadcast.recipients_count = session.scalar(
        select(func.count()).where(OutboxMessage.broadcast_id == broadcast.id)
    )
    logger.info(
        "broadcast queued id=%s new=%s total=%s",
        broadcast.id,
        added,
        broadcast.recipients_count,
    )
    return added


def fan_out_pending(session: Session, created_before: dt.datetime) -> int:
    """Fan out broadcasts still 'new' that were created before `created_before`.

    They are broadcasts whose job was lost; return how many were fanned out.
    """
    cutoff = created_before
    ids = session.scalars(
        select(Broadcast.id).where(
            Broadcast.status == BROADCAST_NEW, Broadcast.created_at < cutoff
        )
    ).all()
    tz = get_settings(session).tz
    for broadcast_id in ids:
        fan_out(session, broadcast_id, tz)
    return len(ids)


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's messages are: waiting, sent, failed, blocked."""

    total: int
    waiting: int
    sent: int
    failed: int
    blocked: int
    skipped: int

    @property
    def done(self) -> bool:
        return self.waiting == 0


def progress(session: Session, broadcast_id: int) -> Progress:
    """Count the broadcast's outbox rows by outcome."""
    blocked = (OutboxMessage.status == OUTBOX_FAILED) & OutboxMessage.last_error.like(
        f"{BLOCKED_PREFIX}%"
    )
    counts = session.execute(
        select(
            func.count(),
            func.count().filter(
                OutboxMessage.status.in_((OUTBOX_PENDING, OUTBOX_SENDING))
            ),
            func.count().filter(OutboxMessage.status == OUTBOX_SENT),
            func.count().filter((OutboxMessage.status == OUTBOX_FAILED) & ~blocked),
            func.count().filter(blocked),
            func.count().filter(OutboxMessage.status == OUTBOX_CANCELLED),
        ).where(OutboxMessage.broadcast_id == broadcast_id)
    ).one()
    return Progress(*counts)


def delivery_state(row: OutboxMessage) -> str:
    """One word for a recipient's row: waiting, sent, failed, blocked, skipped."""
    if row.status == OUTBOX_SENT:
        return "sent"
    if row.status == OUTBOX_FAILED:
        blocked = (row.last_error or "").startswith(BLOCKED_PREFIX)
        return "blocked" if blocked else "failed"
    if row.status == OUTBOX_CANCELLED:
        return "skipped"
    return "waiting"


def stop_broadcast(session: Session, broadcast_id: int) -> int:
    """Stop a broadcast: messages not yet claimed by the sender are cancelled.

    A broadcast not yet fanned out is closed with no recipients. Return how
    many messages were cancelled.
    """
    broadcast = session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None:
        raise NotFoundError("broadcast_not_found")
    if broadcast.status == BROADCAST_NEW:
        broadcast.status = BROADCAST_QUEUED
        broadcast.queued_at = utcnow()
        broadcast.recipients_count = 0
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.broadcast_id == broadcast_id,
            OutboxMessage.status == OUTBOX_PENDING,
        )
        .values(status=OUTBOX_CANCELLED, last_error="broadcast stopped")
        .execution_options(synchronize_session=False)
    )
    cancelled = result.rowcount or 0
    logger.info("broadcast stopped id=%s cancelled=%s", broadcast_id, cancelled)
    return cancelled
