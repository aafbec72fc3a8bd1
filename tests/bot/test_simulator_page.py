"""The /simulator/ page in the web panel: who may use it, and a booking through it."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.sender import Sender
from bot.simulator import Simulator, SimulatorTransport
from scheduling.models import BOOKED, Booking, Client
from scheduling.polls import open_due_polls
from tests.bot.conftest import MOSCOW, local
from tests.webapp.helpers import isolated_app_settings
from webapp import create_app
from webapp.extensions import db
from webapp.manage import ensure_admin, init_roles
from webapp.simulator import message_time

ADMIN = ("admin", "admin-password-for-tests")
COORDINATOR = ("coordinator", "coordinator-password-for-tests")
TEACHER = ("teacher", "teacher-password-for-tests")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUTTON = re.compile(
    r'name="message_id" value="(\d+)">\s*<input type="hidden" name="data" '
    r'value="([^"]+)">\s*<button[^>]*>([^<]+)</button>'
)


@pytest.fixture
def app(engine, redis_conn) -> Iterator[Flask]:
    app = create_app(isolated_app_settings())
    init_roles(app)
    ensure_admin(app, *ADMIN, "admin@example.org")
    with app.app_context():
        sm = app.appbuilder.sm
        for (login, password), role in (
            (COORDINATOR, "Coordinator"),
            (TEACHER, "Teacher"),
        ):
            sm.add_user(
                username=login,
                first_name=login.title(),
                last_name="Test",
                email=f"{login}@example.org",
                role=sm.find_role(role),
                password=password,
            )
    yield app
    with app.app_context():
        db.session.remove()


def _login(app: Flask, login: tuple[str, str]) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post(
        "/login/",
        data={"username": login[0], "password": login[1], "csrf_token": token},
    )
    assert response.status_code == 302
    return client


class Page:
    """A logged-in person using the simulator page like a browser would."""

    def __init__(self, client: FlaskClient, chat_id: int | None = None) -> None:
        self.client = client
        self.chat_id = chat_id
        self.html = ""

    def open(self) -> str:
        response = self.client.get("/simulator/", query_string={"chat": self.chat_id})
        assert response.status_code == 200
        self.html = response.get_data(as_text=True)
        return self.html

    def post(self, **form: str | int) -> int:
        token = CSRF.search(self.html or self.open()).group(1)
        data = {"csrf_token": token, "chat": self.chat_id, **form}
        response = self.client.post("/simulator/act", data=data)
        if response.status_code == 302:
            location = response.headers["Location"]
            found = re.search(r"chat=(\d+)", location)
            if found:
                self.chat_id = int(found.group(1))
            self.open()
        return response.status_code

    def press(self, label: str) -> None:
        buttons = [(int(m), d, t.strip()) for m, d, t in BUTTON.findall(self.html)]
        matching = [b for b in buttons if label in b[2]]
        assert matching, f"no button {label!r} in {[b[2] for b in buttons]}"
        message_id, data, _ = matching[-1]
        self.post(action="press", message_id=message_id, data=data)


def test_anonymous_and_teacher_logins_cannot_open_the_simulator(app):
    assert app.test_client().get("/simulator/").status_code == 302
    teacher = _login(app, TEACHER)
    response = teacher.get("/simulator/")
    assert response.status_code == 403
    assert "Симулятор" not in response.get_data(as_text=True)


def test_coordinator_registers_a_newcomer_and_books_through_the_page(
    app, centre, session
):
    page = Page(_login(app, COORDINATOR))
    html = page.open()
    assert "Симулятор Telegram-бота" in html
    assert "Анна Смирнова" in html and "Иван Петров" in html  # the picker

    page.post(action="new", first_name="Ольга", last_name="Новикова", language="ru")
    page.post(action="text", text="/start")
    assert "Поделиться номером" in page.html
    page.post(action="contact", phone="+7 900 555-44-33")
    assert session.scalar(select(Client).where(Client.telegram_user_id == page.chat_id))

    page.post(action="text", text="Записаться")
    page.press("Математика")
    page.press("Анна Смирнова")
    day = BUTTON.findall(page.html)[-2][2].strip()  # the only day, before «Назад»
    page.press(day)
    page.press("11:00")
    page.press("Подтвердить")
    booking = session.scalar(select(Booking))
    assert booking.status == BOOKED and booking.slot_id == centre.slots[1].id
    assert "Вы записаны" in page.html


def test_actions_without_the_csrf_token_are_refused(app, centre):
    client = _login(app, ADMIN)
    response = client.post(
        "/simulator/act",
        data={
            "action": "text",
            "chat": centre.client.telegram_user_id,
            "text": "/start",
        },
    )
    assert response.status_code == 400


def test_unknown_chat_and_action_are_refused_without_a_500(app, centre):
    page = Page(_login(app, ADMIN), chat_id=123)
    response = page.client.get("/simulator/", query_string={"chat": 123})
    assert response.status_code == 302  # back to the picker with a message
    page.chat_id = centre.client.telegram_user_id
    page.open()
    assert page.post(action="explode") == 400
    assert page.post(action="press", data="bs:1") == 400
    assert page.post(action="text", text="x" * 5000) == 302
    assert "слишком длинное" in page.html


def test_message_times_are_on_the_centres_clock_and_the_intro_is_for_people(
    app, centre
):
    page = Page(_login(app, COORDINATOR), chat_id=centre.client.telegram_user_id)
    before = dt.datetime.now(MOSCOW)
    page.post(action="text", text="/start")
    shown = {f"Бот · {t:%H:%M}" for t in (before, dt.datetime.now(MOSCOW))}
    assert any(label in page.html for label in shown)
    assert "+00:00" not in page.html
    assert "python -m bot" not in page.html
    # Another day: the date comes first.
    assert message_time("2025-01-05T07:30:00+00:00") == "05.01 10:30"


def test_same_as_last_week_with_nothing_to_copy_says_so_beside_the_chat(
    app, centre, session, redis_conn
):
    teacher = centre.teacher  # no poll and no hours a week ago
    open_due_polls(session, now=local(dt.datetime.now(MOSCOW).date(), 18, 5))
    session.commit()
    asyncio.run(Sender(SimulatorTransport(Simulator(redis_conn))).run_once())
    page = Page(_login(app, COORDINATOR), chat_id=teacher.telegram_user_id)
    page.open()
    poll = page.html[page.html.index("Опрос на") :]
    page.press("Как на прошлой неделе")
    notice = "Копировать нечего: на прошлой неделе в этот день свободные часы"
    # Shown where the page scrolls to (the chat's end), like Telegram's toast.
    assert notice in page.html[: page.html.index('id="bottom"')].split("sim-chat")[-1]
    assert page.html[page.html.index("Опрос на") :].startswith(poll[:200])
