"""The catalogue offers exactly what a client could book now."""

from __future__ import annotations

import datetime as dt

from scheduling import catalog
from scheduling.booking import Actor, book
from scheduling.models import SLOT_CLOSED, utcnow
from scheduling.settings import update_settings

STAFF = Actor("staff", 1, "web", "admin")


def _in(hours: float) -> dt.datetime:
    moment = utcnow() + dt.timedelta(hours=hours)
    return moment.replace(minute=0, second=0, microsecond=0)


def test_only_bookable_slots_are_offered(session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    retired = factory.teacher("Ушедший", subjects=(maths,), is_active=False)
    me, other = factory.client("Я"), factory.client("Другой")
    good = factory.slot(teacher, _in(26))
    factory.slot(teacher, utcnow() + dt.timedelta(minutes=30))  # inside the notice
    factory.slot(teacher, _in(24 * 20))  # beyond the 14-day horizon
    factory.slot(teacher, _in(30), status=SLOT_CLOSED)
    full = factory.slot(teacher, _in(32))
    book(session, slot_id=full.id, client_id=other.id, actor=STAFF)
    factory.slot(retired, _in(34))
    clash = factory.slot(teacher, _in(40))
    other_teacher = factory.teacher("Второй", subjects=(maths,))
    mine = factory.slot(other_teacher, _in(40))
    book(session, slot_id=mine.id, client_id=me.id, actor=STAFF)

    offered = catalog.next_free_slots(session, me.id, maths.id, utcnow())
    assert [s.id for s in offered] == [good.id]
    assert clash.id not in [s.id for s in offered]  # overlaps my own lesson
    assert catalog.subjects_with_free_slots(session, me.id) == [maths]
    assert catalog.teachers_with_free_slots(session, me.id, maths.id) == [teacher]


def test_slot_of_another_subject_is_not_offered(session, factory):
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    teacher = factory.teacher(subjects=(maths, physics))
    client = factory.client()
    physics_only = factory.slot(teacher, _in(26), subject_id=physics.id)
    assert catalog.next_free_slots(session, client.id, maths.id, utcnow()) == []
    assert catalog.next_free_slots(session, client.id, physics.id, utcnow()) == [
        physics_only
    ]
    assert not catalog.is_bookable(session, client.id, physics_only.id, maths.id)


def test_days_are_local_dates_of_the_centre(session, factory):
    update_settings(session, {"timezone": "Asia/Vladivostok"})
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    client = factory.client()
    day = (utcnow() + dt.timedelta(days=3)).date()
    # 15:30 UTC is already the next day in Vladivostok (UTC+10).
    factory.slot(teacher, dt.datetime.combine(day, dt.time(15, 30), tzinfo=dt.UTC))
    days = catalog.days_with_free_slots(session, client.id, maths.id)
    assert days == [day + dt.timedelta(days=1)]
    assert len(catalog.free_slots_on_day(session, client.id, maths.id, days[0])) == 1
