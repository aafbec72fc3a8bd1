"""Bookings of a period as a table and as a CSV file for Excel.

Dates are the centre's local dates and both ends are included. Excel reads
Cyrillic CSV correctly only with a UTF-8 byte order mark, and Russian-locale
Excel splits columns on ";", so that is the default separator.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from scheduling.labels import BOOKING_SOURCE, BOOKING_STATUS, label
from scheduling.models import Booking, Client, Slot, Subject, Teacher
from scheduling.slicing import local_day_bounds

logger = logging.getLogger(__name__)

COLUMNS = ["дата", "время", "преподаватель", "предмет", "клиент", "статус", "источник"]
SEPARATORS = (";", ",")
MAX_PERIOD_DAYS = 366


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 30 days to 14 days ahead of `today`."""
    return today - dt.timedelta(days=30), today + dt.timedelta(days=14)


def bookings_frame(
    session: Session, start: dt.date, end: dt.date, tz: ZoneInfo
) -> pd.DataFrame:
    """Bookings starting on local dates `start`..`end`, one row each, in time order."""
    period_start = local_day_bounds(start, tz)[0]
    period_end = local_day_bounds(end, tz)[1]
    slot_subject = aliased(Subject)
    booking_subject = aliased(Subject)
    rows = session.execute(
        select(
            Booking.starts_at,
            Booking.ends_at,
            Teacher.full_name.label("teacher"),
            booking_subject.name.label("subject"),
            slot_subject.name.label("slot_subject"),
            Client.full_name.label("client"),
            Booking.status,
            Booking.source,
        )
        .join(Slot, Booking.slot_id == Slot.id)
        .join(Teacher, Slot.teacher_id == Teacher.id)
        .join(Client, Booking.client_id == Client.id)
        .outerjoin(booking_subject, Booking.subject_id == booking_subject.id)
        .outerjoin(slot_subject, Slot.subject_id == slot_subject.id)
        .where(Booking.starts_at >= period_start, Booking.starts_at < period_end)
        .order_by(Booking.starts_at, Teacher.full_name, Booking.id)
    ).all()
    records = []
    for row in rows:
        start, end = row.starts_at.astimezone(tz), row.ends_at.astimezone(tz)
        records.append(
            [
                start.strftime("%d.%m.%Y"),
                f"{start:%H:%M}–{end:%H:%M}",
                row.teacher,
                row.subject or row.slot_subject or "",
                row.client,
                label(BOOKING_STATUS, row.status),
                label(BOOKING_SOURCE, row.source),
            ]
        )
    return pd.DataFrame(records, columns=COLUMNS)


def bookings_csv(
    session: Session, start: dt.date, end: dt.date, tz: ZoneInfo, sep: str = ";"
) -> bytes:
    """The bookings of the period as UTF-8 CSV with a BOM, for Excel.

    :raise ValueError: unknown separator.
    """
    if sep not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}, got {sep!r}")
    frame = bookings_frame(session, start, end, tz)
    text = frame.to_csv(sep=sep, index=False, lineterminator="\r\n")
    logger.info(
        "bookings csv built from=%s to=%s rows=%s", start, end, len(frame.index)
    )
    return ("\ufeff" + text).encode("utf-8")
