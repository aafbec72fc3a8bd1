"""Every page and API endpoint × every role × every verb: allowed or denied.

The list of endpoints comes from the app's url_map, so a new page or endpoint
fails `test_every_endpoint_has_an_expectation` until its roles are written in
EXPECTED below. The expectations follow the centre's rules:

* Admin: everything.
* Coordinator: teachers, subjects, clients, slots, bookings, broadcasts,
  reports; not users, roles or settings (reading settings through the API is
  allowed, changing them is not).
* Teacher: own profile, own slots and the bookings in them (read; mark
  attendance), the subject list, the calendar (own slots).
* Client: own bookings through the API; nothing else.
* Anonymous: login, language switch, health, the tab icon and static files only.

Rows are scoped by ownership elsewhere (test_api, test_teacher_scope); this
test checks the doors, not the rooms.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.webapp.api_helpers import CLIENT_LOGIN
from tests.webapp.conftest import (
    ADMIN,
    COORDINATOR_LOGIN,
    PERMISSION_TABLES,
    TEACHER_LOGIN,
    add_user,
)
from tests.webapp.helpers import isolated_app_settings
from webapp import create_app
from webapp.extensions import db
from webapp.manage import ensure_admin, init_roles
from webapp.roles import CLIENT, COORDINATOR, TEACHER

ALL = "*"
ANONYMOUS = "anonymous"
LOGGED_IN = (COORDINATOR, TEACHER, CLIENT)
SECURITY_VIEWS = (
    "UserDBModelView",
    "RoleModelView",
    "PermissionModelView",
    "ViewMenuModelView",
    "PermissionViewModelView",
    "UserGroupModelView",
    "ResetPasswordView",
)

# Open to everybody (anonymous included); never refused for a role.
PUBLIC = {
    "static",
    "appbuilder",
    "health",
    "favicon",
    "AuthDBView",
    "LocaleView",
    "UtilView",
    "HomeView",
    "AuthApi",
    "SecurityApi",
}
# Public, but calling them would end the session the test runs in.
NOT_CALLED = {"AuthDBView.logout", "SecurityApi.refresh"}

# view -> {role: endpoints (method names) the role may call, or ALL}.
# Admin may call everything; a role or view missing here is denied.
EXPECTED: dict[str, dict[str, set[str] | str]] = {
    # Directory and schedule: coordinators fully; teachers read their part.
    "BookingView": {COORDINATOR: ALL, TEACHER: {"list", "show"}},
    "BookingEventView": {COORDINATOR: ALL},
    "SlotView": {COORDINATOR: ALL, TEACHER: {"list", "show"}},
    "CalendarView": {
        COORDINATOR: ALL,
        TEACHER: {"index", "events", "slot_panel"},
    },
    "BulkScheduleView": {COORDINATOR: ALL},
    "TeacherView": {COORDINATOR: ALL},
    "TeacherInviteView": {COORDINATOR: ALL},
    "ClientView": {COORDINATOR: ALL},
    "SubjectView": {COORDINATOR: ALL, TEACHER: {"list", "show"}},
    "TeacherSubjectView": {COORDINATOR: ALL},
    # Broadcasts, reports and the bot simulator: staff.
    "BroadcastView": {COORDINATOR: ALL},
    "DeliveryProblemsView": {},
    "ReportsView": {COORDINATOR: ALL},
    "BookingsExportView": {COORDINATOR: ALL},
    "SimulatorView": {COORDINATOR: ALL},
    # Own account pages for every logged-in role.
    "UserDBModelView": {role: {"userinfo"} for role in LOGGED_IN},
    "ResetMyPasswordView": {role: ALL for role in LOGGED_IN},
    "UserInfoEditView": {role: ALL for role in LOGGED_IN},
    # Settings: Admin only; coordinators may read them through the API.
    "SettingsView": {},
    "SettingsApi": {COORDINATOR: {"get"}},
    # The REST API.
    "BookingApi": {
        COORDINATOR: ALL,
        TEACHER: {"get", "get_list", "attendance"},
        CLIENT: {"get", "get_list", "post", "cancel", "move"},
    },
    "SlotApi": {COORDINATOR: ALL, TEACHER: {"get", "get_list"}},
    "TeacherApi": {COORDINATOR: ALL, TEACHER: {"get", "get_list"}},
    "ClientApi": {COORDINATOR: ALL},
    "SubjectApi": {COORDINATOR: ALL, TEACHER: {"get", "get_list"}},
    "ReportsApi": {COORDINATOR: ALL},
    # API documentation and FAB's menu API: Admin.
    "OpenApi": {},
    "SwaggerView": {},
    "MenuApi": {},
    **{view: {} for view in SECURITY_VIEWS if view != "UserDBModelView"},
}
# FAB's bulk-action endpoints check a permission per action name (they answer
# a refusal with a redirect, not 403): checked on the roles' permissions.
ACTION_ENDPOINTS = {"action", "action_post"}
EXPECTED_ACTIONS: dict[str, dict[str, set[str]]] = {
    "BookingView": {TEACHER: {"attended", "no_show"}},
    "UserDBModelView": {role: {"resetmypassword"} for role in LOGGED_IN},
}
# Routes FAB creates that a view does not offer (bookings change only through
# the domain rules, their history is append-only, FAB's permission lists are
# read-only): refused to everybody.
NOBODY = {
    "BookingView.edit",
    "BookingView.delete",
    *(
        f"{view}.{name}"
        for view in ("BookingEventView",)
        for name in ("add", "edit", "delete")
    ),
    *(
        f"{view}.{name}"
        for view in (
            "PermissionModelView",
            "ViewMenuModelView",
            "PermissionViewModelView",
        )
        for name in ("add", "edit", "delete", "show")
    ),
}

# Values for URL parameters. Ids name no row, so that an allowed delete or
# edit (of the admin's own user or role, say) changes nothing.
ARGUMENTS = {"version": "v1", "locale": "ru"}
NO_ROW = 987654


def _endpoints(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, url) for every route of the app, bar static files."""
    for rule in app.url_map.iter_rules():
        view, _, name = rule.endpoint.partition(".")
        if view in ("static", "appbuilder") or name in ACTION_ENDPOINTS:
            continue
        values = {arg: ARGUMENTS.get(arg, NO_ROW) for arg in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def _may(role: str, endpoint: str) -> bool:
    view, _, name = endpoint.partition(".")
    if view in PUBLIC:
        return True
    if endpoint in NOBODY:
        return False
    if role == "Admin":
        return True
    allowed = EXPECTED.get(view, {}).get(role, set())
    return allowed == ALL or name in allowed


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/login" in response.headers.get(
        "Location", ""
    )


