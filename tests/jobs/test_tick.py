"""The periodic tick: polls and reminders, run at chosen moments, run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import jobs.tasks
from jobs.tasks import TickFailedError, tick
from scheduling.booking import Actor, book, cancel
from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_PENDING,
    Booking,
    OutboxMessage,
    Poll,
    utcnow,
)
from scheduling.settings import update_settings
from tests.jobs.clock import moscow

SYSTEM = Actor("system", source="test", name="test")
STAFF = Actor("staff", 1, "web", "admin")
DAY = dt.date(2030, 3, 11)
HOUR = dt.timedelta(minutes=60)
DAY_BEFORE = dt.timedelta(minutes=1440)


def messages(session, kind: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
        )
    )


def book_lesson(session, factory, starts_at: dt.datetime, **client_kw) -> Booking:
    """A committed booking of a new client with a new teacher."""
    teacher = factory.teacher("Анна Петровна Смирнова")
    client = factory.client("Иван Иванов", **client_kw)
    slot = factory.slot(teacher, starts_at)
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=SYSTEM)
    session.commit()
    return booking


def lesson_start(hour: int = 10, minute: int = 0) -> dt.datetime:
    """A Moscow time a few days from the real today (bookings need a future)."""
    return moscow(utcnow().date() + dt.timedelta(days=5), hour, minute)


def test_tick_twice_after_poll_time_opens_one_poll_per_teacher_and_date(
    session, factory
):
    update_settings(session, {"poll_days_ahead": 2})
    anna = factory.teacher("Анна Петровна Смирнова")
    boris = factory.teacher("Борис Олегович Кузнецов")
    factory.teacher("Вера Ильинична Орлова", telegram=False)
    factory.teacher("Глеб Андреевич Фомин", is_active=False)
    session.commit()

    first = tick(moscow(DAY, 18, 5))
    second = tick(moscow(DAY, 18, 5))

    assert first["polls"] == 4
    assert second["polls"] == 0
    days = (DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))
    polls = session.execute(select(Poll.teacher_id, Poll.date)).all()
    assert sorted(polls) == sorted((t.id, d) for t in (anna, boris) for d in days)
    sent = messages(session, "poll")
    assert len(sent) == 4
    assert {m.chat_id for m in sent} == {anna.telegram_user_id, boris.telegram_user_id}
    assert {m.payload["date"] for m in sent} == {d.isoformat() for d in days}


def test_tick_before_poll_time_opens_no_poll(session, factory):
    factory.teacher()
    session.commit()

    counts = tick(moscow(DAY, 17, 59))

    assert counts["polls"] == 0
    assert session.scalars(select(Poll)).all() == []
    assert messages(session, "poll") == []


def test_late_tick_still_opens_the_evening_polls(session, factory):
    teacher = factory.teacher()
    session.commit()

    tick(moscow(DAY, 23, 58))

    poll = session.scalars(select(Poll)).one()
    assert (poll.teacher_id, poll.date) == (teacher.id, DAY + dt.timedelta(days=1))


def test_each_reminder_offset_is_queued_once_at_its_moment(session, factory):
    start = lesson_start()
    booking = book_lesson(session, factory, start)

    assert tick(start - 2 * DAY_BEFORE)["reminders"] == 0
    # Reminders are queued at most 15 minutes ahead of their moment.
    assert tick(start - DAY_BEFORE - dt.timedelta(minutes=16))["reminders"] == 0
    assert tick(start - DAY_BEFORE - dt.timedelta(minutes=10))["reminders"] == 1
    assert tick(start - DAY_BEFORE - dt.timedelta(minutes=10))["reminders"] == 0
    assert tick(start - HOUR - dt.timedelta(minutes=5))["reminders"] == 1
    assert tick(start - HOUR)["reminders"] == 0
    assert tick(start + dt.timedelta(minutes=1))["reminders"] == 0

    reminders = messages(session, "reminder")
    assert [m.payload["minutes_before"] for m in reminders] == [1440, 60]
    assert [m.not_before for m in reminders] == [start - DAY_BEFORE, start - HOUR]
    assert {m.booking_id for m in reminders} == {booking.id}
    assert {m.chat_id for m in reminders} == {booking.client.telegram_user_id}
    assert {m.status for m in reminders} == {OUTBOX_PENDING}


def test_cancelled_booking_gets_no_reminders(session, factory):
    start = lesson_start()
    booking = book_lesson(session, factory, start)
    cancel(session, booking_id=booking.id, actor=STAFF)
    session.commit()

    tick(start - DAY_BEFORE - dt.timedelta(minutes=5))
    tick(start - HOUR - dt.timedelta(minutes=5))

    assert messages(session, "reminder") == []


def test_cancelling_cancels_the_reminder_already_queued(session, factory):
    start = lesson_start()
    booking = book_lesson(session, factory, start)
    tick(start - DAY_BEFORE - dt.timedelta(minutes=5))
    assert [m.status for m in messages(session, "reminder")] == [OUTBOX_PENDING]

    cancel(session, booking_id=booking.id, actor=STAFF)
    session.commit()
    tick(start - HOUR - dt.timedelta(minutes=5))

    reminders = messages(session, "reminder")
    assert [(m.payload["minutes_before"], m.status) for m in reminders] == [
        (1440, OUTBOX_CANCELLED)
    ]


def test_booking_made_inside_the_hour_gets_no_late_hour_reminder(session, factory):
    now = utcnow()
    book_lesson(session, factory, now + dt.timedelta(minutes=40))

    assert tick(now)["reminders"] == 0
    assert tick(now + dt.timedelta(minutes=10))["reminders"] == 0
    assert messages(session, "reminder") == []


def test_client_without_telegram_gets_no_reminder(session, factory):
    start = lesson_start()
    book_lesson(session, factory, start, telegram=False)

    tick(start - HOUR - dt.timedelta(minutes=5))

    assert messages(session, "reminder") == []


@pytest.mark.parametrize("broken", ["open_due_polls", "queue_due_reminders"])
def test_a_failing_part_does_not_stop_the_other_and_fails_the_tick(
    session, factory, monkeypatch, broken
):
    # At 18:25 the evening before an 18:30 lesson both parts have work: the
    # poll for the lesson's day and the day-before reminder.
    start = lesson_start(18, 30)
    book_lesson(session, factory, start)

    def explode(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(jobs.tasks, broken, explode)

    with pytest.raises(TickFailedError) as err:
        tick(start - DAY_BEFORE - dt.timedelta(minutes=5))

    assert isinstance(err.value.__cause__, RuntimeError)
    polls = session.scalars(select(Poll)).all()
    reminders = messages(session, "reminder")
    if broken == "open_due_polls":
        assert polls == []
        assert [m.payload["minutes_before"] for m in reminders] == [1440]
    else:
        assert len(polls) == 1
        assert reminders == []
