"""Deleting a subject: only while no booking or slot refers to it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduling.booking import Actor, book, cancel
from scheduling.errors import NotFoundError
from scheduling.models import Subject, TeacherSubject
from scheduling.subjects import SubjectInUseError, delete_subject
from tests.webapp.helpers import days_ahead_at


def test_unused_subject_is_deleted_with_who_teaches_it(session, factory):
    art = factory.subject("Рисование")
    factory.teacher(subjects=(art,))
    delete_subject(session, art.id)
    session.commit()
    assert session.scalars(select(Subject)).all() == []
    assert session.scalars(select(TeacherSubject)).all() == []


def test_subject_of_a_cancelled_booking_is_still_kept(session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    slot = factory.slot(teacher, days_ahead_at(3, 9))
    staff = Actor("staff", 1)
    booking = book(
        session,
        slot_id=slot.id,
        client_id=factory.client().id,
        subject_id=maths.id,
        actor=staff,
    )
    cancel(session, booking_id=booking.id, actor=staff)
    with pytest.raises(SubjectInUseError) as refused:
        delete_subject(session, maths.id)
    assert refused.value.http_status == 409
    assert "записи (1) и слоты (0)" in refused.value.message("ru")
    assert "1 booking(s) and 0 slot(s)" in refused.value.message("en")


def test_subject_a_slot_is_limited_to_is_kept(session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    factory.slot(teacher, days_ahead_at(3, 9), subject_id=maths.id)
    with pytest.raises(SubjectInUseError):
        delete_subject(session, maths.id)


def test_unknown_subject_is_not_found(session):
    with pytest.raises(NotFoundError):
        delete_subject(session, 12345)
