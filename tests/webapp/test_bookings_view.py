"""Booking and cancelling from the panel go through the domain rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import BOOKED, CANCELLED, Booking, BookingEvent, utcnow
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text

CLIENT_ACTOR_SOURCE = "bot"


def book_as_client(session, slot, client) -> Booking:
    booking = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        actor=Actor("client", client.id, CLIENT_ACTOR_SOURCE),
    )
    session.commit()
    return booking


def submit_booking(client, slot_id: int, client_id: int, subject_id: int = 0):
    token = csrf_token(client.get("/bookings/add").get_data(as_text=True))
    return client.post(
        "/bookings/add",
        data={
            "slot": slot_id,
            "client": client_id,
            "subject": subject_id,
            "csrf_token": token,
        },
    )


def run_action(client, action: str, booking_id: int):
    listing = client.get("/bookings/list/").get_data(as_text=True)
    response = client.post(
        "/bookings/action_post",
        data={"action": action, "rowid": booking_id, "csrf_token": csrf_token(listing)},
    )
    assert response.status_code == 302
    return page_text(client.get(response.headers["Location"]).get_data(as_text=True))


def test_booking_form_offers_open_slots_clients_and_subjects(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    factory.client("Иванов Иван", phone="+79990001122")
    factory.slot(teacher, days_ahead_at(2, 7), subject_id=maths.id)
    full = factory.slot(teacher, days_ahead_at(2, 9))
    book_as_client(session, full, factory.client("Петрова Ольга"))
    response = admin_client.get("/bookings/add")
    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    day = f"{days_ahead_at(2, 7):%d.%m.%Y}"
    assert f"{day} 10:00 MSK — Смирнова Анна (Математика) 0/1" in text
    assert f"{day} 12:00 MSK" not in text  # full: not offered
    assert "Иванов Иван +79990001122" in text


def test_staff_booking_is_made_through_the_domain_and_recorded(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    pupil = factory.client("Иванов Иван")
    slot = factory.slot(teacher, days_ahead_at(2, 7))
    session.commit()
    response = submit_booking(admin_client, slot.id, pupil.id, maths.id)
    assert response.status_code == 302
    booking = session.scalars(select(Booking)).one()
    assert (booking.status, booking.source, booking.slot_id) == (BOOKED, "web", slot.id)
    assert booking.subject_id == maths.id
    event = session.scalars(select(BookingEvent)).one()
    assert (event.action, event.actor, event.source) == ("created", "admin", "web")
    text = page_text(admin_client.get("/bookings/list/").get_data(as_text=True))
    assert f"Запись №{booking.id} создана." in text


def test_booking_a_full_slot_shows_the_taken_message_with_409(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    first, second = factory.client("Первый"), factory.client("Второй")
    slot = factory.slot(teacher, days_ahead_at(2, 8))
    session.commit()
    token = csrf_token(admin_client.get("/bookings/add").get_data(as_text=True))
    book_as_client(session, slot, first)  # taken while the form was open
    response = admin_client.post(
        "/bookings/add",
        data={"slot": slot.id, "client": second.id, "subject": 0, "csrf_token": token},
    )
    assert response.status_code == 409
    assert "Это время уже занято. Выберите другое." in page_text(
        response.get_data(as_text=True)
    )
    assert len(session.scalars(select(Booking)).all()) == 1


def test_forged_slot_id_gets_the_domain_answer_not_a_500(
    admin_client, session, factory
):
    pupil = factory.client("Иванов Иван")
    session.commit()
    response = submit_booking(admin_client, 999_999, pupil.id)
    assert response.status_code == 404
    assert "Такого слота нет." in response.get_data(as_text=True)
    assert session.scalars(select(Booking)).first() is None


def test_non_numeric_slot_is_a_form_error_not_a_500(admin_client, session, factory):
    pupil = factory.client("Иванов Иван")
    session.commit()
    response = submit_booking(admin_client, "abc", pupil.id)
    assert response.status_code == 400
    assert session.scalars(select(Booking)).first() is None


def test_cancel_past_the_cutoff_keeps_the_booking_and_says_why(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    pupil = factory.client("Иванов Иван")
    # Starts in an hour: inside the default 180-minute cancellation cutoff.
    start = (utcnow() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    slot = factory.slot(teacher, start)
    session.commit()
    booking = book(
        session,
        slot_id=slot.id,
        client_id=pupil.id,
        actor=Actor("staff", None, "web", "test"),
    )
    session.commit()
    text = run_action(admin_client, "cancel", booking.id)
    # Staff are told how to override, not to call the administrator.
    assert "Срок отмены (3 ч до начала) прошёл." in text
    assert "«Отменить, несмотря на срок»" in text
    session.refresh(booking)
    assert booking.status == BOOKED


def test_cancel_before_the_cutoff_cancels(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    pupil = factory.client("Иванов Иван")
    booking = book_as_client(session, factory.slot(teacher, days_ahead_at(3, 7)), pupil)
    text = run_action(admin_client, "cancel", booking.id)
    assert "Отменена 1 запись." in text
    session.refresh(booking)
    assert booking.status == CANCELLED


def test_cancel_despite_cutoff_is_an_override_recorded_in_history(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    pupil = factory.client("Иванов Иван")
    # Two hours ahead: past the client's notice, inside the 180-minute cutoff.
    start = (utcnow() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    booking = book_as_client(session, factory.slot(teacher, start), pupil)
    run_action(admin_client, "cancel_late", booking.id)
    session.refresh(booking)
    assert booking.status == CANCELLED
    event = session.scalars(
        select(BookingEvent).where(BookingEvent.action == "cancelled")
    ).one()
    assert event.details["override"] is True


def test_bookings_cannot_be_edited_or_deleted_by_hand(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    pupil = factory.client("Иванов Иван")
    booking = book_as_client(session, factory.slot(teacher, days_ahead_at(3, 7)), pupil)
    assert admin_client.get(f"/bookings/edit/{booking.id}").status_code == 403
    listing = admin_client.get("/bookings/list/").get_data(as_text=True)
    response = admin_client.post(
        f"/bookings/delete/{booking.id}", data={"csrf_token": csrf_token(listing)}
    )
    assert response.status_code == 403
    assert session.get(Booking, booking.id) is not None


def test_lowering_capacity_below_bookings_is_refused_with_a_message(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    slot = factory.slot(teacher, days_ahead_at(3, 7), capacity=2)
    for name in ("Первый", "Второй"):
        book_as_client(session, slot, factory.client(name))
    token = csrf_token(
        admin_client.get(f"/slots/edit/{slot.id}").get_data(as_text=True)
    )
    response = admin_client.post(
        f"/slots/edit/{slot.id}",
        data={"status": "open", "capacity": "1", "csrf_token": token},
    )
    assert response.status_code == 302
    text = page_text(admin_client.get(response.headers["Location"]).get_data(True))
    assert "Вместимость не может быть меньше числа уже записанных." in text
    session.refresh(slot)
    assert slot.capacity == 2
