"""Housekeeping in the tick: stale polls expire, old delivered rows are pruned."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from jobs.tasks import tick
from scheduling.housekeeping import (
    OUTBOX_RETENTION,
    expire_stale_polls,
    prune_expired_invites,
    prune_outbox,
)
from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENT,
    POLL_ANSWERED,
    POLL_EXPIRED,
    POLL_PENDING,
    OutboxMessage,
    Poll,
    TeacherInvite,
)
from scheduling.outbox import queue_message
from tests.jobs.clock import moscow

DAY = dt.date(2026, 12, 10)
OLD = OUTBOX_RETENTION + dt.timedelta(hours=1)
RECENT = dt.timedelta(days=1)


def test_unanswered_polls_for_past_days_expire_and_today_stays_open(session, factory):
    teacher = factory.teacher()
    yesterday = Poll(teacher_id=teacher.id, date=DAY - dt.timedelta(days=1))
    answered = Poll(
        teacher_id=teacher.id, date=DAY - dt.timedelta(days=2), status=POLL_ANSWERED
    )
    today = Poll(teacher_id=teacher.id, date=DAY)
    session.add_all([yesterday, answered, today])
    session.commit()

    # 00:30 in Moscow is still the previous evening in UTC.
    assert expire_stale_polls(session, moscow(DAY, 0, 30)) == 1
    assert expire_stale_polls(session, moscow(DAY, 0, 31)) == 0
    session.commit()

    statuses = dict(session.execute(select(Poll.date, Poll.status)).all())
    assert statuses == {
        DAY - dt.timedelta(days=1): POLL_EXPIRED,
        DAY - dt.timedelta(days=2): POLL_ANSWERED,
        DAY: POLL_PENDING,
    }


def test_delivered_rows_older_than_the_retention_are_pruned_failed_ones_kept(
    session,
):
    now = moscow(DAY, 12)
    for key, status in [
        ("old-sent", OUTBOX_SENT),
        ("old-cancelled", OUTBOX_CANCELLED),
        ("old-failed", OUTBOX_FAILED),
        ("old-pending", OUTBOX_PENDING),
        ("new-sent", OUTBOX_SENT),
    ]:
        queue_message(session, key=key, chat_id=1, kind="broadcast")
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == key)
            .values(
                status=status,
                created_at=now - (OLD if key.startswith("old") else RECENT),
            )
        )
    session.commit()

    assert prune_outbox(session, now) == 2
    session.commit()

    left = set(session.scalars(select(OutboxMessage.key)).all())
    assert left == {"old-failed", "old-pending", "new-sent"}


def test_tick_runs_housekeeping_and_reports_each_part(session, factory):
    teacher = factory.teacher()
    session.add(Poll(teacher_id=teacher.id, date=DAY - dt.timedelta(days=1)))
    session.commit()

    counts = tick(moscow(DAY, 3))

    assert counts["expired_polls"] == 1
    assert set(counts) == {
        "polls",
        "reminders",
        "broadcasts",
        "expired_polls",
        "pruned_outbox",
        "attendance",
        "poll_nudges",
        "pruned_invites",
    }


def test_unused_invites_are_deleted_a_week_after_they_expired(session, factory):
    teacher = factory.teacher(telegram=False)
    now = moscow(DAY, 12)
    for token, expired_ago, used in [
        ("old-unused", dt.timedelta(days=8), False),
        ("old-used", dt.timedelta(days=8), True),
        ("recent-unused", dt.timedelta(days=6), False),
    ]:
        session.add(
            TeacherInvite(
                teacher_id=teacher.id,
                token=token,
                expires_at=now - expired_ago,
                used_at=now - dt.timedelta(days=9) if used else None,
            )
        )
    session.commit()

    assert prune_expired_invites(session, now) == 1
    session.commit()

    left = set(session.scalars(select(TeacherInvite.token)).all())
    assert left == {"old-used", "recent-unused"}
