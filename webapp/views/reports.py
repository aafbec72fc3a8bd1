"""The bookings export (a period form and its CSV) and the reports' menu."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Response, request
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access, permission_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, ValidationError

from reports.bookings import MAX_PERIOD_DAYS, bookings_csv, default_period
from webapp.extensions import db
from webapp.localtime import centre_tz
from webapp.views.report_pages import ReportsView

logger = logging.getLogger(__name__)


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
