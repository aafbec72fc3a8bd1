"""After a lesson the teacher marks each client came / did not come, in one tap."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot import callbacks
from scheduling.attendance import mark_attendance
from scheduling.attendance_requests import queue_attendance_requests
from scheduling.booking import Actor, book
from scheduling.models import (
    ATTENDED,
    BOOKED,
    NO_SHOW,
    Booking,
    BookingEvent,
    OutboxMessage,
    utcnow,
)
from tests.bot.harness import TgUser


def _lesson(session, factory, start: dt.datetime, capacity: int = 2):
    """A group lesson of Anna's with Иван and Мария booked in it."""
    anna = factory.teacher("Анна Смирнова")
    slot = factory.slot(anna, start, capacity=capacity)
    ivan = factory.client("Иван Петров")
    maria = factory.client("Мария Сидорова")
    bookings = [
        book(
            session,
            slot_id=slot.id,
            client_id=c.id,
            actor=Actor("staff", 1),
            now=start - dt.timedelta(days=1),
        )
        for c in (ivan, maria)
    ]
    # The booking notifications are not what these tests are about.
    session.execute(update(OutboxMessage).values(status="cancelled"))
    session.commit()
    return anna, slot, bookings


def _statuses(session, bookings) -> list[str]:
    session.expire_all()
    return [session.get(Booking, b.id).status for b in bookings]


def test_ended_lesson_asks_the_teacher_once_and_one_tap_marks_each_client(
    harness, session, factory
):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    anna, slot, (ivan, maria) = _lesson(session, factory, start)
    after = slot.ends_at + dt.timedelta(minutes=1)
    assert queue_attendance_requests(session, after) == 1
    assert queue_attendance_requests(session, after) == 0  # the tick ran twice
    session.commit()
    assert harness.deliver_outbox() == 1

    user = TgUser.of(anna)
    ask = harness.last(user)
    assert "отметьте, кто пришёл" in ask.text
    assert "Иван Петров — не отмечено" in ask.text
    harness.press(user, ask.data_for("✅ Иван Петров"))
    harness.press(user, callbacks.make("an", maria.id))

    assert _statuses(session, [ivan, maria]) == [ATTENDED, NO_SHOW]
    screen = harness.last(user)
    assert screen.id == ask.id  # the same message, updated in place
    assert "Иван Петров — пришёл(-ла)" in screen.text
    assert "Мария Сидорова — не пришёл(-ла)" in screen.text
    history = session.scalars(
        select(BookingEvent.actor).where(BookingEvent.action == "attendance")
    ).all()
    assert history == [f"teacher:{anna.id}", f"teacher:{anna.id}"]


def test_a_mark_can_be_corrected_and_a_double_tap_changes_nothing(
    harness, session, factory
):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    anna, _, (ivan, _) = _lesson(session, factory, start)
    user = TgUser.of(anna)
    harness.press(user, callbacks.make("ay", ivan.id))
    harness.press(user, callbacks.make("ay", ivan.id))
    harness.press(user, callbacks.make("an", ivan.id))
    assert _statuses(session, [ivan]) == [NO_SHOW]
    marks = session.scalars(
        select(BookingEvent).where(BookingEvent.action == "attendance")
    ).all()
    assert len(marks) == 2


def test_schedule_offers_the_attendance_of_todays_lessons(harness, session, factory):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    anna, _, (ivan, _) = _lesson(session, factory, start)
    user = TgUser.of(anna)
    harness.send_text(user, "/schedule")
    harness.press(user, harness.last(user).data_for("Отметить посещение"))
    lessons = harness.last(user)
    assert "Выберите занятие" in lessons.text
    harness.press(user, lessons.buttons[0][1])
    harness.press(user, harness.last(user).data_for("✅ Иван Петров"))
    assert _statuses(session, [ivan]) == [ATTENDED]


def test_a_lesson_still_to_come_cannot_be_marked(harness, session, factory):
    start = utcnow().replace(microsecond=0) + dt.timedelta(days=1)
    anna, slot, (ivan, _) = _lesson(session, factory, start)
    assert queue_attendance_requests(session, utcnow()) == 0
    user = TgUser.of(anna)
    harness.press(user, callbacks.make("ay", ivan.id))
    assert "только после начала занятия" in harness.last(user).text
    assert _statuses(session, [ivan]) == [BOOKED]


def test_another_teachers_client_cannot_be_marked(harness, session, factory):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    _, slot, (ivan, _) = _lesson(session, factory, start)
    boris = factory.teacher("Борис Орлов")
    session.commit()
    user = TgUser.of(boris)
    harness.press(user, callbacks.make("ay", ivan.id))
    harness.press(user, callbacks.make("as", slot.id))
    assert "нет доступа" in harness.last(user).text
    assert _statuses(session, [ivan]) == [BOOKED]


def test_a_lesson_whose_bookings_were_cancelled_is_not_asked_about(
    harness, session, factory
):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    anna, slot, bookings = _lesson(session, factory, start)
    queue_attendance_requests(session, slot.ends_at + dt.timedelta(minutes=1))
    for booking in bookings:
        booking.status = "cancelled"
    session.commit()
    harness.deliver_outbox()
    assert harness.sent_to(TgUser.of(anna)) == []
    session.expire_all()
    row = session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "attendance_request")
    )
    assert row.status == "cancelled" and row.last_error == "nobody to mark"


def test_an_old_button_does_not_undo_the_offices_mark(harness, session, factory):
    start = utcnow().replace(microsecond=0) - dt.timedelta(hours=2)
    anna, _, (ivan, _) = _lesson(session, factory, start)
    mark_attendance(
        session, booking_id=ivan.id, attended=True, actor=Actor("staff", 1, "web")
    )
    session.commit()
    user = TgUser.of(anna)
    harness.press(user, callbacks.make("an", ivan.id))
    assert "уже отметил администратор центра (пришёл)" in harness.last(user).text
    assert _statuses(session, [ivan]) == [ATTENDED]
