"""Report pages: load, attendance, overview; background PDF builds with progress."""

from __future__ import annotations

import base64
import logging
import re
from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select

from jobs.runtime import redis_connection
from reports.background import enqueue_report, job_state
from reports.base import Report, word
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
# A per-client table of a big centre has thousands of rows; the CSV has them.
HTML_MAX_ROWS = 200
NO_BACKGROUND = _l(
    "Background builds are unavailable now (Redis does not answer). "
    "Try again later or choose a shorter period."
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
            (table, word(report.table_titles[table], lang), *_html(report, table, lang))
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
        try:
            job_id = enqueue_report(_redis(), wanted)
        except RedisError:
            logger.exception("report build not queued report=%s", name)
            flash(NO_BACKGROUND, "danger")
            return redirect(url_for(f"ReportsView.{name}", **request.args))
        return redirect(url_for("ReportsView.job", job_id=job_id))

    @expose("/jobs/<job_id>")
    @has_access
    @permission_name("read")
    def job(self, job_id: str) -> ResponseReturnValue:
        """A background build's progress; the page reloads itself until done."""
        try:
            state = job_state(_redis(), job_id) if JOB_ID.match(job_id) else None
        except RedisError:
            logger.exception("report build state unknown job=%s", job_id)
            flash(NO_BACKGROUND, "danger")
            return redirect(url_for("ReportsView.load"))
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


def _html(report: Report, table: str, lang: str) -> tuple[str, str]:
    """Table `table` as HTML (its first rows only) and a note if rows were cut."""
    frame = display_table(report, table, lang)
    html = frame.head(HTML_MAX_ROWS).to_html(
        index=False,
        border=0,
        classes="table table-condensed table-striped",
        decimal="." if lang == "en" else ",",
    )
    note = ""
    if len(frame) > HTML_MAX_ROWS:
        note = _(
            "The first %(shown)s of %(total)s rows are shown; the CSV has them all.",
            shown=HTML_MAX_ROWS,
            total=len(frame),
        )
    return html, note


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
