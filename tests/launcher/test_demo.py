"""The demo centre: believable, within the centre's rules, loaded once, silent."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from launcher.demo import load_demo, main
from scheduling.models import (
    ATTENDED,
    BOOKED,
    CANCELLED,
    NO_SHOW,
    Booking,
    Client,
    OutboxMessage,
    Slot,
    Subject,
    Teacher,
    TeacherSubject,
)
from scheduling.settings import get_settings

MOSCOW = ZoneInfo("Europe/Moscow")
# A Wednesday afternoon: the week behind and the week ahead are both working.
NOW = dt.datetime(2030, 3, 13, 15, 30, tzinfo=MOSCOW).astimezone(dt.UTC)
TODAY = dt.date(2030, 3, 13)


@pytest.fixture
def demo(session) -> dict[str, int]:
    counts = load_demo(session, now=NOW)
    session.commit()
    return counts


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(MOSCOW)


def test_demo_centre_has_believable_counts(session, demo):
    assert demo["skipped"] == 0
    assert demo["subjects"] == 8
    assert 8 <= demo["teachers"] <= 12
    assert 120 <= demo["clients"] <= 180
    assert 300 <= demo["slots"] <= 1200
    booked_slots = session.scalar(select(func.count(func.distinct(Booking.slot_id))))
    assert 0.45 <= booked_slots / demo["slots"] <= 0.65
    with_telegram = session.scalar(
        select(func.count(Client.id)).where(Client.telegram_user_id.is_not(None))
    )
    assert 0.7 * demo["clients"] <= with_telegram < demo["clients"]
    assert (
        session.scalar(
            select(func.count(Teacher.id)).where(Teacher.telegram_user_id.is_(None))
        )
        == 0
    )


def test_every_teacher_teaches_one_to_three_subjects(session, demo):
    per_teacher = session.execute(
        select(TeacherSubject.teacher_id, func.count()).group_by(
            TeacherSubject.teacher_id
        )
    ).all()
    assert len(per_teacher) == demo["teachers"]
    assert all(1 <= count <= 3 for _, count in per_teacher)
    taught = session.scalar(
        select(func.count(func.distinct(TeacherSubject.subject_id)))
    )
    assert taught == session.scalar(select(func.count(Subject.id)))
    names = session.scalars(select(Subject.name)).all()
    assert "Математика" in names and "Английский язык" in names


def test_people_have_russian_full_names_and_phones(session, demo):
    for name, phone in session.execute(select(Teacher.full_name, Teacher.phone)):
        surname, first, patronymic = name.split(" ")
        assert patronymic.endswith(("ич", "на")), name
        assert phone.startswith("+79") and len(phone) == 12
    phones = session.scalars(select(Client.phone)).all()
    assert len(set(phones)) == len(phones)


def test_no_slot_breaks_the_centre_settings(session, demo):
    slots = session.scalars(select(Slot)).all()
    for slot in slots:
        start, end = local(slot.starts_at), local(slot.ends_at)
        assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=60)
        # No slot touches the 13:00-14:00 break.
        assert not (start.hour < 14 and end.time() > dt.time(13)), start
        assert -7 <= (start.date() - TODAY).days <= 7
    days = {local(slot.starts_at).date() for slot in slots}
    assert min(days) < TODAY < max(days)


def test_past_lessons_have_outcomes_and_future_ones_do_not(session, demo):
    bookings = session.scalars(select(Booking)).all()
    past = [b for b in bookings if b.starts_at <= NOW]
    future = [b for b in bookings if b.starts_at > NOW]
    assert {b.status for b in past} == {ATTENDED, NO_SHOW, CANCELLED, BOOKED}
    assert {b.status for b in future} <= {BOOKED, CANCELLED}
    assert sum(b.status == ATTENDED for b in past) > 3 * sum(
        b.status == NO_SHOW for b in past
    )
    # Only today's lessons still wait for their attendance mark.
    assert all(local(b.starts_at).date() == TODAY for b in past if b.status == BOOKED)
    for booking in bookings:
        assert booking.created_at < booking.starts_at
        if booking.status == CANCELLED:
            assert booking.created_at < booking.cancelled_at < booking.starts_at
        else:
            assert booking.cancelled_at is None


def test_no_client_holds_two_lessons_at_once(session, demo):
    overlapping = session.scalar(
        text(
            "SELECT count(*) FROM bookings a JOIN bookings b "
            "ON a.client_id = b.client_id AND a.id < b.id "
            "AND a.status <> 'cancelled' AND b.status <> 'cancelled' "
            "AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)"
        )
    )
    assert overlapping == 0


def test_slot_counters_match_the_active_bookings(session, demo):
    mismatched = session.scalar(
        text(
            "SELECT count(*) FROM slots s WHERE s.booked_count <> "
            "(SELECT count(*) FROM bookings b "
            "WHERE b.slot_id = s.id AND b.status <> 'cancelled')"
        )
    )
    assert mismatched == 0


def test_loading_twice_does_not_duplicate(session, demo):
    again = load_demo(session, now=NOW)
    session.commit()

    assert again == {"skipped": 1}
    assert session.scalar(select(func.count(Teacher.id))) == demo["teachers"]
    assert session.scalar(select(func.count(Client.id))) == demo["clients"]
    assert session.scalar(select(func.count(Booking.id))) == demo["bookings"]


def test_the_demo_centre_has_a_contact_for_late_changes(session, demo):
    assert get_settings(session).centre_contact.startswith("+7 495")


def test_nothing_waits_in_the_outbox(session, demo):
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_same_seed_gives_the_same_centre(session):
    def snapshot(seed: int) -> list[tuple]:
        load_demo(session, now=NOW, seed=seed)
        rows = session.execute(
            select(Teacher.full_name, Slot.starts_at, Client.full_name, Booking.status)
            .join(Slot, Slot.id == Booking.slot_id)
            .join(Teacher, Teacher.id == Slot.teacher_id)
            .join(Client, Client.id == Booking.client_id)
            .order_by(Slot.starts_at, Teacher.full_name)
        ).all()
        session.rollback()
        return [tuple(row) for row in rows]

    first = snapshot(42)
    assert snapshot(42) == first
    assert snapshot(7) != first


def test_loading_is_fast(session):
    started = time.monotonic()
    load_demo(session, now=NOW)
    session.flush()
    assert time.monotonic() - started < 15


def test_command_loads_once_then_says_it_skipped(capsys):
    assert main([]) == 0
    assert "Демо-центр загружен" in capsys.readouterr().out

    assert main([]) == 0
    out = capsys.readouterr().out
    assert "уже есть преподаватели" in out
    assert "already has teachers" in out
