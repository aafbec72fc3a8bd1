"""The client's steps: subject -> teacher -> day -> time -> confirm, and /my.

Each screen replaces the previous one in the same message; the choices made
so far travel in the buttons' data (see `bot.callbacks`).
"""

from __future__ import annotations

import datetime as dt
import logging

from bot import callbacks
from bot.conversation.common import client_actor, require_client
from bot.conversation.model import Answer, Button, Context, Reply, rows
from bot.formats import day_label, time_label, when_label, zone_label
from scheduling import catalog
from scheduling.agenda import upcoming_bookings
from scheduling.booking import book, past_cutoff
from scheduling.errors import (
    NotFoundError,
    SchedulingError,
    SlotTakenError,
    duration_label,
)
from scheduling.models import Booking, Slot, Subject, Teacher

logger = logging.getLogger(__name__)

# Telegram shows about 100 inline buttons at most; a long horizon is cut here.
MAX_DAYS = 31


def _subject(ctx: Context, subject_id: int) -> Subject:
    subject = ctx.session.get(Subject, subject_id)
    if subject is None:
        raise NotFoundError("subject_not_found")
    return subject


def _teacher_name(ctx: Context, teacher_id: int) -> str:
    if teacher_id == 0:
        return ctx.t("any_teacher")
    teacher = ctx.session.get(Teacher, teacher_id)
    if teacher is None:
        raise NotFoundError("teacher_not_found")
    return teacher.full_name


def _zone_note(ctx: Context) -> str:
    return ctx.t("zone_note", zone=zone_label(ctx.lang, ctx.tz))


def _back(ctx: Context, data: str) -> tuple[Button, ...]:
    return (Button(ctx.t("back"), data),)


def subjects(ctx: Context) -> Answer:
    """Start booking: the subjects with free time."""
    client = require_client(ctx)
    logger.info("bot book start client=%s", client.id)
    found = catalog.subjects_with_free_slots(ctx.session, client.id, ctx.now)
    if not found:
        return Answer([Reply(ctx.t("no_free_time"), edit=ctx.is_callback)])
    buttons = [Button(s.name, callbacks.make("bs", s.id)) for s in found]
    text = ctx.t("pick_subject")
    return Answer([Reply(text, rows(buttons, 2), edit=ctx.is_callback)])


def teachers(ctx: Context, subject_id: int) -> Answer:
    """The subject is chosen: its teachers with free time, or "any"."""
    client = require_client(ctx)
    subject = _subject(ctx, subject_id)
    logger.info("bot book subject client=%s subject=%s", client.id, subject.id)
    found = catalog.teachers_with_free_slots(
        ctx.session, client.id, subject.id, ctx.now
    )
    back = _back(ctx, callbacks.make("book"))
    if not found:
        return Answer([Reply(ctx.t("no_free_time"), (back,), edit=True)])
    buttons = [
        Button(x.full_name, callbacks.make("bt", subject.id, x.id)) for x in found
    ]
    if len(found) > 1:
        buttons.insert(
            0, Button(ctx.t("any_teacher"), callbacks.make("bt", subject.id, 0))
        )
    text = ctx.t("pick_teacher", subject=subject.name)
    return Answer([Reply(text, (*rows(buttons, 1), back), edit=True)])


def days(ctx: Context, subject_id: int, teacher_id: int) -> Answer:
    """The teacher is chosen: the days with free time."""
    client = require_client(ctx)
    subject = _subject(ctx, subject_id)
    teacher = _teacher_name(ctx, teacher_id)
    logger.info(
        "bot book teacher client=%s subject=%s teacher=%s",
        client.id,
        subject_id,
        teacher_id,
    )
    found = catalog.days_with_free_slots(
        ctx.session, client.id, subject_id, teacher_id or None, ctx.now
    )
    back = _back(ctx, callbacks.make("bs", subject_id))
    if not found:
        return Answer([Reply(ctx.t("no_free_time"), (back,), edit=True)])
    buttons = [
        Button(day_label(ctx.lang, d), callbacks.make("bd", subject_id, teacher_id, d))
        for d in found[:MAX_DAYS]
    ]
    text = ctx.t("pick_day", subject=subject.name, teacher=teacher)
    return Answer([Reply(text, (*rows(buttons, 2), back), edit=True)])


def _slot_button(
    ctx: Context, slot: Slot, subject_id: int, teacher_id: int, with_day: bool
) -> Button:
    label = time_label(slot.starts_at, ctx.tz)
    if with_day:
        label = (
            f"{day_label(ctx.lang, slot.starts_at.astimezone(ctx.tz).date())}, {label}"
        )
    if teacher_id == 0:
        label = f"{label} · {slot.teacher.full_name}"
    return Button(label, callbacks.make("bc", slot.id, subject_id, teacher_id))


def times(ctx: Context, subject_id: int, teacher_id: int, day: dt.date) -> Answer:
    """The day is chosen: the free times on it."""
    client = require_client(ctx)
    subject = _subject(ctx, subject_id)
    teacher = _teacher_name(ctx, teacher_id)
    logger.info("bot book day client=%s subject=%s day=%s", client.id, subject_id, day)
    found = catalog.free_slots_on_day(
        ctx.session, client.id, subject_id, day, teacher_id or None, ctx.now
    )
    back = _back(ctx, callbacks.make("bt", subject_id, teacher_id))
    if not found:
        return Answer([Reply(ctx.t("nothing_that_day"), (back,), edit=True)])
    buttons = [_slot_button(ctx, s, subject_id, teacher_id, False) for s in found]
    text = ctx.t(
        "pick_time",
        subject=subject.name,
        teacher=teacher,
        day=day_label(ctx.lang, day),
        zone_note=_zone_note(ctx),
    )
    per_row = 1 if teacher_id == 0 else 3
    return Answer([Reply(text, (*rows(buttons, per_row), back), edit=True)])


