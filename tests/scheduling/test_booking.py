"""Booking and cancelling through scheduling.booking on real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.booking import Actor, book, cancel
from scheduling.errors import (
    CancelTooLateError,
    ClientBusyError,
    ForbiddenError,
    RuleError,
    SlotTakenError,
    duration_label,
)
from scheduling.models import CANCELLED, OutboxMessage, utcnow

STAFF = Actor("staff", 1, "web", "admin")


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = utcnow().date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def as_client(client) -> Actor:
    return Actor("client", client.id, "bot")


def test_second_booking_of_a_taken_slot_is_refused(session, factory):
    teacher = factory.teacher()
    slot = factory.slot(teacher, tomorrow_at(9))
    first, second = factory.client("Первый"), factory.client("Второй")
    book(session, slot_id=slot.id, client_id=first.id, actor=as_client(first))
    with pytest.raises(SlotTakenError) as err:
        book(session, slot_id=slot.id, client_id=second.id, actor=as_client(second))
    assert "занято" in err.value.message("ru")
    session.refresh(slot)
    assert slot.booked_count == 1


def test_capacity_three_takes_exactly_three(session, factory):
    teacher = factory.teacher()
    slot = factory.slot(teacher, tomorrow_at(10), capacity=3)
    clients = [factory.client(f"Клиент {i}") for i in range(4)]
    for client in clients[:3]:
        book(session, slot_id=slot.id, client_id=client.id, actor=as_client(client))
    with pytest.raises(SlotTakenError):
        book(
            session,
            slot_id=slot.id,
            client_id=clients[3].id,
            actor=as_client(clients[3]),
        )
    session.refresh(slot)
    assert slot.booked_count == 3


def test_booked_0900_to_1000_blocks_0930_to_1030_for_the_same_client(session, factory):
    a, b = factory.teacher("А"), factory.teacher("Б")
    client = factory.client()
    first = factory.slot(a, tomorrow_at(9))
    overlapping = factory.slot(b, tomorrow_at(9, 30))
    book(session, slot_id=first.id, client_id=client.id, actor=as_client(client))
    with pytest.raises(ClientBusyError):
        book(
            session,
            slot_id=overlapping.id,
            client_id=client.id,
            actor=as_client(client),
        )


def test_a_lesson_ending_at_1130_and_one_starting_at_1130_both_stand(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    early = factory.slot(teacher, tomorrow_at(10, 30))
    late = factory.slot(teacher, tomorrow_at(11, 30))
    book(session, slot_id=early.id, client_id=client.id, actor=as_client(client))
    book(session, slot_id=late.id, client_id=client.id, actor=as_client(client))


def test_booking_inside_minimum_notice_is_refused(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    soon = factory.slot(teacher, utcnow() + dt.timedelta(minutes=10))
    with pytest.raises(RuleError) as err:
        book(session, slot_id=soon.id, client_id=client.id, actor=as_client(client))
    assert err.value.code == "slot_in_past"


def test_same_idempotency_key_books_once(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, tomorrow_at(12))
    first = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        actor=as_client(client),
        idempotency_key="tap-1",
    )
    again = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        actor=as_client(client),
        idempotency_key="tap-1",
    )
    assert again.id == first.id


def test_an_idempotency_key_belongs_to_one_client(session, factory):
    teacher = factory.teacher()
    me, other = factory.client("Я"), factory.client("Другой")
    mine, theirs = (
        factory.slot(teacher, tomorrow_at(12)),
        factory.slot(teacher, tomorrow_at(13)),
    )
    first = book(
        session,
        slot_id=mine.id,
        client_id=me.id,
        actor=as_client(me),
        idempotency_key="key-1",
    )
    # Another client's request with the same key is a request of its own.
    second = book(
        session,
        slot_id=theirs.id,
        client_id=other.id,
        actor=as_client(other),
        idempotency_key="key-1",
    )
    assert first.id != second.id
    assert (first.client_id, second.client_id) == (me.id, other.id)


def test_the_same_key_for_another_slot_is_refused_not_ignored(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    first_slot = factory.slot(teacher, tomorrow_at(12))
    other_slot = factory.slot(teacher, tomorrow_at(16))
    book(
        session,
        slot_id=first_slot.id,
        client_id=client.id,
        actor=as_client(client),
        idempotency_key="key-2",
    )
    with pytest.raises(RuleError) as refused:
        book(
            session,
            slot_id=other_slot.id,
            client_id=client.id,
            actor=as_client(client),
            idempotency_key="key-2",
        )
    assert refused.value.code == "idempotency_key_reused"
    session.refresh(other_slot)
    assert other_slot.booked_count == 0


def test_client_cannot_book_for_someone_else(session, factory):
    teacher = factory.teacher()
    me, other = factory.client("Я"), factory.client("Другой")
    slot = factory.slot(teacher, tomorrow_at(15))
    with pytest.raises(ForbiddenError):
        book(session, slot_id=slot.id, client_id=other.id, actor=as_client(me))


def test_cancel_then_book_same_slot_works(session, factory):
    teacher = factory.teacher()
    first, second = factory.client("Первый"), factory.client("Второй")
    slot = factory.slot(teacher, tomorrow_at(16))
    booking = book(session, slot_id=slot.id, client_id=first.id, actor=as_client(first))
    cancel(
        session,
        booking_id=booking.id,
        actor=as_client(first),
        now=slot.starts_at - dt.timedelta(days=1),
    )
    assert booking.status == CANCELLED
    book(session, slot_id=slot.id, client_id=second.id, actor=as_client(second))
    session.refresh(slot)
    assert slot.booked_count == 1


def test_cancel_after_cutoff_is_refused_unless_staff_overrides(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, tomorrow_at(17))
    booking = book(
        session, slot_id=slot.id, client_id=client.id, actor=as_client(client)
    )
    late = slot.starts_at - dt.timedelta(minutes=30)
    with pytest.raises(CancelTooLateError) as refused:
        cancel(session, booking_id=booking.id, actor=as_client(client), now=late)
    assert refused.value.code == "cancel_too_late"
    assert refused.value.message("en").startswith(
        "Bookings can be cancelled up to 3 h before the start."
    )
    # Staff are told how to override, not sent to the administrator.
    with pytest.raises(CancelTooLateError) as refused:
        cancel(session, booking_id=booking.id, actor=STAFF, now=late)
    assert refused.value.code == "cancel_too_late"
    assert refused.value.message("ru") == (
        "Срок отмены (3 ч до начала) прошёл. Чтобы отменить всё равно, "
        "выберите «Отменить, несмотря на срок»."
    )
    cancel(session, booking_id=booking.id, actor=STAFF, override_cutoff=True, now=late)
    assert booking.status == CANCELLED


@pytest.mark.parametrize(
    ("minutes", "ru", "en"),
    [
        (0, "0 мин", "0 min"),
        (45, "45 мин", "45 min"),
        (60, "1 ч", "1 h"),
        (90, "1 ч 30 мин", "1 h 30 min"),
        (1440, "24 ч", "24 h"),
    ],
)
def test_cutoffs_are_shown_in_hours_and_minutes(minutes, ru, en):
    assert (duration_label(minutes, False), duration_label(minutes, True)) == (ru, en)


def test_booking_notifies_client_and_teacher_through_outbox(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, tomorrow_at(18))
    book(session, slot_id=slot.id, client_id=client.id, actor=as_client(client))
    kinds = sorted(m.kind for m in session.query(OutboxMessage))
    assert kinds == ["booking_created_client", "booking_created_teacher"]
