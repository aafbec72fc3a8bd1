"""Roles and the admin login: idempotent, from Python and from the command line."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from config import ROOT
from tests.webapp.conftest import csrf_token
from webapp.manage import ensure_admin, init_roles
from webapp.roles import ADMIN, CLIENT, COORDINATOR, TEACHER


def role_permissions(app, name: str) -> set[tuple[str, str]]:
    with app.app_context():
        role = app.appbuilder.sm.find_role(name)
        return {(p.permission.name, p.view_menu.name) for p in role.permissions}


def test_init_roles_on_an_empty_database_is_idempotent(app, engine):
    with engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE ab_permission_view_role, ab_permission_view, ab_permission,"
                " ab_view_menu, ab_role RESTART IDENTITY CASCADE"
            )
        )
    first = init_roles(app)
    again = init_roles(app)
    assert first == again
    assert set(first) == {ADMIN, COORDINATOR, TEACHER, CLIENT}
    with engine.connect() as conn:
        roles = conn.execute(text("SELECT count(*) FROM ab_role")).scalar()
        pvms = conn.execute(text("SELECT count(*) FROM ab_permission_view")).scalar()
    assert roles == 5  # and Public, without permissions
    assert first[ADMIN] == pvms


def test_coordinator_gets_domain_views_but_not_users_roles_or_permissions(app):
    granted = role_permissions(app, COORDINATOR)
    views = {view for _, view in granted}
    assert {"BookingView", "SlotView", "TeacherView", "BookingsExportView"} <= views
    assert ("cancel", "BookingView") in granted
    assert not views & {"RoleModelView", "PermissionModelView", "GroupModelView"}
    assert ("can_list", "UserDBModelView") not in granted
    assert ("can_userinfo", "UserDBModelView") in granted


def test_teacher_and_client_get_only_minimal_reads(app):
    teacher = role_permissions(app, TEACHER)
    assert ("can_list", "SubjectView") in teacher
    assert "ClientView" not in {v for _, v in teacher}
    # Teachers read their own slots and bookings and mark attendance; no more.
    on_schedule = {p for p, v in teacher if v in ("BookingView", "SlotView")}
    assert on_schedule == {"can_list", "can_show", "attended", "no_show"}
    # Clients reach only their own account and, through the API, own bookings.
    client = role_permissions(app, CLIENT)
    assert {v for _, v in client} <= {
        "UserDBModelView",
        "ResetMyPasswordView",
        "UserInfoEditView",
        "BookingApi",
    }


def test_ensure_admin_updates_the_password_of_an_existing_admin(app):
    first = ensure_admin(app, "boss", "old-password-123", "boss@example.org")
    again = ensure_admin(app, "boss", "new-password-456", "boss@example.org")
    assert first == again
    client = app.test_client()
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    old = client.post(
        "/login/",
        data={"username": "boss", "password": "old-password-123", "csrf_token": token},
    )
    assert "/login" in old.headers["Location"]
    new = client.post(
        "/login/",
        data={"username": "boss", "password": "new-password-456", "csrf_token": token},
    )
    assert "/login" not in new.headers["Location"]


def run_manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "webapp.manage", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_creates_roles_and_admin(engine):
    roles = run_manage("init-roles")
    assert roles.returncode == 0, roles.stderr
    assert "Coordinator=" in roles.stdout
    admin = run_manage("create-admin", "--username", "cli-admin", "--password", "pw-1")
    assert admin.returncode == 0, admin.stderr
    again = run_manage("create-admin", "--username", "cli-admin", "--password", "pw-2")
    assert again.returncode == 0, again.stderr
    with engine.connect() as conn:
        users = conn.execute(
            text("SELECT count(*) FROM ab_user WHERE username = 'cli-admin'")
        ).scalar()
    assert users == 1
