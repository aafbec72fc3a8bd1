"""/api/v1/admin/settings: the centre's settings; staff read, only Admin changes."""

from __future__ import annotations

import logging

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.security.decorators import permission_name

from scheduling.settings import get_settings, update_settings
from webapp.api.base import ApiError, SlotbookBaseApi, refusals_as_json
from webapp.extensions import db
from webapp.roles import COORDINATOR

logger = logging.getLogger(__name__)


class SettingsApi(SlotbookBaseApi):
    """Read and change the centre's settings (times are the centre's local ones)."""

    route_base = "/api/v1/admin/settings"
    resource_name = "admin/settings"
    granted_to = {COORDINATOR: ["can_get"]}

    @expose("", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def get(self) -> Response:
        """The settings in force
        ---
        get:
          responses:
            200:
              description: The centre's settings
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
        """
        return self.response(200, result=get_settings(db.session).as_json())

    @expose("", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    @refusals_as_json
    def put(self) -> Response:
        """Change some settings; keys left out keep their values
        ---
        put:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    slot_duration_min: {type: integer}
                    breaks:
                      type: array
                      items: {type: array, items: {type: string}}
                    reminder_minutes_before:
                      type: array
                      items: {type: integer}
                    poll_time: {type: string, example: "18:00"}
                    poll_days_ahead: {type: integer}
                    booking_min_notice_min: {type: integer}
                    booking_horizon_days: {type: integer}
                    cancel_cutoff_min: {type: integer}
                    timezone: {type: string, example: Europe/Moscow}
          responses:
            200:
              description: The settings now in force
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            422:
              $ref: '#/components/responses/422'
        """
        values = request.get_json(silent=True)
        if not isinstance(values, dict):
            raise ApiError(400)
        settings = update_settings(db.session, values)
        db.session.commit()
        logger.info("settings changed keys=%s source=api", ",".join(sorted(values)))
        return self.response(200, result=settings.as_json())
