"""Outbox rows (kind + payload) turned into messages in the recipient's language.

Rows say what happened, not what to write: the text is made here, when the
message is sent, in the language the recipient has at that moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import callbacks
from bot.conversation.attendance import attendance_view
from bot.conversation.model import Button, Reply
from bot.conversation.teacher import poll_view
from bot.formats import in_time_label, when_label
from bot.texts import lang_of, t
from scheduling.agenda import active_bookings
from scheduling.attendance_requests import ATTENDANCE_REQUEST, lesson_for_teacher
from scheduling.models import (
    BOOKED,
    POLL_EXPIRED,
    POLL_PENDING,
    Booking,
    BookingEvent,
    Client,
    Poll,
    Slot,
    Teacher,
)
from scheduling.people import client_zone
from scheduling.poll_followups import POLL_NUDGE
from scheduling.settings import CentreSettings, get_settings

logger = logging.getLogger(__name__)


class Skip(Exception):
    """The message should not be sent any more (its booking or poll is gone)."""


class Unrenderable(Exception):
    """An unknown kind, or a payload without the fields its kind needs."""


@dataclass(frozen=True)
class Outgoing:
    """What the sender knows of an outbox row once it has been claimed."""

    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]


def recipient_language(session: Session, chat_id: int, role: str | None) -> str:
    """The stored language of the teacher or client behind a chat."""
    models = {"teacher": (Teacher,), "client": (Client,)}.get(role, (Teacher, Client))
    for model in models:
        lang = session.scalar(
            select(model.language).where(model.telegram_user_id == chat_id)
        )
        if lang:
            return lang_of(lang)
    return "ru"


def render(session: Session, message: Outgoing) -> Reply:
    """The message for an outbox row.

    :raise Skip: the row no longer makes sense.
    :raise Unrenderable: an unknown kind or a malformed payload.
    """
    settings = get_settings(session)
    try:
        if message.kind == "poll":
            return _poll(session, message, settings)
        if message.kind == "reminder":
            return _reminder(session, message, settings)
        if message.kind == POLL_NUDGE:
            return _poll_nudge(session, message, settings)
        if message.kind == ATTENDANCE_REQUEST:
            return _attendance(session, message, settings)
        if message.kind == "broadcast":
            return Reply(str(message.payload["text"]))
        kind, role = message.kind.rsplit("_", 1)
        if role not in ("client", "teacher"):
            raise KeyError(role)
        return BOOKING_NOTES[kind](session, message, role, settings)
    except (KeyError, ValueError, TypeError) as exc:
        raise Unrenderable(f"{message.kind}: {exc!r}") from exc


def _poll(session: Session, message: Outgoing, settings: CentreSettings) -> Reply:
    poll = session.get(Poll, int(message.payload["poll_id"]))
    if poll is None or poll.status == POLL_EXPIRED:
        raise Skip("poll closed")
    lang = lang_of(poll.teacher.language)
    return poll_view(poll, lang, settings)


def _poll_nudge(session: Session, message: Outgoing, settings: CentreSettings) -> Reply:
    poll = session.get(Poll, int(message.payload["poll_id"]))
    if poll is None or poll.status != POLL_PENDING:
        raise Skip("poll answered or closed")
    lang = lang_of(poll.teacher.language)
    view = poll_view(poll, lang, settings)
    text = t(lang, "poll_nudge") + "\n\n" + view.text
    return Reply(text, view.buttons)


def _attendance(session: Session, message: Outgoing, settings: CentreSettings) -> Reply:
    slot = session.get(Slot, int(message.payload["slot_id"]))
    if slot is None:
        raise Skip("slot gone")
    slot = lesson_for_teacher(session, slot.id, slot.teacher_id)
    if not active_bookings(slot):
        raise Skip("nobody to mark")
    return attendance_view(slot, lang_of(slot.teacher.language), settings.tz)


def _booking(session: Session, message: Outgoing) -> Booking:
    booking = session.get(Booking, int(message.payload["booking_id"]))
    if booking is None:
        raise Skip("booking gone")
    return booking


def _zone(booking: Booking, role: str, settings: CentreSettings) -> ZoneInfo:
    """Clients read times in their own zone, teachers in the centre's."""
    return client_zone(booking.client, settings) if role == "client" else settings.tz


def _fields(booking: Booking, lang: str, tz: ZoneInfo) -> dict[str, str]:
    return {
        "subject": booking.subject.name if booking.subject else t(lang, "no_subject"),
        "teacher": booking.slot.teacher.full_name,
        "client": booking.client.full_name,
        "when": when_label(lang, booking.starts_at, tz),
    }


def _reminder(session: Session, message: Outgoing, settings: CentreSettings) -> Reply:
    booking = _booking(session, message)
    if booking.status != BOOKED:
        raise Skip("booking not active")
    lang = recipient_language(session, message.chat_id, "client")
    left = in_time_label(lang, int(message.payload["minutes_before"]))
    fields = _fields(booking, lang, _zone(booking, "client", settings))
    text = t(lang, "note_reminder", left=left, **fields)
    my = (Button(t(lang, "menu_my"), callbacks.make("my")),)
    return Reply(text, (my,))


# Which time of a move a note names: where it went, or where it left from.
MOVE_MOMENTS = {
    "moved": "to_starts_at",
    "moved_in": "to_starts_at",
    "moved_away": "from_starts_at",
}


def _note(key: str) -> Callable[[Session, Outgoing, str, CentreSettings], Reply]:
    """A renderer for one booking change told to the client or the teacher."""

    def note(
        session: Session, message: Outgoing, role: str, settings: CentreSettings
    ) -> Reply:
        booking = _booking(session, message)
        lang = recipient_language(session, message.chat_id, role)
        tz = _zone(booking, role, settings)
        fields = _fields(booking, lang, tz)
        event_id = message.payload.get("event_id")
        moment = MOVE_MOMENTS.get(key)
        if event_id is not None and moment:
            # The time the move was from or to, even if it moved again since.
            event = session.get(BookingEvent, int(event_id))
            if event is not None and moment in event.details:
                at = dt.datetime.fromisoformat(event.details[moment])
                fields["when"] = when_label(lang, at, tz)
        text = t(lang, f"note_{key}_{role}", **fields)
        buttons: tuple[tuple[Button, ...], ...] = ()
        if role == "client" and key != "cancelled":
            buttons = ((Button(t(lang, "menu_my"), callbacks.make("my")),),)
        return Reply(text, buttons)

    return note


BOOKING_NOTES = {
    "booking_created": _note("created"),
    "booking_cancelled": _note("cancelled"),
    "booking_moved": _note("moved"),
    # A move to another teacher: told to the new and to the old teacher.
    "booking_moved_in": _note("moved_in"),
    "booking_moved_away": _note("moved_away"),
}
