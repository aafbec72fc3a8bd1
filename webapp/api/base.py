"""What every Slotbook REST resource shares.

* Every refusal is JSON `{"message": ...}` in the request's language with a
  4xx status: domain errors keep their own status, constraint violations
  become 409, values the database cannot store become 422.
* Ids that are not numbers, or too large for the column, are simply not found
  (the database would otherwise fail the whole query).
* `granted_to` says which roles besides Admin may call which methods, exactly
  like the panel's views (`webapp.roles` reads it).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from flask import Response
from flask_appbuilder.api import BaseApi, ModelRestApi
from flask_appbuilder.const import API_FILTERS_RIS_KEY
from flask_appbuilder.exceptions import (
    ApplyFilterException,
    InvalidOperationFilterFABException,
)
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.filters import set_value_to_type
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError, SQLAlchemyError
from werkzeug.exceptions import BadRequest

from scheduling.constraints import explain_integrity_error
from scheduling.errors import SchedulingError
from webapp.api.responses import domain_error, json_error, status_message, text
from webapp.extensions import db

logger = logging.getLogger(__name__)

# Our ids are PostgreSQL integers; anything larger cannot be one (and would
# fail the whole query, as SQLAlchemy casts the parameter to INTEGER).
MAX_ID = 2**31 - 1
# Telegram ids are bigints.
MAX_BIGINT = 2**63 - 1


class ApiError(Exception):
    """A refusal the API answers with `status` and a message of its own."""

    def __init__(self, status: int, ru: str | None = None, en: str | None = None):
        super().__init__(en or str(status))
        self.status = status
        self.texts = (ru, en) if ru and en else None

    def response(self) -> Response:
        message = text(*self.texts) if self.texts else None
        return json_error(self.status, message)


class InvalidQuery(BadRequest):
    """A filter value the database cannot compare (FAB's `safe` answers 400)."""

    def __str__(self) -> str:
        return text(
            "Неверное значение фильтра: проверьте тип значения.",
            "Invalid filter value: check the value's type.",
        )


def as_id(value: Any) -> int | None:
    """`value` as a positive database id, or None when it cannot be one."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


class ApiInterface(SQLAInterface):
    """SQLAInterface whose bad input becomes a 4xx instead of a database fault."""

    def get(self, id: Any, *args: Any, **kwargs: Any) -> Any:
        pk = as_id(id)
        if pk is None:
            return None
        return super().get(pk, *args, **kwargs)

    def query(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().query(*args, **kwargs)
        except (
            DataError,
            ProgrammingError,
            OverflowError,
            ApplyFilterException,
        ) as exc:
            # ApplyFilterException: FAB could not look up a related row
            # ("abc" or a number beyond the column for a teacher);
            # ProgrammingError: a value PostgreSQL cannot compare with the
            # column ("maybe" for a boolean), as the panel's lists refuse too.
            self.session.rollback()
            raise InvalidQuery() from exc

    def add(self, item: Any, commit: bool = True) -> None:
        self._write(lambda: super(ApiInterface, self).add(item, commit))

    def edit(self, item: Any, commit: bool = True) -> None:
        self._write(lambda: super(ApiInterface, self).edit(item, commit))

    def delete(self, item: Any, commit: bool = True) -> None:
        self._write(lambda: super(ApiInterface, self).delete(item, commit))

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as exc:  # FAB wraps some errors in DatabaseException
            cause = exc if isinstance(exc, SQLAlchemyError) else exc.__cause__
            if isinstance(cause, IntegrityError):
                raise explain_integrity_error(cause) from exc
            if isinstance(cause, DataError):
                raise ApiError(
                    422,
                    "Значение не подходит для поля (слишком длинное или большое).",
                    "A value does not fit its field (too long or too large).",
                ) from exc
            raise


def refusals_as_json(method: Callable[..., Response]) -> Callable[..., Response]:
    """Answer domain and API refusals raised by `method` as JSON errors."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return method(*args, **kwargs)
        except SchedulingError as err:
            db.session.rollback()
            return domain_error(err)
        except ApiError as err:
            db.session.rollback()
            return err.response()
        except IntegrityError as exc:
            # A race the checks could not see; the database refused it.
            db.session.rollback()
            return domain_error(explain_integrity_error(exc))

    return wrapper


class TranslatedResponses:
    """FAB's standard refusals with our messages (Russian unless English chosen)."""

    granted_to: ClassVar[dict[str, Sequence[str] | None]] = {}

    # FAB's own messages are English ("Request is not JSON"): they go in
    # `details`, the person reads ours.
    def response_400(self, message: Any = None) -> Response:
        return json_error(400, details=message) if message else json_error(400)

    def response_401(self) -> Response:
        return json_error(401)

    def response_403(self) -> Response:
        return json_error(403)

    def response_404(self) -> Response:
        return json_error(404)

    def response_422(self, message: Any = None) -> Response:
        # marshmallow gives {field: [problems]}: name the fields in the message.
        if isinstance(message, dict):
            fields = ", ".join(sorted(str(key) for key in message))
            return json_error(422, f"{status_message(422)} ({fields})", errors=message)
        return json_error(422, details=message) if message else json_error(422)


def check_list_filter(filters: Filters, datamodel: SQLAInterface, item: Any) -> None:
    """Refuse a `?q=(filters:...)` entry FAB would silently skip.

    FAB ignores an operator it does not know for the column and compares a
    number or date column with NULL when the value is not one: the caller
    would get all rows or none and never learn why. FAB answers the raised
    exception with a 400 whose `details` name the problem.
    """
    if not isinstance(item, dict) or not {"col", "opr", "value"} <= item.keys():
        raise InvalidOperationFilterFABException("A filter needs col, opr and value.")
    col, opr, value = item["col"], item["opr"], item["value"]
    known = [f.arg_name for f in filters._search_filters.get(col, [])]
    if known and opr not in known:
        raise InvalidOperationFilterFABException(
            f"Filter operation {opr!r} is not one of {', '.join(known)} for {col}."
        )
    if col not in datamodel.list_properties or datamodel.is_relation(col):
        return  # unknown columns: FAB's own 400; relations take ids as given
    typed = any(
        check(col)
        for check in (
            datamodel.is_integer,
            datamodel.is_float,
            datamodel.is_date,
            datamodel.is_datetime,
        )
    )
    for one in value if isinstance(value, list) else [value]:
        if not typed:
            allowed = (str, bool) if datamodel.is_boolean(col) else str
            if not isinstance(one, allowed):
                raise InvalidOperationFilterFABException(
                    f"Filter value for {col} must be text."
                )
        elif one is not None and set_value_to_type(datamodel, col, one) is None:
            raise InvalidOperationFilterFABException(
                f"Filter value {one!r} does not fit the column {col}."
            )


class SlotbookBaseApi(TranslatedResponses, BaseApi):
    """A hand-written resource under /api/v1."""


class SlotbookModelApi(TranslatedResponses, ModelRestApi):
    """A model resource under /api/v1 with JSON refusals and safe ids."""

    page_size = 25
    max_page_size = 100

    def _handle_filters_args(self, rison_args: dict[str, Any]) -> Any:
        for item in rison_args.get(API_FILTERS_RIS_KEY, []):
            check_list_filter(self._filters, self.datamodel, item)
        return super()._handle_filters_args(rison_args)

    @refusals_as_json
    def post_headless(self) -> Response:
        return super().post_headless()

    @refusals_as_json
    def put_headless(self, pk: Any) -> Response:
        return super().put_headless(pk)

    @refusals_as_json
    def delete_headless(self, pk: Any) -> Response:
        return super().delete_headless(pk)
