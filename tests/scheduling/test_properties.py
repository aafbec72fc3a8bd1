"""Property-based checks of the booking and re-slicing invariants on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.availability import set_day_availability
from scheduling.booking import Actor, book, cancel
from scheduling.errors import SchedulingError
from scheduling.models import SLOT_OPEN, Booking, Slot, utcnow
from scheduling.settings import get_settings
from scheduling.slicing import local_interval, merge_intervals
from tests.factories import Factory

SYSTEM = Actor("system", source="test")
DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@contextmanager
def rolled_back(engine) -> Iterator[Session]:
    """A session whose every change disappears afterwards (one example)."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


operations = st.lists(
    st.tuples(
        st.sampled_from(["book", "cancel"]),
        st.integers(0, 2),  # slot index
        st.integers(0, 5),  # client index
    ),
    max_size=30,
)


@DB_SETTINGS
@given(capacities=st.lists(st.integers(1, 3), min_size=3, max_size=3), ops=operations)
def test_bookings_never_exceed_capacity(engine, capacities, ops):
    with rolled_back(engine) as session:
        factory = Factory(session)
        teacher = factory.teacher()
        start = utcnow() + dt.timedelta(days=2)
        slots = [
            factory.slot(teacher, start + dt.timedelta(hours=2 * i), capacity=c)
            for i, c in enumerate(capacities)
        ]
        clients = [factory.client(f"Клиент {i}") for i in range(6)]
        for op, slot_i, client_i in ops:
            slot, client = slots[slot_i], clients[client_i]
            try:
                if op == "book":
                    book(session, slot_id=slot.id, client_id=client.id, actor=SYSTEM)
                else:
                    active = session.scalar(
                        select(Booking.id).where(
                            Booking.slot_id == slot.id,
                            Booking.client_id == client.id,
                            Booking.status == "booked",
                        )
                    )
                    if active:
                        cancel(session, booking_id=active, actor=SYSTEM)
            except SchedulingError:
                pass
        for slot in slots:
            session.refresh(slot)
            active = session.scalar(
                select(func.count()).where(
                    Booking.slot_id == slot.id, Booking.status != "cancelled"
                )
            )
            assert slot.booked_count == active <= slot.capacity


hour_sets = st.sets(st.integers(8, 21), max_size=14)


@DB_SETTINGS
@given(first=hour_sets, second=hour_sets, length=st.sampled_from([30, 45, 60, 90]))
def test_reslicing_is_idempotent_and_slots_stay_inside_availability(
    engine, first, second, length
):
    with rolled_back(engine) as session:
        factory = Factory(session)
        teacher = factory.teacher()
        centre = replace(get_settings(session), slot_duration_min=length)
        day = utcnow().date() + dt.timedelta(days=3)

        def intervals(hours):
            return [
                local_interval(
                    day, dt.time(h), dt.time(h + 1) if h < 23 else None, centre.tz
                )
                for h in hours
            ]

        set_day_availability(session, teacher.id, day, intervals(first), centre)
        set_day_availability(session, teacher.id, day, intervals(second), centre)
        before = session.execute(
            select(Slot.starts_at, Slot.ends_at)
            .where(Slot.status == SLOT_OPEN)
            .order_by(Slot.starts_at)
        ).all()
        again = set_day_availability(
            session, teacher.id, day, intervals(second), centre
        )
        after = session.execute(
            select(Slot.starts_at, Slot.ends_at)
            .where(Slot.status == SLOT_OPEN)
            .order_by(Slot.starts_at)
        ).all()
        assert again.created == [] and again.removed == 0 and before == after
        allowed = intervals(second)
        for start, end in after:
            assert end - start == dt.timedelta(minutes=length)
            assert any(a <= start and end <= b for a, b in merge_intervals(allowed))
