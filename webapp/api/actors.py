"""Who is calling the API, as the domain's `Actor`.

Admins and coordinators act as staff. A Teacher or Client login acts as the
teacher or client record linked to it (`user_id`); a login linked to none
acts as nobody's, so it sees nothing and may change nothing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.booking import Actor
from scheduling.models import Client, Teacher
from webapp.roles import ADMIN, CLIENT, COORDINATOR, TEACHER

SOURCE = "api"


def current_user() -> Any:
    """The logged-in user (session or JWT), or None."""
    user = current_app.appbuilder.sm.current_user
    return (
        user if user is not None and getattr(user, "is_authenticated", False) else None
    )


def role_names(user: Any) -> set[str]:
    return {role.name for role in getattr(user, "roles", None) or ()}


def actor_for(session: Session, user: Any) -> Actor:
    """The Actor `user` acts as; kind 'nobody' for an unknown role."""
    if user is None:
        return Actor("nobody", None, SOURCE)
    roles = role_names(user)
    name = getattr(user, "username", "") or ""
    if roles & {ADMIN, COORDINATOR}:
        return Actor("staff", user.id, SOURCE, name)
    if TEACHER in roles:
        teacher_id = session.scalar(
            select(Teacher.id).where(Teacher.user_id == user.id)
        )
        return Actor("teacher", teacher_id, SOURCE, name)
    if CLIENT in roles:
        client_id = session.scalar(select(Client.id).where(Client.user_id == user.id))
        return Actor("client", client_id, SOURCE, name)
    return Actor("nobody", None, SOURCE, name)


def current_actor(session: Session) -> Actor:
    """The Actor of the current request's user."""
    return actor_for(session, current_user())
