"""/api/v1/teachers, /clients and /subjects."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.security.decorators import permission_name
from marshmallow import ValidationError
from marshmallow.validate import Length, OneOf, Range

from scheduling.errors import RuleError
from scheduling.models import Client, Subject, Teacher
from scheduling.people import LANGUAGES, normalize_phone
from scheduling.subjects import delete_subject
from webapp.api.base import (
    MAX_BIGINT,
    ApiInterface,
    SlotbookModelApi,
    as_id,
    refusals_as_json,
)
from webapp.api.responses import json_error
from webapp.api.scope import OWN_ROWS
from webapp.extensions import db
from webapp.roles import COORDINATOR, TEACHER

PERSON_COLUMNS = [
    "id",
    "full_name",
    "phone",
    "telegram_user_id",
    "language",
    "timezone",
]


def known_timezone(value: Any) -> None:
    """marshmallow validator: an IANA zone name such as Europe/Moscow, or empty."""
    if value in (None, ""):
        return
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            "Unknown timezone; use a name like Europe/Moscow."
        ) from exc


def readable_phone(value: Any) -> None:
    """marshmallow validator: a phone libphonenumber can read, or empty."""
    if value in (None, ""):
        return
    try:
        normalize_phone(str(value))
    except RuleError as exc:
        raise ValidationError(
            "Not a phone number; type it with the country code: +7 900 123-45-67."
        ) from exc


PERSON_VALIDATORS = {
    "phone": readable_phone,
    "full_name": Length(min=1, max=200),
    "language": OneOf(LANGUAGES),
    "timezone": known_timezone,
    "telegram_user_id": Range(min=1, max=MAX_BIGINT),
}


class PersonApi(SlotbookModelApi):
    """Fields teachers and clients share; empty optional fields stored as NULL."""

    include_route_methods = {"get", "get_list", "post", "put"}
    validators_columns = PERSON_VALIDATORS
    base_order = ("full_name", "asc")
    order_columns = ["id", "full_name", "telegram_user_id"]

    def _tidy_fields(self, item: Any) -> None:
        for name in ("phone", "email", "timezone"):
            if getattr(item, name, None) == "":
                setattr(item, name, None)
        # Validated above; stored in E.164, the form the bot compares.
        if item.phone:
            item.phone = normalize_phone(item.phone)

    def pre_add(self, item: Any) -> None:
        self._tidy_fields(item)

    def pre_update(self, item: Any) -> None:
        self._tidy_fields(item)


class TeacherApi(PersonApi):
    """Teachers; a teacher's own login reads only their own record."""

    resource_name = "teachers"
    datamodel = ApiInterface(Teacher)
    granted_to = {COORDINATOR: None, TEACHER: ["can_get"]}
    base_filters = OWN_ROWS
    list_columns = [*PERSON_COLUMNS, "email", "is_active"]
    show_columns = list_columns
    # Read-only Telegram ID: a teacher's account is bound only by an invite
    # link, as in the panel; an API call cannot make anyone a teacher.
    add_columns = edit_columns = [
        c for c in list_columns if c not in ("id", "telegram_user_id")
    ]
    search_columns = ["full_name", "phone", "email", "is_active"]


class ClientApi(PersonApi):
    """Clients of the centre (students or parents)."""

    resource_name = "clients"
    datamodel = ApiInterface(Client)
    granted_to = {COORDINATOR: None}
    list_columns = show_columns = PERSON_COLUMNS
    add_columns = edit_columns = PERSON_COLUMNS[1:]
    search_columns = ["full_name", "phone"]


class SubjectApi(SlotbookModelApi):
    """Subjects; one that bookings or slots use cannot be deleted."""

    resource_name = "subjects"
    datamodel = ApiInterface(Subject)
    include_route_methods = {"get", "get_list", "post", "delete"}
    granted_to = {COORDINATOR: None, TEACHER: ["can_get"]}
    list_columns = show_columns = ["id", "name"]
    add_columns = ["name"]
    validators_columns = {"name": Length(min=1, max=100)}
    order_columns = ["id", "name"]
    search_columns = ["name"]
    base_order = ("name", "asc")

    @expose("/<pk>", methods=["DELETE"])
    @protect()
    @safe
    @permission_name("delete")
    @refusals_as_json
    def delete(self, pk: str) -> Response:
        """Delete a subject nothing refers to
        ---
        delete:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: Subject deleted
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
            409:
              description: Bookings or slots refer to the subject
        """
        subject_id = as_id(pk)
        if subject_id is None:
            return json_error(404)
        delete_subject(db.session, subject_id)
        db.session.commit()
        return self.response(200, message="OK")
