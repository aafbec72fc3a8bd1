"""Kill -9 the worker and the sender in the middle of 1,000 reminders.

The fake Telegram (tests/jobs/fake_sender.py) records every send attempt
with its outbox id. "Delivered exactly once" is counted by outbox id; the
repeats a crash between sending and recording can cause are counted too and
bounded by the messages in flight (one claimed batch per killed sender).
"""

from __future__ import annotations

import datetime as dt

from rq import Queue
from sqlalchemy import func, select

from jobs.runtime import QUEUE_NAME
from jobs.tasks import tick
from scheduling.models import OUTBOX_SENT, OutboxMessage, utcnow
from tests.jobs.delivery_helpers import (
    attempts,
    lessons_due_for_reminders,
    wait_until,
)

REMINDERS = 1000
SENDER_BATCH = 50  # bot.sender.Sender's default batch size
RUN_TIMEOUT_S = 240


def _reminders(session, status: str | None = None) -> int:
    session.rollback()
    query = select(func.count()).where(OutboxMessage.kind == "reminder")
    if status:
        query = query.where(OutboxMessage.status == status)
    return session.scalar(query)


def test_killed_worker_and_sender_still_deliver_each_reminder_once(
    session, redis_conn, processes
):
    lessons_due_for_reminders(session, REMINDERS)
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    # The ticks sweep a clock from 45 minutes ago to now, a minute per tick,
    # so the reminders are queued over many jobs, not in one statement.
    moments = [utcnow() - dt.timedelta(minutes=45 - m) for m in range(46)]

    def feed_ticks() -> None:
        if queue.count < 2:
            moment = moments.pop(0) if moments else None
            queue.enqueue(tick, moment)

    worker = processes.start("jobs.worker")
    sender = processes.start("tests.jobs.fake_sender")
    sender_kills = 0
    for threshold in (250, 600):

        def reached(threshold: int = threshold) -> bool:
            feed_ticks()
            return attempts(session)[1] >= threshold

        wait_until(reached, RUN_TIMEOUT_S, f"{threshold} deliveries")
        processes.kill(worker)
        processes.kill(sender)
        sender_kills += 1
        worker = processes.start("jobs.worker")
        sender = processes.start("tests.jobs.fake_sender")

    def all_sent() -> bool:
        feed_ticks()
        return _reminders(session, OUTBOX_SENT) == REMINDERS

    wait_until(all_sent, RUN_TIMEOUT_S, "every reminder sent")

    # One reminder per booking and offset, each delivered.
    assert _reminders(session) == REMINDERS
    rows = session.execute(
        select(OutboxMessage.booking_id, func.count())
        .where(OutboxMessage.kind == "reminder")
        .group_by(OutboxMessage.booking_id)
    ).all()
    assert len(rows) == REMINDERS and {n for _, n in rows} == {1}
    total, delivered = attempts(session)
    assert delivered == REMINDERS
    repeats = total - delivered
    assert repeats <= sender_kills * SENDER_BATCH, f"{repeats} repeated sends"
