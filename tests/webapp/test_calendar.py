"""The calendar of slots: events in the centre's time, filters, booking from a slot."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import Booking
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text

STAFF = Actor("staff", None, "web", "test")


def local_day(days: int) -> str:
    return (days_ahead_at(days, 12)).date().isoformat()


def events(client, days: int = 3, **params: str) -> list[dict]:
    query = {"start": f"{local_day(days)}T00:00:00Z"}
    query["end"] = f"{local_day(days + 1)}T00:00:00Z"
    query.update(params)
    response = client.get("/calendar/events", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_calendar_page_loads_fullcalendar_from_our_own_static_files(admin_client):
    html = admin_client.get("/calendar/").get_data(as_text=True)
    assert "/static/fullcalendar/fullcalendar.min.js" in html
    assert "cdn" not in html.lower()
    script = admin_client.get("/static/fullcalendar/fullcalendar.min.js")
    assert script.status_code == 200
    assert b"FullCalendar" in script.data
    script.close()


def test_calendar_now_line_follows_the_centres_clock(admin_client):
    # Events are wall-clock times shown as UTC; "now" is moved the same way
    # (Moscow is UTC+3 all year).
    html = admin_client.get("/calendar/").get_data(as_text=True)
    assert "new Date(Date.now() + 10800000)" in html


def test_events_carry_the_centres_wall_clock_time_and_state(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    free = factory.slot(teacher, days_ahead_at(3, 7))  # 10:00 in Moscow
    group = factory.slot(teacher, days_ahead_at(3, 8), capacity=2, subject_id=maths.id)
    full = factory.slot(teacher, days_ahead_at(3, 9))
    for slot, name in ((group, "Пётр"), (full, "Ольга")):
        pupil = factory.client(name)
        book(session, slot_id=slot.id, client_id=pupil.id, actor=STAFF)
    session.commit()

    found = {int(e["id"]): e for e in events(admin_client)}

    assert set(found) == {free.id, group.id, full.id}
    assert found[free.id]["start"] == f"{local_day(3)}T10:00:00"
    assert found[free.id]["end"] == f"{local_day(3)}T11:00:00"
    assert [found[s.id]["extendedProps"]["state"] for s in (free, group, full)] == [
        "free",
        "booked",
        "full",
    ]
    assert found[group.id]["title"] == "Смирнова Анна · Математика · 1/2"


def test_a_started_slot_is_shown_as_past(admin_client, session, factory):
    teacher = factory.teacher("Орлов Игорь")
    slot = factory.slot(teacher, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    session.commit()
    day = slot.starts_at.date()
    found = admin_client.get(
        "/calendar/events",
        query_string={
            "start": f"{day - dt.timedelta(days=1)}T00:00:00Z",
            "end": f"{day + dt.timedelta(days=2)}T00:00:00Z",
        },
    ).get_json()
    assert [e["extendedProps"]["state"] for e in found] == ["past"]


def test_events_outside_the_asked_period_are_left_out(admin_client, session, factory):
    teacher = factory.teacher("Орлов Игорь")
    inside = factory.slot(teacher, days_ahead_at(3, 7))
    factory.slot(teacher, days_ahead_at(5, 7))
    session.commit()
    assert [int(e["id"]) for e in events(admin_client)] == [inside.id]


def test_events_filter_by_teacher_and_by_subject(admin_client, session, factory):
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    anna = factory.teacher("Анна", subjects=(maths, physics))
    igor = factory.teacher("Игорь", subjects=(maths,))
    anna_any = factory.slot(anna, days_ahead_at(3, 7))
    igor_any = factory.slot(igor, days_ahead_at(3, 7))
    anna_maths = factory.slot(anna, days_ahead_at(3, 9), subject_id=maths.id)
    session.commit()

    by_teacher = {int(e["id"]) for e in events(admin_client, teacher=str(igor.id))}
    by_physics = {int(e["id"]) for e in events(admin_client, subject=str(physics.id))}
    by_maths = {int(e["id"]) for e in events(admin_client, subject=str(maths.id))}

    assert by_teacher == {igor_any.id}
    assert by_physics == {anna_any.id}
    assert by_maths == {anna_any.id, igor_any.id, anna_maths.id}


def test_unreadable_period_or_filter_is_a_400_with_a_message(admin_client):
    for query in (
        {},
        {"start": "вчера", "end": "2026-01-01"},
        {"start": "2026-01-01", "end": "2026-01-08", "teacher": "abc"},
    ):
        response = admin_client.get("/calendar/events", query_string=query)
        assert response.status_code == 400
        assert "message" in response.get_json()


def test_slot_panel_lists_its_bookings(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    slot = factory.slot(teacher, days_ahead_at(3, 7), capacity=2)
    pupil = factory.client("Иванов Иван")
    book(session, slot_id=slot.id, client_id=pupil.id, actor=STAFF)
    session.commit()
    text = page_text(admin_client.get(f"/calendar/slot/{slot.id}").get_data(True))
    assert "Иванов Иван" in text
    assert "записан" in text
    assert f"{days_ahead_at(3, 7):%d.%m.%Y} 10:00 MSK" in text
    assert "1/2" in text


def test_staff_books_a_client_from_the_calendar(admin_client, session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    slot = factory.slot(teacher, days_ahead_at(3, 7))
    pupil = factory.client("Иванов Иван")
    session.commit()
    panel = admin_client.get(f"/calendar/slot/{slot.id}").get_data(as_text=True)

    response = admin_client.post(
        f"/calendar/slot/{slot.id}/book",
        data={
            "csrf_token": csrf_token(panel),
            "client": str(pupil.id),
            "subject": str(maths.id),
        },
    )

    assert response.status_code == 302
    assert f"slot={slot.id}" in response.headers["Location"]
    booking = session.scalar(select(Booking).where(Booking.slot_id == slot.id))
    assert booking.client_id == pupil.id and booking.subject_id == maths.id
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Запись №{booking.id} создана." in page_text(page)


def test_booking_a_full_slot_from_the_calendar_is_refused_with_the_reason(
    admin_client, session, factory
):
    teacher = factory.teacher("Смирнова Анна")
    slot = factory.slot(teacher, days_ahead_at(3, 7))
    first, second = factory.client("Первый"), factory.client("Второй")
    session.commit()
    panel = admin_client.get(f"/calendar/slot/{slot.id}").get_data(as_text=True)
    book(session, slot_id=slot.id, client_id=first.id, actor=STAFF)
    session.commit()

    response = admin_client.post(
        f"/calendar/slot/{slot.id}/book",
        data={"csrf_token": csrf_token(panel), "client": str(second.id)},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "занят" in page_text(response.get_data(as_text=True)).lower()
    count = session.scalars(select(Booking).where(Booking.slot_id == slot.id)).all()
    assert len(count) == 1


def test_booking_without_a_client_is_refused_with_a_message(
    admin_client, session, factory
):
    slot = factory.slot(factory.teacher("Смирнова Анна"), days_ahead_at(3, 7))
    session.commit()
    panel = admin_client.get(f"/calendar/slot/{slot.id}").get_data(as_text=True)
    response = admin_client.post(
        f"/calendar/slot/{slot.id}/book",
        data={"csrf_token": csrf_token(panel), "client": "x"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Выберите клиента" in page_text(response.get_data(as_text=True))


def test_unknown_slot_panel_is_a_404(admin_client):
    assert admin_client.get("/calendar/slot/999999").status_code == 404


def test_calendar_speaks_english_when_chosen(admin_client):
    admin_client.get("/lang/en")
    html = admin_client.get("/calendar/").get_data(as_text=True)
    assert 'locale: "en"' in html
    assert "All teachers" in page_text(html)
    assert "free" in page_text(html)
