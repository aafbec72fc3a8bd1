"""Rules for a slot staff add by hand, outside a teacher's availability.

Overlap with the teacher's other open slots is left to the database's
exclusion constraint (see `scheduling.constraints` for its message).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.availability import check_capacity
from scheduling.errors import RuleError
from scheduling.models import TeacherSubject

# A slot typed by hand: at least as long as the shortest lesson setting, at
# most a long working day (a typo in a date made a 9-day slot that blocked
# the teacher's week), and in years the centre can mean (the calendar cannot
# show year 9999).
MIN_SLOT = dt.timedelta(minutes=5)
MAX_SLOT = dt.timedelta(hours=12)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_manual_slot(
    session: Session,
    *,
    teacher_id: int,
    subject_id: int | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int = 1,
) -> None:
    """Refuse a slot that ends before it starts, is shorter than MIN_SLOT or
    longer than MAX_SLOT, lies outside FIRST_YEAR-LAST_YEAR, has too many
    places or names a subject the teacher does not teach.

    :raise RuleError: invalid_interval, slot_too_short, slot_too_long,
        slot_out_of_years, invalid_capacity or subject_not_taught.
    """
    if ends_at <= starts_at:
        raise RuleError("invalid_interval")
    if ends_at - starts_at < MIN_SLOT:
        raise RuleError("slot_too_short", minutes=MIN_SLOT.seconds // 60)
    if ends_at - starts_at > MAX_SLOT:
        raise RuleError("slot_too_long", hours=MAX_SLOT.seconds // 3600)
    if not (FIRST_YEAR <= starts_at.year and ends_at.year <= LAST_YEAR):
        raise RuleError("slot_out_of_years", first=FIRST_YEAR, last=LAST_YEAR)
    check_capacity(capacity)
    if subject_id is None:
        return
    taught = session.scalar(
        select(TeacherSubject.id).where(
            TeacherSubject.teacher_id == teacher_id,
            TeacherSubject.subject_id == subject_id,
        )
    )
    if taught is None:
        raise RuleError("subject_not_taught")
