"""Fixtures for the web panel: an app on the test database and logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.cleanup import truncate_all
from tests.webapp.helpers import isolated_app_settings
from webapp import create_app
from webapp.extensions import db
from webapp.manage import ensure_admin, init_roles
from webapp.roles import COORDINATOR, TEACHER

ADMIN = ("admin", "admin-password-for-tests")
COORDINATOR_LOGIN = ("coordinator", "coordinator-password-for-tests")
TEACHER_LOGIN = ("teacher", "teacher-password-for-tests")

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in `html`."""
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def add_user(app: Flask, login: tuple[str, str], role_name: str) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user(
            username=login[0],
            first_name=login[0].title(),
            last_name="Test",
            email=f"{login[0]}@example.org",
            role=sm.find_role(role_name),
            password=login[1],
        )


# Writing FAB's permissions takes a second (it commits each one), so the web
# tests keep the permission tables between tests; `init_roles` re-syncs them
# anyway. Users and all domain tables are emptied as everywhere else.
PERMISSION_TABLES = {
    "alembic_version",
    "ab_permission",
    "ab_view_menu",
    "ab_permission_view",
    "ab_role",
    "ab_permission_view_role",
}


@pytest.fixture(autouse=True)
def _clean_database(engine) -> Iterator[None]:
    """Each test starts without rows, except FAB's permission structure."""
    yield
    truncate_all(engine, PERMISSION_TABLES)


@pytest.fixture
def app(engine) -> Iterator[Flask]:
    """The panel with roles, an admin, a coordinator and a teacher login."""
    app = create_app(isolated_app_settings())
    init_roles(app)
    ensure_admin(app, *ADMIN, "admin@example.org")
    add_user(app, COORDINATOR_LOGIN, COORDINATOR)
    add_user(app, TEACHER_LOGIN, TEACHER)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def log_in(client: FlaskClient, login: tuple[str, str]) -> FlaskClient:
    page = client.get("/login/")
    response = client.post(
        "/login/",
        data={
            "username": login[0],
            "password": login[1],
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/login" not in response.headers["Location"]
    return client


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    return log_in(app.test_client(), ADMIN)


@pytest.fixture
def coordinator_client(app: Flask) -> FlaskClient:
    return log_in(app.test_client(), COORDINATOR_LOGIN)


@pytest.fixture
def teacher_client(app: Flask) -> FlaskClient:
    return log_in(app.test_client(), TEACHER_LOGIN)
