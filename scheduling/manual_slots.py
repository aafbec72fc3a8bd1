"""Rules for a slot staff add by hand, outside a teacher's availability.

Overlap with the teacher's other open slots is left to the database's
exclusion constraint (see `scheduling.constraints` for its message).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.errors import RuleError
from scheduling.models import TeacherSubject


def check_manual_slot(
    session: Session,
    *,
    teacher_id: int,
    subject_id: int | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> None:
    """Refuse a slot that ends before it starts or names a subject not taught.

    :raise RuleError: invalid_interval or subject_not_taught.
    """
    if ends_at <= starts_at:
        raise RuleError("invalid_interval")
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
