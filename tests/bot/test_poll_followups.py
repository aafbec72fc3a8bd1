"""The poll's "same as last week" button, and the nudge to silent teachers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduling.availability import add_availability
from scheduling.models import POLL_ANSWERED, OutboxMessage, Poll, Slot
from scheduling.poll_followups import queue_poll_nudges
from scheduling.settings import update_settings
from tests.bot.conftest import MOSCOW, local, tomorrow
from tests.bot.harness import TgUser
from tests.bot.test_poll import _send_poll, _slots


def _poll(session, teacher) -> Poll:
    session.expire_all()
    return session.scalar(
        select(Poll).where(Poll.teacher_id == teacher.id, Poll.date == tomorrow())
    )


def test_same_as_last_week_ticks_last_weeks_answer_and_done_makes_the_slots(
    harness, session, factory
):
    teacher = factory.teacher("Анна Смирнова")
    week_ago = tomorrow() - dt.timedelta(days=7)
    session.add(
        Poll(
            teacher_id=teacher.id,
            date=week_ago,
            status=POLL_ANSWERED,
            selected_hours=[9, 10, 15],
        )
    )
    user = _send_poll(harness, session, teacher)
    harness.press(user, harness.last(user).data_for("Как на прошлой неделе"))
    screen = harness.last(user)
    assert "Отмечены часы того же дня прошлой недели" in screen.text
    ticked = [label for label, _ in screen.buttons if label.startswith("✅")]
    assert ticked == ["✅ 09:00", "✅ 10:00", "✅ 15:00"]
    assert _slots(session, teacher) == []  # only ticked: Done confirms

    harness.press(user, screen.data_for("Готово"))
    assert _slots(session, teacher) == [("09:00", 60), ("10:00", 60), ("15:00", 60)]


def test_without_last_weeks_answer_the_centres_availability_is_copied(
    harness, session, factory
):
    teacher = factory.teacher("Анна Смирнова")
    week_ago = tomorrow() - dt.timedelta(days=7)
    add_availability(
        session, teacher.id, [(local(week_ago, 10), local(week_ago, 12, 30))]
    )
    user = _send_poll(harness, session, teacher)
    harness.press(user, harness.last(user).data_for("Как на прошлой неделе"))
    # 12:00-13:00 was only half free: not ticked.
    assert _poll(session, teacher).selected_hours == [10, 11]


def test_same_as_last_week_with_nothing_last_week_changes_nothing(
    harness, session, factory
):
    teacher = factory.teacher("Анна Смирнова")
    user = _send_poll(harness, session, teacher)
    harness.press(user, harness.last(user).data_for("09:00"))
    harness.press(user, harness.last(user).data_for("Как на прошлой неделе"))
    assert harness.callback_answers[-1].startswith("Копировать нечего")
    assert _poll(session, teacher).selected_hours == [9]


def test_teachers_who_did_not_answer_are_nudged_once_at_the_nudge_time(
    harness, session, factory
):
    update_settings(session, {"poll_nudge_time": "20:00"})
    today = dt.datetime.now(MOSCOW).date()
    anna = factory.teacher("Анна Смирнова")
    boris = factory.teacher("Борис Орлов")
    opened = local(today, 18)
    for teacher, status in ((anna, POLL_ANSWERED), (boris, "pending")):
        session.add(
            Poll(
                teacher_id=teacher.id,
                date=tomorrow(),
                status=status,
                created_at=opened,
            )
        )
    session.commit()

    assert queue_poll_nudges(session, local(today, 19, 59)) == 0
    assert queue_poll_nudges(session, local(today, 20, 1)) == 1
    assert queue_poll_nudges(session, local(today, 20, 2)) == 0  # once
    session.commit()
    harness.deliver_outbox()

    assert harness.sent_to(TgUser.of(anna)) == []
    nudge = harness.last(TgUser.of(boris))
    assert nudge.text.startswith("⏰ Вы ещё не ответили на опрос")
    # The nudge carries the poll itself: answering from it works.
    harness.press(TgUser.of(boris), nudge.data_for("10:00"))
    harness.press(TgUser.of(boris), harness.last(TgUser.of(boris)).data_for("Готово"))
    session.expire_all()
    assert session.scalar(select(Slot.teacher_id)) == boris.id


def test_a_poll_answered_before_the_nudge_goes_out_is_not_nudged(
    harness, session, factory
):
    today = dt.datetime.now(MOSCOW).date()
    boris = factory.teacher("Борис Орлов")
    poll = Poll(teacher_id=boris.id, date=tomorrow(), created_at=local(today, 18))
    session.add(poll)
    session.commit()
    assert queue_poll_nudges(session, local(today, 21)) == 1
    poll.status = POLL_ANSWERED
    session.commit()
    harness.deliver_outbox()
    assert harness.sent_to(TgUser.of(boris)) == []
    session.expire_all()
    row = session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "poll_nudge")
    )
    assert row.status == "cancelled"


def test_a_poll_opened_after_the_nudge_time_waits_for_the_next_day(session, factory):
    update_settings(session, {"poll_nudge_time": "09:00", "poll_time": "18:00"})
    today = dt.datetime.now(MOSCOW).date()
    boris = factory.teacher("Борис Орлов")
    session.add(Poll(teacher_id=boris.id, date=tomorrow(), created_at=local(today, 18)))
    session.commit()
    assert queue_poll_nudges(session, local(today, 18, 30)) == 0
