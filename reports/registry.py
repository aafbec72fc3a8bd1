"""The reports by name, as the API and the panel address them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from reports.attendance import attendance_report
from reports.base import Report, ReportQuery
from reports.load import load_report
from reports.overview import overview_report

Builder = Callable[[Session, ReportQuery], Report]

REPORTS: dict[str, Builder] = {
    "load": load_report,
    "attendance": attendance_report,
    "overview": overview_report,
}

# The table a CSV holds unless another is asked for.
DEFAULT_TABLE = {"load": "teacher", "attendance": "teacher", "overview": "day"}


def build_report(session: Session, name: str, query: ReportQuery) -> Report:
    """Build report `name` for `query`.

    :raise KeyError: unknown report.
    """
    return REPORTS[name](session, query)
