"""An API caller for tests: logs in through the cookie endpoint, sends CSRF."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.webapp.conftest import add_user

CLIENT_LOGIN = ("client", "client-password-for-tests")
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ApiCaller:
    """A test client logged in to the API; writes carry the CSRF header."""

    def __init__(self, app: Flask, login: tuple[str, str] | None = None) -> None:
        self.http: FlaskClient = app.test_client()
        self.csrf = ""
        if login is not None:
            response = self.http.post(
                "/api/v1/auth/login",
                json={"username": login[0], "password": login[1]},
            )
            assert response.status_code == 200, response.get_json()
            self.csrf = response.get_json()["csrf_token"]

    def call(self, method: str, url: str, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if method in WRITES and self.csrf:
            headers.setdefault("X-CSRF-TOKEN", self.csrf)
        return self.http.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> TestResponse:
        return self.call("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", url, **kwargs)


def add_client_login(app: Flask, session: Any, client_record: Any = None) -> None:
    """A Client-role login, linked to `client_record` when given."""
    from webapp.roles import CLIENT

    add_user(app, CLIENT_LOGIN, CLIENT)
    if client_record is not None:
        link_login(app, session, client_record, CLIENT_LOGIN[0])


def link_login(app: Flask, session: Any, record: Any, username: str) -> None:
    """Link a teacher or client row to the panel login `username`."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        record.user_id = user.id
    session.commit()
