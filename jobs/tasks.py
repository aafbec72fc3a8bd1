"""RQ tasks. Each opens its own transactions and calls the scheduling rules."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from scheduling.db import session_scope
from scheduling.models import utcnow
from scheduling.polls import open_due_polls
from scheduling.reminders import queue_due_reminders

logger = logging.getLogger(__name__)


class TickFailedError(RuntimeError):
    """At least one part of the tick failed; the others still ran."""


def _open_polls(session: Session, now: dt.datetime) -> int:
    return len(open_due_polls(session, now))


def _queue_reminders(session: Session, now: dt.datetime) -> int:
    return queue_due_reminders(session, now)


TICK_PARTS: tuple[tuple[str, Callable[[Session, dt.datetime], int]], ...] = (
    ("polls", _open_polls),
    ("reminders", _queue_reminders),
)


def tick(now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: open due polls and queue due reminders.

    Running it twice, or late, is harmless: the database's unique keys decide
    what is new, and a late run catches up on what an earlier one missed.
    Each part has its own transaction, so one failing does not stop the
    other; the failure is raised at the end so RQ records a failed job.
    """
    now = now or utcnow()
    counts: dict[str, int] = {}
    failed: list[str] = []
    first_error: Exception | None = None
    for name, part in TICK_PARTS:
        try:
            with session_scope() as session:
                counts[name] = part(session, now)
        # Any error in one part must not keep the other from running.
        except Exception as exc:  # noqa: BLE001
            logger.exception("tick part failed part=%s", name)
            failed.append(name)
            first_error = first_error or exc
    logger.info(
        "tick done at=%s polls=%s reminders=%s failed=%s",
        now.isoformat(timespec="seconds"),
        counts.get("polls", "-"),
        counts.get("reminders", "-"),
        ",".join(failed) or "none",
    )
    if failed:
        raise TickFailedError(f"tick parts failed: {', '.join(failed)}") from (
            first_error
        )
    return counts
