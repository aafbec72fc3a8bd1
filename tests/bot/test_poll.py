"""A teacher answers the daily poll in Telegram: toggles, Done, and a change."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from bot.sender import Sender
from bot.telegram import PyrogramTransport
from scheduling.booking import Actor, book
from scheduling.models import Poll, Slot
from scheduling.polls import open_due_polls
from scheduling.settings import update_settings
from tests.bot.conftest import MOSCOW, local, tomorrow
from tests.bot.harness import TgUser


def _send_poll(harness, session, teacher) -> TgUser:
    """Open tomorrow's poll and let the sender deliver it through the harness."""
    today = dt.datetime.now(MOSCOW).date()
    open_due_polls(session, now=local(today, 18, 5))
    session.commit()
    assert harness.deliver_outbox() == 1
    return TgUser.of(teacher)


def _slots(session, teacher) -> list[tuple[str, int]]:
    session.expire_all()
    rows = session.scalars(
        select(Slot).where(Slot.teacher_id == teacher.id).order_by(Slot.starts_at)
    )
    return [
        (
            s.starts_at.astimezone(MOSCOW).strftime("%H:%M"),
            int((s.ends_at - s.starts_at).total_seconds() // 60),
        )
        for s in rows
    ]


def test_ticked_hours_become_slots_of_the_configured_length_around_breaks(
    harness, session, factory
):
    update_settings(session, {"slot_duration_min": 30, "breaks": [["10:30", "11:00"]]})
    teacher = factory.teacher("Анна Смирнова")
    user = _send_poll(harness, session, teacher)
    poll = harness.last(user)
    assert "в какие часы вы свободны" in poll.text
    assert "МСК" in poll.text

    harness.press(user, poll.data_for("10:00"))
    harness.press(user, poll.data_for("11:00"))
    assert "✅ 10:00" in [label for label, _ in harness.last(user).buttons]
    assert _slots(session, teacher) == []  # nothing is created before Done

    harness.press(user, harness.last(user).data_for("Готово"))
    # 10:00-12:00 minus the 10:30-11:00 break, cut into 30-minute slots.
    assert _slots(session, teacher) == [("10:00", 30), ("11:00", 30), ("11:30", 30)]
    done = harness.last(user)
    assert "новых слотов — 3" in done.text
    assert harness.callback_answers[-1] == "Готово"


def test_untoggling_an_hour_twice_leaves_it_unticked(harness, session, factory):
    teacher = factory.teacher("Анна Смирнова")
    user = _send_poll(harness, session, teacher)
    data = harness.last(user).data_for("09:00")
    harness.press(user, data)
    harness.press(user, data)
    session.expire_all()
    poll = session.scalar(select(Poll).where(Poll.teacher_id == teacher.id))
    assert poll.selected_hours == []


def test_changing_the_answer_keeps_booked_lessons_and_says_so(
    harness, session, factory
):
    teacher = factory.teacher("Анна Смирнова")
    client = factory.client()
    user = _send_poll(harness, session, teacher)
    harness.press(user, harness.last(user).data_for("09:00"))
    harness.press(user, harness.last(user).data_for("10:00"))
    harness.press(user, harness.last(user).data_for("Готово"))
    booked = session.scalar(select(Slot).where(Slot.starts_at == local(tomorrow(), 10)))
    book(session, slot_id=booked.id, client_id=client.id, actor=Actor("staff", 1))
    session.commit()

    harness.press(user, harness.last(user).data_for("Изменить"))
    harness.press(user, harness.last(user).data_for("Не работаю"))
    assert _slots(session, teacher) == [("10:00", 60)]
    assert "Записанные занятия остаются: 10:00" in harness.last(user).text


def test_poll_message_is_delivered_once(harness, session, factory):
    teacher = factory.teacher("Анна Смирнова")
    user = _send_poll(harness, session, teacher)
    sender = Sender(PyrogramTransport(harness.client))
    assert asyncio.run(sender.run_once()) == 0
    polls = [m for m in harness.sent_to(user) if "Опрос" in m.text]
    assert len(polls) == 1
