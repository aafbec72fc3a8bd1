"""Coordinators read a booking's history under the booking."""

from __future__ import annotations

import datetime as dt

from scheduling.booking import Actor, book, cancel, move
from tests.webapp.helpers import days_ahead_at, page_text


def test_coordinator_sees_who_booked_and_who_cancelled_late_with_override(
    coordinator_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    client = factory.client("Иванов Иван")
    slot = factory.slot(teacher, days_ahead_at(2, 7))
    booking = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        actor=Actor("client", client.id, "bot"),
    )
    cancel(
        session,
        booking_id=booking.id,
        actor=Actor("staff", 1, "web", "coordinator"),
        override_cutoff=True,
        now=slot.starts_at - dt.timedelta(minutes=10),
    )
    session.commit()

    page = page_text(
        coordinator_client.get(f"/bookings/show/{booking.id}").get_data(as_text=True)
    )

    assert "История записи" in page
    assert "запись создана" in page and "Telegram" in page
    assert "запись отменена" in page and "coordinator" in page
    assert "Срок отмены обойдён сотрудником: да" in page
    assert f"Слот №: {slot.id}" in page
    assert "override" not in page and "slot_id" not in page


def test_a_move_is_told_in_words_and_local_time(coordinator_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    first = factory.slot(teacher, days_ahead_at(2, 7))
    second = factory.slot(teacher, days_ahead_at(3, 8))
    staff = Actor("staff", 1, "web", "coordinator")
    booking = book(
        session, slot_id=first.id, client_id=factory.client("Иванов").id, actor=staff
    )
    move(session, booking_id=booking.id, new_slot_id=second.id, actor=staff)
    session.commit()

    page = page_text(
        coordinator_client.get(f"/bookings/show/{booking.id}").get_data(as_text=True)
    )
    assert f"Было: {days_ahead_at(2, 7):%d.%m.%Y} 10:00 MSK" in page
    assert f"Перенесено на: {days_ahead_at(3, 8):%d.%m.%Y} 11:00 MSK" in page
    assert "to_starts_at" not in page


def test_teacher_cannot_open_booking_history(teacher_client):
    response = teacher_client.get("/booking-history/list/")
    assert response.status_code in (302, 403)
