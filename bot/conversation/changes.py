"""The client's changes from /my: cancelling and moving a booking.

Both are refused after the cancellation cutoff with the reason and the
centre's contact. A move keeps the booking's subject and teacher: the client
picks a new day, then a new free time, confirms, and
`scheduling.booking.move` does the rest.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot import callbacks
from bot.conversation.common import client_actor
from bot.conversation.model import Answer, Button, Context, Reply, rows
from bot.formats import day_label, time_label, when_label, zone_label
from scheduling import catalog
from scheduling.booking import cancel, check_change_allowed, get_booking_for, move
from scheduling.errors import (
    CancelTooLateError,
    NotFoundError,
    RuleError,
    SchedulingError,
)
from scheduling.models import BOOKED, Booking, Slot

logger = logging.getLogger(__name__)

MAX_DAYS = 31


def _own_active(ctx: Context, booking_id: int) -> Booking:
    booking = get_booking_for(ctx.session, booking_id, client_actor(ctx))
    if booking.status != BOOKED:
        raise RuleError("booking_not_active")
    return booking


def _fields(ctx: Context, booking: Booking) -> dict[str, str]:
    return {
        "subject": booking.subject.name if booking.subject else ctx.t("no_subject"),
        "teacher": booking.slot.teacher.full_name,
        "when": when_label(ctx.lang, booking.starts_at, ctx.tz),
    }


def _to_my(ctx: Context) -> tuple[Button, ...]:
    return (Button(ctx.t("menu_my"), callbacks.make("my")),)


def too_late(ctx: Context, err: CancelTooLateError) -> Answer:
    """The cutoff has passed: say why, and how to reach the centre instead."""
    text = err.message(ctx.lang)
    contact = ctx.settings.centre_contact
    if contact:
        text += "\n" + ctx.t("centre_contact", contact=contact)
    return Answer(
        [Reply(text, (_to_my(ctx),), edit=True)], notice=err.message(ctx.lang)
    )


def move_days(ctx: Context, booking_id: int) -> Answer:
    """Moving starts: the days on which the same teacher has a free time."""
    actor = client_actor(ctx)
    booking = _own_active(ctx, booking_id)
    try:
        check_change_allowed(ctx.session, booking, actor, ctx.now, moving=True)
    except CancelTooLateError as err:
        logger.info("bot move refused booking=%s reason=cutoff", booking.id)
        return too_late(ctx, err)
    logger.info("bot move start booking=%s client=%s", booking.id, actor.id)
    found = catalog.days_with_free_slots(
        ctx.session, actor.id, booking.subject_id, booking.slot.teacher_id, ctx.now
    )
    fields = _fields(ctx, booking)
    if not found:
        return Answer([Reply(ctx.t("move_none", **fields), (_to_my(ctx),), edit=True)])
    buttons = [
        Button(day_label(ctx.lang, d), callbacks.make("md", booking.id, d))
        for d in found[:MAX_DAYS]
    ]
    text = ctx.t("move_pick_day", **fields)
    return Answer([Reply(text, (*rows(buttons, 2), _to_my(ctx)), edit=True)])


def move_times(ctx: Context, booking_id: int, day: dt.date) -> Answer:
    """A day is chosen: the teacher's free times on it."""
    actor = client_actor(ctx)
    booking = _own_active(ctx, booking_id)
    found = catalog.free_slots_on_day(
        ctx.session,
        actor.id,
        booking.subject_id,
        day,
        booking.slot.teacher_id,
        ctx.now,
    )
    back = (Button(ctx.t("back"), callbacks.make("mm", booking.id)),)
    if not found:
        return Answer([Reply(ctx.t("nothing_that_day"), (back,), edit=True)])
    buttons = [
        Button(time_label(s.starts_at, ctx.tz), callbacks.make("mt", booking.id, s.id))
        for s in found
    ]
    text = ctx.t(
        "move_pick_time",
        day=day_label(ctx.lang, day),
        zone_note=ctx.t("zone_note", zone=zone_label(ctx.lang, ctx.tz)),
        **_fields(ctx, booking),
    )
    return Answer([Reply(text, (*rows(buttons, 3), back), edit=True)])


