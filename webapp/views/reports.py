"""Report pages: load, attendance, overview, background builds; bookings CSV."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from urllib.parse import urlencode

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access, permission_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from redis import Redis
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, ValidationError

from jobs.runtime import redis_connection
from reports.background import enqueue_report, job_state
from reports.base import word
from reports.bookings import MAX_PERIOD_DAYS, bookings_csv, default_period
from reports.charts import render
from reports.export import display_table
from reports.params import ReportParamsError, ReportRequest, parse_request
from reports.registry import TABLES, build_report
from scheduling.models import Subject, Teacher
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz

logger = logging.getLogger(__name__)

JOB_ID = re.compile(r"^[0-9a-f-]{8,64}$")


class PeriodForm(FlaskForm):
    """Which bookings to export; sent by GET, so no CSRF token."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[InputRequired()])
    date_to = DateField(_l("To"), validators=[InputRequired()])
    sep = SelectField(
        _l("Separator"),
        choices=[(";", _l("; (Excel, Russian)")), (",", _l(", (comma)"))],
        default=";",
    )

    def validate_date_to(self, field: DateField) -> None:
        if self.date_from.data is None or field.data is None:
            return
        if field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))
        if (field.data - self.date_from.data).days >= MAX_PERIOD_DAYS:
            raise ValidationError(
                _l("The period is at most %(days)s days.", days=MAX_PERIOD_DAYS)
            )


