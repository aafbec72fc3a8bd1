"""Words for stored codes (statuses, sources), in Russian and English.

The web panel, the exports and the bot show a booking's status the same way.
"""

from __future__ import annotations

from scheduling.models import (
    ATTENDED,
    BOOKED,
    CANCELLED,
    NO_SHOW,
    SLOT_CLOSED,
    SLOT_OPEN,
)

# code -> (Russian, English)
BOOKING_STATUS: dict[str, tuple[str, str]] = {
    BOOKED: ("записан", "booked"),
    ATTENDED: ("пришёл", "attended"),
    NO_SHOW: ("не пришёл", "no-show"),
    CANCELLED: ("отменена", "cancelled"),
}

SLOT_STATUS: dict[str, tuple[str, str]] = {
    SLOT_OPEN: ("открыт", "open"),
    SLOT_CLOSED: ("закрыт", "closed"),
}

BOOKING_SOURCE: dict[str, tuple[str, str]] = {
    "web": ("веб-панель", "web panel"),
    "bot": ("Telegram", "Telegram"),
    "api": ("API", "API"),
    "demo": ("демо", "demo"),
    "system": ("система", "system"),
}

BOOKING_ACTION: dict[str, tuple[str, str]] = {
    "created": ("запись создана", "booked"),
    "cancelled": ("запись отменена", "cancelled"),
    "moved": ("перенесена", "moved"),
    "attendance": ("отмечено посещение", "attendance marked"),
}

LANGUAGE: dict[str, tuple[str, str]] = {
    "ru": ("русский", "Russian"),
    "en": ("английский", "English"),
}


def label(words: dict[str, tuple[str, str]], code: str | None, lang: str = "ru") -> str:
    """The word for `code` in `lang` (Russian unless 'en'); unknown codes as is."""
    if code is None:
        return ""
    ru, en = words.get(code, (code, code))
    return en if (lang or "").startswith("en") else ru
