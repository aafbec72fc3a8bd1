"""A teacher in the panel sees only their own slots and bookings."""

from __future__ import annotations

import datetime as dt

from scheduling.models import ATTENDED, BOOKED, Booking
from tests.webapp.conftest import TEACHER_LOGIN, csrf_token
from tests.webapp.helpers import days_ahead_at, page_text, started_booking


def link_teacher(app, session, factory, name: str = "Смирнова Анна"):
    """A teacher row linked to the 'teacher' login of the test app."""
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=TEACHER_LOGIN[0]).id
    teacher = factory.teacher(name, user_id=user_id)
    session.commit()
    return teacher


def test_teacher_lists_only_their_own_slots_and_bookings(
    app, teacher_client, session, factory
):
    own = link_teacher(app, session, factory)
    other = factory.teacher("Орлов Игорь")
    started_booking(session, factory, own, "Мой ученик")
    started_booking(session, factory, other, "Чужой ученик")

    bookings = page_text(teacher_client.get("/bookings/list/").get_data(True))
    slots = page_text(teacher_client.get("/slots/list/").get_data(True))

    assert "Мой ученик" in bookings and "Чужой ученик" not in bookings
    assert "Смирнова Анна" in slots and "Орлов Игорь" not in slots


def test_teacher_cannot_open_another_teachers_booking_or_slot(
    app, teacher_client, session, factory
):
    link_teacher(app, session, factory)
    foreign = started_booking(session, factory, factory.teacher("Орлов"), "Чужой")
    show = teacher_client.get(f"/bookings/show/{foreign.id}")
    assert show.status_code in (302, 404)
    assert "Чужой" not in page_text(show.get_data(as_text=True))
    assert teacher_client.get(f"/calendar/slot/{foreign.slot_id}").status_code == 404


def test_teacher_calendar_shows_own_slots_whatever_the_filter(
    app, teacher_client, session, factory
):
    own = link_teacher(app, session, factory)
    other = factory.teacher("Орлов Игорь")
    mine = factory.slot(own, days_ahead_at(3, 7))
    factory.slot(other, days_ahead_at(3, 9))
    session.commit()
    day = days_ahead_at(3, 7).date()
    found = teacher_client.get(
        "/calendar/events",
        query_string={
            "start": day.isoformat(),
            "end": (day + dt.timedelta(days=1)).isoformat(),
            "teacher": str(other.id),
        },
    ).get_json()
    assert [int(e["id"]) for e in found] == [mine.id]


def test_teacher_marks_attendance_on_own_booking(app, teacher_client, session, factory):
    own = link_teacher(app, session, factory)
    booking = started_booking(session, factory, own, "Мой ученик")
    page = teacher_client.get("/bookings/list/").get_data(as_text=True)
    teacher_client.post(
        "/bookings/action_post",
        data={
            "csrf_token": csrf_token(page),
            "action": "attended",
            "rowid": booking.id,
        },
    )
    session.expire_all()
    assert session.get(Booking, booking.id).status == ATTENDED


def test_teacher_cannot_mark_another_teachers_booking_by_its_id(
    app, teacher_client, session, factory
):
    own = link_teacher(app, session, factory)
    started_booking(session, factory, own, "Мой ученик")
    foreign = started_booking(session, factory, factory.teacher("Орлов"), "Чужой")
    page = teacher_client.get("/bookings/list/").get_data(as_text=True)
    # FAB's actions load rows by id alone: the domain must refuse this.
    teacher_client.post(
        "/bookings/action_post",
        data={
            "csrf_token": csrf_token(page),
            "action": "attended",
            "rowid": foreign.id,
        },
    )
    session.expire_all()
    assert session.get(Booking, foreign.id).status == BOOKED


def test_teacher_may_neither_cancel_nor_book_from_the_calendar(
    app, teacher_client, session, factory
):
    own = link_teacher(app, session, factory)
    booking = started_booking(session, factory, own, "Мой ученик")
    page = teacher_client.get("/bookings/list/").get_data(as_text=True)
    teacher_client.post(
        "/bookings/action_post",
        data={"csrf_token": csrf_token(page), "action": "cancel", "rowid": booking.id},
    )
    session.expire_all()
    assert session.get(Booking, booking.id).status == BOOKED
    response = teacher_client.post(
        f"/calendar/slot/{booking.slot_id}/book",
        data={"csrf_token": csrf_token(page), "client": str(booking.client_id)},
    )
    assert response.status_code in (302, 403)
    assert "/calendar" not in response.headers.get("Location", "")


def test_teacher_login_without_a_teacher_row_sees_no_rows(
    teacher_client, session, factory
):
    started_booking(session, factory, factory.teacher("Орлов"), "Чужой ученик")
    text = page_text(teacher_client.get("/bookings/list/").get_data(True))
    assert "Чужой ученик" not in text


def test_teacher_opens_own_booking_page_with_its_action_buttons(
    app, teacher_client, session, factory
):
    own = link_teacher(app, session, factory)
    booking = started_booking(session, factory, own, "Мой ученик")
    response = teacher_client.get(f"/bookings/show/{booking.id}")
    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    assert "Мой ученик" in text
    assert "Отметить: пришёл" in text
    assert "Отменить запись" not in text
