"""Request fields the API shares: ids and times in the centre's timezone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import fields
from marshmallow.validate import Range

from scheduling.settings import get_settings
from webapp.api.base import MAX_ID
from webapp.extensions import db


def id_field(**kwargs: Any) -> fields.Integer:
    """A positive integer id (strict: "12" as text is refused)."""
    return fields.Integer(strict=True, validate=Range(min=1, max=MAX_ID), **kwargs)


class CentreDateTime(fields.DateTime):
    """An ISO date-time; without an offset it is read in the centre's timezone."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        moment: dt.datetime = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=get_settings(db.session).tz)
        return moment.astimezone(dt.UTC)
