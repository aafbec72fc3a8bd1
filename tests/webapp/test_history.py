"""Coordinators read a booking's history under the booking."""

from __future__ import annotations

import datetime as dt

from scheduling.booking import Actor, book, cancel
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
    assert "override: да" in page


def test_teacher_cannot_open_booking_history(teacher_client):
    response = teacher_client.get("/booking-history/list/")
    assert response.status_code in (302, 403)
