"""Subjects: deleting one only while nothing refers to it."""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduling.errors import ConflictError, NotFoundError
from scheduling.models import Booking, Slot, Subject, TeacherSubject

logger = logging.getLogger(__name__)


class SubjectInUseError(ConflictError):
    """The subject still has bookings or slots, so deleting it would lose them."""

    code = "subject_in_use"

    def message(self, lang: str = "ru") -> str:
        bookings, slots = self.params["bookings"], self.params["slots"]
        if (lang or "").startswith("en"):
            return (
                f"The subject cannot be deleted: {bookings} booking(s) and "
                f"{slots} slot(s) refer to it. Cancel or move them first."
            )
        return (
            f"Предмет нельзя удалить: на него ссылаются записи ({bookings}) "
            f"и слоты ({slots}). Сначала отмените или перенесите их."
        )


def delete_subject(session: Session, subject_id: int) -> None:
    """Delete a subject and who teaches it; refused while bookings or slots use it.

    :raise NotFoundError: no such subject.
    :raise SubjectInUseError: bookings (even cancelled ones) or slots refer to it.
    """
    subject = session.get(Subject, subject_id, with_for_update=True)
    if subject is None:
        raise NotFoundError("subject_not_found")
    bookings = session.scalar(
        select(func.count()).where(Booking.subject_id == subject_id)
    )
    slots = session.scalar(select(func.count()).where(Slot.subject_id == subject_id))
    if bookings or slots:
        raise SubjectInUseError(bookings=bookings, slots=slots)
    # The links go first: the database restricts deleting a taught subject.
    session.execute(
        delete(TeacherSubject).where(TeacherSubject.subject_id == subject_id)
    )
    session.delete(subject)
    session.flush()
    logger.info("subject deleted id=%s", subject_id)


def set_teacher_subjects(
    session: Session, teacher_id: int, subject_ids: set[int]
) -> None:
    """Make `subject_ids` exactly the subjects the teacher teaches.

    Links are added and removed, never duplicated (each pair exists once).
    Lessons already booked keep their subject; only what may be booked from
    now on changes.
    """
    current = set(
        session.scalars(
            select(TeacherSubject.subject_id).where(
                TeacherSubject.teacher_id == teacher_id
            )
        )
    )
    removed = current - subject_ids
    if removed:
        session.execute(
            delete(TeacherSubject).where(
                TeacherSubject.teacher_id == teacher_id,
                TeacherSubject.subject_id.in_(removed),
            )
        )
    for subject_id in sorted(subject_ids - current):
        session.add(TeacherSubject(teacher_id=teacher_id, subject_id=subject_id))
    session.flush()
    logger.info(
        "teacher %s subjects: +%s -%s",
        teacher_id,
        sorted(subject_ids - current),
        sorted(removed),
    )
