"""Row filters of the API: teachers and clients reach only their own rows.

Staff see everything. The filters only narrow lists and single reads; every
change still goes through a domain call that checks ownership again.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import false, select
from sqlalchemy.orm import Query

from scheduling.models import Booking, Slot, Teacher
from webapp.api.actors import current_actor
from webapp.extensions import db


class OwnRowsFilter(BaseFilter):
    """Rows of the calling teacher or client; the column it names is ignored."""

    name = "own rows"
    arg_name = "own"

    def apply(self, query: Query, value: Any) -> Query:
        actor = current_actor(db.session)
        if actor.kind == "staff":
            return query
        if actor.id is None:
            return query.filter(false())
        if self.model is Booking:
            if actor.kind == "client":
                return query.filter(Booking.client_id == actor.id)
            if actor.kind == "teacher":
                own_slots = select(Slot.id).where(Slot.teacher_id == actor.id)
                return query.filter(Booking.slot_id.in_(own_slots))
        if actor.kind == "teacher" and self.model is Slot:
            return query.filter(Slot.teacher_id == actor.id)
        if actor.kind == "teacher" and self.model is Teacher:
            return query.filter(Teacher.id == actor.id)
        return query.filter(false())


OWN_ROWS = [["id", OwnRowsFilter, None]]
