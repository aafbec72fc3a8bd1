"""Attendance: who came, who did not, who cancelled and how late.

Every booking of a lesson in the period counts once, under its teacher, its
subject (the booking's, else the slot's), its client and its week:

* attended / no-show: as marked by the teacher or staff;
* not marked: still "booked" (a lesson to come, or one nobody marked);
* cancelled late / in time: the ``late`` flag the cancellation wrote in the
  booking's history, i.e. the cutoff in force when it happened; bookings
  cancelled without that history (imported rows) fall back to comparing
  ``cancelled_at`` with the centre's current cutoff before the lesson.

The no-show rate is no-shows among marked lessons: no_show / (attended +
no_show). PostgreSQL counts everything in one pass (GROUPING SETS).
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from reports import charts
from reports.base import Report, ReportQuery, filter_names, percent
from reports.names import name_columns
from scheduling.settings import get_settings

logger = logging.getLogger(__name__)

TITLE = ("Посещаемость", "Attendance")
TABLE_TITLES = {
    "teacher": ("По преподавателям", "By teacher"),
    "subject": ("По предметам", "By subject"),
    "client": ("По клиентам", "By client"),
    "week": ("По неделям", "By week"),
    "total": ("Итого", "Total"),
}
COUNTS = [
    "bookings",
    "attended",
    "no_show",
    "cancelled_in_time",
    "cancelled_late",
    "upcoming",
]
FIGURES = [*COUNTS, "no_show_rate_pct"]

ATTENDANCE_SQL = text(
    """
    WITH facts AS (
        SELECT s.teacher_id,
               COALESCE(b.subject_id, s.subject_id) AS subject_id,
               b.client_id,
               date_trunc('week', timezone(:tz, b.starts_at))::date AS week,
               b.status,
               CASE WHEN b.status = 'cancelled' THEN COALESCE(
                   (SELECT (e.details ->> 'late')::boolean
                    FROM booking_events e
                    WHERE e.booking_id = b.id AND e.action = 'cancelled'
                      AND e.details ? 'late'
                    ORDER BY e.id DESC LIMIT 1),
                   b.cancelled_at > b.starts_at - make_interval(mins => :cutoff)
               ) END AS late
        FROM bookings b
        JOIN slots s ON s.id = b.slot_id
        WHERE b.starts_at >= :start AND b.starts_at < :end
          AND (CAST(:teacher_id AS integer) IS NULL OR s.teacher_id = :teacher_id)
          AND (CAST(:subject_id AS integer) IS NULL
               OR COALESCE(b.subject_id, s.subject_id) = :subject_id)
    )
    SELECT GROUPING(teacher_id, subject_id, client_id, week) AS level,
           teacher_id, subject_id, client_id, week,
           count(*) AS bookings,
           count(*) FILTER (WHERE status = 'attended') AS attended,
           count(*) FILTER (WHERE status = 'no_show') AS no_show,
           count(*) FILTER (WHERE status = 'cancelled' AND late IS NOT TRUE)
               AS cancelled_in_time,
           count(*) FILTER (WHERE status = 'cancelled' AND late) AS cancelled_late,
           count(*) FILTER (WHERE status = 'booked') AS upcoming
    FROM facts
    GROUP BY GROUPING SETS ((teacher_id), (subject_id), (client_id), (week), ())
    """
)

# GROUPING(teacher_id, subject_id, client_id, week): a set bit = summed over.
LEVELS = {
    "teacher": 0b0111,
    "subject": 0b1011,
    "client": 0b1101,
    "week": 0b1110,
    "total": 0b1111,
}


def attendance_report(session: Session, query: ReportQuery) -> Report:
    """Build the attendance report for `query`."""
    params = {**query.params(), "cutoff": get_settings(session).cancel_cutoff_min}
    rows = pd.DataFrame(
        session.execute(ATTENDANCE_SQL, params).mappings().all(),
        columns=["level", "teacher_id", "subject_id", "client_id", "week", *COUNTS],
    )
    rows[COUNTS] = rows[COUNTS].astype("int64")
    tables = {
        name: _finish(session, rows[rows["level"] == level], name)
        for name, level in LEVELS.items()
    }
    logger.info(
        "attendance report built from=%s to=%s teacher=%s subject=%s bookings=%s",
        query.start,
        query.end,
        query.teacher_id,
        query.subject_id,
        int(tables["total"]["bookings"].iloc[0]),
    )
    report = Report(
        name="attendance",
        title=TITLE,
        query=query,
        filters=filter_names(session, query),
        tables=tables,
        table_titles=TABLE_TITLES,
    )
    report.charts = [
        lambda lang: charts.outcomes_by_teacher(tables["teacher"], lang),
        lambda lang: charts.weekly_no_show_rate(tables["week"], lang),
    ]
    return report


def _finish(session: Session, part: pd.DataFrame, name: str) -> pd.DataFrame:
    """One table of the report: its key column, the counts and the rate."""
    table = part.copy()
    marked = table["attended"] + table["no_show"]
    table["no_show_rate_pct"] = percent(table["no_show"], marked)
    if name == "total":
        if table.empty:
            table = pd.DataFrame([dict.fromkeys(FIGURES, 0)])
            table["no_show_rate_pct"] = 0.0
        return table[FIGURES].reset_index(drop=True)
    if name == "week":
        return table.sort_values("week")[["week", *FIGURES]].reset_index(drop=True)
    return name_columns(session, table, f"{name}_id", name)[[name, *FIGURES]]
