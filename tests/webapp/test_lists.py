"""List pages show the test's rows, in the centre's time, without N+1 queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from scheduling.booking import Actor, book
from scheduling.models import utcnow
from tests.webapp.helpers import days_ahead_at, page_text
from webapp.extensions import db

STAFF = Actor("staff", None, "web", "test")


def make_bookings(session, factory, count: int, start_day: int = 2) -> None:
    """`count` bookings, each with its own teacher, client and subject."""
    for i in range(count):
        subject = factory.subject(f"Предмет {start_day}-{i}")
        teacher = factory.teacher(f"Преподаватель {i}", subjects=(subject,))
        client = factory.client(f"Клиент {i}")
        slot = factory.slot(
            teacher, days_ahead_at(start_day, 5) + dt.timedelta(hours=i)
        )
        book(
            session,
            slot_id=slot.id,
            client_id=client.id,
            actor=STAFF,
            subject_id=subject.id,
        )
    session.commit()


@contextmanager
def counted_queries(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_teachers_list_shows_teachers_with_their_subjects(
    admin_client, session, factory
):
    physics, maths = factory.subject("Физика"), factory.subject("Математика")
    factory.teacher("Смирнова Анна Петровна", subjects=(physics, maths), phone=None)
    session.commit()
    text = page_text(admin_client.get("/teachers/list/").get_data(as_text=True))
    assert "Смирнова Анна Петровна" in text
    assert "Математика, Физика" in text
    assert "None" not in text


def test_slots_list_shows_times_in_the_centre_timezone(admin_client, session, factory):
    teacher = factory.teacher("Орлов Игорь")
    day = days_ahead_at(3, 7)
    factory.slot(teacher, day)  # 07:00 UTC is 10:00 in Moscow
    session.commit()
    text = page_text(admin_client.get("/slots/list/").get_data(as_text=True))
    assert "Орлов Игорь" in text
    assert f"{day:%d.%m.%Y} 10:00 MSK" in text
    assert "+00:00" not in text
    assert "открыт" in text


def test_bookings_list_shows_the_booking_made_by_the_test(
    admin_client, session, factory
):
    make_bookings(session, factory, 1)
    response = admin_client.get("/bookings/list/")
    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    assert "Клиент 0" in text
    assert "Преподаватель 0" in text
    assert "Предмет 2-0" in text
    assert "записан" in text
    assert "веб-панель" in text


@pytest.mark.parametrize(
    "url",
    [
        "/bookings/list/",
        "/slots/list/",
        "/teachers/list/",
        "/clients/list/",
        "/teacher-subjects/list/",
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    app, admin_client, session, factory, url
):
    make_bookings(session, factory, 2)
    admin_client.get(url)  # warm up: login session, settings
    with counted_queries(app) as few:
        assert admin_client.get(url).status_code == 200
    make_bookings(session, factory, 20, start_day=5)
    with counted_queries(app) as many:
        response = admin_client.get(url)
    # The page shows 25 rows, so most of the 22 rows are on it.
    assert response.get_data(as_text=True).count("/show/") >= 20
    assert len(many) == len(few), [s[:120] for s in many]


def test_a_page_reads_the_users_permissions_once(app, coordinator_client):
    coordinator_client.get("/bookings/list/")
    with counted_queries(app) as statements:
        assert coordinator_client.get("/bookings/list/").status_code == 200
    permission_reads = [s for s in statements if "ab_permission" in s]
    assert len(permission_reads) == 1, permission_reads


def test_bookings_filter_by_local_date(admin_client, session, factory):
    moscow = ZoneInfo("Europe/Moscow")
    day = utcnow().astimezone(moscow).date() + dt.timedelta(days=4)
    teacher = factory.teacher("Орлов Игорь")
    # 00:30 in Moscow on `day` is 21:30 UTC the day before.
    night = factory.slot(teacher, dt.datetime.combine(day, dt.time(0, 30), moscow))
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10), moscow)
    morning = factory.slot(teacher, next_day)
    book(session, slot_id=night.id, client_id=factory.client("Сова").id, actor=STAFF)
    book(
        session,
        slot_id=morning.id,
        client_id=factory.client("Жаворонок").id,
        actor=STAFF,
    )
    session.commit()

    def clients_listed(query: str) -> set[str]:
        text = page_text(admin_client.get(f"/bookings/list/?{query}").get_data(True))
        return {name for name in ("Сова", "Жаворонок") if name in text}

    assert clients_listed(f"_flt_0_starts_at={day}") == {"Сова"}
    assert clients_listed(f"_flt_1_starts_at={day + dt.timedelta(days=1)}") == {
        "Жаворонок"
    }
    assert clients_listed(f"_flt_2_starts_at={day}") == {"Сова"}
    assert clients_listed("_flt_0_starts_at=not-a-date") == {"Сова", "Жаворонок"}
