"""Hostile or broken input to the panel: a clear 4xx, never a 500 or raw SQL."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text

HUGE = "99999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/slots/show/{HUGE}",
        f"/bookings/show/{HUGE}",
        f"/teachers/show/{HUGE}",
        f"/clients/edit/{HUGE}",
        f"/calendar/slot/{HUGE}",
        f"/bookings/move/{HUGE}",
        f"/simulator/?chat={HUGE}{HUGE}",
        "/calendar/events?start=0001-01-01&end=0001-01-05",
        "/calendar/events?start=9999-12-25&end=9999-12-31",
        f"/calendar/events?start=2026-12-01&end=2026-12-07&teacher={HUGE}",
        "/calendar/events?start=2026-12-01&end=2026-12-07&subject=²",
        "/reports/load/?from=0001-01-01&to=0001-01-05",
        f"/reports/load/?teacher_id={HUGE}",
        "/bookings/list/?_flt_9_starts_at=2026-12-01",
        "/slots/list/?_flt_2_teacher=1",
        "/bookings/list/?_flt_0_status=%00",
        "/teachers/list/?_flt_0_full_name=%00",
        f"/bookings/list/?_flt_0_slot={HUGE}",
        "/teachers/list/?_flt_0_is_active=1",
    ],
)
def test_a_broken_address_is_refused_or_ignored_never_a_500(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.mimetype == "text/html":
        text = page_text(response.get_data(as_text=True))
        assert "Что-то пошло не так" not in text
        assert "Traceback" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/bookings/list/?_flt_0_client=abc",
        f"/bookings/list/?_flt_0_client={HUGE}",
        f"/slots/list/?_flt_0_teacher={HUGE}",
    ],
)
def test_a_related_row_filter_that_cannot_be_an_id_is_a_russian_400(admin_client, url):
    # FAB would redirect with "An error occurred: ApplyFilterException ...".
    response = admin_client.get(url)
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert "Значение фильтра в адресе не подходит" in text
    assert "ApplyFilterException" not in text


def test_a_number_too_large_for_its_field_gives_no_sql(admin_client, session, factory):
    slot = factory.slot(factory.teacher("Смирнова Анна"), days_ahead_at(3, 7))
    session.commit()
    page = admin_client.get(f"/slots/edit/{slot.id}").get_data(as_text=True)
    response = admin_client.post(
        f"/slots/edit/{slot.id}",
        data={
            "csrf_token": csrf_token(page),
            "teacher": str(slot.teacher_id),
            "starts_at": "",
            "capacity": HUGE,
        },
        follow_redirects=True,
    )
    text = page_text(response.get_data(as_text=True))
    assert response.status_code < 500
    assert "SQL" not in text and "psycopg" not in text


def test_a_forged_calendar_booking_form_is_refused_plainly(
    admin_client, session, factory
):
    slot = factory.slot(factory.teacher("Смирнова Анна"), days_ahead_at(3, 7))
    session.commit()
    page = admin_client.get(f"/calendar/slot/{slot.id}").get_data(as_text=True)
    for client in (HUGE, "²", "abc"):
        response = admin_client.post(
            f"/calendar/slot/{slot.id}/book",
            data={"csrf_token": csrf_token(page), "client": client},
            follow_redirects=True,
        )
        assert response.status_code == 200, client
        assert "Выберите клиента" in page_text(response.get_data(as_text=True))


def test_too_many_logins_get_a_russian_page(app):
    client = app.test_client()
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    for _ in range(12):
        response = client.post(
            "/login/", data={"username": "x", "password": "y", "csrf_token": token}
        )
    assert response.status_code == 429
    assert "Слишком много попыток" in page_text(response.get_data(as_text=True))
