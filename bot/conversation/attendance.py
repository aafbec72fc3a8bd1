"""The teacher marks who came: one tap per client, after the lesson has started.

The same screen is sent by the outbox when a lesson ends (kind
``attendance_request``) and opened from /schedule; each tap edits it to show
the marks so far. A mark can be corrected with the other button.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.conversation.common import require_teacher
from bot.conversation.model import Answer, Button, Context, Reply
from bot.formats import day_label, time_label
from bot.texts import t
from scheduling.agenda import active_bookings
from scheduling.attendance import mark_attendance
from scheduling.attendance_requests import lesson_for_teacher, lessons_to_mark
from scheduling.booking import Actor
from scheduling.models import ATTENDED, NO_SHOW, Booking, Slot

logger = logging.getLogger(__name__)

MARK_KEYS = {ATTENDED: "att_came", NO_SHOW: "att_missed"}


def _lesson_label(lang: str, slot: Slot, tz: ZoneInfo) -> str:
    day = day_label(lang, slot.starts_at.astimezone(tz).date())
    start, end = time_label(slot.starts_at, tz), time_label(slot.ends_at, tz)
    return f"{day}, {start}–{end}"


def attendance_view(slot: Slot, lang: str, tz: ZoneInfo) -> Reply:
    """Who is in the lesson, their marks so far, and a came / missed pair each."""
    bookings = sorted(active_bookings(slot), key=lambda b: b.client.full_name)
    lines = [t(lang, "att_title", lesson=_lesson_label(lang, slot, tz))]
    buttons = []
    for booking in bookings:
        mark = t(lang, MARK_KEYS.get(booking.status, "att_unmarked"))
        lines.append(t(lang, "att_line", client=booking.client.full_name, mark=mark))
        name = booking.client.full_name
        buttons.append(
            (
                Button("✅ " + name, callbacks.make("ay", booking.id)),
                Button("❌ " + t(lang, "att_no"), callbacks.make("an", booking.id)),
            )
        )
    return Reply("\n".join(lines), tuple(buttons))


def lessons(ctx: Context) -> Answer:
    """The teacher's recent lessons to mark (from /schedule)."""
    teacher = require_teacher(ctx)
    found = lessons_to_mark(ctx.session, teacher.id, ctx.now)
    logger.info("bot attendance list teacher=%s lessons=%s", teacher.id, len(found))
    if not found:
        return Answer([Reply(ctx.t("att_none"), edit=ctx.is_callback)])
    buttons = tuple(
        (Button(_lesson_label(ctx.lang, s, ctx.tz), callbacks.make("as", s.id)),)
        for s in found
    )
    return Answer([Reply(ctx.t("att_pick"), buttons, edit=ctx.is_callback)])


def lesson(ctx: Context, slot_id: int) -> Answer:
    """One lesson's attendance screen."""
    teacher = require_teacher(ctx)
    slot = lesson_for_teacher(ctx.session, slot_id, teacher.id)
    view = attendance_view(slot, ctx.lang, ctx.tz)
    return Answer([Reply(view.text, view.buttons, edit=True)])


def _mark(ctx: Context, booking_id: int, attended: bool) -> Answer:
    teacher = require_teacher(ctx)
    actor = Actor("teacher", teacher.id, "bot")
    with ctx.session.begin_nested():
        booking: Booking = mark_attendance(
            ctx.session,
            booking_id=booking_id,
            attended=attended,
            actor=actor,
            now=ctx.now,
        )
    logger.info(
        "bot attendance booking=%s teacher=%s status=%s",
        booking.id,
        teacher.id,
        booking.status,
    )
    slot = lesson_for_teacher(ctx.session, booking.slot_id, teacher.id)
    view = attendance_view(slot, ctx.lang, ctx.tz)
    notice = ctx.t(MARK_KEYS[booking.status])
    return Answer([Reply(view.text, view.buttons, edit=True)], notice=notice)


def came(ctx: Context, booking_id: int) -> Answer:
    """The client came."""
    return _mark(ctx, booking_id, True)


def missed(ctx: Context, booking_id: int) -> Answer:
    """The client did not come."""
    return _mark(ctx, booking_id, False)
