"""The bookings list's teacher filter.

A booking reaches its teacher through its slot, and FAB only filters by a
model's own columns and relations, so the "slot" column gets one filter:
"teacher is", whose value is a teacher's id.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Query

from scheduling.ids import parse_id
from scheduling.models import Booking, Slot, Teacher
from webapp.extensions import db
from webapp.views.base import EagerInterface
from webapp.views.filters import LocalTimeFilterConverter
from webapp.views.teacher_scope import scoped_teacher_id


class FilterSlotTeacher(BaseFilter):
    """Bookings in the slots of one teacher; an unreadable id filters nothing."""

    name = _l("teacher is")
    arg_name = "teacher"

    def apply(self, query: Query, value: Any) -> Query:
        teacher_id = parse_id(value)
        if teacher_id is None:
            return query
        return query.filter(Booking.slot.has(Slot.teacher_id == teacher_id))


class BookingFilterConverter(LocalTimeFilterConverter):
    """The usual filters, and the teacher filter for the "slot" column."""

    conversion_table = (
        ("is_slot_column", [FilterSlotTeacher]),
        *LocalTimeFilterConverter.conversion_table,
    )


class BookingInterface(EagerInterface):
    """The bookings' data model with the teacher filter."""

    filter_converter_class = BookingFilterConverter

    def is_slot_column(self, col_name: str) -> bool:
        return col_name == "slot"


def teacher_choices() -> list[tuple[str, str]]:
    """Teachers to filter by; a teacher is offered only themselves."""
    query = select(Teacher.id, Teacher.full_name).order_by(Teacher.full_name)
    own = scoped_teacher_id()
    if own is not None:
        query = query.where(Teacher.id == own)
    return [(str(id_), name) for id_, name in db.session.execute(query)]
