"""Overview: active bookings per day and per subject, and the busiest hours.

Active bookings are those not cancelled (to come, attended or no-show).
Days, weekdays and hours are the centre's local ones; every day of the
period appears, with 0 when nothing was booked.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from reports import charts
from reports.base import Report, ReportQuery, filter_names
from reports.names import name_columns

logger = logging.getLogger(__name__)

TITLE = ("Обзор записей", "Bookings overview")
TABLE_TITLES = {
    "day": ("По дням", "By day"),
    "subject": ("По предметам", "By subject"),
    "hour": ("По дням недели и часам", "By weekday and hour"),
}

OVERVIEW_SQL = text(
    """
    WITH facts AS (
        SELECT timezone(:tz, b.starts_at)::date AS day,
               COALESCE(b.subject_id, s.subject_id) AS subject_id,
               extract(isodow FROM timezone(:tz, b.starts_at))::int AS weekday,
               extract(hour FROM timezone(:tz, b.starts_at))::int AS hour
        FROM bookings b
        JOIN slots s ON s.id = b.slot_id
        WHERE b.status <> 'cancelled'
          AND b.starts_at >= :start AND b.starts_at < :end
          AND (CAST(:teacher_id AS integer) IS NULL OR s.teacher_id = :teacher_id)
          AND (CAST(:subject_id AS integer) IS NULL
               OR COALESCE(b.subject_id, s.subject_id) = :subject_id)
    )
    SELECT GROUPING(day, subject_id, weekday, hour) AS level,
           day, subject_id, weekday, hour, count(*) AS bookings
    FROM facts
    GROUP BY GROUPING SETS ((day), (subject_id), (weekday, hour))
    """
)

LEVELS = {"day": 0b0111, "subject": 0b1011, "hour": 0b1100}


def overview_report(session: Session, query: ReportQuery) -> Report:
    """Build the overview for `query`."""
    rows = pd.DataFrame(
        session.execute(OVERVIEW_SQL, query.params()).mappings().all(),
        columns=["level", "day", "subject_id", "weekday", "hour", "bookings"],
    )
    rows["bookings"] = rows["bookings"].astype("int64")
    days = rows[rows["level"] == LEVELS["day"]].set_index("day")["bookings"]
    every_day = pd.date_range(query.start, query.end, freq="D").date
    by_day = pd.DataFrame(
        {"day": every_day, "bookings": [int(days.get(d, 0)) for d in every_day]}
    )
    subjects = rows[rows["level"] == LEVELS["subject"]]
    by_subject = name_columns(session, subjects, "subject_id", "subject")
    by_subject = by_subject[["subject", "bookings"]]
    hours = rows[rows["level"] == LEVELS["hour"]]
    by_hour = hours.sort_values(["weekday", "hour"])[["weekday", "hour", "bookings"]]
    by_hour = by_hour.astype("int64").reset_index(drop=True)
    tables = {"day": by_day, "subject": by_subject, "hour": by_hour}
    logger.info(
        "overview report built from=%s to=%s teacher=%s subject=%s bookings=%s",
        query.start,
        query.end,
        query.teacher_id,
        query.subject_id,
        int(by_day["bookings"].sum()),
    )
    report = Report(
        name="overview",
        title=TITLE,
        query=query,
        filters=filter_names(session, query),
        tables=tables,
        table_titles=TABLE_TITLES,
    )
    report.charts = [
        lambda lang: charts.bookings_per_day(by_day, lang),
        lambda lang: charts.bookings_per_subject(by_subject, lang),
        lambda lang: charts.weekday_hour_heatmap(by_hour, lang),
    ]
    return report