@pytest.fixture(scope="module")
def matrix_app(engine) -> Iterator[Flask]:
    """The app with CSRF off and a wide login allowance (both tested elsewhere).

    Every role logs in to the panel and to the API from one address: more
    attempts a minute than the one allowance the two login routes share.
    """
    app = create_app(
        isolated_app_settings(WTF_CSRF_ENABLED=False, AUTH_RATE_LIMIT="100 per minute")
    )
    init_roles(app)
    ensure_admin(app, *ADMIN, "admin@example.org")
    add_user(app, COORDINATOR_LOGIN, COORDINATOR)
    add_user(app, TEACHER_LOGIN, TEACHER)
    add_user(app, CLIENT_LOGIN, CLIENT)
    yield app
    with app.app_context():
        db.session.remove()
    # Whatever the requests wrote goes with the users, as after any web test.
    with engine.begin() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        names = [t for t in tables if t not in PERMISSION_TABLES]
        conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def _clean_database() -> None:
    """The module's app keeps its users; the requests create no domain rows."""


def _caller(app: Flask, login: tuple[str, str] | None) -> FlaskClient:
    """A client logged in to the panel (session) and the API (Bearer token)."""
    client = app.test_client()
    if login is None:
        return client
    page = client.post("/login/", data={"username": login[0], "password": login[1]})
    assert page.status_code == 302 and "/login" not in page.headers["Location"]
    api = client.post(
        "/api/v1/auth/login", json={"username": login[0], "password": login[1]}
    )
    assert api.status_code == 200
    # The token goes in a header: with the cookie, writes would need CSRF.
    token = client.get_cookie("access_token_cookie").value
    client.delete_cookie("access_token_cookie")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_every_endpoint_has_an_expectation(matrix_app):
    views = {endpoint.partition(".")[0] for endpoint, _, _ in _endpoints(matrix_app)}
    unknown = views - PUBLIC - set(EXPECTED)
    assert not unknown, f"write the roles of these views in EXPECTED: {unknown}"


LOGINS = {
    "Admin": ADMIN,
    COORDINATOR: COORDINATOR_LOGIN,
    TEACHER: TEACHER_LOGIN,
    CLIENT: CLIENT_LOGIN,
    ANONYMOUS: None,
}


@pytest.mark.parametrize("role", list(LOGINS))
def test_each_role_reaches_exactly_its_pages_and_endpoints(matrix_app, role):
    client = _caller(matrix_app, LOGINS[role])
    wrong: list[str] = []
    for endpoint, method, url in _endpoints(matrix_app):
        if endpoint in NOT_CALLED:
            continue
        response = client.open(url, method=method)
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        allowed = role != ANONYMOUS and _may(role, endpoint)
        if endpoint.partition(".")[0] in PUBLIC:
            continue
        if allowed == _refused(response):
            verdict = "refused" if allowed else f"let in ({response.status_code})"
            wrong.append(f"{role} {method} {url} [{endpoint}] was {verdict}")
    assert not wrong, "\n".join(wrong)


def test_bulk_actions_are_granted_exactly_as_expected(matrix_app):
    with matrix_app.app_context():
        sm = matrix_app.appbuilder.sm
        for view in matrix_app.appbuilder.baseviews:
            actions = set(getattr(view, "actions", {}) or {})
            if not actions:
                continue
            name = view.class_permission_name
            for role in (COORDINATOR, TEACHER, CLIENT):
                held = {
                    pvm.permission.name
                    for pvm in sm.find_role(role).permissions
                    if pvm.view_menu.name == name
                }
                expected_view = EXPECTED.get(name, {}).get(role, set())
                if expected_view == ALL:
                    expected = actions
                else:
                    expected = EXPECTED_ACTIONS.get(name, {}).get(role, set())
                assert held & actions == expected, (name, role)
