"""/settings: the centre's settings and its subjects on one page (Admin only).

Times (breaks, poll time) are the centre's wall clock; validation is
`scheduling.settings.update_settings`, subject deletion
`scheduling.subjects.delete_subject`, so the page and the API refuse alike.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import available_timezones

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access, permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scheduling.constraints import explain_integrity_error
from scheduling.errors import SchedulingError
from scheduling.models import Subject
from scheduling.settings import CONTACT_LIMIT, get_settings, update_settings
from scheduling.subjects import delete_subject
from webapp.extensions import db
from webapp.i18n import current_lang

logger = logging.getLogger(__name__)

# Whole-number settings, in the order the page shows them.
NUMBERS = (
    ("slot_duration_min", _l("Slot length, minutes")),
    ("poll_days_ahead", _l("Poll asks about the day this many days ahead")),
    ("booking_min_notice_min", _l("Minimum notice before a lesson, minutes")),
    ("booking_horizon_days", _l("Booking horizon, days ahead")),
    ("cancel_cutoff_min", _l("Cancellation allowed until, minutes before")),
)
EMPTY_ROWS = 2
# Region/City names, the way people pick a zone ("localtime", "W-SU" left out).
ZONES = sorted(z for z in available_timezones() if "/" in z and z[0].isupper())


def _form_values() -> dict[str, Any]:
    """The settings as submitted, in the shape `update_settings` takes."""
    form = request.form
    breaks = [
        [start.strip(), end.strip()]
        for start, end in zip(
            form.getlist("break_start"), form.getlist("break_end"), strict=False
        )
        if start.strip() or end.strip()
    ]
    reminders = [v.strip() for v in form.getlist("reminder") if v.strip()]
    values: dict[str, Any] = {key: form.get(key, "").strip() for key, _ in NUMBERS}
    values.update(
        breaks=breaks,
        reminder_minutes_before=reminders,
        poll_time=form.get("poll_time", "").strip(),
        poll_nudge_time=form.get("poll_nudge_time", "").strip(),
        timezone=form.get("timezone", "").strip(),
        centre_contact=form.get("centre_contact", "").strip(),
    )
    return values


class SettingsView(BaseView):
    """Edit the centre's settings and subjects."""

    route_base = "/settings"
    default_view = "index"
    template = "slotbook/settings.html"
    granted_to: dict[str, Any] = {}

    def _page(self, values: dict[str, Any], status: int = 200) -> ResponseReturnValue:
        subjects = db.session.scalars(select(Subject).order_by(Subject.name)).all()
        body = self.render_template(
            self.template,
            title=_l("Centre settings"),
            values=values,
            numbers=NUMBERS,
            empty_rows=EMPTY_ROWS,
            timezones=ZONES,
            contact_limit=CONTACT_LIMIT,
            subjects=subjects,
        )
        return body, status

    @expose("/")
    @has_access
    @permission_name("show")
    def index(self) -> ResponseReturnValue:
        """The form filled with the settings in force."""
        return self._page(get_settings(db.session).as_json())

    @expose("/", methods=["POST"])
    @has_access
    @permission_name("edit")
    def save(self) -> ResponseReturnValue:
        """Validate and store every setting; on a refusal keep what was typed."""
        values = _form_values()
        try:
            update_settings(db.session, values)
        except SchedulingError as err:
            db.session.rollback()
            flash(err.message(current_lang()), "danger")
            return self._page(values, 422)
        db.session.commit()
        logger.info("settings changed by user=%s source=web", g.user.id)
        flash(_("Settings saved."), "success")
        return redirect(url_for("SettingsView.index"))

    @expose("/subjects", methods=["POST"])
    @has_access
    @permission_name("edit")
    def add_subject(self) -> ResponseReturnValue:
        """Add a subject by name; a duplicate or empty name is refused."""
        name = request.form.get("name", "").strip().replace("\x00", "")
        if not name or len(name) > 100:
            flash(_("A subject's name is 1 to 100 characters."), "danger")
            return redirect(url_for("SettingsView.index"))
        subject = Subject(name=name)
        try:
            db.session.add(subject)
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            flash(explain_integrity_error(exc).message(current_lang()), "danger")
            return redirect(url_for("SettingsView.index"))
        logger.info("subject added id=%s by user=%s", subject.id, g.user.id)
        flash(_("Subject “%(name)s” added.", name=name), "success")
        return redirect(url_for("SettingsView.index"))

    @expose("/subjects/<int:subject_id>/delete", methods=["POST"])
    @has_access
    @permission_name("edit")
    def remove_subject(self, subject_id: int) -> ResponseReturnValue:
        """Delete a subject, or say why it cannot be deleted."""
        try:
            delete_subject(db.session, subject_id)
        except SchedulingError as err:
            db.session.rollback()
            flash(err.message(current_lang()), "danger")
            return redirect(url_for("SettingsView.index"))
        db.session.commit()
        flash(_("Subject deleted."), "success")
        return redirect(url_for("SettingsView.index"))


def register_settings(appbuilder: AppBuilder) -> None:
    """Add the settings page to the menu (Admin only: no `granted_to`)."""
    appbuilder.add_view(
        SettingsView,
        "Centre settings",
        # Short: the top menu fits on one line at 1366 px.
        label=_l("Settings"),
        icon="fa-cogs",
    )
