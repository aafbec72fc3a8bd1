"""Which panel login (Flask-AppBuilder's ab_user) belongs to a teacher or client.

A teacher's login shows that teacher's slots and bookings only
(`webapp.views.teacher_scope`); a client's login reads and books that client's
lessons through the API (`webapp.api.actors`). The admin creates the login on
the user pages with the Teacher or Client role; whoever edits the teacher or
client picks it here. A login belongs to one record at most (a unique column).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_appbuilder.fields import QuerySelectField
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scheduling.models import Client, Teacher
from webapp.extensions import db
from webapp.views.formatters import ROLE_LABELS

FIELD = "web_login"
PersonModel = type[Teacher] | type[Client]


def _login_label(user: Any) -> str:
    full_name = f"{user.first_name or ''} {user.last_name or ''}".strip()
    return f"{user.username} ({full_name})" if full_name else user.username


def _edited_id() -> int | None:
    """The id of the row on an edit page (/<route>/edit/<pk>), else None."""
    raw = (request.view_args or {}).get("pk")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def free_logins(model: PersonModel, role_name: str) -> Any:
    """Logins with `role_name` not linked to another row of `model`."""
    sm = current_app.appbuilder.sm
    user, role = sm.user_model, sm.role_model
    taken = select(model.user_id).where(model.user_id.is_not(None))
    edited = _edited_id()
    if edited is not None:
        taken = taken.where(model.id != edited)
    return (
        db.session.query(user)
        .filter(user.roles.any(role.name == role_name))
        .filter(user.id.not_in(taken))
        .order_by(user.username)
    )


def login_field(
    model: type[Teacher] | type[Client], role_name: str
) -> QuerySelectField:
    """The form field: a login with `role_name` that no other row has, or none."""
    return QuerySelectField(
        _l("Panel login"),
        query_func=lambda: free_logins(model, role_name),
        get_pk_func=lambda user: user.id,
        get_label=_login_label,
        allow_blank=True,
        blank_text=_l("— none —"),
        description=_l(
            "Logins are created by the administrator on the Users page, "
            "with the role “%(role)s”.",
            role=ROLE_LABELS[role_name],
        ),
    )


def apply_login(item: Teacher | Client) -> None:
    """Copy the login picked in the form (set by WTForms) to `user_id`."""
    if FIELD in vars(item):
        login = vars(item).pop(FIELD)
        item.user_id = login.id if login is not None else None


def prefill_login(form: Any, item: Teacher | Client | None) -> None:
    """Show the row's current login in the edit form."""
    if item is None or item.user_id is None or not hasattr(form, FIELD):
        return
    user_model = current_app.appbuilder.sm.user_model
    getattr(form, FIELD).data = db.session.get(user_model, item.user_id)
