"""The bot's conversation, independent of Telegram.

`respond(event)` opens a transaction, works out who is writing, routes the
event to its step and returns the `Answer`. Pyrogram handlers and the
simulator both call it. Nothing escapes as a traceback or as silence: a
domain refusal becomes its message in the person's language, anything else
is logged and answered with an apology and the menu.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from bot import callbacks
from bot.conversation import attendance, booking, changes, common, teacher
from bot.conversation.model import Answer, Button, Context, Event, Reply, make_context
from bot.texts import all_languages, lang_of, t
from scheduling.db import session_scope
from scheduling.errors import SchedulingError
from scheduling.models import utcnow
from scheduling.people import find_by_telegram

__all__ = ["Answer", "Button", "Event", "Reply", "handle", "respond"]

logger = logging.getLogger(__name__)

Step = Callable[..., Answer]

COMMANDS: dict[str, Step] = {
    "/start": common.start,
    "/help": common.help_,
    "/book": booking.subjects,
    "/my": booking.my_bookings,
    "/schedule": teacher.schedule,
}

MENU_BUTTONS: list[tuple[str, Step]] = [
    ("menu_book", booking.subjects),
    ("menu_my", booking.my_bookings),
    ("menu_schedule", teacher.schedule),
    ("menu_help", common.help_),
]

CALLBACK_STEPS: dict[str, Step] = {
    "book": booking.subjects,
    "bs": booking.teachers,
    "bt": booking.days,
    "bd": booking.times,
    "bc": booking.confirm,
    "bo": booking.commit,
    "my": booking.my_bookings,
    "mc": changes.cancel_ask,
    "mx": changes.cancel_commit,
    "mm": changes.move_days,
    "md": changes.move_times,
    "mt": changes.move_confirm,
    "mv": changes.move_commit,
    "ph": teacher.poll_toggle,
    "pd": teacher.poll_done,
    "pn": teacher.poll_off,
    "pe": teacher.poll_reopen,
    "pw": teacher.poll_same,
    "al": attendance.lessons,
    "as": attendance.lesson,
    "ay": attendance.came,
    "an": attendance.missed,
    "menu": common.help_,
}


def respond(
    event: Event,
    scope: Callable[[], AbstractContextManager[Session]] = session_scope,
    now: dt.datetime | None = None,
) -> Answer:
    """Handle one event in its own transaction; never raises."""
    try:
        with scope() as session:
            return handle(session, event, now)
    except Exception:  # noqa: BLE001 - the person gets an apology, we get the log
        logger.exception("bot step failed user=%s", event.user_id)
        return _apology(event, scope)


def _apology(
    event: Event, scope: Callable[[], AbstractContextManager[Session]]
) -> Answer:
    """Sorry, with the person's menu if the database still answers."""
    text = t(lang_of(event.language_code), "apology")
    notice = text if event.callback_data is not None else None
    try:
        with scope() as session:
            person = find_by_telegram(session, event.user_id)
            ctx = make_context(session, event, person, utcnow())
            return Answer([common.with_menu(ctx, ctx.t("apology"))], notice=notice)
    except Exception:  # noqa: BLE001 - already failing; a plain apology will do
        logger.warning("bot apology without menu user=%s", event.user_id)
        return Answer([Reply(text)], notice=notice)


def handle(session: Session, event: Event, now: dt.datetime | None = None) -> Answer:
    """Route the event to its step inside `session`'s transaction."""
    person = find_by_telegram(session, event.user_id)
    ctx = make_context(session, event, person, now or utcnow())
    step, args = _route(ctx)
    try:
        # A refused step leaves no half-done writes behind.
        with session.begin_nested():
            return step(ctx, *args)
    except common.NotAllowed as refused:
        logger.info("bot step refused user=%s reason=%s", event.user_id, refused.key)
        return common.back_to_menu(ctx, refused.key)
    except SchedulingError as err:
        logger.info("bot step refused user=%s code=%s", event.user_id, err.code)
        message = err.message(ctx.lang)
        return Answer([common.with_menu(ctx, message)], notice=message)


def _route(ctx: Context) -> tuple[Step, tuple]:
    event = ctx.event
    if event.callback_data is not None:
        try:
            pressed = callbacks.parse(event.callback_data)
        except callbacks.BadCallback as exc:
            logger.warning("bot bad callback user=%s reason=%s", event.user_id, exc)
            return _stale, ()
        return CALLBACK_STEPS[pressed.verb], pressed.args
    if event.contact_phone is not None:
        return common.contact, ()
    text = (event.text or "").strip()
    if text.startswith("/"):
        command = text.split()[0].split("@")[0].lower()
        return COMMANDS.get(command, common.unknown), ()
    for key, step in MENU_BUTTONS:
        if text in all_languages(key):
            return step, ()
    return common.unknown, ()


def _stale(ctx: Context) -> Answer:
    return common.back_to_menu(ctx, "stale_button")
