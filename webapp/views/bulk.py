"""Bulk scheduling: the same hours of one teacher on several days, in one go.

The preview runs `scheduling.availability.bulk_schedule` for real inside a
savepoint and rolls it back, so what it shows is exactly what "Create" will
do: the slicing, breaks, slot length and existing slots all count.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from scheduling.availability import (
    MAX_CAPACITY,
    ResliceResult,
    SlotTemplate,
    bulk_schedule,
)
from scheduling.constraints import explain_integrity_error
from scheduling.errors import SchedulingError
from scheduling.models import Subject, Teacher
from scheduling.slicing import Interval
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz, format_local

logger = logging.getLogger(__name__)

# Days offered, from today on; enough for a month's plan.
DAYS_OFFERED = 35
ANY_SUBJECT = 0


class BulkForm(FlaskForm):
    """One teacher, several local days, one span of hours, an optional template."""

    teacher = SelectField(_l("Teacher"), coerce=int, validators=[InputRequired()])
    days = SelectMultipleField(
        _l("Days"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    start = TimeField(_l("From"), validators=[InputRequired()])
    end = TimeField(
        _l("Until"),
        validators=[InputRequired()],
        description=_l("00:00 means midnight at the end of the day."),
    )
    overnight = BooleanField(
        _l("Ends the next day"),
        description=_l("Tick for hours past midnight, e.g. from 22:00 until 02:00."),
    )
    subject = SelectField(
        _l("Subject"),
        coerce=int,
        default=ANY_SUBJECT,
        description=_l("Empty: any subject the teacher teaches."),
    )
    capacity = IntegerField(
        _l("Places per slot"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)],
    )

    def fill_choices(self, today: dt.date) -> None:
        """Active teachers, all subjects, and the coming days as checkboxes."""
        teachers = db.session.execute(
            select(Teacher.id, Teacher.full_name)
            .where(Teacher.is_active.is_(True))
            .order_by(Teacher.full_name)
        )
        self.teacher.choices = [(id_, name) for id_, name in teachers]
        subjects = db.session.execute(
            select(Subject.id, Subject.name).order_by(Subject.name)
        )
        self.subject.choices = [(ANY_SUBJECT, "—")] + [
            (id_, name) for id_, name in subjects
        ]
        days = [today + dt.timedelta(days=n) for n in range(DAYS_OFFERED)]
        self.days.choices = [
            (day.isoformat(), format_date(day, "EE dd.MM")) for day in days
        ]

    def validate_days(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one day."))

    def validate_end(self, field: TimeField) -> None:
        """An end before the start is a typo unless past midnight was meant."""
        start, end = self.start.data, field.data
        if start is None or end is None or end == dt.time(0, 0):
            return
        if end <= start and not self.overnight.data:
            raise ValidationError(
                _l(
                    "The end is not after the start. For hours past midnight "
                    "tick “Ends the next day”."
                )
            )
        if end > start and self.overnight.data:
            raise ValidationError(
                _l("“Ends the next day” is ticked, but the end is after the start.")
            )

    def chosen_days(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(day) for day in self.days.data)

    def template(self) -> SlotTemplate:
        subject = self.subject.data or None
        return SlotTemplate(subject_id=subject, capacity=self.capacity.data)


class BulkScheduleView(BaseView):
    """Staff give a teacher the same hours on several days and see the slots first."""

    route_base = "/bulk"
    default_view = "form"
    template = "slotbook/bulk.html"
    granted_to = {"Coordinator": None}

    def _schedule(self, form: BulkForm) -> ResliceResult:
        """Run the domain's bulk scheduling for the form's values."""
        return bulk_schedule(
            db.session,
            form.teacher.data,
            form.chosen_days(),
            form.start.data,
            form.end.data,
            template=form.template(),
        )

    def _page(
        self,
        form: BulkForm,
        preview: list[Interval] | None = None,
        result: ResliceResult | None = None,
        status: int = 200,
    ) -> ResponseReturnValue:
        rows = [(format_local(s), format_local(e)) for s, e in preview or []]
        body = self.render_template(
            self.template,
            title=_l("Bulk scheduling"),
            form=form,
            preview=rows if preview is not None else None,
            result=result,
            timezone=centre_tz().key,
        )
        return body, status

    @expose("/", methods=["GET", "POST"])
    @has_access
    @permission_name("bulk")
    def form(self) -> ResponseReturnValue:
        """The form; "preview" shows the slots, "create" makes them."""
        today = dt.datetime.now(centre_tz()).date()
        form = BulkForm(formdata=request.form if request.method == "POST" else None)
        form.fill_choices(today)
        if request.method == "GET":
            return self._page(form)
        if not form.validate():
            return self._page(form, status=400)
        session = db.session
        creating = request.form.get("action") == "create"
        try:
            if creating:
                result = self._schedule(form)
                session.commit()
            else:
                # A dry run: the savepoint is rolled back whatever happens.
                savepoint = session.begin_nested()
                try:
                    result = self._schedule(form)
                finally:
                    savepoint.rollback()
                session.rollback()
        except SchedulingError as err:
            session.rollback()
            flash(err.message(current_lang()), "danger")
            return self._page(form, status=err.http_status)
        except IntegrityError as exc:
            session.rollback()
            err = explain_integrity_error(exc)
            flash(err.message(current_lang()), "danger")
            return self._page(form, status=err.http_status)
        if not creating:
            return self._page(form, preview=result.created, result=result)
        logger.info(
            "bulk schedule teacher=%s days=%s created=%s by user=%s",
            form.teacher.data,
            len(form.days.data),
            len(result.created),
            g.user.id,
        )
        flash(
            _("Slots created: %(num)d.", num=len(result.created)),
            "success" if result.created else "warning",
        )
        return redirect(
            url_for(
                "CalendarView.index",
                date=form.chosen_days()[0].isoformat(),
                teacher=form.teacher.data,
            )
        )
