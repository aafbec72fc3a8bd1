"""The REST API: booking through the domain rules, JSON refusals, auth cookies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import BOOKED, CANCELLED, Booking, Slot, Subject
from tests.webapp.api_helpers import ApiCaller
from tests.webapp.conftest import ADMIN, COORDINATOR_LOGIN
from tests.webapp.helpers import days_ahead_at


@pytest.fixture
def admin_api(app) -> ApiCaller:
    return ApiCaller(app, ADMIN)


def test_login_sets_an_httponly_samesite_cookie_and_logout_clears_it(app):
    api = ApiCaller(app, ADMIN)
    cookies = {c.key: c for c in api.http._cookies.values()}
    access = cookies["access_token_cookie"]
    assert access.http_only
    assert access.same_site == "Strict"
    assert "csrf_access_token" in cookies
    assert api.get("/api/v1/subjects/").status_code == 200

    assert api.post("/api/v1/auth/logout").status_code == 200
    response = api.get("/api/v1/subjects/")
    assert response.status_code == 401
    assert response.get_json()["message"].startswith("Нужно войти")


def test_wrong_password_is_refused_in_russian(app):
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": ADMIN[0], "password": "nope"}
    )
    assert response.status_code == 401
    assert response.get_json() == {"message": "Неверный логин или пароль."}


def test_repeated_cookie_logins_are_rate_limited(app):
    client = app.test_client()
    body = {"username": ADMIN[0], "password": "wrong"}
    statuses = [
        client.post("/api/v1/auth/login", json=body).status_code for _ in range(12)
    ]
    assert statuses[0] == 401
    assert 429 in statuses
    refused = client.post("/api/v1/auth/login", json=body)
    assert refused.status_code == 429
    assert refused.get_json()["message"].startswith("Слишком много попыток")


def test_write_without_the_csrf_header_is_refused(admin_api):
    response = admin_api.post(
        "/api/v1/subjects/", json={"name": "Химия"}, headers={"X-CSRF-TOKEN": ""}
    )
    assert response.status_code == 403
    assert "CSRF" in response.get_json()["message"]
    assert (
        admin_api.post("/api/v1/subjects/", json={"name": "Химия"}).status_code == 201
    )


def test_english_is_chosen_by_the_accept_language_header(app):
    response = app.test_client().get(
        "/api/v1/slots/", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 401
    assert response.get_json()["message"].startswith("Please log in")


def test_booking_through_the_api_uses_the_domain_rules(admin_api, session, factory):
    teacher = factory.teacher()
    slot = factory.slot(teacher, days_ahead_at(2, 9))
    ivan, olga = factory.client("Иван"), factory.client("Ольга")
    session.commit()

    first = admin_api.post(
        "/api/v1/bookings/", json={"slot_id": slot.id, "client_id": ivan.id}
    )
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["result"]["status"] == BOOKED
    second = admin_api.post(
        "/api/v1/bookings/", json={"slot_id": slot.id, "client_id": olga.id}
    )
    assert second.status_code == 409
    assert second.get_json()["message"] == "Это время уже занято. Выберите другое."


def test_cancel_and_move_go_through_the_domain(admin_api, session, factory):
    teacher = factory.teacher()
    first = factory.slot(teacher, days_ahead_at(3, 9))
    second = factory.slot(teacher, days_ahead_at(3, 11))
    client = factory.client()
    session.commit()
    booking_id = admin_api.post(
        "/api/v1/bookings/", json={"slot_id": first.id, "client_id": client.id}
    ).get_json()["id"]

    moved = admin_api.post(
        f"/api/v1/bookings/{booking_id}/move", json={"slot_id": second.id}
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["result"]["slot_id"] == second.id
    session.expire_all()
    assert session.get(Slot, first.id).booked_count == 0
    assert session.get(Slot, second.id).booked_count == 1

    cancelled = admin_api.post(f"/api/v1/bookings/{booking_id}/cancel", json={})
    assert cancelled.status_code == 200
    assert session.get(Booking, booking_id).status == CANCELLED
    again = admin_api.post(f"/api/v1/bookings/{booking_id}/cancel")
    assert again.status_code == 422
    assert again.get_json()["message"] == "Эта запись уже отменена."


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"slot_id": 999999, "client_id": 1}, 404),
        ({"slot_id": "abc", "client_id": 1}, 422),
        ({"slot_id": 1.5, "client_id": 1}, 422),
        ({"slot_id": 10**30, "client_id": 1}, 422),
        ({"client_id": 1}, 422),
        ([1, 2], 400),
    ],
)
def test_bad_booking_input_is_a_json_4xx(admin_api, factory, session, body, status):
    factory.client()
    session.commit()
    response = admin_api.post("/api/v1/bookings/", json=body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bookings/abc",
        "/api/v1/bookings/99999999999999999999999",
        "/api/v1/bookings/abc/cancel",
        "/api/v1/no-such-resource/",
    ],
)
def test_unknown_or_non_numeric_ids_are_404_in_json(admin_api, url):
    method = admin_api.post if url.endswith("cancel") else admin_api.get
    response = method(url)
    assert response.status_code == 404
    assert response.get_json()["message"] == "Не найдено."


@pytest.mark.parametrize(
    ("resource", "item"),
    [
        ("slots", "(col:capacity,opr:eq,value:abc)"),
        ("bookings", "(col:client,opr:rel_o_m,value:abc)"),
        ("bookings", "(col:client,opr:rel_o_m,value:99999999999)"),
        ("slots", "(col:teacher,opr:rel_o_m,value:99999999999)"),
        ("slots", "(col:subject,opr:rel_o_m,value:99999999999)"),
        ("teachers", "(col:is_active,opr:eq,value:maybe)"),
    ],
)
def test_a_filter_value_of_the_wrong_type_is_a_400(admin_api, resource, item):
    query = f"(filters:!({item}))"
    response = admin_api.get(f"/api/v1/{resource}/", query_string={"q": query})
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_overlapping_slot_is_refused_with_409(admin_api, factory, session):
    teacher = factory.teacher()
    session.commit()
    body = {
        "teacher_id": teacher.id,
        "starts_at": days_ahead_at(4, 9).isoformat(),
        "ends_at": days_ahead_at(4, 10).isoformat(),
    }
    assert admin_api.post("/api/v1/slots/", json=body).status_code == 201
    overlapping = {**body, "starts_at": days_ahead_at(4, 9, 30).isoformat()}
    overlapping["ends_at"] = days_ahead_at(4, 10, 30).isoformat()
    response = admin_api.post("/api/v1/slots/", json=overlapping)
    assert response.status_code == 409
    assert (
        response.get_json()["message"] == "У преподавателя уже есть слот в это время."
    )


def test_slot_time_without_an_offset_is_the_centres_local_time(
    admin_api, factory, session
):
    teacher = factory.teacher()
    session.commit()
    day = days_ahead_at(5, 0).date()
    response = admin_api.post(
        "/api/v1/slots/",
        json={
            "teacher_id": teacher.id,
            "starts_at": f"{day}T10:00:00",
            "ends_at": f"{day}T11:00:00",
        },
    )
    assert response.status_code == 201, response.get_json()
    slot = session.get(Slot, response.get_json()["id"])
    assert slot.starts_at.hour == 7  # 10:00 in Moscow is 07:00 UTC


def test_subject_with_bookings_is_not_deleted_and_the_reason_is_given(
    admin_api, factory, session
):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    slot = factory.slot(teacher, days_ahead_at(2, 9))
    client = factory.client()
    book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        subject_id=maths.id,
        actor=Actor("staff", 1),
    )
    unused = factory.subject("Рисование")
    session.commit()

    refused = admin_api.delete(f"/api/v1/subjects/{maths.id}")
    assert refused.status_code == 409
    assert "записи (1)" in refused.get_json()["message"]
    assert admin_api.delete(f"/api/v1/subjects/{unused.id}").status_code == 200
    names = session.scalars(select(Subject.name)).all()
    assert names == ["Математика"]


def test_duplicate_subject_name_is_a_409(admin_api):
    assert (
        admin_api.post("/api/v1/subjects/", json={"name": "Химия"}).status_code == 201
    )
    response = admin_api.post("/api/v1/subjects/", json={"name": "Химия"})
    assert response.status_code == 409
    assert response.get_json()["message"] == "Предмет с таким названием уже есть."


def test_teacher_with_unknown_timezone_or_language_is_a_422(admin_api):
    response = admin_api.post(
        "/api/v1/teachers/", json={"full_name": "Анна", "timezone": "Mars/Base"}
    )
    assert response.status_code == 422
    assert "timezone" in response.get_json()["message"]
    response = admin_api.post(
        "/api/v1/teachers/", json={"full_name": "Анна", "language": "de"}
    )
    assert response.status_code == 422


def test_a_client_phone_is_stored_in_e164_and_a_non_phone_is_a_422(admin_api):
    made = admin_api.post(
        "/api/v1/clients/", json={"full_name": "Ольга", "phone": "8 900 123 45 67"}
    )
    assert made.status_code == 201
    shown = admin_api.get(f"/api/v1/clients/{made.get_json()['id']}")
    assert shown.get_json()["result"]["phone"] == "+79001234567"
    refused = admin_api.post(
        "/api/v1/clients/", json={"full_name": "Ольга", "phone": "12345"}
    )
    assert refused.status_code == 422
    assert "phone" in refused.get_json()["message"]


def test_settings_are_read_by_a_coordinator_and_changed_only_by_admin(
    app, admin_api, session
):
    coordinator = ApiCaller(app, COORDINATOR_LOGIN)
    read = coordinator.get("/api/v1/admin/settings")
    assert read.status_code == 200
    assert read.get_json()["result"]["slot_duration_min"] == 60
    assert (
        coordinator.put(
            "/api/v1/admin/settings", json={"slot_duration_min": 45}
        ).status_code
        == 403
    )

    changed = admin_api.put(
        "/api/v1/admin/settings",
        json={"slot_duration_min": 45, "breaks": [["12:00", "12:30"]]},
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["result"]["breaks"] == [["12:00", "12:30"]]
    bad = admin_api.put("/api/v1/admin/settings", json={"slot_duration_min": "abc"})
    assert bad.status_code == 422
    assert bad.get_json() == {
        "message": "Настройка «Длина слота»: нужно целое число от 5 до 480",
        "code": "invalid_setting",
        "field": "slot_duration_min",
    }
    assert (
        admin_api.get("/api/v1/admin/settings").get_json()["result"][
            "slot_duration_min"
        ]
        == 45
    )


def test_domain_refusals_follow_the_accept_language_header(admin_api, factory, session):
    teacher = factory.teacher()
    slot = factory.slot(teacher, days_ahead_at(2, 9))
    ivan, olga = factory.client("Иван"), factory.client("Ольга")
    session.commit()
    admin_api.post("/api/v1/bookings/", json={"slot_id": slot.id, "client_id": ivan.id})
    response = admin_api.post(
        "/api/v1/bookings/",
        json={"slot_id": slot.id, "client_id": olga.id},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert response.status_code == 409
    assert response.get_json()["message"] == (
        "This time has just been taken. Please choose another one."
    )


def test_the_api_cannot_bind_a_telegram_account_to_a_teacher(
    admin_api, factory, session
):
    """Only an invite link makes a Telegram account a teacher's."""
    response = admin_api.post(
        "/api/v1/teachers/", json={"full_name": "Чужой", "telegram_user_id": 777}
    )
    assert response.status_code == 422
    assert "telegram_user_id" in response.get_json()["message"]
    teacher = factory.teacher()
    session.commit()
    response = admin_api.put(
        f"/api/v1/teachers/{teacher.id}", json={"telegram_user_id": 777}
    )
    assert response.status_code == 422
    session.expire_all()
    assert session.get(type(teacher), teacher.id).telegram_user_id != 777
    shown = admin_api.get(f"/api/v1/teachers/{teacher.id}").get_json()["result"]
    assert "telegram_user_id" in shown


