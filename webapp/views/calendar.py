"""The calendar of slots (FullCalendar, served from our static files).

The calendar works in the centre's wall-clock time: events carry local times
without an offset and FullCalendar runs in its "UTC" mode, so it shows them
as they are, whatever the browser's own zone. The period it asks for is read
back the same way, as local times of the centre.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scheduling.booking import book
from scheduling.errors import SchedulingError
from scheduling.ids import parse_id
from scheduling.labels import BOOKING_STATUS, label
from scheduling.models import Booking, Client, Slot, Subject, Teacher, TeacherSubject
from scheduling.slot_calendar import (
    BOOKED,
    FREE,
    FULL,
    PAST,
    slot_state,
    slots_between,
)
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz, format_local
from webapp.views.teacher_scope import scoped_teacher_id, web_actor

logger = logging.getLogger(__name__)

STATE_COLOURS = {
    FREE: "#2e7d32",
    BOOKED: "#1565c0",
    FULL: "#c62828",
    PAST: "#9e9e9e",
}
STATE_LABELS = {
    FREE: _l("free"),
    BOOKED: _l("booked"),
    FULL: _l("full"),
    PAST: _l("past"),
}
CLIENT_CHOICES_LIMIT = 2000


class BadQuery(ValueError):
    """A query parameter the calendar cannot read."""


def local_instant(text: str | None, name: str) -> dt.datetime:
    """A calendar time ("2026-12-07", "2026-12-07T00:00:00Z") as a UTC instant.

    The offset FullCalendar appends is ignored: the digits are the centre's
    wall-clock time (see the module's docstring).
    """
    if not text:
        raise BadQuery(name)
    try:
        naive = dt.datetime.fromisoformat(text.strip()[:19])
    except ValueError as exc:
        raise BadQuery(name) from exc
    return naive.replace(tzinfo=centre_tz()).astimezone(dt.UTC)


def optional_id(name: str) -> int | None:
    """An optional positive integer query parameter."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    row_id = parse_id(text)
    if row_id is None:
        raise BadQuery(name)
    return row_id


def wall_clock(value: dt.datetime) -> str:
    """`value` as the centre's local time without an offset, for FullCalendar."""
    return value.astimezone(centre_tz()).replace(tzinfo=None).isoformat()


def event_of(slot: Slot, now: dt.datetime) -> dict[str, Any]:
    """One slot as a FullCalendar event."""
    state = slot_state(slot, now)
    subject = slot.subject.name if slot.subject else ""
    title = " · ".join(
        part
        for part in (
            slot.teacher.full_name,
            subject,
            f"{slot.booked_count}/{slot.capacity}",
        )
        if part
    )
    return {
        "id": str(slot.id),
        "title": title,
        "start": wall_clock(slot.starts_at),
        "end": wall_clock(slot.ends_at),
        "color": STATE_COLOURS[state],
        "classNames": [f"sb-slot-{state}"],
        "extendedProps": {"state": state, "stateLabel": str(STATE_LABELS[state])},
    }


def centre_offset_ms() -> int:
    """The centre's current UTC offset in milliseconds (Moscow: 10,800,000).

    The calendar shows wall-clock times as if they were UTC, so its "now" is
    the browser's clock moved by this offset.
    """
    offset = dt.datetime.now(centre_tz()).utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() * 1000)


