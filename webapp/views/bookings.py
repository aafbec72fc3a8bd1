"""Bookings: listed here, changed only through the domain rules.

No raw insert, no hand edit of status or times, no delete: creating calls
`scheduling.booking.book`, cancelling `cancel`, moving `move` and marking
attendance `scheduling.attendance.mark_attendance`; a refusal becomes a
flashed message in the person's language. A teacher sees the bookings in
their own slots; FAB's actions load rows by id alone, so the domain call
checks ownership again with a teacher actor.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import flash, g, redirect, request
from flask.typing import ResponseReturnValue
from flask_appbuilder import action, expose, has_access
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from scheduling.booking import Actor, book, cancel
from scheduling.errors import SchedulingError
from scheduling.labels import BOOKING_SOURCE, BOOKING_STATUS, label
from scheduling.models import SLOT_OPEN, Booking, Client, Slot, Subject, utcnow
from webapp.i18n import current_lang
from webapp.localtime import format_local
from webapp.views.base import SlotbookModelView
from webapp.views.booking_actions import BookingActionsMixin, slot_choice_label
from webapp.views.booking_filters import BookingInterface, teacher_choices
from webapp.views.formatters import optional
from webapp.views.history import BookingEventView
from webapp.views.teacher_scope import FilterOwnTeacher

logger = logging.getLogger(__name__)

# How far ahead, and how many, slots the booking form offers.
FORM_SLOT_DAYS = 60
FORM_SLOT_LIMIT = 500
NO_SUBJECT = 0


def staff_actor() -> Actor:
    """The logged-in panel user as the actor of a booking change."""
    return Actor("staff", g.user.id, "web", g.user.username)


class BookingForm(DynamicForm):
    """Book a free place of an open slot for a client.

    The choices only guide the person: whatever id comes back is checked by
    `book()`, so a slot taken meanwhile gets the domain's "taken" message.
    """

    slot = SelectField(
        _l("Slot"),
        coerce=int,
        validators=[InputRequired()],
        widget=Select2Widget(),
        validate_choice=False,
    )
    client = SelectField(
        _l("Client"),
        coerce=int,
        validators=[InputRequired()],
        widget=Select2Widget(),
        validate_choice=False,
    )
    subject = SelectField(
        _l("Subject"),
        coerce=int,
        default=NO_SUBJECT,
        widget=Select2Widget(),
        validate_choice=False,
        description=_l("Leave empty to use the slot's subject."),
    )

    def fill_choices(self, session: Session) -> None:
        """Offer open, not full slots of the coming weeks, clients and subjects."""
        now = utcnow()
        slots = session.scalars(
            select(Slot)
            .options(joinedload(Slot.teacher), joinedload(Slot.subject))
            .where(
                Slot.status == SLOT_OPEN,
                Slot.starts_at > now,
                Slot.starts_at < now + dt.timedelta(days=FORM_SLOT_DAYS),
                Slot.booked_count < Slot.capacity,
            )
            .order_by(Slot.starts_at)
            .limit(FORM_SLOT_LIMIT)
        )
        self.slot.choices = [(s.id, slot_choice_label(s)) for s in slots]
        clients = session.execute(
            select(Client.id, Client.full_name, Client.phone).order_by(Client.full_name)
        )
        self.client.choices = [
            (id_, f"{name} {phone}" if phone else name) for id_, name, phone in clients
        ]
        subjects = session.execute(
            select(Subject.id, Subject.name).order_by(Subject.name)
        )
        self.subject.choices = [(NO_SUBJECT, "—")] + [
            (id_, name) for id_, name in subjects
        ]


def status_choices() -> list[tuple[str, str]]:
    return [(code, status_label(code)) for code in BOOKING_STATUS]


def source_choices() -> list[tuple[str, str]]:
    return [(code, source_label(code)) for code in BOOKING_SOURCE]


def status_label(code: str) -> str:
    return label(BOOKING_STATUS, code, current_lang())


def source_label(code: str) -> str:
    return label(BOOKING_SOURCE, code, current_lang())


class BookingView(BookingActionsMixin, SlotbookModelView):
    """Bookings of all clients; staff book and cancel on a client's behalf."""

    route_base = "/bookings"

    datamodel = BookingInterface(
        Booking,
        [
            joinedload(Booking.slot).joinedload(Slot.teacher),
            joinedload(Booking.client),
            joinedload(Booking.subject),
        ],
    )
    granted_to = {
        "Coordinator": None,
        "Teacher": ("can_list", "can_show", "attended", "no_show"),
    }
    base_permissions = ["can_list", "can_show", "can_add", "can_move"]
    base_filters = [["id", FilterOwnTeacher, lambda: None]]
    related_views = [BookingEventView]
    list_title = show_title = _l("Bookings")
    add_title = _l("New booking")
    label_columns = {
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "slot.teacher": _l("Teacher"),
        "slot": _l("Slot"),
        "subject": _l("Subject"),
        "client": _l("Client"),
        "status": _l("Status"),
        "source": _l("Source"),
        "created_at": _l("Created"),
        "cancelled_at": _l("Cancelled"),
    }
    list_columns = [
        "starts_at",
        "slot.teacher",
        "subject",
        "client",
        "status",
        "source",
    ]
    order_columns = ["starts_at", "status", "source"]
    # "slot" is searched by its teacher (webapp.views.booking_filters).
    search_columns = ["starts_at", "slot", "subject", "client", "status", "source"]
    search_form_extra_fields = {
        "starts_at": DateField(_l("Starts")),
        "slot": SelectField(_l("Teacher"), choices=teacher_choices),
        "status": SelectField(_l("Status"), choices=status_choices),
        "source": SelectField(_l("Source"), choices=source_choices),
    }
    base_order = ("starts_at", "desc")
    show_columns = [
        "starts_at",
        "ends_at",
        "slot.teacher",
        "subject",
        "client",
        "status",
        "source",
        "created_at",
        "cancelled_at",
    ]
    add_columns = ["slot", "client", "subject"]
    add_form = BookingForm
    formatters_columns = {
        "subject": optional,
        "starts_at": format_local,
        "ends_at": format_local,
        "created_at": format_local,
        "cancelled_at": format_local,
        "status": status_label,
        "source": source_label,
    }

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> ResponseReturnValue:
        """Show the booking form; on submit book through the domain rules."""
        session = self.datamodel.session
        form = self.add_form.refresh()
        form.fill_choices(session)
        status = 200
        if request.method == "POST":
            if form.validate():
                try:
                    booking = book(
                        session,
                        slot_id=form.slot.data,
                        client_id=form.client.data,
                        subject_id=form.subject.data or None,
                        actor=staff_actor(),
                    )
                    session.commit()
                except SchedulingError as err:
                    session.rollback()
                    flash(err.message(current_lang()), "danger")
                    status = err.http_status
                else:
                    flash(_("Booking #%(id)s created.", id=booking.id), "success")
                    return redirect(self.list_url())
            else:
                status = 400
        widgets = self._get_add_widget(form=form)
        page = self.render_template(
            self.add_template, title=self.add_title, widgets=widgets
        )
        return page, status

    @action(
        "cancel",
        _l("Cancel booking"),
        _l("Cancel the selected bookings? The cancellation cutoff applies."),
        "fa-ban",
    )
    def cancel_bookings(self, items: Any) -> ResponseReturnValue:
        """Cancel the chosen bookings if the cancellation cutoff allows it."""
        return self._cancel(items, override_cutoff=False)

    @action(
        "cancel_late",
        _l("Cancel despite the cutoff"),
        _l("Cancel the selected bookings even if the cutoff has passed?"),
        "fa-exclamation-triangle",
    )
    def cancel_bookings_late(self, items: Any) -> ResponseReturnValue:
        """Cancel the chosen bookings even after the cutoff (recorded as override)."""
        return self._cancel(items, override_cutoff=True)

    def _cancel(self, items: Any, *, override_cutoff: bool) -> ResponseReturnValue:
        done = self.change_each(
            items,
            lambda booking_id, actor: cancel(
                self.datamodel.session,
                booking_id=booking_id,
                actor=actor,
                override_cutoff=override_cutoff,
            ),
        )
        if done:
            flash(
                ngettext(
                    "%(num)d booking cancelled.", "%(num)d bookings cancelled.", done
                ),
                "success",
            )
        return self.redirect_back()
