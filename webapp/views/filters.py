"""List filters on instants by the centre's local date.

FAB compares a timestamptz column with a naive value the database reads as
UTC, so "bookings on 1 September" would be shifted by the zone's offset.
These filters take a date (YYYY-MM-DD) and compare with the instants at
which that local day starts and ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Query

from scheduling.slicing import Interval, local_day_bounds
from webapp.localtime import centre_tz


class LocalDateFilter(BaseFilter):
    """A filter whose value is a local date; an unreadable date filters nothing."""

    def bounds(self, value: Any) -> Interval | None:
        try:
            day = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None
        return local_day_bounds(day, centre_tz())

    def apply(self, query: Query, value: Any) -> Query:
        bounds = self.bounds(value)
        if bounds is None:
            return query
        return query.filter(
            *self.conditions(getattr(self.model, self.column_name), bounds)
        )

    def conditions(self, field: Any, bounds: Interval) -> tuple[Any, ...]:
        raise NotImplementedError


class FilterOnLocalDate(LocalDateFilter):
    name = _l("On date")
    arg_name = "local_on"

    def conditions(self, field: Any, bounds: Interval) -> tuple[Any, ...]:
        return field >= bounds[0], field < bounds[1]


class FilterFromLocalDate(LocalDateFilter):
    name = _l("From date")
    arg_name = "local_from"

    def conditions(self, field: Any, bounds: Interval) -> tuple[Any, ...]:
        return (field >= bounds[0],)


class FilterUntilLocalDate(LocalDateFilter):
    name = _l("Until date (inclusive)")
    arg_name = "local_until"

    def conditions(self, field: Any, bounds: Interval) -> tuple[Any, ...]:
        return (field < bounds[1],)


class LocalTimeFilterConverter(SQLAFilterConverter):
    """FAB's filters, with local-date ones for datetime columns."""

    conversion_table = tuple(
        (
            (
                "is_datetime",
                [FilterOnLocalDate, FilterFromLocalDate, FilterUntilLocalDate],
            )
            if kind == "is_datetime"
            else (kind, filters)
        )
        for kind, filters in SQLAFilterConverter.conversion_table
    )
