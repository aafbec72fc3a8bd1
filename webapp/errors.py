"""Error pages in the person's language, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
)

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
