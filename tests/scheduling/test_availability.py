"""Availability and re-slicing on real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scheduling.availability import SlotTemplate, bulk_schedule, set_day_availability
from scheduling.booking import Actor, book
from scheduling.errors import RuleError
from scheduling.models import SLOT_OPEN, Availability, Slot, utcnow
from scheduling.settings import get_settings, update_settings
from scheduling.slicing import local_interval

SYSTEM = Actor("system", source="test")


def next_day(offset: int = 1) -> dt.date:
    return utcnow().date() + dt.timedelta(days=offset)


def open_slots(session, teacher) -> list[tuple[str, str]]:
    tz = get_settings(session).tz
    rows = session.scalars(
        select(Slot)
        .where(Slot.teacher_id == teacher.id, Slot.status == SLOT_OPEN)
        .order_by(Slot.starts_at)
    )
    return [
        (
            s.starts_at.astimezone(tz).strftime("%d %H:%M"),
            s.ends_at.astimezone(tz).strftime("%H:%M"),
        )
        for s in rows
    ]


def hours(session, day, *spans):
    tz = get_settings(session).tz
    return [local_interval(day, dt.time(a), dt.time(b), tz) for a, b in spans]


def test_day_availability_is_cut_with_the_configured_length_and_break(session, factory):
    teacher = factory.teacher()
    day = next_day()
    set_day_availability(session, teacher.id, day, hours(session, day, (10, 16)))
    starts = [s for s, _ in open_slots(session, teacher)]
    assert [s[-5:] for s in starts] == ["10:00", "11:00", "12:00", "14:00", "15:00"]


def test_reslicing_twice_changes_nothing(session, factory):
    teacher = factory.teacher()
    day = next_day()
    set_day_availability(session, teacher.id, day, hours(session, day, (9, 12)))
    before = open_slots(session, teacher)
    again = set_day_availability(session, teacher.id, day, hours(session, day, (9, 12)))
    assert again.created == [] and again.removed == 0
    assert open_slots(session, teacher) == before


def test_changed_availability_keeps_booked_slots_and_drops_free_ones(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    day = next_day(2)
    set_day_availability(session, teacher.id, day, hours(session, day, (9, 12)))
    nine = session.scalar(
        select(Slot).where(Slot.teacher_id == teacher.id).order_by(Slot.starts_at)
    )
    book(session, slot_id=nine.id, client_id=client.id, actor=SYSTEM)

    result = set_day_availability(
        session, teacher.id, day, hours(session, day, (15, 17))
    )

    assert [s.id for s in result.kept_booked] == [nine.id]
    assert result.removed == 2
    assert [s[-5:] for s, _ in open_slots(session, teacher)] == [
        "09:00",
        "15:00",
        "16:00",
    ]


def test_changing_slot_length_never_touches_booked_slots(session, factory):
    teacher = factory.teacher()
    client = factory.client()
    day = next_day(2)
    set_day_availability(session, teacher.id, day, hours(session, day, (9, 11)))
    first = session.scalar(
        select(Slot).where(Slot.teacher_id == teacher.id).order_by(Slot.starts_at)
    )
    book(session, slot_id=first.id, client_id=client.id, actor=SYSTEM)
    update_settings(session, {"slot_duration_min": 30})
    set_day_availability(session, teacher.id, day, hours(session, day, (9, 11)))
    assert open_slots(session, teacher)[0][1] == "10:00"  # the booked hour stays whole
    assert [s[-5:] for s, _ in open_slots(session, teacher)] == [
        "09:00",
        "10:00",
        "10:30",
    ]


def test_bulk_schedule_creates_slots_on_several_days(session, factory):
    teacher = factory.teacher()
    days = [next_day(1), next_day(2), next_day(3)]
    result = bulk_schedule(session, teacher.id, days, dt.time(16), dt.time(19))
    assert len(result.created) == 9
    assert session.query(Availability).filter_by(teacher_id=teacher.id).count() == 3


def test_bulk_schedule_adds_to_existing_availability(session, factory):
    teacher = factory.teacher()
    day = next_day()
    set_day_availability(session, teacher.id, day, hours(session, day, (9, 11)))
    bulk_schedule(session, teacher.id, [day], dt.time(11), dt.time(12))
    assert [s[-5:] for s, _ in open_slots(session, teacher)] == [
        "09:00",
        "10:00",
        "11:00",
    ]
    assert session.query(Availability).filter_by(teacher_id=teacher.id).count() == 1


def test_database_refuses_overlapping_open_slots_of_one_teacher(session, factory):
    teacher = factory.teacher()
    start = dt.datetime.combine(next_day(), dt.time(9), tzinfo=dt.UTC)
    factory.slot(teacher, start)
    with pytest.raises(IntegrityError) as err:
        factory.slot(teacher, start + dt.timedelta(minutes=30))
    assert err.value.orig.sqlstate == "23P01"


def test_bulk_schedule_makes_group_slots_of_one_subject(session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    days = [next_day(1), next_day(2)]
    template = SlotTemplate(subject_id=maths.id, capacity=3)
    bulk_schedule(
        session, teacher.id, days, dt.time(10), dt.time(12), template=template
    )
    slots = session.scalars(select(Slot).where(Slot.teacher_id == teacher.id)).all()
    assert len(slots) == 4
    assert {(s.subject_id, s.capacity) for s in slots} == {(maths.id, 3)}


def test_bulk_schedule_for_a_subject_not_taught_creates_nothing(session, factory):
    maths, chemistry = factory.subject("Математика"), factory.subject("Химия")
    teacher = factory.teacher(subjects=(maths,))
    with pytest.raises(RuleError) as err:
        bulk_schedule(
            session,
            teacher.id,
            [next_day(1), next_day(2)],
            dt.time(10),
            dt.time(12),
            template=SlotTemplate(subject_id=chemistry.id),
        )
    assert err.value.code == "subject_not_taught"
    assert session.query(Slot).count() == 0
