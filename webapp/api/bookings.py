"""/api/v1/bookings: book, cancel, move and mark attendance by the domain rules.

Nothing here writes a booking row itself: `scheduling.booking` and
`scheduling.attendance` check the rules and the caller's ownership.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.security.decorators import permission_name
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import Length

from scheduling.attendance import mark_attendance
from scheduling.booking import book, cancel, move
from scheduling.errors import ForbiddenError
from scheduling.models import Booking
from webapp.api.actors import current_actor
from webapp.api.base import (
    ApiError,
    ApiInterface,
    SlotbookModelApi,
    as_id,
    refusals_as_json,
)
from webapp.api.fields import id_field, no_nul
from webapp.api.scope import OWN_ROWS
from webapp.extensions import db
from webapp.roles import CLIENT, COORDINATOR, TEACHER


class BookSchema(Schema):
    """A place in a slot; a client's own login may leave client_id out."""

    slot_id = id_field(required=True)
    client_id = id_field(load_default=None)
    subject_id = id_field(allow_none=True, load_default=None)


class CancelSchema(Schema):
    reason = fields.String(load_default="", validate=[Length(max=500), no_nul])
    override_cutoff = fields.Boolean(load_default=False)


class MoveSchema(Schema):
    slot_id = id_field(required=True)
    override_cutoff = fields.Boolean(load_default=False)


class AttendanceSchema(Schema):
    attended = fields.Boolean(required=True)


def _body(schema: Schema) -> dict[str, Any]:
    """The request's JSON body loaded by `schema` (an empty body is `{}`)."""
    raw = request.get_json(silent=True) if request.data else {}
    if not isinstance(raw, dict):
        raise ApiError(400)
    try:
        return schema.load(raw)
    except ValidationError as err:
        raise _invalid(err) from err


def _invalid(err: ValidationError) -> ApiError:
    fields_named = ", ".join(sorted(str(k) for k in err.messages_dict))
    return ApiError(
        422,
        f"Данные не прошли проверку ({fields_named}).",
        f"The data did not pass validation ({fields_named}).",
    )


def _booking_id(pk: str) -> int:
    booking_id = as_id(pk)
    if booking_id is None:
        raise ApiError(404)
    return booking_id


class BookingApi(SlotbookModelApi):
    """Bookings: staff see all, a teacher those in own slots, a client own ones."""

    resource_name = "bookings"
    datamodel = ApiInterface(Booking)
    include_route_methods = {"get", "get_list", "post", "cancel", "move", "attendance"}
    granted_to = {
        COORDINATOR: None,
        TEACHER: ["can_get", "can_attendance"],
        CLIENT: ["can_get", "can_post", "can_cancel", "can_move"],
    }
    base_filters = OWN_ROWS
    list_columns = show_columns = [
        "id",
        "slot_id",
        "client_id",
        "client.full_name",
        "subject_id",
        "subject.name",
        "starts_at",
        "ends_at",
        "status",
        "source",
        "created_at",
        "cancelled_at",
    ]
    order_columns = ["id", "starts_at", "status", "created_at"]
    search_columns = ["client", "subject", "starts_at", "status"]
    base_order = ("starts_at", "desc")
    add_model_schema = BookSchema()
    openapi_spec_component_schemas = (CancelSchema, MoveSchema, AttendanceSchema)

    def _answer(self, booking: Booking, status: int = 200) -> Response:
        db.session.commit()
        return self.response(
            status, id=booking.id, result=self.show_model_schema.dump(booking)
        )

    @refusals_as_json
    def post_headless(self) -> Response:
        data = _body(self.add_model_schema)
        actor = current_actor(db.session)
        client_id = data["client_id"]
        if actor.kind == "client" and actor.id is None:
            # A client login linked to no client record books for nobody.
            raise ForbiddenError()
        if client_id is None:
            if actor.kind != "client":
                raise _invalid(ValidationError({"client_id": ["required"]}))
            client_id = actor.id
        booking = book(
            db.session,
            slot_id=data["slot_id"],
            client_id=client_id,
            subject_id=data["subject_id"],
            actor=actor,
            idempotency_key=request.headers.get("Idempotency-Key") or None,
        )
        return self._answer(booking, 201)

    @expose("/<pk>/cancel", methods=["POST"])
    @protect()
    @safe
    @permission_name("cancel")
    @refusals_as_json
    def cancel(self, pk: str) -> Response:
        """Cancel a booking (staff may override the cutoff)
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/CancelSchema'
          responses:
            200:
              description: Booking cancelled
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        data = _body(CancelSchema())
        booking = cancel(
            db.session,
            booking_id=_booking_id(pk),
            actor=current_actor(db.session),
            **data,
        )
        return self._answer(booking)

    @expose("/<pk>/move", methods=["POST"])
    @protect()
    @safe
    @permission_name("move")
    @refusals_as_json
    def move(self, pk: str) -> Response:
        """Move a booking to another slot, atomically
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/MoveSchema'
          responses:
            200:
              description: Booking moved
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The new slot is full or the client is busy then
            422:
              $ref: '#/components/responses/422'
        """
        data = _body(MoveSchema())
        booking = move(
            db.session,
            booking_id=_booking_id(pk),
            new_slot_id=data["slot_id"],
            override_cutoff=data["override_cutoff"],
            actor=current_actor(db.session),
        )
        return self._answer(booking)

    @expose("/<pk>/attendance", methods=["POST"])
    @protect()
    @safe
    @permission_name("attendance")
    @refusals_as_json
    def attendance(self, pk: str) -> Response:
        """Mark a started lesson attended or not
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/AttendanceSchema'
          responses:
            200:
              description: Attendance marked
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        data = _body(AttendanceSchema())
        booking = mark_attendance(
            db.session,
            booking_id=_booking_id(pk),
            attended=data["attended"],
            actor=current_actor(db.session),
        )
        return self._answer(booking)
