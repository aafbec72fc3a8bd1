"""JSON error answers of the REST API, in the request's language (Russian first)."""

from __future__ import annotations

import logging

from flask import Response, has_request_context, jsonify, make_response, request

from scheduling.errors import InvalidSettingError, SchedulingError
from webapp.i18n import current_lang

logger = logging.getLogger(__name__)

# status -> (Russian, English) for refusals that come from HTTP, not the domain.
STATUS_MESSAGES: dict[int, tuple[str, str]] = {
    400: (
        "Неверный запрос: проверьте параметры и тело запроса.",
        "Bad request: check the parameters and the body.",
    ),
    401: (
        "Нужно войти: POST /api/v1/auth/login.",
        "Please log in: POST /api/v1/auth/login.",
    ),
    403: (
        "Ваша роль не разрешает это действие.",
        "Your role does not allow this action.",
    ),
    404: ("Не найдено.", "Not found."),
    405: (
        "Этот метод не поддерживается по этому адресу.",
        "This method is not supported at this address.",
    ),
    409: (
        "Изменение противоречит уже существующим данным.",
        "The change conflicts with existing data.",
    ),
    415: ("Тело запроса должно быть в JSON.", "The request body must be JSON."),
    422: (
        "Данные не прошли проверку.",
        "The data did not pass validation.",
    ),
    429: (
        "Слишком много попыток. Подождите минуту и попробуйте снова.",
        "Too many attempts. Wait a minute and try again.",
    ),
}


def api_lang() -> str:
    """'en' or 'ru': the Accept-Language header's choice, else the panel's."""
    if has_request_context() and request.accept_languages:
        best = request.accept_languages.best_match(("ru", "en"))
        if best:
            return best
    return current_lang()


def text(ru: str, en: str) -> str:
    """The Russian or English text, by the request's language."""
    return en if api_lang() == "en" else ru


def status_message(status: int) -> str:
    """The standard message for an HTTP refusal with `status`."""
    ru, en = STATUS_MESSAGES.get(status, STATUS_MESSAGES[400])
    return text(ru, en)


def json_error(status: int, message: str | None = None, **extra: object) -> Response:
    """`{"message": ...}` with `status`; the standard message when none is given."""
    body = {"message": message or status_message(status), **extra}
    return make_response(jsonify(body), status)


def domain_error(error: SchedulingError) -> Response:
    """A domain refusal as JSON with its own status and message."""
    logger.info("api request refused code=%s status=%s", error.code, error.http_status)
    extra: dict[str, object] = {"code": error.code}
    if isinstance(error, InvalidSettingError):
        extra["field"] = error.key
    return json_error(error.http_status, error.message(api_lang()), **extra)
