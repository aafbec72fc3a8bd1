"""The centre's settings: one typed, validated API over the settings table.

Read with `get_settings(session)`, change with `update_settings(session, ...)`.
Keys missing from the table take their defaults, so a new database works.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from config import get_config
from scheduling.errors import InvalidSettingError
from scheduling.models import Setting


@dataclass(frozen=True)
class Break:
    """A daily interval, local to the centre, in which no lesson is cut."""

    start: dt.time
    end: dt.time

    def as_json(self) -> list[str]:
        return [self.start.strftime("%H:%M"), self.end.strftime("%H:%M")]


@dataclass(frozen=True)
class CentreSettings:
    slot_duration_min: int = 60
    breaks: tuple[Break, ...] = (Break(dt.time(13, 0), dt.time(14, 0)),)
    reminder_minutes_before: tuple[int, ...] = (1440, 60)
    poll_time: dt.time = dt.time(18, 0)
    poll_days_ahead: int = 1
    booking_min_notice_min: int = 60
    booking_horizon_days: int = 14
    cancel_cutoff_min: int = 180
    timezone: str = field(default_factory=lambda: get_config().centre_timezone)
    # Teachers who have not answered a poll by then are reminded once.
    poll_nudge_time: dt.time = dt.time(20, 0)
    # How people reach the centre (phone, @username); the bot shows it when it
    # cannot do something itself, e.g. a cancellation after the cutoff.
    centre_contact: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def slot_duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.slot_duration_min)

    def as_json(self) -> dict[str, Any]:
        """Settings as plain JSON values, the shape the API and the table use."""
        return {
            "slot_duration_min": self.slot_duration_min,
            "breaks": [b.as_json() for b in self.breaks],
            "reminder_minutes_before": list(self.reminder_minutes_before),
            "poll_time": self.poll_time.strftime("%H:%M"),
            "poll_days_ahead": self.poll_days_ahead,
            "booking_min_notice_min": self.booking_min_notice_min,
            "booking_horizon_days": self.booking_horizon_days,
            "cancel_cutoff_min": self.cancel_cutoff_min,
            "timezone": self.timezone,
            "poll_nudge_time": self.poll_nudge_time.strftime("%H:%M"),
            "centre_contact": self.centre_contact,
        }


SETTING_KEYS = tuple(f.name for f in dataclasses.fields(CentreSettings))


def _fail(key: str, reason: str, **details: Any) -> NoReturn:
    """Refuse `key`; `reason` is a code of `scheduling.errors.SETTING_REASONS`."""
    raise InvalidSettingError(key, reason, **details)


def _int(key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        _fail(key, "whole_number", low=low, high=high)
    try:
        number = int(value)
    except ValueError:
        _fail(key, "whole_number", low=low, high=high)
    if not low <= number <= high:
        _fail(key, "whole_number", low=low, high=high)
    return number


def _time(key: str, value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if value == "24:00":
        return dt.time(0, 0)
    try:
        return dt.datetime.strptime(str(value), "%H:%M").time()
    except ValueError:
        _fail(key, "time_format", value=value)


def _breaks(value: Any) -> tuple[Break, ...]:
    if not isinstance(value, list | tuple):
        _fail("breaks", "breaks_list")
    breaks = []
    for item in value:
        if isinstance(item, Break):
            breaks.append(item)
            continue
        if not isinstance(item, list | tuple) or len(item) != 2:
            _fail("breaks", "break_pair")
        start, end = _time("breaks", item[0]), _time("breaks", item[1])
        if item[1] == "24:00":
            end = dt.time.max
        if end <= start:
            _fail("breaks", "break_backwards", start=item[0], end=item[1])
        breaks.append(Break(start, end))
    breaks.sort(key=lambda b: b.start)
    for earlier, later in zip(breaks, breaks[1:], strict=False):
        if later.start < earlier.end:
            _fail("breaks", "breaks_overlap")
    return tuple(breaks)


def _offsets(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        _fail("reminder_minutes_before", "offsets_list")
    offsets = {_int("reminder_minutes_before", v, 1, 7 * 1440) for v in value}
    return tuple(sorted(offsets, reverse=True))


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        _fail("timezone", "unknown_timezone", value=value)
    return str(value)


CONTACT_LIMIT = 200


def _contact(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > CONTACT_LIMIT:
        _fail("centre_contact", "too_long", limit=CONTACT_LIMIT)
    return text


_PARSERS = {
    "slot_duration_min": lambda v: _int("slot_duration_min", v, 5, 480),
    "breaks": _breaks,
    "reminder_minutes_before": _offsets,
    "poll_time": lambda v: _time("poll_time", v),
    "poll_days_ahead": lambda v: _int("poll_days_ahead", v, 1, 3),
    "booking_min_notice_min": lambda v: _int("booking_min_notice_min", v, 0, 10080),
    "booking_horizon_days": lambda v: _int("booking_horizon_days", v, 1, 365),
    "cancel_cutoff_min": lambda v: _int("cancel_cutoff_min", v, 0, 10080),
    "timezone": _timezone,
    "poll_nudge_time": lambda v: _time("poll_nudge_time", v),
    "centre_contact": _contact,
}


def parse_settings(values: dict[str, Any], base: CentreSettings) -> CentreSettings:
    """Validate raw values over `base`; the first bad one raises InvalidSettingError."""
    unknown = set(values) - set(SETTING_KEYS)
    if unknown:
        _fail(sorted(unknown)[0], "unknown_setting")
    parsed = {key: _PARSERS[key](value) for key, value in values.items()}
    return dataclasses.replace(base, **parsed)


def get_settings(session: Session) -> CentreSettings:
    """The centre's current settings, defaults filling what is not stored."""
    stored = dict(session.execute(select(Setting.key, Setting.value)).all())
    known = {k: v for k, v in stored.items() if k in SETTING_KEYS}
    return parse_settings(known, CentreSettings())


def update_settings(session: Session, values: dict[str, Any]) -> CentreSettings:
    """Validate and store changed settings; return the settings now in force.

    Existing slots and bookings are left as they are: a new slot length or
    break applies to slicing from now on.
    """
    new = parse_settings(values, get_settings(session))
    as_json = new.as_json()
    for key in values:
        stmt = insert(Setting).values(key=key, value=as_json[key])
        stmt = stmt.on_conflict_do_update(
            index_elements=[Setting.key], set_={"value": stmt.excluded.value}
        )
        session.execute(stmt)
    return new
