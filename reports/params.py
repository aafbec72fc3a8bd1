"""A report request as the panel and the API receive it, checked in one place.

Query string: ``from`` and ``to`` (local dates, ISO), ``teacher_id``,
``subject_id``, ``format`` (json, csv, pdf), ``table`` (which table a CSV
holds), ``sep`` (";" or ","), ``lang`` (ru, en). Everything is optional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from reports.base import ReportQuery
from reports.bookings import MAX_PERIOD_DAYS, default_period
from reports.export import FORMATS, SEPARATORS
from reports.registry import DEFAULT_TABLE, REPORTS, TABLES
from scheduling.ids import parse_id
from scheduling.models import Subject, Teacher

# Longer periods are built by the worker, with progress (see reports.background).
BACKGROUND_AFTER_DAYS = 92


class ReportParamsError(ValueError):
    """A request the reports cannot answer; says why in Russian and English."""

    def __init__(self, ru: str, en: str) -> None:
        super().__init__(en)
        self.texts = (ru, en)

    def message(self, lang: str = "ru") -> str:
        return self.texts[1] if (lang or "").startswith("en") else self.texts[0]


@dataclass(frozen=True)
class ReportRequest:
    """Which report, for which lessons, in which form."""

    name: str
    query: ReportQuery
    fmt: str = "json"
    table: str = ""
    sep: str = ";"
    lang: str = "ru"

    @property
    def is_long(self) -> bool:
        return self.query.days > BACKGROUND_AFTER_DAYS

    def as_args(self) -> dict[str, str]:
        """The query string that asks for this request again."""
        args = {
            "from": self.query.start.isoformat(),
            "to": self.query.end.isoformat(),
            "format": self.fmt,
            "table": self.table,
            "sep": self.sep,
            "lang": self.lang,
        }
        if self.query.teacher_id is not None:
            args["teacher_id"] = str(self.query.teacher_id)
        if self.query.subject_id is not None:
            args["subject_id"] = str(self.query.subject_id)
        return args


def parse_request(
    session: Session, name: str, args: Mapping[str, str], tz: ZoneInfo
) -> ReportRequest:
    """Check `args` for report `name`; defaults fill what is missing.

    :raise ReportParamsError: unknown report, bad date, id, format or table.
    """
    if name not in REPORTS:
        raise ReportParamsError(
            f"Нет такого отчёта: {name}. Есть: {', '.join(REPORTS)}.",
            f"No such report: {name}. Reports: {', '.join(REPORTS)}.",
        )
    default_start, default_end = default_period(dt.datetime.now(tz).date())
    start = _date(args.get("from"), default_start, "from")
    end = _date(args.get("to"), default_end, "to")
    if end < start:
        raise ReportParamsError(
            "Конец периода раньше его начала.",
            "The end of the period is before its start.",
        )
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ReportParamsError(
            f"Период — не больше {MAX_PERIOD_DAYS} дней.",
            f"The period is at most {MAX_PERIOD_DAYS} days.",
        )
    teacher_id = _known_id(session, Teacher, args.get("teacher_id"), "teacher_id")
    subject_id = _known_id(session, Subject, args.get("subject_id"), "subject_id")
    fmt = args.get("format") or "json"
    _choice(fmt, FORMATS, "format")
    sep = args.get("sep") or ";"
    _choice(sep, SEPARATORS, "sep")
    lang = "en" if (args.get("lang") or "").startswith("en") else "ru"
    query = ReportQuery(start, end, tz, teacher_id, subject_id)
    table = args.get("table") or DEFAULT_TABLE[name]
    _choice(table, TABLES[name], "table")
    return ReportRequest(name, query, fmt, table, sep, lang)


# How a person knows each parameter: name -> (Russian, English).
PARAM_NAMES = {
    "from": ("Начало периода (from)", "Start of the period (from)"),
    "to": ("Конец периода (to)", "End of the period (to)"),
    "teacher_id": ("Преподаватель (teacher_id)", "Teacher (teacher_id)"),
    "subject_id": ("Предмет (subject_id)", "Subject (subject_id)"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _date(value: str | None, default: dt.date, param: str) -> dt.date:
    if not value:
        return default
    ru, en = PARAM_NAMES[param]
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ReportParamsError(
            f"{ru}: дата в виде ГГГГ-ММ-ДД, например 2025-09-01.",
            f"{en}: a date as YYYY-MM-DD, e.g. 2025-09-01.",
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ReportParamsError(
            f"{ru}: год от {FIRST_YEAR} до {LAST_YEAR}.",
            f"{en}: a year from {FIRST_YEAR} to {LAST_YEAR}.",
        )
    return day


def _known_id(
    session: Session, model: type, value: str | None, param: str
) -> int | None:
    if not value:
        return None
    row_id = parse_id(value)
    if row_id is None or session.get(model, row_id) is None:
        ru, en = PARAM_NAMES[param]
        raise ReportParamsError(
            f"{ru}: нет записи с номером {value}.",
            f"{en}: there is no record {value}.",
        )
    return row_id


def _choice(value: str, allowed: tuple[str, ...], param: str) -> None:
    if value not in allowed:
        raise ReportParamsError(
            f"Параметр {param}: одно из {', '.join(allowed)}.",
            f"Parameter {param}: one of {', '.join(allowed)}.",
        )
