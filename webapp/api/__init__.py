"""Slotbook's REST API under /api/v1 (OpenAPI document at /api/v1/_openapi).

Resources: auth (cookie login/logout), slots, bookings, teachers, clients,
subjects and admin/settings; /reports/* lives in `webapp.api.reports`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, request
from flask_appbuilder import AppBuilder
from flask_jwt_extended.exceptions import CSRFError
from werkzeug.exceptions import MethodNotAllowed, NotFound

from webapp.api.auth import AuthApi
from webapp.api.bookings import BookingApi
from webapp.api.directory import ClientApi, SubjectApi, TeacherApi
from webapp.api.responses import json_error, text
from webapp.api.settings import SettingsApi
from webapp.api.slots import SlotApi
from webapp.security import share_login_limit

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RESOURCES = (AuthApi, SlotApi, BookingApi, TeacherApi, ClientApi, SubjectApi)


def register_api(appbuilder: AppBuilder) -> None:
    """Add the API resources, their rate limits and JSON refusals to the app."""
    for api in (*RESOURCES, SettingsApi):
        appbuilder.add_api(api)
    _limit_auth(appbuilder)
    _json_auth_refusals(appbuilder)
    _json_routing_refusals(current_app._get_current_object())


def _limit_auth(appbuilder: AppBuilder) -> None:
    """Rate-limit the cookie login and logout together with the panel's form."""
    auth = [
        view.blueprint for view in appbuilder.baseviews if isinstance(view, AuthApi)
    ]
    share_login_limit(appbuilder, *auth)


def _json_auth_refusals(appbuilder: AppBuilder) -> None:
    """A missing, bad or expired token is 401 and a missing CSRF token 403, in JSON."""
    jwt = appbuilder.sm.jwt_manager

    def unauthorized(*_: Any) -> Response:
        return json_error(401)

    jwt.unauthorized_loader(unauthorized)
    jwt.invalid_token_loader(unauthorized)
    jwt.expired_token_loader(unauthorized)
    jwt.revoked_token_loader(unauthorized)
    jwt.needs_fresh_token_loader(unauthorized)
    jwt.user_lookup_error_loader(unauthorized)

    @current_app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> Response:
        logger.info("api write refused: %s", error)
        return json_error(
            403,
            text(
                "Нет CSRF-токена: отправьте значение cookie csrf_access_token "
                "в заголовке X-CSRF-TOKEN.",
                "CSRF token missing: send the csrf_access_token cookie's value "
                "in the X-CSRF-TOKEN header.",
            ),
        )


def _json_routing_refusals(app: Flask) -> None:
    """Unknown API addresses and methods answer JSON; pages keep their HTML."""
    for error_class, status in ((NotFound, 404), (MethodNotAllowed, 405)):
        page_handler = app.error_handler_spec[None].get(status, {}).get(error_class)
        app.register_error_handler(error_class, _json_for_api(status, page_handler))


def _json_for_api(status: int, page_handler: Any) -> Any:
    def handle(error: Exception) -> Any:
        if request.path.startswith(API_PREFIX):
            return json_error(status)
        return page_handler(error) if page_handler is not None else error

    return handle