def move_confirm(ctx: Context, booking_id: int, slot_id: int) -> Answer:
    """A new time is chosen: show old and new, ask to confirm."""
    booking = _own_active(ctx, booking_id)
    slot = ctx.session.get(Slot, slot_id)
    if slot is None or slot.teacher_id != booking.slot.teacher_id:
        raise NotFoundError("slot_not_found")
    logger.info("bot move time booking=%s slot=%s", booking.id, slot.id)
    day = slot.starts_at.astimezone(ctx.tz).date()
    text = ctx.t(
        "move_confirm",
        new=when_label(ctx.lang, slot.starts_at, ctx.tz),
        **_fields(ctx, booking),
    )
    buttons = (
        (Button(ctx.t("move_yes"), callbacks.make("mv", booking.id, slot.id)),),
        (Button(ctx.t("back"), callbacks.make("md", booking.id, day)),),
    )
    return Answer([Reply(text, buttons, edit=True)])


def move_commit(ctx: Context, booking_id: int, slot_id: int) -> Answer:
    """Confirmed: move it. A double tap finds it moved already and says so again."""
    actor = client_actor(ctx)
    booking = _own_active(ctx, booking_id)
    slot = ctx.session.get(Slot, slot_id)
    # Only the same teacher's times are offered; forged data gets no further.
    if slot is None or slot.teacher_id != booking.slot.teacher_id:
        raise NotFoundError("slot_not_found")
    try:
        with ctx.session.begin_nested():
            booking = move(
                ctx.session,
                booking_id=booking_id,
                new_slot_id=slot_id,
                actor=actor,
                now=ctx.now,
            )
    except CancelTooLateError as err:
        return too_late(ctx, err)
    except SchedulingError as err:
        logger.info(
            "bot move refused booking=%s slot=%s code=%s", booking_id, slot_id, err.code
        )
        error = err.message(ctx.lang)
        again = (Button(ctx.t("move_other"), callbacks.make("mm", booking_id)),)
        return Answer(
            [Reply(error, (again, _to_my(ctx)), edit=True)],
            notice=error,
        )
    logger.info("bot moved booking=%s slot=%s client=%s", booking.id, slot_id, actor.id)
    text = ctx.t("moved", **_fields(ctx, booking))
    return Answer(
        [Reply(text, (_to_my(ctx),), edit=True)], notice=ctx.t("moved_notice")
    )


def cancel_ask(ctx: Context, booking_id: int) -> Answer:
    """Ask before cancelling: a cancel is not undone by a stray tap."""
    actor = client_actor(ctx)
    booking = _own_active(ctx, booking_id)
    try:
        check_change_allowed(ctx.session, booking, actor, ctx.now)
    except CancelTooLateError as err:
        logger.info("bot cancel refused booking=%s reason=cutoff", booking.id)
        return too_late(ctx, err)
    logger.info("bot cancel asked booking=%s", booking.id)
    buttons = (
        (Button(ctx.t("cancel_yes"), callbacks.make("mx", booking.id)),),
        (Button(ctx.t("cancel_no"), callbacks.make("my")),),
    )
    text = ctx.t("cancel_ask", **_fields(ctx, booking))
    return Answer([Reply(text, buttons, edit=True)])


def cancel_commit(ctx: Context, booking_id: int) -> Answer:
    """Cancel the booking through the domain rule (cutoff, ownership)."""
    actor = client_actor(ctx)
    try:
        with ctx.session.begin_nested():
            booking = cancel(
                ctx.session, booking_id=booking_id, actor=actor, now=ctx.now
            )
    except CancelTooLateError as err:
        logger.info("bot cancel refused booking=%s reason=cutoff", booking_id)
        return too_late(ctx, err)
    logger.info("bot cancelled booking=%s client=%s", booking.id, actor.id)
    text = ctx.t("cancelled", **_fields(ctx, booking))
    buttons = ((Button(ctx.t("menu_my"), callbacks.make("my")),),)
    return Answer([Reply(text, buttons, edit=True)])
