"""The bookings CSV: content, encoding for Excel, who may download it."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pandas as pd

from reports.bookings import COLUMNS, bookings_csv, bookings_frame, default_period
from scheduling.booking import Actor, book, cancel
from tests.webapp.helpers import page_text

MOSCOW = ZoneInfo("Europe/Moscow")
STAFF = Actor("staff", None, "web", "test")


def moscow(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW)


def arrange_two_bookings(session, factory, day: dt.date) -> None:
    """A booked maths lesson at 10:00 and a cancelled one at 12:00 (Moscow)."""
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна Петровна", subjects=(maths,))
    first = factory.slot(teacher, moscow(day, 10))
    second = factory.slot(teacher, moscow(day, 12))
    ivan, olga = factory.client("Иванов Иван"), factory.client("Петрова Ольга")
    book(session, slot_id=first.id, client_id=ivan.id, actor=STAFF, subject_id=maths.id)
    booking = book(
        session,
        slot_id=second.id,
        client_id=olga.id,
        actor=Actor("client", olga.id, "bot"),
    )
    cancel(
        session,
        booking_id=booking.id,
        actor=STAFF,
        now=moscow(day, 12) - dt.timedelta(days=1),
    )
    session.commit()


EXPECTED_ROWS = [
    [
        "{day}",
        "10:00–11:00",
        "Смирнова Анна Петровна",
        "Математика",
        "Иванов Иван",
        "записан",
        "веб-панель",
    ],
    [
        "{day}",
        "12:00–13:00",
        "Смирнова Анна Петровна",
        "",
        "Петрова Ольга",
        "отменена",
        "Telegram",
    ],
]


def expected(day: dt.date) -> list[list[str]]:
    return [
        [cell.format(day=day.strftime("%d.%m.%Y")) for cell in row]
        for row in EXPECTED_ROWS
    ]


def read_csv(content: bytes, sep: str = ";") -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(content), sep=sep, encoding="utf-8-sig", dtype=str
    ).fillna("")


def test_default_period_is_last_30_days_to_14_ahead():
    assert default_period(dt.date(2025, 9, 1)) == (
        dt.date(2025, 8, 2),
        dt.date(2025, 9, 15),
    )


def test_csv_has_a_bom_and_reads_back_to_the_bookings(session, factory):
    day = dt.date.today() + dt.timedelta(days=3)
    arrange_two_bookings(session, factory, day)
    content = bookings_csv(session, day, day, MOSCOW)
    assert content.startswith(b"\xef\xbb\xbf")
    frame = read_csv(content)
    assert list(frame.columns) == COLUMNS
    assert frame.values.tolist() == expected(day)


def test_period_follows_local_dates_not_utc(session, factory):
    # 00:30 in Moscow is still the previous day in UTC.
    day = dt.date.today() + dt.timedelta(days=4)
    teacher = factory.teacher("Орлов Игорь")
    slot = factory.slot(teacher, moscow(day, 0, 30))
    book(session, slot_id=slot.id, client_id=factory.client("Сова").id, actor=STAFF)
    session.commit()
    assert len(bookings_frame(session, day, day, MOSCOW)) == 1
    before = day - dt.timedelta(days=1)
    assert len(bookings_frame(session, before, before, MOSCOW)) == 0


def test_coordinator_downloads_the_csv_from_the_panel(
    coordinator_client, session, factory
):
    day = dt.date.today() + dt.timedelta(days=3)
    arrange_two_bookings(session, factory, day)
    response = coordinator_client.get(
        f"/reports/bookings/csv?date_from={day}&date_to={day}&sep=%3B"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert read_csv(response.data).values.tolist() == expected(day)


def test_comma_separator_can_be_chosen(admin_client, session, factory):
    day = dt.date.today() + dt.timedelta(days=3)
    arrange_two_bookings(session, factory, day)
    response = admin_client.get(
        f"/reports/bookings/csv?date_from={day}&date_to={day}&sep=%2C"
    )
    assert response.status_code == 200
    assert read_csv(response.data, sep=",").values.tolist() == expected(day)


def test_export_form_offers_the_default_period(admin_client):
    today = dt.datetime.now(MOSCOW).date()
    start, end = default_period(today)
    html = admin_client.get("/reports/bookings/").get_data(as_text=True)
    assert f'value="{start.isoformat()}"' in html
    assert f'value="{end.isoformat()}"' in html
    assert "Europe/Moscow" in page_text(html)


def test_reversed_period_is_refused_with_a_message(admin_client):
    response = admin_client.get(
        "/reports/bookings/csv?date_from=2025-09-10&date_to=2025-09-01&sep=%3B"
    )
    assert response.status_code == 400
    assert "Конец периода раньше его начала." in response.get_data(as_text=True)


def test_malformed_dates_are_refused_with_a_message(admin_client):
    response = admin_client.get("/reports/bookings/csv?date_from=yesterday&sep=x")
    assert response.status_code == 400
    assert "text/html" in response.content_type


def test_teacher_and_anonymous_cannot_download(teacher_client, app):
    url = "/reports/bookings/csv?date_from=2025-09-01&date_to=2025-09-30"
    assert teacher_client.get(url).status_code == 403
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous.headers["Location"]
