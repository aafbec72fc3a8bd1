"""Reminders and polls once each: two schedulers, cancel and move after queueing."""

from __future__ import annotations

import asyncio
import datetime as dt

from rq import Queue
from sqlalchemy import func, select, update

from bot.sender import Sender
from jobs.runtime import QUEUE_NAME
from jobs.tasks import tick
from scheduling.booking import Actor, book, cancel, move
from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OutboxMessage,
    Poll,
    utcnow,
)
from scheduling.settings import update_settings
from tests.jobs.delivery_helpers import attempts, lessons_due_for_reminders, wait_until
from tests.jobs.fake_telegram import FakeClock, LimitedTelegram

SYSTEM = Actor("system", source="test", name="test")
LESSONS = 40


def _drain(transport) -> None:
    sender = Sender(transport)

    async def drain() -> None:
        while await sender.run_once():
            pass

    asyncio.run(drain())


def _make_due(session) -> None:
    """Let the moment of every pending message arrive."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OUTBOX_PENDING)
        .values(not_before=utcnow() - dt.timedelta(seconds=1))
    )
    session.commit()


def _lesson(session, factory, starts_in: dt.timedelta):
    teacher = factory.teacher()
    client = factory.client()
    # Whole seconds: the reminder's key holds the start as epoch seconds.
    slot = factory.slot(teacher, (utcnow() + starts_in).replace(microsecond=0))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=SYSTEM)
    session.commit()
    return booking, teacher


def _reminder_rows(session, booking_id: int) -> list[OutboxMessage]:
    session.expire_all()
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.booking_id == booking_id, OutboxMessage.kind == "reminder")
        .order_by(OutboxMessage.id)
    ).all()


def test_reminder_of_a_booking_cancelled_after_queueing_is_never_sent(session, factory):
    booking, _ = _lesson(session, factory, dt.timedelta(hours=5))
    # Ten minutes before the 60-minute reminder's moment: queued, not yet due.
    tick(booking.starts_at - dt.timedelta(minutes=70))
    [queued] = _reminder_rows(session, booking.id)
    assert queued.status == OUTBOX_PENDING

    cancel(session, booking_id=booking.id, actor=SYSTEM)
    session.commit()
    _make_due(session)
    transport = LimitedTelegram(FakeClock())
    _drain(transport)
    tick(booking.starts_at - dt.timedelta(minutes=60))

    [row] = _reminder_rows(session, booking.id)
    assert row.status == OUTBOX_CANCELLED
    sent_kinds = session.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.status == OUTBOX_SENT)
    ).all()
    assert "reminder" not in sent_kinds
    assert "booking_cancelled_client" in sent_kinds


def test_reminder_claimed_by_a_sender_that_died_is_skipped_after_cancel(
    session, factory
):
    booking, _ = _lesson(session, factory, dt.timedelta(hours=5))
    tick(booking.starts_at - dt.timedelta(minutes=70))
    # A sender claimed it and died before sending; the claim has gone stale.
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == "reminder")
        .values(status=OUTBOX_SENDING, sent_at=utcnow() - dt.timedelta(hours=1))
    )
    session.commit()
    cancel(session, booking_id=booking.id, actor=SYSTEM)
    session.commit()

    transport = LimitedTelegram(FakeClock())
    _drain(transport)

    [row] = _reminder_rows(session, booking.id)
    assert row.status == OUTBOX_CANCELLED
    assert row.last_error == "booking not active"


def test_moved_booking_gets_one_reminder_for_its_new_time(session, factory):
    booking, teacher = _lesson(session, factory, dt.timedelta(hours=5))
    old_start = booking.starts_at
    tick(old_start - dt.timedelta(minutes=70))
    new_slot = factory.slot(teacher, old_start + dt.timedelta(hours=4))
    session.commit()

    move(session, booking_id=booking.id, new_slot_id=new_slot.id, actor=SYSTEM)
    session.commit()
    # The old time's moment comes and goes; then the new one, ticked twice.
    tick(old_start - dt.timedelta(minutes=60))
    tick(new_slot.starts_at - dt.timedelta(minutes=65))
    tick(new_slot.starts_at - dt.timedelta(minutes=60))
    _make_due(session)
    transport = LimitedTelegram(FakeClock())
    _drain(transport)
    _drain(transport)

    rows = _reminder_rows(session, booking.id)
    new_epoch = int(new_slot.starts_at.timestamp())
    assert [(r.status, r.key.endswith(f":{new_epoch}")) for r in rows] == [
        (OUTBOX_CANCELLED, False),
        (OUTBOX_SENT, True),
    ]
    # Delivered: the booking's confirmation, its move notice and one reminder.
    client_chat = booking.client.telegram_user_id
    assert len([c for c, _, _ in transport.delivered if c == client_chat]) == 3


def test_two_schedulers_and_two_workers_make_one_poll_and_one_reminder_each(
    session, redis_conn, processes
):
    update_settings(session, {"poll_time": "00:00"})
    session.commit()
    lessons_due_for_reminders(session, LESSONS)
    teachers = session.scalar(select(func.count(func.distinct(Poll.teacher_id))))
    assert teachers == 0

    for _ in range(2):
        processes.start("jobs.scheduler", "--interval", "1")
        processes.start("jobs.worker")
    processes.start("tests.jobs.fake_sender")
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    # Both schedulers fire a tick at start-up; add a few more on top.
    for _ in range(4):
        queue.enqueue(tick)

    def settled() -> bool:
        # Polls go out at 1 a second per teacher's chat, so they may still be
        # on their way when the reminders are done: wait for every message.
        session.rollback()
        unsent = session.scalar(
            select(func.count()).where(OutboxMessage.status != OUTBOX_SENT)
        )
        sent = session.scalar(
            select(func.count()).where(
                OutboxMessage.kind == "reminder", OutboxMessage.status == OUTBOX_SENT
            )
        )
        return sent == LESSONS and unsent == 0 and queue.count == 0

    wait_until(settled, 60, "every message sent and the queue empty")
    assert queue.finished_job_registry.count >= 3  # several ticks really ran

    polls = session.execute(
        select(Poll.teacher_id, Poll.date, func.count()).group_by(
            Poll.teacher_id, Poll.date
        )
    ).all()
    assert len(polls) >= 50 and {n for *_, n in polls} == {1}
    poll_messages = session.scalar(
        select(func.count()).where(OutboxMessage.kind == "poll")
    )
    assert poll_messages == len(polls)
    per_booking = session.execute(
        select(OutboxMessage.booking_id, func.count())
        .where(OutboxMessage.kind == "reminder")
        .group_by(OutboxMessage.booking_id)
    ).all()
    assert len(per_booking) == LESSONS and {n for _, n in per_booking} == {1}
    assert attempts(session, "reminder") == (LESSONS, LESSONS)
    assert attempts(session, "poll") == (len(polls), len(polls))
