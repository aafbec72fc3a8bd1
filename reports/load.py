"""Teacher load: hours offered, booked and attended, per teacher, subject, week.

Hours are teacher hours: a slot counts once whatever its capacity. A slot is
*offered* if it is open or holds an active booking (a closed slot was
withdrawn before anybody kept a place in it); *booked* if it holds at least
one active booking; *attended* if at least one client was marked present.
A slot's subject is its own, else the subject of its bookings; a slot open to
any subject with no subject from a booking counts a share of its hours for
each subject the teacher teaches (half each for two), so every subject's
utilisation means something and the shares still add up to the slot's hours.
Only a teacher who teaches no subject leaves hours "without subject".
Utilisation is booked / offered hours. Weeks start on Monday, local dates.

PostgreSQL sums the slots per teacher, subject and week in one pass
(GROUPING SETS), so a year of slots comes back as a few hundred rows.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from reports import charts
from reports.base import Report, ReportQuery, filter_names, percent
from reports.names import name_columns

logger = logging.getLogger(__name__)

TITLE = ("Нагрузка преподавателей", "Teacher load")
TABLE_TITLES = {
    "teacher": ("По преподавателям", "By teacher"),
    "subject": ("По предметам", "By subject"),
    "week": ("По неделям", "By week"),
    "total": ("Итого", "Total"),
}
FIGURES = ["offered_hours", "booked_hours", "attended_hours", "utilisation_pct"]

LOAD_SQL = text(
    """
    WITH booked AS (
        SELECT slot_id,
               count(*) AS active,
               count(*) FILTER (WHERE status = 'attended') AS attended,
               min(subject_id) AS subject_id
        FROM bookings
        WHERE status <> 'cancelled' AND starts_at >= :start AND starts_at < :end
        GROUP BY slot_id
    ), facts AS (
        SELECT s.teacher_id,
               COALESCE(s.subject_id, b.subject_id, taught.subject_id) AS subject_id,
               date_trunc('week', timezone(:tz, s.starts_at))::date AS week,
               extract(epoch FROM s.ends_at - s.starts_at) / 3600.0
                   * COALESCE(taught.share, 1) AS hours,
               COALESCE(b.active, 0) AS active,
               COALESCE(b.attended, 0) AS attended
        FROM slots s
        LEFT JOIN booked b ON b.slot_id = s.id
        LEFT JOIN LATERAL (
            SELECT ts.subject_id, 1.0 / count(*) OVER () AS share
            FROM teacher_subjects ts
            WHERE ts.teacher_id = s.teacher_id
        ) taught ON s.subject_id IS NULL AND b.subject_id IS NULL
        WHERE s.starts_at >= :start AND s.starts_at < :end
          AND (s.status = 'open' OR b.active > 0)
          AND (CAST(:teacher_id AS integer) IS NULL OR s.teacher_id = :teacher_id)
    )
    SELECT GROUPING(teacher_id, subject_id, week) AS level,
           teacher_id, subject_id, week,
           COALESCE(sum(hours), 0) AS offered_hours,
           COALESCE(sum(hours) FILTER (WHERE active > 0), 0) AS booked_hours,
           COALESCE(sum(hours) FILTER (WHERE attended > 0), 0) AS attended_hours
    FROM facts
    WHERE CAST(:subject_id AS integer) IS NULL OR subject_id = :subject_id
    GROUP BY GROUPING SETS ((teacher_id), (subject_id), (week), ())
    """
)

# GROUPING(teacher_id, subject_id, week): a bit is set for each column summed
# over, so the teacher rows are 0b011, the subject rows 0b101 and so on.
LEVELS = {"teacher": 0b011, "subject": 0b101, "week": 0b110, "total": 0b111}


def load_report(session: Session, query: ReportQuery) -> Report:
    """Build the teacher load report for `query`."""
    rows = pd.DataFrame(
        session.execute(LOAD_SQL, query.params()).mappings().all(),
        columns=["level", "teacher_id", "subject_id", "week", *FIGURES[:3]],
    )
    for column in FIGURES[:3]:
        rows[column] = rows[column].astype(float).round(2)
    tables = {}
    for name, level in LEVELS.items():
        part = rows[rows["level"] == level]
        tables[name] = _finish(session, part, name)
    logger.info(
        "load report built from=%s to=%s teacher=%s subject=%s teachers=%s",
        query.start,
        query.end,
        query.teacher_id,
        query.subject_id,
        len(tables["teacher"].index),
    )
    report = Report(
        name="load",
        title=TITLE,
        query=query,
        filters=filter_names(session, query),
        tables=tables,
        table_titles=TABLE_TITLES,
    )
    report.charts = [
        lambda lang: charts.utilisation_by_teacher(tables["teacher"], lang),
        lambda lang: charts.weekly_hours(tables["week"], lang),
    ]
    return report


def _finish(session: Session, part: pd.DataFrame, name: str) -> pd.DataFrame:
    """One table of the report: its key column, the hours and utilisation."""
    table = part.copy()
    table["utilisation_pct"] = percent(table["booked_hours"], table["offered_hours"])
    if name == "total":
        if table.empty:
            table = pd.DataFrame([dict.fromkeys(FIGURES, 0.0)])
        return table[FIGURES].reset_index(drop=True)
    if name == "week":
        table = table.sort_values("week")
        return table[["week", *FIGURES]].reset_index(drop=True)
    key = f"{name}_id"
    return name_columns(session, table, key, name)[[name, *FIGURES]]
