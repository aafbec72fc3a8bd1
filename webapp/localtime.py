"""Times shown and typed in the centre's timezone, stored as UTC.

Flask-AppBuilder prints an aware datetime as ``2025-09-01 07:00:00+00:00``
and its picker cannot post one back (FAB #2408), so lists use
`format_local` and forms use `LocalDateTimeField`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import g, has_app_context
from wtforms.fields import DateTimeLocalField

from config import get_config
from scheduling.settings import get_settings
from webapp.extensions import db


def centre_tz() -> ZoneInfo:
    """The centre's timezone from its settings, read once per request."""
    if not has_app_context():
        return get_config().tz
    if "centre_tz" not in g:
        g.centre_tz = get_settings(db.session).tz
    return g.centre_tz


def format_local(value: dt.datetime | None) -> str:
    """`value` as local date and time with the zone's abbreviation, e.g. MSK."""
    if value is None:
        return ""
    local = value.astimezone(centre_tz())
    return f"{local:%d.%m.%Y %H:%M} {local.tzname()}"


def to_utc(local: dt.datetime) -> dt.datetime:
    """A naive wall-clock time in the centre's timezone as an aware UTC instant."""
    return local.replace(tzinfo=centre_tz()).astimezone(dt.UTC)


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in the centre's timezone; `data` is aware UTC."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = to_utc(self.data)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        if isinstance(self.data, dt.datetime):
            return self.data.astimezone(centre_tz()).strftime("%Y-%m-%dT%H:%M")
        return ""
