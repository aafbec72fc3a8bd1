"""Bookings list: filters, and attendance / move / cancel from the row."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import ATTENDED, BOOKED, NO_SHOW, Booking
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text, started_booking

STAFF = Actor("staff", None, "web", "test")


def booked(session, factory, starts_at: dt.datetime, teacher=None, name="Иванов"):
    teacher = teacher or factory.teacher("Смирнова Анна")
    slot = factory.slot(teacher, starts_at)
    pupil = factory.client(name)
    booking = book(session, slot_id=slot.id, client_id=pupil.id, actor=STAFF)
    session.commit()
    return booking


def run_action(client, name: str, *ids: int):
    page = client.get("/bookings/list/").get_data(as_text=True)
    return client.post(
        "/bookings/action_post",
        data={"csrf_token": csrf_token(page), "action": name, "rowid": list(ids)},
        follow_redirects=True,
    )


def status_of(session, booking_id: int) -> str:
    session.expire_all()
    return session.get(Booking, booking_id).status


def test_staff_marks_a_started_lesson_attended_and_another_no_show(
    admin_client, session, factory
):
    first = started_booking(session, factory, factory.teacher("Анна"), "Первый")
    second = started_booking(session, factory, factory.teacher("Игорь"), "Второй")

    run_action(admin_client, "attended", first.id)
    run_action(admin_client, "no_show", second.id)

    assert status_of(session, first.id) == ATTENDED
    assert status_of(session, second.id) == NO_SHOW


def test_attendance_of_a_lesson_to_come_is_refused_with_the_reason(
    admin_client, session, factory
):
    booking = booked(session, factory, days_ahead_at(3, 7))
    response = run_action(admin_client, "attended", booking.id)
    assert f"#{booking.id}:" in page_text(response.get_data(as_text=True))
    assert status_of(session, booking.id) == BOOKED


def test_staff_move_a_booking_to_another_slot(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    booking = booked(session, factory, days_ahead_at(3, 7), teacher=teacher)
    target = factory.slot(teacher, days_ahead_at(4, 8))
    session.commit()

    form = admin_client.get(f"/bookings/move/{booking.id}")
    assert form.status_code == 200
    assert f"{days_ahead_at(4, 8):%d.%m.%Y} 11:00 MSK" in page_text(
        form.get_data(as_text=True)
    )
    response = admin_client.post(
        f"/bookings/move/{booking.id}",
        data={"csrf_token": csrf_token(form.get_data(True)), "slot": str(target.id)},
    )

    assert response.status_code == 302
    session.expire_all()
    moved = session.get(Booking, booking.id)
    assert moved.slot_id == target.id
    assert moved.starts_at == days_ahead_at(4, 8)


def test_move_action_on_the_row_opens_the_move_form(admin_client, session, factory):
    booking = booked(session, factory, days_ahead_at(3, 7))
    page = admin_client.get(f"/bookings/show/{booking.id}").get_data(as_text=True)
    response = admin_client.post(
        f"/bookings/action/move/{booking.id}",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/bookings/move/{booking.id}")


def test_moving_into_a_full_slot_is_refused_and_changes_nothing(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    booking = booked(session, factory, days_ahead_at(3, 7), teacher=teacher)
    other = booked(session, factory, days_ahead_at(4, 7), teacher=teacher, name="Б")
    form = admin_client.get(f"/bookings/move/{booking.id}").get_data(as_text=True)

    response = admin_client.post(
        f"/bookings/move/{booking.id}",
        data={"csrf_token": csrf_token(form), "slot": str(other.slot_id)},
    )

    assert response.status_code == 409
    assert "занят" in page_text(response.get_data(as_text=True)).lower()
    session.expire_all()
    assert session.get(Booking, booking.id).slot_id == booking.slot_id


def test_move_of_an_unknown_booking_is_a_404(admin_client):
    assert admin_client.get("/bookings/move/999999").status_code == 404


def test_bookings_filter_by_teacher_and_subject(admin_client, session, factory):
    maths = factory.subject("Математика")
    anna = factory.teacher("Смирнова Анна", subjects=(maths,))
    igor = factory.teacher("Орлов Игорь")
    slot = factory.slot(anna, days_ahead_at(3, 7))
    pupil = factory.client("Ученик Анны")
    book(session, slot_id=slot.id, client_id=pupil.id, actor=STAFF, subject_id=maths.id)
    booked(session, factory, days_ahead_at(3, 7), teacher=igor, name="Ученик Игоря")

    by_teacher = page_text(
        admin_client.get(f"/bookings/list/?_flt_0_slot={igor.id}").get_data(True)
    )
    by_subject = page_text(
        admin_client.get(f"/bookings/list/?_flt_0_subject={maths.id}").get_data(True)
    )

    assert "Ученик Игоря" in by_teacher and "Ученик Анны" not in by_teacher
    assert "Ученик Анны" in by_subject and "Ученик Игоря" not in by_subject


def test_bookings_filter_by_a_date_range(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    booked(session, factory, days_ahead_at(2, 7), teacher=teacher, name="Раньше")
    booked(session, factory, days_ahead_at(5, 7), teacher=teacher, name="Позже")
    day_from = days_ahead_at(4, 7).date().isoformat()
    day_to = days_ahead_at(6, 7).date().isoformat()
    text = page_text(
        admin_client.get(
            f"/bookings/list/?_flt_1_starts_at={day_from}&_flt_2_starts_at={day_to}"
        ).get_data(True)
    )
    assert "Позже" in text and "Раньше" not in text


def test_cancel_from_the_row_frees_the_place(admin_client, session, factory):
    booking = booked(session, factory, days_ahead_at(3, 7))
    run_action(admin_client, "cancel", booking.id)
    assert status_of(session, booking.id) == "cancelled"
    session.expire_all()
    assert session.scalars(select(Booking)).one().slot.booked_count == 0


def test_an_action_returns_to_the_filtered_list_it_was_started_from(
    admin_client, session, factory
):
    booking = started_booking(session, factory, factory.teacher("Анна"), "Первый")
    listing = f"/bookings/list/?_flt_0_client={booking.client_id}"
    page = admin_client.get(listing).get_data(as_text=True)
    response = admin_client.post(
        "/bookings/action_post",
        data={
            "csrf_token": csrf_token(page),
            "action": "attended",
            "rowid": booking.id,
        },
        headers={"Referer": f"http://localhost{listing}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"http://localhost{listing}"


def test_an_action_on_a_booking_page_returns_to_that_booking(
    admin_client, session, factory
):
    first = started_booking(session, factory, factory.teacher("Анна"), "Первый")
    started_booking(session, factory, factory.teacher("Игорь"), "Второй")
    shown = f"http://localhost/bookings/show/{first.id}"
    assert admin_client.get(shown).status_code == 200
    page = admin_client.get("/bookings/list/").get_data(as_text=True)
    response = admin_client.post(
        f"/bookings/action/attended/{first.id}",
        data={"csrf_token": csrf_token(page)},
        headers={"Referer": shown},
    )
    assert response.headers["Location"] == shown
    assert status_of(session, first.id) == ATTENDED


def test_an_action_on_an_unknown_booking_says_so(admin_client):
    page = admin_client.get("/bookings/add").get_data(as_text=True)
    response = admin_client.post(
        "/bookings/action/attended/999999",
        data={"csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert response.status_code == 404
    assert "Страница не найдена" in page_text(response.get_data(as_text=True))


def test_an_action_with_a_foreign_referrer_returns_to_the_list(
    admin_client, session, factory
):
    booking = started_booking(session, factory, factory.teacher("Анна"), "Первый")
    page = admin_client.get("/bookings/list/").get_data(as_text=True)
    response = admin_client.post(
        "/bookings/action_post",
        data={
            "csrf_token": csrf_token(page),
            "action": "attended",
            "rowid": booking.id,
        },
        headers={"Referer": "https://evil.example/bookings/list/"},
    )
    assert response.headers["Location"].endswith("/bookings/list/")


def test_the_move_form_offers_only_slots_the_lesson_fits_in(
    admin_client, session, factory
):
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    slot = factory.slot(teacher, days_ahead_at(3, 7))
    pupil = factory.client("Иванов Пётр")
    booking = book(
        session, slot_id=slot.id, client_id=pupil.id, subject_id=maths.id, actor=STAFF
    )
    other_maths = factory.teacher("Орлов Игорь", subjects=(maths,))
    physicist = factory.teacher("Захаров Максим", subjects=(physics,))
    fits = factory.slot(other_maths, days_ahead_at(4, 8))
    factory.slot(physicist, days_ahead_at(4, 10))
    busy = factory.slot(other_maths, days_ahead_at(5, 8))
    elsewhere = factory.slot(
        factory.teacher("Белых Ксения", subjects=(maths,)), days_ahead_at(5, 8)
    )
    book(session, slot_id=elsewhere.id, client_id=pupil.id, actor=STAFF)
    session.commit()

    form = admin_client.get(f"/bookings/move/{booking.id}").get_data(as_text=True)
    offered = set(re.findall(r'<option[^>]*value="(\d+)"', form))
    assert str(fits.id) in offered
    assert str(busy.id) not in offered  # the client has a lesson then
    assert not any(
        "Захаров" in label for label in re.findall(r"<option[^>]*>([^<]*)", form)
    )
