"""What a logged-in teacher may see: their own slots and the bookings in them.

Staff (Admin, Coordinator) see everything. A user whose only panel role is
Teacher sees the rows of the teacher linked to their login
(`teachers.user_id`); without such a link, nothing. List, show and edit
pages apply this as a base filter; actions and the calendar ask the domain
with a teacher `Actor`, which checks ownership again.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select
from sqlalchemy.orm import Query

from scheduling.booking import Actor
from scheduling.models import Booking, Slot, Teacher
from webapp.extensions import db
from webapp.roles import ADMIN, COORDINATOR

STAFF_ROLES = {ADMIN, COORDINATOR}
# A teacher login linked to no teacher row sees no rows at all.
NO_TEACHER = -1


def is_staff() -> bool:
    """Whether the current user holds an Admin or Coordinator role."""
    user = g.get("user") if has_request_context() else None
    roles = getattr(user, "roles", None) or []
    return any(role.name in STAFF_ROLES for role in roles)


def scoped_teacher_id() -> int | None:
    """None for staff; else the id of the teacher linked to the login.

    Read once per request.
    """
    if is_staff():
        return None
    if "slotbook_teacher_id" not in g:
        user_id = getattr(g.get("user"), "id", None)
        found = None
        if user_id is not None:
            found = db.session.scalar(
                select(Teacher.id).where(Teacher.user_id == user_id)
            )
        g.slotbook_teacher_id = found if found is not None else NO_TEACHER
    return g.slotbook_teacher_id


def web_actor() -> Actor:
    """The current user as the actor of a booking change: staff or a teacher."""
    teacher_id = scoped_teacher_id()
    name = getattr(g.user, "username", "")
    if teacher_id is None:
        return Actor("staff", g.user.id, "web", name)
    return Actor("teacher", teacher_id, "web", name)


class FilterOwnTeacher(BaseFilter):
    """A base filter: rows of the logged-in teacher only (staff see all).

    The column it is declared on is ignored; the model says how a row
    belongs to a teacher (a slot directly, a booking through its slot).
    """

    name = _l("Own rows")
    arg_name = "own"

    def apply(self, query: Query, value: Any) -> Query:
        teacher_id = scoped_teacher_id()
        if teacher_id is None:
            return query
        if teacher_id == NO_TEACHER:
            return query.filter(false())
        if self.model is Booking:
            return query.filter(Booking.slot.has(Slot.teacher_id == teacher_id))
        return query.filter(self.model.teacher_id == teacher_id)
