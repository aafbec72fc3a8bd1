"""Error pages in the person's language, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    TooManyRequests,
)

from webapp.api.responses import json_error
from webapp.extensions import db

logger = logging.getLogger(__name__)


def _page(title: str, text: str, status: int) -> ResponseReturnValue:
    return (
        render_template("slotbook/error.html", title=title, text=text),
        status,
    )


def register_error_pages(app: Flask) -> None:
    """Show a stale form, a refusal, a missing page and a fault as plain pages."""

    @app.errorhandler(CSRFError)
    def stale_form(error: CSRFError) -> ResponseReturnValue:
        logger.info("form refused: %s", error.description)
        return _page(
            _("The form has expired"),
            _("Reload the page and send the form again."),
            400,
        )

    @app.errorhandler(BadRequest)
    def bad_request(error: BadRequest) -> ResponseReturnValue:
        # Our own refusals (abort(400, text)) carry a translated description;
        # werkzeug's default one is English and stays out of sight.
        ours = error.description if error.description != BadRequest.description else ""
        return _page(
            _("The request cannot be handled"),
            ours or _("Check the address or go back to the start page."),
            400,
        )

    @app.errorhandler(MethodNotAllowed)
    def method_not_allowed(error: HTTPException) -> ResponseReturnValue:
        return _page(
            _("The request cannot be handled"),
            _("This address does not accept this kind of request."),
            405,
        )

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def value_out_of_range(error: Exception) -> ResponseReturnValue:
        # A number beyond the column's range (an id of 2^40 in the address), a
        # NUL character, a date PostgreSQL cannot hold: bad input, not a fault.
        db.session.rollback()
        logger.info("request refused, value out of range: %s", type(error).__name__)
        reason = _(
            "A number, date or text in the request is out of range "
            "or has forbidden characters."
        )
        if request.path.startswith("/api/"):
            return json_error(400, reason)
        return _page(_("The request cannot be handled"), reason, 400)

    @app.errorhandler(RecursionError)
    def nested_too_deeply(error: RecursionError) -> ResponseReturnValue:
        # A query (`?q=` in rison) or JSON body of thousands of nested brackets
        # exhausts the parser's recursion: bad input, not a fault.
        db.session.rollback()
        logger.info("request refused, nested too deeply")
        reason = _("The request has too many nested brackets.")
        if request.path.startswith("/api/"):
            return json_error(400, reason)
        return _page(_("The request cannot be handled"), reason, 400)

    @app.errorhandler(TooManyRequests)
    def too_many_requests(error: HTTPException) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            return json_error(429)
        return _page(
            _("Too many attempts"),
            _("Too many attempts. Wait a minute and try again."),
            429,
        )

    @app.errorhandler(Forbidden)
    def forbidden(error: HTTPException) -> ResponseReturnValue:
        return _page(
            _("No access"),
            _("Your role does not allow opening this page."),
            403,
        )

    @app.errorhandler(NotFound)
    def not_found(error: HTTPException) -> ResponseReturnValue:
        return _page(
            _("Page not found"),
            _("Check the address or go back to the start page."),
            404,
        )

    @app.errorhandler(InternalServerError)
    def server_error(error: HTTPException) -> ResponseReturnValue:
        logger.error("server error: %s", getattr(error, "original_exception", error))
        return _page(
            _("Something went wrong"),
            _("The error has been logged. Try again or go back to the start page."),
            500,
        )
