"""After a poll is sent: "same as last week", and a nudge to those who did not answer.

`queue_poll_nudges` is called by the periodic tick; the outbox key
``poll_nudge:<poll id>`` makes each nudge go out once, however often it runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.models import (
    POLL_ANSWERED,
    POLL_PENDING,
    Availability,
    Poll,
    Teacher,
    utcnow,
)
from scheduling.outbox import queue_message
from scheduling.polls import get_poll_for, poll_hours
from scheduling.settings import CentreSettings, get_settings
from scheduling.slicing import local_day_bounds, local_interval

logger = logging.getLogger(__name__)

POLL_NUDGE = "poll_nudge"
WEEK = dt.timedelta(days=7)


def _free_hours(
    session: Session, teacher_id: int, day: dt.date, settings: CentreSettings
) -> list[int]:
    """The poll hours fully inside the teacher's availability on local `day`."""
    start, end = local_day_bounds(day, settings.tz)
    free = session.execute(
        select(Availability.starts_at, Availability.ends_at).where(
            Availability.teacher_id == teacher_id,
            Availability.starts_at < end,
            Availability.ends_at > start,
        )
    ).all()
    hours = []
    for hour in poll_hours(settings):
        end_time = dt.time(hour + 1) if hour < 23 else None
        h_start, h_end = local_interval(day, dt.time(hour), end_time, settings.tz)
        if any(a <= h_start and h_end <= b for a, b in free):
            hours.append(hour)
    return hours


def copy_last_week(session: Session, poll_id: int, teacher_id: int) -> Poll | None:
    """Tick the hours the teacher was free on the same weekday a week earlier.

    The answer to that day's poll if there was one, else the availability the
    centre entered for that day. Only ticks (the draft); Done still confirms.
    Returns None, changing nothing, when that day has neither.
    """
    poll = get_poll_for(session, poll_id, teacher_id)
    settings = get_settings(session)
    earlier_day = poll.date - WEEK
    earlier = session.scalar(
        select(Poll).where(
            Poll.teacher_id == teacher_id,
            Poll.date == earlier_day,
            Poll.status == POLL_ANSWERED,
        )
    )
    if earlier is not None:
        hours = list(earlier.selected_hours or [])
    else:
        hours = _free_hours(session, teacher_id, earlier_day, settings)
        if not hours:
            return None
    poll.selected_hours = sorted(set(hours) & set(poll_hours(settings)))
    logger.info(
        "poll copied from last week id=%s teacher=%s hours=%s",
        poll.id,
        teacher_id,
        len(poll.selected_hours),
    )
    return poll


def queue_poll_nudges(session: Session, now: dt.datetime | None = None) -> int:
    """Remind, once, every teacher whose poll is still unanswered at the nudge time.

    A poll is nudged if it was opened before today's `poll_nudge_time`, that
    time has passed, and its day is still to come. Returns how many were queued.
    """
    now = now or utcnow()
    settings = get_settings(session)
    today = now.astimezone(settings.tz).date()
    nudge_at = dt.datetime.combine(today, settings.poll_nudge_time, settings.tz)
    if now < nudge_at:
        return 0
    rows = session.execute(
        select(Poll.id, Poll.date, Teacher.telegram_user_id)
        .join(Teacher, Teacher.id == Poll.teacher_id)
        .where(
            Poll.status == POLL_PENDING,
            Poll.date > today,
            Poll.created_at <= nudge_at,
            Teacher.is_active.is_(True),
            Teacher.telegram_user_id.is_not(None),
        )
        .order_by(Poll.date, Poll.id)
    ).all()
    queued = 0
    for poll_id, day, chat_id in rows:
        if queue_message(
            session,
            key=f"poll_nudge:{poll_id}",
            chat_id=chat_id,
            kind=POLL_NUDGE,
            payload={"poll_id": poll_id, "date": day.isoformat()},
        ):
            queued += 1
            logger.info("poll nudge queued poll=%s", poll_id)
    return queued
