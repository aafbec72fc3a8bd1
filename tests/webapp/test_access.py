"""Who may open what: login, roles, rate limit, CSRF, secret key."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from config import ConfigError
from launcher.embedded import start_redis, stop_redis
from tests.webapp.conftest import ADMIN, csrf_token
from tests.webapp.helpers import isolated_app_settings, page_text
from webapp import create_app
from webapp.appconfig import limits_storage_uri


def test_login_page_is_shown_in_russian(app):
    response = app.test_client().get("/login/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Введите логин и пароль" in html
    assert 'name="csrf_token"' in html


@pytest.mark.parametrize("url", ["/bookings/list/", "/slots/list/", "/teachers/list/"])
def test_anonymous_request_to_a_list_redirects_to_login(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


def test_coordinator_cannot_open_the_user_list(coordinator_client):
    response = coordinator_client.get("/users/list/")
    assert response.status_code == 403
    assert "Нет доступа" in response.get_data(as_text=True)
    assert coordinator_client.get("/roles/list/").status_code == 403


def test_coordinator_works_with_domain_pages_but_sees_no_security_menu(
    coordinator_client,
):
    for url in ("/bookings/list/", "/slots/list/", "/teachers/add", "/bookings/add"):
        assert coordinator_client.get(url).status_code == 200, url
    home = coordinator_client.get("/").get_data(as_text=True)
    assert "Записи" in home
    assert "Список пользователей" not in home


def test_teacher_cannot_add_bookings(teacher_client):
    # Teachers read the bookings in their own slots (tests/webapp/test_teacher_scope.py)
    # but neither book nor cancel.
    assert teacher_client.get("/bookings/add").status_code == 403
    assert teacher_client.get("/subjects/list/").status_code == 200


def test_post_without_csrf_token_is_refused_with_a_russian_page(admin_client):
    response = admin_client.post("/subjects/add", data={"name": "Химия"})
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)


def _bad_form_logins(client, times: int) -> list[int]:
    """Statuses of `times` wrong-password posts of the panel's login form."""
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    data = {"username": ADMIN[0], "password": "wrong", "csrf_token": token}
    return [client.post("/login/", data=data).status_code for _ in range(times)]


def test_repeated_bad_logins_are_rate_limited(app):
    statuses = _bad_form_logins(app.test_client(), 12)
    assert 429 in statuses
    assert statuses[0] != 429


def test_repeated_bad_api_logins_are_rate_limited_too(app):
    client = app.test_client()
    body = {"username": ADMIN[0], "password": "wrong"}
    statuses = [
        client.post("/api/v1/auth/login", json=body).status_code for _ in range(12)
    ]
    assert statuses[0] == 401
    assert 429 in statuses


def test_the_form_and_the_api_share_one_login_allowance(app):
    client = app.test_client()
    form = _bad_form_logins(client, 10)
    assert 429 not in form
    api = client.post(
        "/api/v1/auth/login", json={"username": ADMIN[0], "password": "wrong"}
    )
    assert api.status_code == 429


def test_fabs_bearer_token_login_and_refresh_are_switched_off(app):
    client = app.test_client()
    body = {"username": ADMIN[0], "password": ADMIN[1], "provider": "db"}
    assert client.post("/api/v1/security/login", json=body).status_code == 404
    assert client.post("/api/v1/security/refresh").status_code == 404


def _api_login_statuses(app, password: str, times: int) -> list[int]:
    client = app.test_client()
    body = {"username": ADMIN[0], "password": password}
    return [
        client.post("/api/v1/auth/login", json=body).status_code for _ in range(times)
    ]


def test_login_attempts_are_counted_across_worker_processes(app):
    # A second app on the same Redis and key prefix stands for a second
    # gunicorn worker: guesses spread over both share one allowance (10/min).
    other_worker = create_app(
        isolated_app_settings(RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"])
    )
    assert _api_login_statuses(app, "wrong", 6) == [401] * 6
    assert _api_login_statuses(other_worker, "wrong", 6) == [401] * 4 + [429] * 2


def test_logins_still_work_and_are_limited_while_redis_is_down(app):
    without_redis = create_app(
        isolated_app_settings(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    )
    assert _api_login_statuses(without_redis, ADMIN[1], 1) == [200]
    statuses = _api_login_statuses(without_redis, "wrong", 12)
    assert statuses[0] == 401
    assert 429 in statuses


def test_logins_are_limited_through_the_embedded_redis_socket(app):
    # A local run without REDIS_URL talks to its embedded Redis over a socket.
    data_dir = Path(tempfile.mkdtemp(prefix="sb-redis-"))
    try:
        socket_url = start_redis(data_dir)
        assert socket_url.startswith("unix://")
        local_run = create_app(
            isolated_app_settings(RATELIMIT_STORAGE_URI=limits_storage_uri(socket_url))
        )
        assert _api_login_statuses(local_run, ADMIN[1], 1) == [200]
        assert _api_login_statuses(local_run, "wrong", 10)[-1] == 429
    finally:
        stop_redis(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_app_refuses_to_start_without_a_secret_key(engine):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None})


def test_an_unexpected_error_shows_a_plain_russian_page_not_a_traceback(engine):
    app = create_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Что-то пошло не так" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_unknown_page_is_a_russian_404(app):
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("psize_BookingView=abc", "Строк на странице"),
        ("psize_BookingView=-5", "Строк на странице"),
        ("psize_BookingView=1000000", "Строк на странице"),
        ("page_BookingView=abc", "Номер страницы"),
        ("page_SlotView=-1", "Номер страницы"),
    ],
)
def test_a_broken_page_number_or_size_is_a_russian_400(admin_client, query, reason):
    response = admin_client.get(f"/bookings/list/?{query}")
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert "Запрос не может быть обработан" in text and reason in text


def test_sensible_paging_still_works(admin_client):
    response = admin_client.get(
        "/bookings/list/?psize_BookingView=50&page_BookingView=0"
    )
    assert response.status_code == 200


def test_a_wrong_method_is_a_russian_405(admin_client):
    response = admin_client.delete("/bookings/list/")
    assert response.status_code == 405
    assert "не принимает такой запрос" in page_text(response.get_data(as_text=True))


def test_the_tab_icon_is_served_without_login(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    response.close()


def test_irreversible_buttons_ask_first(admin_client, session, factory):
    factory.subject("Химия")
    session.commit()
    settings = admin_client.get("/settings/").get_data(as_text=True)
    assert confirmations(settings) == ["Удалить предмет «Химия»?"]
    broadcast = admin_client.get("/broadcasts/new").get_data(as_text=True)
    assert confirmations(broadcast) == [
        "Отправить сообщение всем выбранным получателям сейчас?"
    ]


def confirmations(html: str) -> list[str]:
    """The questions of the page's `confirm(...)` buttons, decoded."""
    return [json.loads(arg) for arg in re.findall(r"return confirm\(([^)]*)\)", html)]


def test_every_page_carries_slotbooks_stylesheet(admin_client):
    for url in ("/bookings/list/", "/settings/", "/calendar/"):
        html = admin_client.get(url).get_data(as_text=True)
        assert "/static/slotbook/slotbook.css" in html, url
    css = admin_client.get("/static/slotbook/slotbook.css")
    assert css.status_code == 200
    css.close()
