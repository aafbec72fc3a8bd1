"""Slots: bookable lesson times of a teacher."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from scheduling.availability import MAX_CAPACITY, check_capacity
from scheduling.labels import SLOT_STATUS, label
from scheduling.manual_slots import check_manual_slot
from scheduling.models import Slot, Subject
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import LocalDateTimeField, format_local
from webapp.views.base import READ, EagerInterface, SlotbookModelView
from webapp.views.formatters import optional
from webapp.views.teacher_scope import FilterOwnTeacher


def slot_status_choices() -> list[tuple[str, str]]:
    return [(code, label(SLOT_STATUS, code, current_lang())) for code in SLOT_STATUS]


def optional_subject_field() -> QuerySelectField:
    """A subject picker whose empty choice reads "—" (FAB's shows "__None")."""
    return QuerySelectField(
        _l("Subject"),
        query_func=lambda: db.session.scalars(select(Subject).order_by(Subject.name)),
        get_pk_func=lambda subject: subject.id,
        get_label="name",
        allow_blank=True,
        blank_text="—",
        widget=Select2Widget(),
        validators=[Optional()],
    )


def local_time_field(text: Any) -> LocalDateTimeField:
    return LocalDateTimeField(
        text,
        validators=[DataRequired()],
        description=_l("In the centre's timezone."),
    )


class SlotView(SlotbookModelView):
    """Slots; staff may add one by hand, the database refuses overlaps."""

    route_base = "/slots"

    datamodel = EagerInterface(
        Slot, [joinedload(Slot.teacher), joinedload(Slot.subject)]
    )
    # A teacher reads their own slots only (webapp.views.teacher_scope).
    granted_to = {"Coordinator": None, "Teacher": READ}
    base_filters = [["id", FilterOwnTeacher, lambda: None]]
    list_title = show_title = _l("Slots")
    add_title = _l("Add slot")
    edit_title = _l("Edit slot")
    label_columns = {
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "teacher": _l("Teacher"),
        "subject": _l("Subject"),
        "capacity": _l("Places"),
        "booked_count": _l("Booked"),
        "status": _l("Status"),
        "created_at": _l("Created"),
    }
    list_columns = [
        "starts_at",
        "ends_at",
        "teacher",
        "subject",
        "booked_count",
        "capacity",
        "status",
    ]
    order_columns = ["starts_at", "booked_count", "status"]
    search_columns = ["starts_at", "teacher", "subject", "status"]
    search_form_extra_fields = {
        "starts_at": DateField(_l("Starts")),
        "status": SelectField(_l("Status"), choices=slot_status_choices),
    }
    base_order = ("starts_at", "desc")
    show_columns = list_columns + ["created_at"]
    add_columns = ["teacher", "subject", "starts_at", "ends_at", "capacity"]
    # Times, teacher and the booked count stay as they are: bookings copy the
    # slot's times, and the count belongs to a database trigger.
    edit_columns = ["status", "capacity"]
    formatters_columns = {
        "subject": optional,
        "starts_at": format_local,
        "ends_at": format_local,
        "created_at": format_local,
        "status": lambda code: label(SLOT_STATUS, code, current_lang()),
    }
    capacity_field = IntegerField(
        _l("Places"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)],
    )
    add_form_extra_fields = {
        "subject": optional_subject_field(),
        "starts_at": local_time_field(_l("Starts")),
        "ends_at": local_time_field(_l("Ends")),
        "capacity": capacity_field,
    }
    edit_form_extra_fields = {
        "status": SelectField(_l("Status"), choices=slot_status_choices),
        "capacity": capacity_field,
    }

    def validate(self, item: Slot) -> None:
        if item.id is not None:
            check_capacity(item.capacity)
            return
        check_manual_slot(
            self.datamodel.session,
            teacher_id=item.teacher.id,
            subject_id=item.subject.id if item.subject is not None else None,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            capacity=item.capacity,
        )
