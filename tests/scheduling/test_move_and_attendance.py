"""Moving bookings and marking attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from scheduling.attendance import MarkedByStaffError, mark_attendance
from scheduling.booking import Actor, book, cancel, move
from scheduling.errors import (
    CancelTooLateError,
    ClientBusyError,
    ForbiddenError,
    MoveTooLateError,
    RuleError,
    SlotTakenError,
)
from scheduling.models import (
    ATTENDED,
    NO_SHOW,
    OUTBOX_CANCELLED,
    BookingEvent,
    OutboxMessage,
    utcnow,
)
from scheduling.reminders import queue_due_reminders

STAFF = Actor("staff", 1, "web", "coordinator")


def at(days: int, hour: int) -> dt.datetime:
    day = utcnow().date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def client_actor(client) -> Actor:
    return Actor("client", client.id, "bot")


def test_move_to_a_free_slot_keeps_the_booking_and_frees_the_old_slot(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    old, new = factory.slot(teacher, at(2, 9)), factory.slot(teacher, at(2, 11))
    booking = book(
        session, slot_id=old.id, client_id=client.id, actor=client_actor(client)
    )
    move(session, booking_id=booking.id, new_slot_id=new.id, actor=client_actor(client))
    session.refresh(old)
    session.refresh(new)
    assert (booking.slot_id, booking.starts_at) == (new.id, new.starts_at)
    assert (old.booked_count, new.booked_count) == (0, 1)
    actions = session.scalars(
        select(BookingEvent.action).order_by(BookingEvent.id)
    ).all()
    assert actions == ["created", "moved"]


def test_move_to_a_taken_slot_leaves_the_old_booking_in_place(session, factory):
    teacher = factory.teacher()
    me, other = factory.client("Я"), factory.client("Другой")
    mine, theirs = factory.slot(teacher, at(2, 9)), factory.slot(teacher, at(2, 11))
    booking = book(session, slot_id=mine.id, client_id=me.id, actor=client_actor(me))
    book(session, slot_id=theirs.id, client_id=other.id, actor=client_actor(other))
    with pytest.raises(SlotTakenError):
        move(
            session,
            booking_id=booking.id,
            new_slot_id=theirs.id,
            actor=client_actor(me),
        )
    session.refresh(booking)
    assert booking.slot_id == mine.id


def test_move_onto_own_other_lesson_time_is_refused(session, factory):
    a, b = factory.teacher("А"), factory.teacher("Б")
    client = factory.client()
    first, second = factory.slot(a, at(2, 9)), factory.slot(a, at(2, 12))
    clash = factory.slot(b, at(2, 12))
    booking = book(
        session, slot_id=first.id, client_id=client.id, actor=client_actor(client)
    )
    book(session, slot_id=second.id, client_id=client.id, actor=client_actor(client))
    with pytest.raises(ClientBusyError):
        move(
            session,
            booking_id=booking.id,
            new_slot_id=clash.id,
            actor=client_actor(client),
        )
    session.refresh(booking)
    assert booking.slot_id == first.id


def test_move_after_the_cutoff_is_refused_for_the_client(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    old, new = factory.slot(teacher, at(1, 9)), factory.slot(teacher, at(3, 9))
    booking = book(
        session, slot_id=old.id, client_id=client.id, actor=client_actor(client)
    )
    with pytest.raises(CancelTooLateError) as refused:
        move(
            session,
            booking_id=booking.id,
            new_slot_id=new.id,
            actor=client_actor(client),
            now=old.starts_at - dt.timedelta(minutes=10),
        )
    assert isinstance(refused.value, MoveTooLateError)
    assert refused.value.code == "move_too_late"
    assert refused.value.message("ru") == (
        "Перенести запись можно не позднее чем за 3 ч до начала. "
        "Свяжитесь с администратором центра."
    )


def test_moved_booking_gets_its_reminder_for_the_new_time_only(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    old, new = factory.slot(teacher, at(3, 9)), factory.slot(teacher, at(3, 15))
    booking = book(
        session,
        slot_id=old.id,
        client_id=client.id,
        actor=client_actor(client),
        now=at(0, 0),
    )
    queue_due_reminders(session, now=old.starts_at - dt.timedelta(minutes=60))
    move(
        session,
        booking_id=booking.id,
        new_slot_id=new.id,
        actor=STAFF,
        now=old.starts_at - dt.timedelta(minutes=50),
        override_cutoff=True,
    )
    queue_due_reminders(session, now=new.starts_at - dt.timedelta(minutes=60))
    reminders = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "reminder")
    ).all()
    by_status = sorted((r.status, r.not_before) for r in reminders)
    # The day-before reminder's moment had long passed when the job first ran,
    # so it was skipped rather than sent late.
    assert by_status == [
        (OUTBOX_CANCELLED, old.starts_at - dt.timedelta(minutes=60)),
        ("pending", new.starts_at - dt.timedelta(minutes=60)),
    ]


def test_teacher_marks_a_past_lesson_attended_or_no_show(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, at(1, 9))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=STAFF)
    after = slot.ends_at + dt.timedelta(minutes=5)
    as_teacher = Actor("teacher", teacher.id, "bot")
    mark_attendance(
        session, booking_id=booking.id, attended=False, actor=as_teacher, now=after
    )
    assert booking.status == NO_SHOW
    mark_attendance(
        session, booking_id=booking.id, attended=True, actor=STAFF, now=after
    )
    assert booking.status == ATTENDED


def test_attendance_cannot_be_marked_before_the_lesson_or_by_others(session, factory):
    teacher, stranger = factory.teacher("Свой"), factory.teacher("Чужой")
    client = factory.client()
    slot = factory.slot(teacher, at(1, 9))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=STAFF)
    with pytest.raises(RuleError):
        mark_attendance(
            session,
            booking_id=booking.id,
            attended=True,
            actor=Actor("teacher", teacher.id),
            now=slot.starts_at - dt.timedelta(hours=1),
        )
    with pytest.raises(ForbiddenError):
        mark_attendance(
            session,
            booking_id=booking.id,
            attended=True,
            actor=Actor("teacher", stranger.id),
            now=slot.ends_at,
        )
    with pytest.raises(ForbiddenError):
        mark_attendance(
            session,
            booking_id=booking.id,
            attended=True,
            actor=client_actor(client),
            now=slot.ends_at,
        )


def test_cancelled_booking_keeps_its_history_with_who_and_where(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, at(2, 10))
    booking = book(
        session, slot_id=slot.id, client_id=client.id, actor=client_actor(client)
    )
    cancel(
        session,
        booking_id=booking.id,
        actor=STAFF,
        override_cutoff=True,
        now=slot.starts_at - dt.timedelta(minutes=5),
        reason="болезнь",
    )
    event = session.scalars(
        select(BookingEvent).order_by(BookingEvent.id.desc())
    ).first()
    assert (event.action, event.actor, event.source) == (
        "cancelled",
        "coordinator",
        "web",
    )
    assert event.details == {"late": True, "override": True, "reason": "болезнь"}


def test_a_teacher_corrects_own_mark_but_not_one_staff_made(session, factory):
    teacher = factory.teacher()
    slot = factory.slot(teacher, at(1, 9))
    booking = book(session, slot_id=slot.id, client_id=factory.client().id, actor=STAFF)
    after = slot.ends_at + dt.timedelta(minutes=5)
    as_teacher = Actor("teacher", teacher.id, "bot")

    def mark(attended: bool, actor: Actor) -> None:
        mark_attendance(
            session, booking_id=booking.id, attended=attended, actor=actor, now=after
        )

    mark(False, as_teacher)
    mark(True, as_teacher)  # a mis-tap corrected
    assert booking.status == ATTENDED
    mark(False, STAFF)  # the office knows better
    with pytest.raises(MarkedByStaffError) as refused:
        mark(True, as_teacher)  # an old button in the bot
    assert booking.status == NO_SHOW
    assert "уже отметил администратор центра (не пришёл)" in refused.value.message()
    assert "have already marked this lesson (no-show)" in refused.value.message("en")
    mark(False, as_teacher)  # agreeing with the office changes nothing
    assert booking.status == NO_SHOW