def confirm(ctx: Context, slot_id: int, subject_id: int, teacher_id: int) -> Answer:
    """A time is chosen: show the booking and ask to confirm it."""
    client = require_client(ctx)
    subject = _subject(ctx, subject_id)
    slot = ctx.session.get(Slot, slot_id)
    if slot is None:
        raise NotFoundError("slot_not_found")
    logger.info("bot book time client=%s slot=%s", client.id, slot.id)
    if not catalog.is_bookable(ctx.session, client.id, slot.id, subject.id, ctx.now):
        return refusal(ctx, SlotTakenError(), slot, subject_id, teacher_id)
    day = slot.starts_at.astimezone(ctx.tz).date()
    text = ctx.t(
        "confirm_booking",
        subject=subject.name,
        teacher=slot.teacher.full_name,
        when=when_label(ctx.lang, slot.starts_at, ctx.tz),
    )
    cutoff = ctx.settings.cancel_cutoff_min
    if past_cutoff(slot.starts_at, cutoff, ctx.now):
        # Said before the tap: this lesson cannot be cancelled in the bot.
        cutoff_text = duration_label(cutoff, ctx.lang == "en")
        text += "\n\n" + ctx.t("confirm_inside_cutoff", cutoff=cutoff_text)
    ok = callbacks.make("bo", slot.id, subject.id, teacher_id, callbacks.new_nonce())
    buttons = (
        (Button(ctx.t("confirm"), ok),),
        _back(ctx, callbacks.make("bd", subject.id, teacher_id, day)),
    )
    return Answer([Reply(text, buttons, edit=True)])


def commit(
    ctx: Context, slot_id: int, subject_id: int, teacher_id: int, nonce: str
) -> Answer:
    """Confirmed: book it. A double tap repeats the nonce and books once."""
    actor = client_actor(ctx)
    subject = _subject(ctx, subject_id)
    key = f"tg:{ctx.event.user_id}:{slot_id}:{nonce}"
    try:
        with ctx.session.begin_nested():
            booking = book(
                ctx.session,
                slot_id=slot_id,
                client_id=actor.id,
                actor=actor,
                subject_id=subject.id,
                idempotency_key=key,
                now=ctx.now,
            )
    except SchedulingError as err:
        logger.info(
            "bot booking refused client=%s slot=%s code=%s", actor.id, slot_id, err.code
        )
        slot = ctx.session.get(Slot, slot_id)
        if slot is None:
            raise
        return refusal(ctx, err, slot, subject_id, teacher_id)
    logger.info(
        "bot booked booking=%s client=%s slot=%s", booking.id, actor.id, slot_id
    )
    text = ctx.t(
        "booked",
        subject=subject.name,
        teacher=booking.slot.teacher.full_name,
        when=when_label(ctx.lang, booking.starts_at, ctx.tz),
    )
    buttons = (
        (Button(ctx.t("menu_my"), callbacks.make("my")),),
        (Button(ctx.t("book_more"), callbacks.make("book")),),
    )
    return Answer([Reply(text, buttons, edit=True)], notice=ctx.t("booked_notice"))


def refusal(
    ctx: Context, err: SchedulingError, slot: Slot, subject_id: int, teacher_id: int
) -> Answer:
    """Say why the time cannot be booked and offer the next free times."""
    client = require_client(ctx)
    offer = catalog.next_free_slots(
        ctx.session,
        client.id,
        subject_id,
        slot.starts_at,
        teacher_id or None,
        now=ctx.now,
    )
    if not offer and teacher_id:
        teacher_id = 0
        offer = catalog.next_free_slots(
            ctx.session, client.id, subject_id, slot.starts_at, None, now=ctx.now
        )
    back = _back(ctx, callbacks.make("bs", subject_id))
    error = err.message(ctx.lang)
    if not offer:
        return Answer(
            [Reply(ctx.t("refused_none", error=error), (back,), edit=True)],
            notice=error,
        )
    buttons = [_slot_button(ctx, s, subject_id, teacher_id, True) for s in offer]
    text = ctx.t("refused_next", error=error, zone_note=_zone_note(ctx))
    return Answer([Reply(text, (*rows(buttons, 1), back), edit=True)], notice=error)


def _booking_line(
    ctx: Context, booking: Booking, with_zone: bool = True
) -> dict[str, str]:
    return {
        "subject": booking.subject.name if booking.subject else ctx.t("no_subject"),
        "teacher": booking.slot.teacher.full_name,
        "when": when_label(ctx.lang, booking.starts_at, ctx.tz, with_zone),
    }


def my_bookings(ctx: Context) -> Answer:
    """The client's lessons to come, each with a move and a cancel button."""
    client = require_client(ctx)
    logger.info("bot my bookings client=%s", client.id)
    found = upcoming_bookings(ctx.session, client.id, ctx.now)
    book_button = (Button(ctx.t("menu_book"), callbacks.make("book")),)
    if not found:
        return Answer([Reply(ctx.t("my_none"), (book_button,), edit=ctx.is_callback)])
    lines = [ctx.t("my_title", zone=zone_label(ctx.lang, ctx.tz))]
    change_rows = []
    for n, booking in enumerate(found, start=1):
        lines.append(ctx.t("my_line", n=n, **_booking_line(ctx, booking, False)))
        change_rows.append(
            (
                Button(ctx.t("move_button", n=n), callbacks.make("mm", booking.id)),
                Button(ctx.t("cancel_button", n=n), callbacks.make("mc", booking.id)),
            )
        )
    buttons = (*change_rows, book_button)
    return Answer([Reply("\n".join(lines), buttons, edit=ctx.is_callback)])
