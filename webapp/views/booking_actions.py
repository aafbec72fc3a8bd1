"""Row actions of the bookings list: mark attendance, move to another slot.

FAB loads an action's rows by id alone, ignoring the list's row filters, so
every change goes through the domain with the user as actor (a teacher
actor may only touch bookings in their own slots).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import action, expose, has_access, permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired

from scheduling.attendance import mark_attendance
from scheduling.booking import Actor, move
from scheduling.catalog import move_targets
from scheduling.errors import SchedulingError
from scheduling.models import BOOKED, Booking, Slot
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import format_local
from webapp.views.teacher_scope import web_actor

logger = logging.getLogger(__name__)

MOVE_DAYS = 60
MOVE_CHOICES_LIMIT = 500


def chosen_ids(items: Any) -> list[int]:
    """The ids of the rows an action got; a single unknown row is a 404."""
    if items is None:
        # FAB passes None when the booking page's action names an unknown id.
        abort(404)
    chosen = items if isinstance(items, list) else [items]
    return [item.id for item in chosen if item is not None]


def slot_choice_label(slot: Slot) -> str:
    """A slot in a picker: local time, teacher, subject, places taken."""
    subject = f" ({slot.subject.name})" if slot.subject else ""
    places = f"{slot.booked_count}/{slot.capacity}"
    when = format_local(slot.starts_at)
    return f"{when} — {slot.teacher.full_name}{subject} {places}"


class MoveForm(FlaskForm):
    """Where to move a booking; the domain checks whatever id comes back."""

    slot = SelectField(
        _l("New slot"), coerce=int, validators=[InputRequired()], validate_choice=False
    )
    override_cutoff = BooleanField(_l("Move even if the cancellation cutoff passed"))

    def fill_choices(self, booking: Booking) -> None:
        """Slots the booking fits in (scheduling.catalog.move_targets)."""
        slots = move_targets(db.session, booking, MOVE_DAYS, MOVE_CHOICES_LIMIT)
        self.slot.choices = [(s.id, slot_choice_label(s)) for s in slots]


class BookingActionsMixin:
    """Attendance and move for `BookingView` (see the module's docstring)."""

    move_template = "slotbook/booking_move.html"

    def change_each(self, items: Any, change: Callable[[int, Actor], object]) -> int:
        """Apply `change` to each chosen booking in its own transaction.

        A refusal is flashed with the booking's id and does not stop the
        others. Returns how many were changed.
        """
        session = db.session
        actor = web_actor()
        done = 0
        for booking_id in chosen_ids(items):
            try:
                change(booking_id, actor)
                session.commit()
                done += 1
            except SchedulingError as err:
                session.rollback()
                flash(f"#{booking_id}: {err.message(current_lang())}", "danger")
        return done

    def _attendance(self, items: Any, attended: bool) -> ResponseReturnValue:
        done = self.change_each(
            items,
            lambda booking_id, actor: mark_attendance(
                db.session, booking_id=booking_id, attended=attended, actor=actor
            ),
        )
        if done:
            flash(
                ngettext(
                    "Attendance marked for %(num)d booking.",
                    "Attendance marked for %(num)d bookings.",
                    done,
                ),
                "success",
            )
        return self.redirect_back()

    @action("attended", _l("Mark attended"), None, "fa-check")
    def mark_attended(self, items: Any) -> ResponseReturnValue:
        """Mark the chosen lessons attended (started lessons only)."""
        return self._attendance(items, attended=True)

    @action("no_show", _l("Mark no-show"), None, "fa-user-times")
    def mark_no_show(self, items: Any) -> ResponseReturnValue:
        """Mark the chosen lessons as missed by the client."""
        return self._attendance(items, attended=False)

    @action("move", _l("Move to another slot"), None, "fa-arrows-alt", multiple=False)
    def move_booking(self, items: Any) -> ResponseReturnValue:
        """Open the move form for the booking."""
        ids = chosen_ids(items)
        if not ids:
            abort(404)
        return redirect(url_for(f"{self.__class__.__name__}.move_form", pk=ids[0]))

    @expose("/move/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("move")
    def move_form(self, pk: int) -> ResponseReturnValue:
        """Choose a new slot for an active booking and move it there."""
        booking = self.datamodel.get(pk, self._base_filters)
        if booking is None:
            abort(404)
        form = MoveForm(formdata=request.form if request.method == "POST" else None)
        form.fill_choices(booking)
        status = 200
        if booking.status != BOOKED:
            flash(_("Only an active booking can be moved."), "warning")
        elif request.method == "POST" and not form.validate():
            status = 400
        elif request.method == "POST":
            session = db.session
            try:
                move(
                    session,
                    booking_id=booking.id,
                    new_slot_id=form.slot.data,
                    actor=web_actor(),
                    override_cutoff=form.override_cutoff.data,
                )
                session.commit()
            except SchedulingError as err:
                session.rollback()
                flash(err.message(current_lang()), "danger")
                status = err.http_status
                booking = self.datamodel.get(pk, self._base_filters)
                form.fill_choices(booking)
            else:
                flash(_("Booking #%(id)s moved.", id=booking.id), "success")
                return redirect(url_for(f"{self.__class__.__name__}.show", pk=pk))
        page = self.render_template(
            self.move_template,
            title=_l("Move booking"),
            booking=booking,
            when=format_local(booking.starts_at),
            form=form,
        )
        return page, status
