"""The daily question to teachers: which hours are you free on a given day?

`open_due_polls` is safe to call any number of times: a poll exists once per
(teacher, date) and its message once per poll, both guaranteed by unique keys.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.availability import (
    ResliceResult,
    hours_to_intervals,
    set_day_availability,
)
from scheduling.errors import ForbiddenError, NotFoundError, RuleError
from scheduling.models import POLL_ANSWERED, POLL_EXPIRED, Poll, Teacher, utcnow
from scheduling.outbox import queue_message
from scheduling.settings import CentreSettings, get_settings

logger = logging.getLogger(__name__)

# The hours a poll offers, local to the centre: 08:00 to 21:00 (last start).
FIRST_HOUR, LAST_HOUR = 8, 21


def poll_hours(settings: CentreSettings) -> list[int]:
    """Hours offered as toggles: the working day minus hours inside a break."""
    hours = []
    for hour in range(FIRST_HOUR, LAST_HOUR + 1):
        start, end = dt.time(hour), dt.time(hour + 1) if hour < 23 else dt.time.max
        inside_break = any(b.start <= start and end <= b.end for b in settings.breaks)
        if not inside_break:
            hours.append(hour)
    return hours


def open_due_polls(session: Session, now: dt.datetime | None = None) -> list[Poll]:
    """Create today's polls once the poll time has come, and queue their messages.

    Asks every active teacher with Telegram about each of the next
    `poll_days_ahead` days. Returns the polls created by this call.
    """
    now = now or utcnow()
    settings = get_settings(session)
    local_now = now.astimezone(settings.tz)
    if local_now.time() < settings.poll_time:
        return []
    teachers = session.scalars(
        select(Teacher).where(
            Teacher.is_active.is_(True), Teacher.telegram_user_id.is_not(None)
        )
    ).all()
    created = []
    for offset in range(1, settings.poll_days_ahead + 1):
        day = local_now.date() + dt.timedelta(days=offset)
        for teacher in teachers:
            poll_id = session.execute(
                insert(Poll)
                .values(teacher_id=teacher.id, date=day)
                .on_conflict_do_nothing(index_elements=[Poll.teacher_id, Poll.date])
                .returning(Poll.id)
            ).scalar()
            if poll_id is None:
                continue
            queue_message(
                session,
                key=f"poll:{teacher.id}:{day.isoformat()}",
                chat_id=teacher.telegram_user_id,
                kind="poll",
                payload={"poll_id": poll_id, "date": day.isoformat()},
            )
            created.append(session.get(Poll, poll_id))
            logger.info(
                "poll opened id=%s teacher=%s date=%s", poll_id, teacher.id, day
            )
    return created


def get_poll_for(session: Session, poll_id: int, teacher_id: int) -> Poll:
    """The poll, row-locked, if it belongs to the teacher and is still open."""
    poll = session.get(Poll, poll_id, with_for_update=True)
    if poll is None:
        raise NotFoundError("poll_closed")
    if poll.teacher_id != teacher_id:
        raise ForbiddenError()
    if poll.status == POLL_EXPIRED:
        raise RuleError("poll_closed")
    return poll


def toggle_hour(session: Session, poll_id: int, teacher_id: int, hour: int) -> Poll:
    """Tick or untick one hour in the teacher's draft answer."""
    poll = get_poll_for(session, poll_id, teacher_id)
    if hour not in poll_hours(get_settings(session)):
        raise RuleError("poll_closed")
    hours = set(poll.selected_hours or [])
    hours ^= {hour}
    poll.selected_hours = sorted(hours)
    return poll


def answer_poll(
    session: Session, poll_id: int, teacher_id: int, hours: list[int] | None = None
) -> ResliceResult:
    """Turn the teacher's ticked hours (or `hours`) into availability and slots.

    May be called again to change the answer; booked slots always stay.
    """
    poll = get_poll_for(session, poll_id, teacher_id)
    settings = get_settings(session)
    if hours is not None:
        allowed = set(poll_hours(settings))
        poll.selected_hours = sorted(set(hours) & allowed)
    intervals = hours_to_intervals(poll.date, poll.selected_hours, settings)
    result = set_day_availability(session, teacher_id, poll.date, intervals, settings)
    poll.status = POLL_ANSWERED
    poll.answered_at = utcnow()
    logger.info(
        "poll answered id=%s teacher=%s hours=%s slots_created=%s",
        poll.id,
        teacher_id,
        len(poll.selected_hours),
        len(result.created),
    )
    return result
