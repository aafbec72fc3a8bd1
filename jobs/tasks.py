"""RQ tasks. Each opens its own transactions and calls the scheduling rules."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from scheduling.attendance_requests import queue_attendance_requests
from scheduling.broadcasts import fan_out, fan_out_pending
from scheduling.db import session_scope
from scheduling.housekeeping import (
    expire_stale_polls,
    prune_expired_invites,
    prune_outbox,
)
from scheduling.models import utcnow
from scheduling.poll_followups import queue_poll_nudges
from scheduling.polls import open_due_polls
from scheduling.reminders import queue_due_reminders

logger = logging.getLogger(__name__)


# A new broadcast's own job gets this long before the tick fans it out itself.
BROADCAST_GRACE = dt.timedelta(minutes=1)


class TickFailedError(RuntimeError):
    """At least one part of the tick failed; the others still ran."""


def _open_polls(session: Session, now: dt.datetime) -> int:
    return len(open_due_polls(session, now))


def _queue_reminders(session: Session, now: dt.datetime) -> int:
    return queue_due_reminders(session, now)


def _fan_out_broadcasts(session: Session, now: dt.datetime) -> int:
    # A broadcast whose job was lost (Redis down when it was created) is
    # fanned out here; the grace period leaves a running job alone.
    return fan_out_pending(session, now - BROADCAST_GRACE)


TICK_PARTS: tuple[tuple[str, Callable[[Session, dt.datetime], int]], ...] = (
    ("polls", _open_polls),
    ("reminders", _queue_reminders),
    ("broadcasts", _fan_out_broadcasts),
    ("expired_polls", expire_stale_polls),
    ("pruned_outbox", prune_outbox),
    ("pruned_invites", prune_expired_invites),
    ("attendance", queue_attendance_requests),
    ("poll_nudges", queue_poll_nudges),
)


def tick(now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: polls, reminders, lost broadcasts, housekeeping.

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
        "tick done at=%s %s failed=%s",
        now.isoformat(timespec="seconds"),
        " ".join(f"{name}={counts.get(name, '-')}" for name, _ in TICK_PARTS),
        ",".join(failed) or "none",
    )
    if failed:
        raise TickFailedError(f"tick parts failed: {', '.join(failed)}") from (
            first_error
        )
    return counts


def fan_out_broadcast(broadcast_id: int) -> int:
    """The job for a large broadcast: queue one outbox row per recipient."""
    with session_scope() as session:
        return fan_out(session, broadcast_id)
