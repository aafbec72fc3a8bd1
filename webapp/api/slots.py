"""/api/v1/slots: lesson times; staff add them by hand, teachers read their own."""

from __future__ import annotations

import logging

from flask import Response, request
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import Range

from scheduling.availability import MAX_CAPACITY
from scheduling.errors import NotFoundError
from scheduling.manual_slots import check_manual_slot
from scheduling.models import Slot, Subject, Teacher
from webapp.api.base import ApiInterface, SlotbookModelApi, refusals_as_json
from webapp.api.fields import CentreDateTime, id_field
from webapp.api.scope import OWN_ROWS
from webapp.extensions import db
from webapp.roles import COORDINATOR, TEACHER

logger = logging.getLogger(__name__)


class SlotPostSchema(Schema):
    """A slot added by hand; times without an offset are the centre's."""

    teacher_id = id_field(required=True)
    subject_id = id_field(allow_none=True, load_default=None)
    starts_at = CentreDateTime(required=True)
    ends_at = CentreDateTime(required=True)
    capacity = fields.Integer(
        strict=True, load_default=1, validate=Range(1, MAX_CAPACITY)
    )


class SlotApi(SlotbookModelApi):
    """Slots; a teacher's login reads only that teacher's slots."""

    resource_name = "slots"
    datamodel = ApiInterface(Slot)
    include_route_methods = {"get", "get_list", "post"}
    granted_to = {COORDINATOR: None, TEACHER: ["can_get"]}
    base_filters = OWN_ROWS
    list_columns = show_columns = [
        "id",
        "teacher_id",
        "teacher.full_name",
        "subject_id",
        "subject.name",
        "starts_at",
        "ends_at",
        "capacity",
        "booked_count",
        "status",
    ]
    order_columns = ["id", "starts_at", "teacher_id", "status"]
    search_columns = ["teacher", "subject", "starts_at", "status"]
    base_order = ("starts_at", "asc")
    add_model_schema = SlotPostSchema()

    @refusals_as_json
    def post_headless(self) -> Response:
        if not request.is_json:
            return self.response_400()
        try:
            data = self.add_model_schema.load(request.json)
        except ValidationError as err:
            return self.response_422(message=err.messages)
        session = db.session
        if session.get(Teacher, data["teacher_id"]) is None:
            raise NotFoundError("teacher_not_found")
        if data["subject_id"] and session.get(Subject, data["subject_id"]) is None:
            raise NotFoundError("subject_not_found")
        check_manual_slot(
            session,
            teacher_id=data["teacher_id"],
            subject_id=data["subject_id"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data.get("capacity", 1),
        )
        slot = Slot(**data)
        self.datamodel.add(slot)
        logger.info("slot added id=%s teacher=%s source=api", slot.id, slot.teacher_id)
        return self.response(201, id=slot.id, result=self.show_model_schema.dump(slot))
