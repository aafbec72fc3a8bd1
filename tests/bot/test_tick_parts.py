"""The minute tick queues the bot's follow-ups: attendance requests and poll nudges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from jobs.tasks import tick
from scheduling.booking import Actor, book
from scheduling.models import OutboxMessage, Poll
from scheduling.settings import update_settings
from tests.bot.conftest import MOSCOW, local


def test_tick_asks_about_ended_lessons_and_nudges_silent_teachers_once(
    session, factory
):
    # Today's polls are not opened yet: only the one below is unanswered.
    update_settings(session, {"poll_time": "23:00", "poll_nudge_time": "20:00"})
    today = dt.datetime.now(MOSCOW).date()
    anna = factory.teacher("Анна Смирнова")
    boris = factory.teacher("Борис Орлов")
    lesson = factory.slot(anna, local(today, 19))
    client = factory.client("Иван Петров")
    book(
        session,
        slot_id=lesson.id,
        client_id=client.id,
        actor=Actor("staff", 1),
        now=local(today, 9),
    )
    day_after = today + dt.timedelta(days=2)
    session.add(Poll(teacher_id=boris.id, date=day_after, created_at=local(today, 18)))
    session.commit()

    for _ in range(2):
        counts = tick(local(today, 20, 5))
    assert counts["attendance"] == 0 and counts["poll_nudges"] == 0  # second run
    rows = session.execute(
        select(OutboxMessage.kind, OutboxMessage.chat_id).where(
            OutboxMessage.kind.in_(("attendance_request", "poll_nudge"))
        )
    ).all()
    assert sorted(rows) == [
        ("attendance_request", anna.telegram_user_id),
        ("poll_nudge", boris.telegram_user_id),
    ]
