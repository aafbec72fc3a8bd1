"""List pages and the calendar's data run as many queries for 10,000 bookings as
for 1,000: nothing is loaded row by row (no N+1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from scheduling.models import utcnow
from tests.webapp.test_lists import counted_queries

TEACHERS = 20
CLIENTS = 500

PAGES = (
    "/bookings/list/",
    "/bookings/list/?_oc_BookingView=status&_od_BookingView=asc",
    "/slots/list/",
    "/teachers/list/",
    "/clients/list/",
)


def first_hour() -> dt.datetime:
    return (utcnow() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


def insert_bookings(session, first: int, last: int) -> None:
    """Slots and bookings numbered first..last, in one statement each.

    Slot i belongs to teacher i % 20 at hour i // 20 from tomorrow, and is
    booked by client i % 500: no teacher and no client is ever double-booked.
    """
    params = {"first": first, "last": last, "base": first_hour()}
    session.execute(
        text(
            "INSERT INTO slots (id, teacher_id, starts_at, ends_at, capacity) "
            "SELECT i, 1 + i % :teachers, :base + (i / :teachers) * interval '1 hour', "
            ":base + (i / :teachers + 1) * interval '1 hour', 1 "
            "FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS i"
        ),
        params | {"teachers": TEACHERS},
    )
    session.execute(
        text(
            "INSERT INTO bookings (slot_id, client_id, starts_at, ends_at, status) "
            "SELECT s.id, 1 + s.id % :clients, s.starts_at, s.ends_at, 'booked' "
            "FROM slots s WHERE s.id BETWEEN :first AND :last"
        ),
        params | {"clients": CLIENTS},
    )
    session.commit()


def seed_people(session) -> None:
    session.execute(
        text(
            "INSERT INTO teachers (id, full_name) "
            "SELECT i, 'Преподаватель ' || i "
            "FROM generate_series(1, CAST(:n AS int)) AS i"
        ),
        {"n": TEACHERS},
    )
    session.execute(
        text(
            "INSERT INTO clients (id, full_name) "
            "SELECT i, 'Клиент ' || i "
            "FROM generate_series(1, CAST(:n AS int)) AS i"
        ),
        {"n": CLIENTS},
    )
    session.commit()


def calendar_week() -> str:
    day = first_hour().date()
    return (
        f"/calendar/events?start={day}T00:00:00Z"
        f"&end={day + dt.timedelta(days=7)}T00:00:00Z"
    )


def queries_per_page(app, client) -> dict[str, int]:
    counts = {}
    for url in (*PAGES, calendar_week()):
        client.get(url)  # warm-up: FAB caches some metadata on first use
        with counted_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_list_pages_and_calendar_data_cost_the_same_with_10000_bookings(
    app, admin_client, session
):
    seed_people(session)
    insert_bookings(session, 1, 1000)
    with_1000 = queries_per_page(app, admin_client)
    events = admin_client.get(calendar_week()).get_json()

    insert_bookings(session, 1001, 10_000)
    with_10000 = queries_per_page(app, admin_client)

    assert session.execute(text("SELECT count(*) FROM bookings")).scalar() == 10_000
    assert len(events) == 1000
    assert with_10000 == with_1000
    assert max(with_1000.values()) <= 15, with_1000


def test_a_teachers_own_pages_cost_the_same_with_10000_bookings(
    app, teacher_client, session
):
    seed_people(session)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="teacher")
    session.execute(
        text("UPDATE teachers SET user_id = :u WHERE id = 1"), {"u": user.id}
    )
    session.commit()
    urls = ("/bookings/list/", "/slots/list/", calendar_week())

    def counts() -> dict[str, int]:
        found = {}
        for url in urls:
            teacher_client.get(url)
            with counted_queries(app) as statements:
                assert teacher_client.get(url).status_code == 200, url
            found[url] = len(statements)
        return found

    insert_bookings(session, 1, 1000)
    with_1000 = counts()
    own_events = teacher_client.get(calendar_week()).get_json()
    insert_bookings(session, 1001, 10_000)

    assert counts() == with_1000
    # Teacher 1 holds every 20th slot; the week shows theirs only.
    assert len(own_events) == 1000 // TEACHERS
