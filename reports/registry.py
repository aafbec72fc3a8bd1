"""The reports by name, as the API and the panel address them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from reports import attendance, load, overview
from reports.base import Report, ReportQuery

Builder = Callable[[Session, ReportQuery], Report]

REPORTS: dict[str, Builder] = {
    "load": load.load_report,
    "attendance": attendance.attendance_report,
    "overview": overview.overview_report,
}

# The tables each report has, by name, in their order.
TABLES: dict[str, tuple[str, ...]] = {
    "load": tuple(load.TABLE_TITLES),
    "attendance": tuple(attendance.TABLE_TITLES),
    "overview": tuple(overview.TABLE_TITLES),
}

# The table a CSV holds unless another is asked for.
DEFAULT_TABLE = {"load": "teacher", "attendance": "teacher", "overview": "day"}


def build_report(session: Session, name: str, query: ReportQuery) -> Report:
    """Build report `name` for `query`.

    :raise KeyError: unknown report.
    """
    return REPORTS[name](session, query)
