"""Who a broadcast reaches, and who no longer can be reached.

An audience is a small JSON-able spec, stored with the broadcast:
``{"kind": "all_clients"}``, ``{"kind": "all_teachers"}``,
``{"kind": "subject_clients", "subject_id": 3}``,
``{"kind": "teacher_clients", "teacher_id": 5}``,
``{"kind": "period_clients", "date_from": "2026-12-01", "date_to": "2026-12-07"}``
(local dates of the centre, both inclusive). "Clients of" means clients with
a booking that is not cancelled. People without Telegram and people who
blocked the bot are never in an audience.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from scheduling.errors import RuleError
from scheduling.models import CANCELLED, Booking, Client, Slot, Teacher, utcnow

logger = logging.getLogger(__name__)

AUDIENCE_KINDS = (
    "all_clients",
    "all_teachers",
    "subject_clients",
    "teacher_clients",
    "period_clients",
)
MAX_PERIOD_DAYS = 366


def normalise_audience(spec: dict[str, Any]) -> dict[str, Any]:
    """A validated copy of `spec` with typed fields; raise RuleError if malformed."""
    kind = spec.get("kind")
    if kind not in AUDIENCE_KINDS:
        raise RuleError("invalid_audience")
    try:
        if kind == "subject_clients":
            return {"kind": kind, "subject_id": int(spec["subject_id"])}
        if kind == "teacher_clients":
            return {"kind": kind, "teacher_id": int(spec["teacher_id"])}
        if kind == "period_clients":
            start = _as_date(spec["date_from"])
            end = _as_date(spec["date_to"])
            if end < start or (end - start).days >= MAX_PERIOD_DAYS:
                raise RuleError("invalid_audience")
            return {
                "kind": kind,
                "date_from": start.isoformat(),
                "date_to": end.isoformat(),
            }
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError("invalid_audience") from exc
    return {"kind": kind}


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def audience_chats(spec: dict[str, Any], tz: ZoneInfo) -> Select:
    """A query of (chat_id,) rows for a normalised audience, one row per chat."""
    kind = spec["kind"]
    if kind == "all_teachers":
        return select(Teacher.telegram_user_id).where(
            Teacher.is_active.is_(True),
            Teacher.telegram_user_id.is_not(None),
            Teacher.blocked_at.is_(None),
        )
    reachable = (Client.telegram_user_id.is_not(None), Client.blocked_at.is_(None))
    if kind == "all_clients":
        return select(Client.telegram_user_id).where(*reachable)
    booked = select(Booking.client_id).where(Booking.status != CANCELLED)
    if kind == "subject_clients":
        booked = booked.where(Booking.subject_id == spec["subject_id"])
    elif kind == "teacher_clients":
        booked = booked.join(Slot, Slot.id == Booking.slot_id).where(
            Slot.teacher_id == spec["teacher_id"]
        )
    else:
        start = _local_midnight(dt.date.fromisoformat(spec["date_from"]), tz)
        end = _local_midnight(
            dt.date.fromisoformat(spec["date_to"]) + dt.timedelta(days=1), tz
        )
        booked = booked.where(Booking.starts_at >= start, Booking.starts_at < end)
    return select(Client.telegram_user_id).where(*reachable, Client.id.in_(booked))


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def count_audience(session: Session, spec: dict[str, Any], tz: ZoneInfo) -> int:
    """How many chats the audience reaches right now."""
    chats = audience_chats(normalise_audience(spec), tz).subquery()
    return session.scalar(select(func.count()).select_from(chats)) or 0


def mark_blocked(session: Session, chat_id: int, now: dt.datetime | None = None) -> int:
    """Record that the person behind `chat_id` blocked the bot; return rows marked."""
    now = now or utcnow()
    marked = 0
    for model in (Client, Teacher):
        result = session.execute(
            update(model)
            .where(model.telegram_user_id == chat_id, model.blocked_at.is_(None))
            .values(blocked_at=now)
        )
        marked += result.rowcount or 0
    if marked:
        logger.info("recipient blocked the bot chat=%s", chat_id)
    return marked


def mark_reachable(session: Session, chat_id: int) -> int:
    """Forget an earlier block: a message to `chat_id` has just been delivered."""
    marked = 0
    for model in (Client, Teacher):
        result = session.execute(
            update(model)
            .where(model.telegram_user_id == chat_id, model.blocked_at.is_not(None))
            .values(blocked_at=None)
        )
        marked += result.rowcount or 0
    if marked:
        logger.info("recipient reachable again chat=%s", chat_id)
    return marked
