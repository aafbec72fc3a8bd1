"""A booking's history: who changed it, when, from where and what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from scheduling.labels import BOOKING_ACTION, BOOKING_SOURCE, BOOKING_STATUS, label
from scheduling.models import BookingEvent
from webapp.i18n import current_lang
from webapp.localtime import format_local
from webapp.views.base import READ, EagerInterface, SlotbookModelView

# Detail keys shown as a booking status word rather than a raw code.
STATUS_KEYS = {"status", "was"}
# What each recorded detail (scheduling.booking.record_event) means, in words;
# the order in which they are listed.
DETAIL_LABELS = {
    "slot_id": _l("Slot no."),
    "from_starts_at": _l("Was at"),
    "from_slot_id": _l("Was in slot no."),
    "to_starts_at": _l("Moved to"),
    "to_slot_id": _l("Now in slot no."),
    "was": _l("Was marked"),
    "status": _l("Marked"),
    "late": _l("After the cancellation cutoff"),
    "override": _l("Cutoff overridden by staff"),
    "reason": _l("Reason"),
}
ORDER = {key: n for n, key in enumerate(DETAIL_LABELS)}
# Recorded for the rules, already shown in the "who" column.
NOT_SHOWN = {"by"}


def details_text(details: dict[str, Any]) -> Markup:
    """The recorded details as short `what: value` lines, in words."""
    lang = current_lang()
    lines = []
    items = sorted(
        (details or {}).items(), key=lambda kv: (ORDER.get(kv[0], 99), kv[0])
    )
    for key, value in items:
        if value is None or value == "" or key in NOT_SHOWN:
            continue
        if key in STATUS_KEYS:
            value = label(BOOKING_STATUS, value, lang)
        elif isinstance(value, bool):
            value = _l("yes") if value else _l("no")
        elif isinstance(value, str) and key.endswith("starts_at"):
            value = format_local(dt.datetime.fromisoformat(value))
        lines.append(f"{escape(DETAIL_LABELS.get(key, key))}: {escape(value)}")
    return Markup("<br>".join(lines))


class BookingEventView(SlotbookModelView):
    """Read-only history, shown under each booking (coordinators and admins)."""

    route_base = "/booking-history"
    datamodel = EagerInterface(BookingEvent)
    granted_to = {"Coordinator": READ}
    base_permissions = list(READ)
    list_title = show_title = _l("Booking history")
    label_columns = {
        "created_at": _l("When"),
        "action": _l("Change"),
        "actor": _l("Who"),
        "source": _l("Source"),
        "details": _l("Details"),
        "booking": _l("Booking"),
    }
    list_columns = ["created_at", "action", "actor", "source", "details"]
    show_columns = ["booking", "created_at", "action", "actor", "source", "details"]
    base_order = ("created_at", "asc")
    formatters_columns = {
        "created_at": format_local,
        "action": lambda code: label(BOOKING_ACTION, code, current_lang()),
        "source": lambda code: label(BOOKING_SOURCE, code, current_lang()),
        "details": details_text,
    }
