"""Request fields the API shares: ids and times in the centre's timezone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields
from marshmallow.validate import Length, Range

from scheduling.settings import get_settings
from webapp.api.base import MAX_ID
from webapp.extensions import db


def id_field(**kwargs: Any) -> fields.Integer:
    """A positive integer id (strict: "12" as text is refused)."""
    return fields.Integer(strict=True, validate=Range(min=1, max=MAX_ID), **kwargs)


# Lessons are booked in this century; other years are typing mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class CentreDateTime(fields.DateTime):
    """An ISO date-time; without an offset it is read in the centre's timezone."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        moment: dt.datetime = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(f"The year must be {FIRST_YEAR}-{LAST_YEAR}.")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=get_settings(db.session).tz)
        return moment.astimezone(dt.UTC)


def no_nul(value: str) -> None:
    """marshmallow validator: PostgreSQL text cannot hold a NUL character."""
    if "\x00" in value:
        raise ValidationError("The text contains a NUL character.")


def text_field(max_length: int, **kwargs: Any) -> fields.String:
    """A string of 1..`max_length` characters that PostgreSQL can store."""
    return fields.String(validate=[Length(min=1, max=max_length), no_nul], **kwargs)
