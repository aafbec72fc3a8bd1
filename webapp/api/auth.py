"""/api/v1/auth: log in with a JWT in an httpOnly cookie, log out by clearing it.

The cookie is SameSite and httpOnly; flask-jwt-extended also sets a readable
`csrf_access_token` cookie whose value every write must send back in the
`X-CSRF-TOKEN` header (double submit). Both endpoints are rate-limited.
"""

from __future__ import annotations

import logging

from flask import Response, request
from flask_appbuilder.api import expose, safe
from flask_jwt_extended import (
    create_access_token,
    get_csrf_token,
    set_access_cookies,
    unset_jwt_cookies,
)
from marshmallow import Schema, ValidationError

from webapp.api.base import SlotbookBaseApi
from webapp.api.fields import text_field
from webapp.api.responses import json_error, text

logger = logging.getLogger(__name__)


class LoginSchema(Schema):
    username = text_field(256, required=True)
    password = text_field(256, required=True)


class AuthApi(SlotbookBaseApi):
    """Cookie login and logout for the API."""

    resource_name = "auth"
    openapi_spec_component_schemas = (LoginSchema,)

    @expose("/login", methods=["POST"])
    @safe
    def login(self) -> Response:
        """Log in: sets the JWT cookie and returns the CSRF token for writes
        ---
        post:
          security: []
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/LoginSchema'
          responses:
            200:
              description: Logged in; send csrf_token as X-CSRF-TOKEN on writes
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400()
        try:
            data = LoginSchema().load(body)
        except ValidationError as err:
            return self.response_422(message=err.messages)
        user = self.appbuilder.sm.auth_user_db(data["username"], data["password"])
        if not user:
            logger.info("api login refused")
            return json_error(
                401,
                text("Неверный логин или пароль.", "Wrong username or password."),
            )
        token = create_access_token(identity=str(user.id), fresh=True)
        response = self.response(
            200,
            message=text("Вы вошли.", "You are logged in."),
            csrf_token=get_csrf_token(token),
        )
        set_access_cookies(response, token)
        logger.info("api login user=%s", user.id)
        return response

    @expose("/logout", methods=["POST"])
    @safe
    def logout(self) -> Response:
        """Log out: clears the JWT cookies
        ---
        post:
          security: []
          responses:
            200:
              description: Logged out
        """
        response = self.response(200, message=text("Вы вышли.", "You are logged out."))
        unset_jwt_cookies(response)
        return response
