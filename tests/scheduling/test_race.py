"""Concurrent booking from several processes on real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from scheduling.models import Booking, Slot, utcnow
from tests.scheduling.race_worker import attempt_bookings

PROCESSES = 8
ATTEMPTS = 200
SLOTS = 20


def test_200_concurrent_attempts_on_20_slots_make_exactly_20_bookings(session, factory):
    """Each of the 20 slots is wanted by 10 clients in 8 processes at once."""
    teacher = factory.teacher()
    start = dt.datetime.combine(
        utcnow().date() + dt.timedelta(days=3), dt.time(6), tzinfo=dt.UTC
    )
    slots = [factory.slot(teacher, start + dt.timedelta(hours=i)) for i in range(SLOTS)]
    clients = [factory.client(f"Клиент {i}") for i in range(ATTEMPTS)]
    session.commit()
    pairs = [(slots[i % SLOTS].id, client.id) for i, client in enumerate(clients)]
    chunks = [pairs[i::PROCESSES] for i in range(PROCESSES)]
    go = time.time() + 2.0
    with ProcessPoolExecutor(PROCESSES, mp_context=get_context("spawn")) as pool:
        results = [
            pool.submit(attempt_bookings, os.environ["DATABASE_URL"], chunk, go)
            for chunk in chunks
        ]
        outcomes = sum((Counter(f.result()) for f in results), Counter())
    assert outcomes == Counter(
        {"booked": SLOTS, "refused:slot_taken": ATTEMPTS - SLOTS}
    )
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Booking)) == SLOTS
    assert session.scalar(select(func.max(Slot.booked_count))) == 1


def test_database_alone_refuses_overfilling_a_slot(engine, session, factory):
    """Raw inserts that skip every Python check still cannot overfill a slot."""
    teacher = factory.teacher()
    slot = factory.slot(teacher, utcnow() + dt.timedelta(days=1), capacity=2)
    clients = [factory.client(f"Клиент {i}") for i in range(3)]
    session.commit()
    insert = text(
        "INSERT INTO bookings (slot_id, client_id, starts_at, ends_at) "
        "SELECT id, :client, starts_at, ends_at FROM slots WHERE id = :slot"
    )
    with engine.begin() as conn:
        for client in clients[:2]:
            conn.execute(insert, {"client": client.id, "slot": slot.id})
    with pytest.raises(IntegrityError) as err, engine.begin() as conn:
        conn.execute(insert, {"client": clients[2].id, "slot": slot.id})
    assert err.value.orig.diag.constraint_name == "ck_slots_capacity"
