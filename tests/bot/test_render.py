"""Outbox rows rendered in the recipient's language, from what really happened."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.render import Outgoing, Skip, Unrenderable, render
from scheduling.booking import Actor, book, cancel, move
from scheduling.models import OutboxMessage
from scheduling.outbox import queue_message
from tests.bot.conftest import local, tomorrow

STAFF = Actor("staff", 1, "web", "admin")


def _rendered(session, kind: str):
    row = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id.desc())
    )
    assert row is not None, kind
    return render(session, Outgoing(row.id, row.chat_id, row.kind, row.payload))


@pytest.fixture
def lesson(session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Анна Смирнова", subjects=(maths,))
    client = factory.client("John Smith", language="en")
    slot = factory.slot(teacher, local(tomorrow(), 10))
    later = factory.slot(teacher, local(tomorrow(), 12))
    booking = book(
        session, slot_id=slot.id, client_id=client.id, actor=STAFF, subject_id=maths.id
    )
    return booking, later


def test_booking_notes_speak_each_recipients_language(session, lesson):
    to_client = _rendered(session, "booking_created_client")
    to_teacher = _rendered(session, "booking_created_teacher")
    assert to_client.text.startswith("✅ You are booked: Математика, Анна Смирнова")
    assert "10:00 (Moscow time)" in to_client.text
    assert to_teacher.text.startswith("🆕 Новая запись: John Smith, Математика")
    assert "10:00 (МСК)" in to_teacher.text


def test_moved_note_names_the_new_time(session, lesson):
    booking, later = lesson
    move(session, booking_id=booking.id, new_slot_id=later.id, actor=STAFF)
    text = _rendered(session, "booking_moved_teacher").text
    assert "перенесена" in text and "12:00 (МСК)" in text


def test_a_move_to_another_teacher_tells_both_teachers(session, factory, lesson):
    booking, _ = lesson
    maths = booking.subject
    other = factory.teacher("Олег Игоревич Павлов", subjects=(maths,))
    elsewhere = factory.slot(other, local(tomorrow(), 15))
    first_teacher_chat = booking.slot.teacher.telegram_user_id
    move(session, booking_id=booking.id, new_slot_id=elsewhere.id, actor=STAFF)

    sent = session.execute(
        select(OutboxMessage.kind, OutboxMessage.chat_id)
        .where(OutboxMessage.kind.like("booking_moved%"))
        .order_by(OutboxMessage.kind)
    ).all()
    assert sent == [
        ("booking_moved_away_teacher", first_teacher_chat),
        ("booking_moved_client", booking.client.telegram_user_id),
        ("booking_moved_in_teacher", other.telegram_user_id),
    ]
    away = _rendered(session, "booking_moved_away_teacher").text
    arrived = _rendered(session, "booking_moved_in_teacher").text
    # The old teacher is told the time the lesson left, the new one its new time.
    assert "к другому преподавателю" in away and "10:00 (МСК)" in away
    assert "John Smith" in away
    assert "К вам перенесена" in arrived and "15:00 (МСК)" in arrived


def test_cancelled_note_and_reminder_skip(session, lesson):
    booking, _ = lesson
    queue_message(
        session,
        key="r",
        chat_id=booking.client.telegram_user_id,
        kind="reminder",
        payload={"booking_id": booking.id, "minutes_before": 120},
    )
    reminder = _rendered(session, "reminder")
    assert reminder.text.startswith("⏰ Reminder: in 2 hours — Математика")
    cancel(session, booking_id=booking.id, actor=STAFF, override_cutoff=True)
    assert "Отмена записи" in _rendered(session, "booking_cancelled_teacher").text
    with pytest.raises(Skip):
        _rendered(session, "reminder")


def test_russian_reminder_counts_in_russian(session, factory):
    teacher = factory.teacher("Анна Смирнова")
    client = factory.client("Иван Петров")
    slot = factory.slot(teacher, local(tomorrow(), 16))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=STAFF)
    for minutes, words in (
        (1440, "через 1 день"),
        (180, "через 3 часа"),
        (25, "через 25 минут"),
    ):
        text = render(
            session,
            Outgoing(
                0,
                client.telegram_user_id,
                "reminder",
                {"booking_id": booking.id, "minutes_before": minutes},
            ),
        ).text
        assert f"Напоминание: {words} — Занятие" in text


def test_broadcast_is_sent_as_written_and_unknown_kinds_are_refused(session):
    text = render(
        session, Outgoing(0, 1, "broadcast", {"text": "Центр закрыт 1 мая"})
    ).text
    assert text == "Центр закрыт 1 мая"
    with pytest.raises(Unrenderable):
        render(session, Outgoing(0, 1, "broadcast", {}))
    with pytest.raises(Unrenderable):
        render(session, Outgoing(0, 1, "telegram", {}))
