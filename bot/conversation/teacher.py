"""The teacher's steps: answering the daily poll, and the week's schedule."""

from __future__ import annotations

import itertools
import logging

from bot import callbacks
from bot.conversation.common import require_teacher
from bot.conversation.model import Answer, Button, Context, Reply, rows
from bot.formats import day_label, time_label, zone_label
from bot.texts import t
from scheduling.agenda import active_bookings, teacher_schedule
from scheduling.attendance_requests import lessons_to_mark
from scheduling.availability import ResliceResult
from scheduling.models import Booking, Poll, Slot
from scheduling.poll_followups import copy_last_week
from scheduling.polls import answer_poll, get_poll_for, poll_hours, toggle_hour
from scheduling.settings import CentreSettings

logger = logging.getLogger(__name__)

SCHEDULE_DAYS = 7
# Telegram refuses longer messages; the schedule is cut before that.
MAX_TEXT = 3800


def poll_view(poll: Poll, lang: str, settings: CentreSettings) -> Reply:
    """The poll as a message: hours to tick, "same as last week", Done, Not working."""
    selected = set(poll.selected_hours or [])
    hour_buttons = [
        Button(
            ("✅ " if hour in selected else "") + f"{hour:02d}:00",
            callbacks.make("ph", poll.id, hour),
        )
        for hour in poll_hours(settings)
    ]
    zone_note = t(lang, "zone_note", zone=zone_label(lang, settings.tz))
    text = t(lang, "poll_question", day=day_label(lang, poll.date), zone_note=zone_note)
    same = (Button(t(lang, "poll_same"), callbacks.make("pw", poll.id)),)
    last = (
        Button(t(lang, "poll_done"), callbacks.make("pd", poll.id)),
        Button(t(lang, "poll_off"), callbacks.make("pn", poll.id)),
    )
    return Reply(text, (*rows(hour_buttons, 4), same, last))


def poll_toggle(ctx: Context, poll_id: int, hour: int) -> Answer:
    """Tick or untick an hour; the poll message shows the new choice."""
    teacher = require_teacher(ctx)
    poll = toggle_hour(ctx.session, poll_id, teacher.id, hour)
    logger.info("bot poll toggle poll=%s teacher=%s hour=%s", poll.id, teacher.id, hour)
    view = poll_view(poll, ctx.lang, ctx.settings)
    return Answer([Reply(view.text, view.buttons, edit=True)])


def poll_same(ctx: Context, poll_id: int) -> Answer:
    """Tick the hours of the same weekday a week ago; Done still confirms."""
    teacher = require_teacher(ctx)
    poll = copy_last_week(ctx.session, poll_id, teacher.id)
    if poll is None:
        logger.info("bot poll nothing last week poll=%s", poll_id)
        return Answer(notice=ctx.t("poll_same_none"))
    logger.info("bot poll same as last week poll=%s teacher=%s", poll.id, teacher.id)
    view = poll_view(poll, ctx.lang, ctx.settings)
    text = ctx.t("poll_same_done") + "\n\n" + view.text
    return Answer([Reply(text, view.buttons, edit=True)], notice=ctx.t("poll_same"))


def poll_done(ctx: Context, poll_id: int) -> Answer:
    """Done: the ticked hours become availability and slots."""
    teacher = require_teacher(ctx)
    result = answer_poll(ctx.session, poll_id, teacher.id)
    return _answered(ctx, poll_id, result)


def poll_off(ctx: Context, poll_id: int) -> Answer:
    """Not working that day: no free slots (booked lessons stay)."""
    teacher = require_teacher(ctx)
    result = answer_poll(ctx.session, poll_id, teacher.id, hours=[])
    return _answered(ctx, poll_id, result)


def poll_reopen(ctx: Context, poll_id: int) -> Answer:
    """Show the poll again so the teacher can change the answer."""
    teacher = require_teacher(ctx)
    poll = get_poll_for(ctx.session, poll_id, teacher.id)
    logger.info("bot poll reopened poll=%s teacher=%s", poll.id, teacher.id)
    view = poll_view(poll, ctx.lang, ctx.settings)
    return Answer([Reply(view.text, view.buttons, edit=True)])


def _answered(ctx: Context, poll_id: int, result: ResliceResult) -> Answer:
    poll = ctx.session.get(Poll, poll_id)
    assert poll is not None  # answer_poll has just found it
    logger.info(
        "bot poll answered poll=%s teacher=%s created=%s kept=%s",
        poll.id,
        poll.teacher_id,
        len(result.created),
        len(result.kept_booked),
    )
    day = day_label(ctx.lang, poll.date)
    hours = len(poll.selected_hours or [])
    if hours:
        text = ctx.t("poll_saved", day=day, hours=hours, created=len(result.created))
    else:
        text = ctx.t("poll_saved_off", day=day)
    if result.kept_booked:
        kept = ", ".join(
            time_label(s.starts_at, ctx.tz)
            for s in sorted(result.kept_booked, key=lambda s: s.starts_at)
        )
        text += "\n" + ctx.t("poll_kept", times=kept)
    buttons = ((Button(ctx.t("poll_edit"), callbacks.make("pe", poll.id)),),)
    return Answer([Reply(text, buttons, edit=True)], notice=ctx.t("poll_done"))


def schedule(ctx: Context) -> Answer:
    """The teacher's slots for the coming week, booked or free; attendance to mark."""
    teacher = require_teacher(ctx)
    logger.info("bot schedule teacher=%s", teacher.id)
    slots = teacher_schedule(ctx.session, teacher.id, SCHEDULE_DAYS, ctx.now)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if lessons_to_mark(ctx.session, teacher.id, ctx.now):
        buttons = ((Button(ctx.t("att_button"), callbacks.make("al")),),)
    if not slots:
        return Answer([Reply(ctx.t("schedule_empty", days=SCHEDULE_DAYS), buttons)])
    zone = zone_label(ctx.lang, ctx.tz)
    lines = [ctx.t("schedule_title", days=SCHEDULE_DAYS, zone=zone)]
    by_day = itertools.groupby(
        slots, key=lambda s: s.starts_at.astimezone(ctx.tz).date()
    )
    for day, day_slots in by_day:
        lines.append("")
        lines.append(day_label(ctx.lang, day))
        for slot in day_slots:
            lines.append(_schedule_line(ctx, slot))
    text = "\n".join(lines)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT].rsplit("\n", 1)[0] + "\n…"
    return Answer([Reply(text, buttons)])


def _subject_name(ctx: Context, booking: Booking) -> str:
    return booking.subject.name if booking.subject else ctx.t("no_subject")


def _schedule_line(ctx: Context, slot: Slot) -> str:
    booked = active_bookings(slot)
    if booked:
        who = "; ".join(
            f"{b.client.full_name} ({_subject_name(ctx, b)})" for b in booked
        )
    else:
        who = ctx.t("schedule_free")
    return ctx.t(
        "schedule_line",
        start=time_label(slot.starts_at, ctx.tz),
        end=time_label(slot.ends_at, ctx.tz),
        who=who,
    )
