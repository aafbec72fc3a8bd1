"""The language of the current request, for messages built outside templates."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale


def current_lang() -> str:
    """'en' when the person chose English, else 'ru' (the centre's default)."""
    if not has_request_context():
        return "ru"
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "ru"