class BookingsExportView(BaseView):
    """Bookings of a period as a CSV file for Excel (coordinators and admins)."""

    route_base = "/reports/bookings"
    default_view = "form"
    granted_to = {"Coordinator": None}
    template = "slotbook/bookings_export.html"

    def _page(self, form: PeriodForm, status: int = 200) -> ResponseReturnValue:
        body = self.render_template(
            self.template,
            form=form,
            title=_l("Export bookings"),
            timezone=centre_tz().key,
        )
        return body, status

    @expose("/")
    @has_access
    @permission_name("export")
    def form(self) -> ResponseReturnValue:
        """The period form, filled with the default period."""
        today = dt.datetime.now(centre_tz()).date()
        start, end = default_period(today)
        form = PeriodForm(formdata=None, date_from=start, date_to=end)
        return self._page(form)

    @expose("/csv")
    @has_access
    @permission_name("export")
    def csv(self) -> ResponseReturnValue:
        """The CSV download; a bad period shows the form again with a 400."""
        form = PeriodForm(formdata=request.args)
        if not form.validate():
            return self._page(form, 400)
        start, end = form.date_from.data, form.date_to.data
        content = bookings_csv(db.session, start, end, centre_tz(), sep=form.sep.data)
        filename = f"bookings_{start.isoformat()}_{end.isoformat()}.csv"
        return Response(
            content,
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


class ReportsView(BaseView):
    """Load, attendance and overview: filters, tables, charts and downloads."""

    route_base = "/reports"
    default_view = "load"
    granted_to = {"Coordinator": None}
    template = "slotbook/report.html"
    job_template = "slotbook/report_job.html"

    def _show(self, name: str) -> ResponseReturnValue:
        lang = current_lang()
        names = _choices()
        try:
            wanted = parse_request(db.session, name, request.args, centre_tz())
        except ReportParamsError as err:
            body = self.render_template(
                self.template, name=name, error=err.message(lang), **names
            )
            return body, 400
        report = build_report(db.session, name, wanted.query)
        tables = [
            (
                table,
                word(report.table_titles[table], lang),
                display_table(report, table, lang).to_html(
                    index=False,
                    border=0,
                    classes="table table-condensed table-striped",
                    decimal="." if lang == "en" else ",",
                ),
            )
            for table in report.tables
        ]
        charts = [
            base64.b64encode(render(chart(lang))).decode("ascii")
            for chart in report.charts
        ]
        return self.render_template(
            self.template,
            name=name,
            title=word(report.title, lang),
            request_=wanted,
            period=report.period_text(lang),
            filters=report.filters_text(lang),
            tables=tables,
            charts=charts,
            links=_links(wanted),
            **names,
        )

    @expose("/load/")
    @has_access
    @permission_name("read")
    def load(self) -> ResponseReturnValue:
        """Teacher load: hours offered, booked and attended."""
        return self._show("load")

    @expose("/attendance/")
    @has_access
    @permission_name("read")
    def attendance(self) -> ResponseReturnValue:
        """Attendance: attended, no-show, cancelled in time or late."""
        return self._show("attendance")

    @expose("/overview/")
    @has_access
    @permission_name("read")
    def overview(self) -> ResponseReturnValue:
        """Overview: bookings per day and subject, busiest hours."""
        return self._show("overview")

    @expose("/<name>/build", methods=["POST"])
    @has_access
    @permission_name("read")
    def build(self, name: str) -> ResponseReturnValue:
        """Queue a background build (CSRF-checked form) and show its progress."""
        try:
            wanted = parse_request(db.session, name, request.args, centre_tz())
        except ReportParamsError as err:
            flash(err.message(current_lang()), "danger")
            return redirect(url_for("ReportsView.load"))
        job_id = enqueue_report(_redis(), wanted)
        return redirect(url_for("ReportsView.job", job_id=job_id))

    @expose("/jobs/<job_id>")
    @has_access
    @permission_name("read")
    def job(self, job_id: str) -> ResponseReturnValue:
        """A background build's progress; the page reloads itself until done."""
        state = job_state(_redis(), job_id) if JOB_ID.match(job_id) else None
        if state is None:
            abort(404)
        body = self.render_template(
            self.job_template,
            title=_l("Report build"),
            job_id=job_id,
            state=state,
            percent=round(state.progress * 100),
        )
        return body


def _links(wanted: ReportRequest) -> dict[str, object]:
    """Download addresses for the shown report: a CSV per table, the PDF.

    The files speak the panel's language, whatever the query string said.
    """
    args = {**wanted.as_args(), "lang": current_lang()}
    api = f"/api/v1/reports/{wanted.name}"

    def url(base: str, **changes: str) -> str:
        return f"{base}?{urlencode({**args, **changes})}"

    return {
        "csv": [
            (table, url(api, format="csv", table=table))
            for table in TABLES[wanted.name]
        ],
        "pdf": url(api, format="pdf"),
        "build_pdf": url(url_for("ReportsView.build", name=wanted.name), format="pdf"),
        "long": wanted.is_long,
    }


def _choices() -> dict[str, list[tuple[int, str]]]:
    """Teachers and subjects for the filter form, by name."""
    teachers = db.session.execute(
        select(Teacher.id, Teacher.full_name).order_by(Teacher.full_name)
    ).all()
    subjects = db.session.execute(
        select(Subject.id, Subject.name).order_by(Subject.name)
    ).all()
    return {"teachers": list(teachers), "subjects": list(subjects)}


def _redis() -> Redis:
    return redis_connection(current_app.config.get("REDIS_URL"))


def register_reports(appbuilder: AppBuilder, category: str) -> None:
    """Add the report pages, the bookings export and the reports API."""
    menu = {"category": category, "category_label": _l("Reports")}
    view = appbuilder.add_view(
        ReportsView,
        "Teacher load",
        href="/reports/load/",
        label=_l("Teacher load"),
        icon="fa-chart-bar",
        **menu,
    )
    appbuilder.add_link(
        "Attendance",
        href="/reports/attendance/",
        label=_l("Attendance"),
        icon="fa-user-check",
        baseview=view,
        **menu,
    )
    appbuilder.add_link(
        "Bookings overview",
        href="/reports/overview/",
        label=_l("Bookings overview"),
        icon="fa-chart-line",
        baseview=view,
        **menu,
    )
    appbuilder.add_view(
        BookingsExportView,
        "Export bookings",
        label=_l("Export bookings (CSV)"),
        icon="fa-file-csv",
        **menu,
    )
    # Imported here: the API package's own __init__ registers other resources.
    from webapp.api.reports import ReportsApi

    appbuilder.add_api(ReportsApi)