def test_deeply_nested_query_is_a_400_not_a_crash(admin_api):
    query = "(" * 5000 + ")" * 5000
    response = admin_api.get("/api/v1/slots/", query_string={"q": query})
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_deeply_nested_json_body_is_a_400_not_a_crash(admin_api):
    body = "[" * 100_000 + "]" * 100_000
    response = admin_api.post(
        "/api/v1/bookings/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["message"]


@pytest.mark.parametrize("key", ["k" * 101, "ключ\x00"])
def test_an_unusable_idempotency_key_is_a_422_with_the_reason(
    admin_api, session, factory, key
):
    slot = factory.slot(factory.teacher(), days_ahead_at(2, 9))
    client = factory.client()
    session.commit()
    response = admin_api.post(
        "/api/v1/bookings/",
        json={"slot_id": slot.id, "client_id": client.id},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["message"]
    assert session.scalars(select(Booking)).all() == []


@pytest.mark.parametrize(
    ("resource", "item", "problem"),
    [
        ("slots", "(col:status,opr:nope,value:open)", "nope"),
        ("bookings", "(col:starts_at,opr:gt,value:yesterday)", "yesterday"),
        ("teachers", "(col:full_name,opr:ct,value:5)", "full_name"),
    ],
)
def test_a_filter_fab_would_skip_is_a_400_naming_the_problem(
    admin_api, resource, item, problem
):
    query = f"(filters:!({item}))"
    response = admin_api.get(f"/api/v1/{resource}/", query_string={"q": query})
    assert response.status_code == 400
    assert problem in response.get_json()["details"]


@pytest.mark.parametrize(
    ("resource", "item"),
    [
        ("slots", "(col:status,opr:eq,value:open)"),
        ("bookings", "(col:starts_at,opr:gt,value:'2026-01-01')"),
        ("teachers", "(col:is_active,opr:eq,value:!t)"),
        ("teachers", "(col:full_name,opr:ct,value:'Ан')"),
    ],
)
def test_good_filters_still_pass(admin_api, resource, item):
    query = f"(filters:!({item}))"
    response = admin_api.get(f"/api/v1/{resource}/", query_string={"q": query})
    assert response.status_code == 200