class CalendarView(BaseView):
    """Slots by week or day, coloured by state; staff book from a slot."""

    route_base = "/calendar"
    default_view = "index"
    template = "slotbook/calendar.html"
    slot_template = "slotbook/calendar_slot.html"
    granted_to = {"Coordinator": None, "Teacher": ("can_read",)}

    def _visible_slot(self, slot_id: int) -> Slot:
        """The slot if the user may see it, else 404 (a teacher: own slots)."""
        slot = db.session.get(
            Slot, slot_id, options=[joinedload(Slot.teacher), joinedload(Slot.subject)]
        )
        own = scoped_teacher_id()
        if slot is None or (own is not None and slot.teacher_id != own):
            abort(404)
        return slot

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self) -> ResponseReturnValue:
        """The calendar page with its teacher and subject filters."""
        own = scoped_teacher_id()
        teachers = select(Teacher.id, Teacher.full_name).order_by(Teacher.full_name)
        if own is not None:
            teachers = teachers.where(Teacher.id == own)
        subjects = select(Subject.id, Subject.name).order_by(Subject.name)
        today = dt.datetime.now(centre_tz()).date()
        initial = request.args.get("date", "")
        try:
            initial_date = dt.date.fromisoformat(initial[:10]) if initial else today
        except ValueError:
            initial_date = today
        return self.render_template(
            self.template,
            title=_l("Calendar"),
            teachers=db.session.execute(teachers).all(),
            subjects=db.session.execute(subjects).all(),
            chosen_teacher=request.args.get("teacher", ""),
            chosen_slot=parse_id(request.args.get("slot")),
            initial_date=initial_date.isoformat(),
            initial_view=(
                "timeGridDay" if request.args.get("view") == "day" else "timeGridWeek"
            ),
            timezone=centre_tz().key,
            centre_offset_ms=centre_offset_ms(),
            lang=current_lang(),
            states=[(STATE_COLOURS[s], STATE_LABELS[s]) for s in STATE_COLOURS],
        )

    @expose("/events")
    @has_access
    @permission_name("read")
    def events(self) -> ResponseReturnValue:
        """Slots of [start, end) as JSON events; a teacher gets their own only."""
        try:
            start = local_instant(request.args.get("start"), "start")
            end = local_instant(request.args.get("end"), "end")
            teacher_id = optional_id("teacher")
            subject_id = optional_id("subject")
        except BadQuery as exc:
            message = _("Cannot read the parameter %(name)s.", name=str(exc))
            return jsonify({"message": message}), 400
        own = scoped_teacher_id()
        if own is not None:
            teacher_id = own
        slots = slots_between(
            db.session, start, end, teacher_id=teacher_id, subject_id=subject_id
        )
        now = dt.datetime.now(dt.UTC)
        return jsonify([event_of(slot, now) for slot in slots])

    @expose("/slot/<int:slot_id>")
    @has_access
    @permission_name("read")
    def slot_panel(self, slot_id: int) -> ResponseReturnValue:
        """A slot's details and bookings (an HTML fragment for the side panel)."""
        slot = self._visible_slot(slot_id)
        bookings = db.session.scalars(
            select(Booking)
            .options(joinedload(Booking.client), joinedload(Booking.subject))
            .where(Booking.slot_id == slot.id)
            .order_by(Booking.created_at)
        ).all()
        may_book = scoped_teacher_id() is None and slot_state(slot) in (FREE, BOOKED)
        clients, subjects = [], []
        if may_book:
            clients = db.session.execute(
                select(Client.id, Client.full_name, Client.phone)
                .order_by(Client.full_name)
                .limit(CLIENT_CHOICES_LIMIT)
            ).all()
            if slot.subject_id is None:
                subjects = db.session.execute(
                    select(Subject.id, Subject.name)
                    .join(TeacherSubject, TeacherSubject.subject_id == Subject.id)
                    .where(TeacherSubject.teacher_id == slot.teacher_id)
                    .order_by(Subject.name)
                ).all()
        lang = current_lang()
        return self.render_template(
            self.slot_template,
            slot=slot,
            when=format_local(slot.starts_at),
            until=format_local(slot.ends_at),
            state=STATE_LABELS[slot_state(slot)],
            bookings=[(b, label(BOOKING_STATUS, b.status, lang)) for b in bookings],
            may_book=may_book,
            clients=clients,
            subjects=subjects,
        )

    @expose("/slot/<int:slot_id>/book", methods=["POST"])
    @has_access
    @permission_name("book")
    def book_slot(self, slot_id: int) -> ResponseReturnValue:
        """Book the slot for the chosen client through the domain rules."""
        slot = self._visible_slot(slot_id)
        day = slot.starts_at.astimezone(centre_tz()).date().isoformat()
        back = url_for(
            "CalendarView.index",
            date=day,
            slot=slot.id,
            teacher=request.form.get("teacher") or None,
        )
        client_id = parse_id(request.form.get("client"))
        subject_text = request.form.get("subject", "")
        subject_id = parse_id(subject_text)
        if client_id is None or (subject_text and subject_id is None):
            flash(_("Choose a client for the booking."), "danger")
            return redirect(back)
        session = db.session
        try:
            booking = book(
                session,
                slot_id=slot.id,
                client_id=client_id,
                subject_id=subject_id,
                actor=web_actor(),
            )
            session.commit()
        except SchedulingError as err:
            session.rollback()
            flash(err.message(current_lang()), "danger")
        else:
            logger.info("booking from calendar id=%s slot=%s", booking.id, slot.id)
            flash(_("Booking #%(id)s created.", id=booking.id), "success")
        return redirect(back)
