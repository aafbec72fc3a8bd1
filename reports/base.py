"""What every report shares: its filters, its tables and the words for them.

A report is built from a `ReportQuery` (a period of the centre's local dates,
both ends included, and optionally one teacher and one subject) into a
`Report`: named tables with code-named columns and matplotlib charts. The
exports (JSON, CSV, PDF) and the panel only format a `Report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from matplotlib.figure import Figure
from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.bookings import MAX_PERIOD_DAYS
from scheduling.models import Subject, Teacher
from scheduling.slicing import local_day_bounds

# Lessons without a subject are grouped under this name.
NO_SUBJECT = ("без предмета", "no subject")

# Column code -> (Russian, English) header.
HEADERS: dict[str, tuple[str, str]] = {
    "teacher": ("преподаватель", "teacher"),
    "subject": ("предмет", "subject"),
    "client": ("клиент", "client"),
    "week": ("неделя с", "week from"),
    "day": ("дата", "date"),
    "weekday": ("день недели", "weekday"),
    "hour": ("час", "hour"),
    "offered_hours": ("часов предложено", "hours offered"),
    "booked_hours": ("часов занято", "hours booked"),
    "attended_hours": ("часов проведено", "hours attended"),
    "utilisation_pct": ("загрузка, %", "utilisation, %"),
    "bookings": ("записей", "bookings"),
    "attended": ("пришёл", "attended"),
    "no_show": ("не пришёл", "no-show"),
    "cancelled_in_time": ("отменено вовремя", "cancelled in time"),
    "cancelled_late": ("отменено поздно", "cancelled late"),
    "upcoming": ("не отмечено", "not marked"),
    "no_show_rate_pct": ("неявки, %", "no-show rate, %"),
}

WEEKDAYS = (
    ("пн", "Mon"),
    ("вт", "Tue"),
    ("ср", "Wed"),
    ("чт", "Thu"),
    ("пт", "Fri"),
    ("сб", "Sat"),
    ("вс", "Sun"),
)


def word(pair: tuple[str, str], lang: str) -> str:
    """The Russian or English half of `pair` (Russian unless 'en')."""
    return pair[1] if (lang or "").startswith("en") else pair[0]


@dataclass(frozen=True)
class ReportQuery:
    """Which lessons a report covers: local dates `start`..`end` and filters."""

    start: dt.date
    end: dt.date
    tz: ZoneInfo
    teacher_id: int | None = None
    subject_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the end of the period is before its start")
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise ValueError(f"the period is at most {MAX_PERIOD_DAYS} days")

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants the period starts and ends at (half-open)."""
        return local_day_bounds(self.start, self.tz)[0], local_day_bounds(
            self.end, self.tz
        )[1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, object]:
        """Bind parameters shared by the reports' SQL."""
        start, end = self.bounds
        return {
            "start": start,
            "end": end,
            "tz": self.tz.key,
            "teacher_id": self.teacher_id,
            "subject_id": self.subject_id,
        }


@dataclass
class Report:
    """A built report: titles, the query, tables by name, chart builders."""

    name: str
    title: tuple[str, str]
    query: ReportQuery
    filters: dict[str, str]
    tables: dict[str, pd.DataFrame]
    table_titles: dict[str, tuple[str, str]]
    charts: list[Callable[[str], Figure]] = field(default_factory=list)

    def period_text(self, lang: str = "ru") -> str:
        """'01.09.2025 – 30.09.2025 (Europe/Moscow)'."""
        start, end = self.query.start, self.query.end
        return f"{start:%d.%m.%Y} – {end:%d.%m.%Y} ({self.query.tz.key})"

    def filters_text(self, lang: str = "ru") -> str:
        """The teacher and subject filters in words, or 'all'."""
        parts = [
            f"{word(HEADERS[key], lang)}: {value}"
            for key, value in self.filters.items()
        ]
        return "; ".join(parts) or word(("все преподаватели и предметы", "all"), lang)


def filter_names(session: Session, query: ReportQuery) -> dict[str, str]:
    """The names of the filtered teacher and subject, for titles."""
    names = {}
    if query.teacher_id is not None:
        names["teacher"] = (
            session.scalar(
                select(Teacher.full_name).where(Teacher.id == query.teacher_id)
            )
            or f"#{query.teacher_id}"
        )
    if query.subject_id is not None:
        names["subject"] = (
            session.scalar(select(Subject.name).where(Subject.id == query.subject_id))
            or f"#{query.subject_id}"
        )
    return names


def percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole in percent, one decimal; 0 where `whole` is 0."""
    ratio = (part / whole.where(whole != 0)).fillna(0.0) * 100
    return ratio.round(1)
