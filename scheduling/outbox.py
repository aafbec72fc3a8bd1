"""The outbox: messages for Telegram, written by anyone, sent by the bot alone.

Writers call `queue_message` inside their own transaction, so a message exists
exactly when the change that caused it was committed. The unique `key` makes
queueing idempotent. The bot process claims due rows with `claim_due`
(``FOR UPDATE SKIP LOCKED``), sends them and records the outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OutboxMessage,
    utcnow,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row claimed by a sender that died is retried after this long.
CLAIM_TIMEOUT = dt.timedelta(minutes=2)


def queue_message(
    session: Session,
    *,
    key: str,
    chat_id: int,
    kind: str,
    payload: dict[str, Any] | None = None,
    not_before: dt.datetime | None = None,
    booking_id: int | None = None,
) -> bool:
    """Queue one message; return False if a message with `key` already exists."""
    stmt = (
        insert(OutboxMessage)
        .values(
            key=key,
            chat_id=chat_id,
            kind=kind,
            payload=payload or {},
            not_before=not_before or utcnow(),
            booking_id=booking_id,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.key])
        .returning(OutboxMessage.id)
    )
    inserted = session.execute(stmt).scalar() is not None
    if inserted:
        logger.info("outbox queued key=%s kind=%s chat=%s", key, kind, chat_id)
    return inserted


def cancel_pending_for_booking(
    session: Session, booking_id: int, kinds: tuple[str, ...]
) -> int:
    """Cancel the booking's messages of `kinds` that have not been sent yet."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.booking_id == booking_id,
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.status == OUTBOX_PENDING,
        )
        .values(status=OUTBOX_CANCELLED)
    )
    return result.rowcount or 0


def claim_due(
    session: Session, limit: int = 50, now: dt.datetime | None = None
) -> list[OutboxMessage]:
    """Claim up to `limit` due messages for sending, skipping rows others hold.

    A claimed row is marked 'sending' with its claim time in ``sent_at``; a
    sender that dies leaves it there and it is claimed again after
    CLAIM_TIMEOUT. Commit right after claiming.
    """
    now = now or utcnow()
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            (
                (OutboxMessage.status == OUTBOX_PENDING)
                & (OutboxMessage.not_before <= now)
            )
            | (
                (OutboxMessage.status == OUTBOX_SENDING)
                & (OutboxMessage.sent_at < now - CLAIM_TIMEOUT)
            )
        )
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = OUTBOX_SENDING
        row.sent_at = now
        row.attempts += 1
    return list(rows)


def mark_sent(
    session: Session, message_id: int, telegram_message_id: int | None
) -> None:
    """Record a delivered message."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OUTBOX_SENT,
            sent_at=utcnow(),
            telegram_message_id=telegram_message_id,
            last_error=None,
        )
    )


def mark_failed(
    session: Session,
    message_id: int,
    error: str,
    *,
    retry_after: dt.timedelta | None = None,
    permanent: bool = False,
) -> None:
    """Record a failed attempt; retry with back-off unless permanent or exhausted."""
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None:
        return
    row.last_error = error[:2000]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = OUTBOX_FAILED
        logger.warning("outbox failed id=%s key=%s error=%s", row.id, row.key, error)
        return
    backoff = retry_after or dt.timedelta(seconds=min(2**row.attempts, 600))
    row.status = OUTBOX_PENDING
    row.not_before = utcnow() + backoff
    row.sent_at = None


def mark_skipped(session: Session, message_id: int, reason: str) -> None:
    """Drop a claimed message that no longer makes sense (e.g. its booking is gone).

    It is stored as cancelled with the reason, so nothing retries it.
    """
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status=OUTBOX_CANCELLED, last_error=reason[:2000])
    )
    logger.info("outbox skipped id=%s reason=%s", message_id, reason)


def retry_failed(session: Session, message_id: int) -> bool:
    """Queue a failed message again, as an admin asked; False if it had not failed."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OUTBOX_FAILED)
        .values(status=OUTBOX_PENDING, attempts=0, not_before=utcnow(), sent_at=None)
    )
    retried = bool(result.rowcount)
    if retried:
        logger.info("outbox retry requested id=%s", message_id)
    return retried
