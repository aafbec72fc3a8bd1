"""A small centre whose every report figure was worked out by hand.

Two weeks, Monday 01.09.2025 to Sunday 14.09.2025, Moscow time. Lessons are
in the past, so the rows are written directly (the booking rules refuse the
past); cancellations carry the history entry the domain would write.

Slots (local time; * = outside the period):
  Smirnova  A1 Mon 01.09 10-11 maths     Ivanov attended
            A2 Mon 01.09 11-12 (none)    Petrova physics, no-show
            A3 Tue 02.09 10-11:30 (none) free
            A4 Mon 08.09 10-11 maths     Sidorov no-show
            A5 Tue 09.09 10-11 maths     Ivanov cancelled 1 h before, history
                                         says in time; Petrova booked
           *A0 Sun 31.08 23-24 maths     Ivanov attended
           *A6 Mon 15.09 10-11 maths     Ivanov attended
  Orlov     B0 Mon 01.09 02-03 maths     free (Sunday 23:00 in UTC)
            B1 Wed 03.09 15-16 maths x2  Ivanov and Sidorov attended
            B2 Wed 03.09 16-17 maths     Petrova cancelled late (history)
            B3 Thu 11.09 18-19 maths     closed; Sidorov cancelled 30 min
                                         before, no history -> late by cutoff
            B4 Fri 12.09 09-10 (none)    free
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from reports.base import ReportQuery
from scheduling.models import Booking, BookingEvent, Slot

MOSCOW = ZoneInfo("Europe/Moscow")
START, END = dt.date(2025, 9, 1), dt.date(2025, 9, 14)
SMIRNOVA, ORLOV = "Смирнова Анна Петровна", "Орлов Игорь Сергеевич"
IVANOV, PETROVA, SIDOROV = "Иванов Иван", "Петрова Ольга", "Сидоров Пётр"


def at(day: int, hour: int, minute: int = 0, month: int = 9) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=MOSCOW)


@dataclass
class Centre:
    teachers: dict[str, int]
    subjects: dict[str, int]
    clients: dict[str, int]

    def query(self, **filters: int | None) -> ReportQuery:
        return ReportQuery(START, END, MOSCOW, **filters)


@pytest.fixture
def centre(session, factory) -> Centre:
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    smirnova = factory.teacher(SMIRNOVA, subjects=(maths, physics))
    orlov = factory.teacher(ORLOV, subjects=(maths,))
    ivanov, petrova = factory.client(IVANOV), factory.client(PETROVA)
    sidorov = factory.client(SIDOROV)

    def slot(teacher, start, minutes=60, subject=maths, **kw) -> Slot:
        return factory.slot(
            teacher, start, minutes, subject_id=subject and subject.id, **kw
        )

    def booking(slot_, client, status, subject=None, cancelled_before=None, late=None):
        row = Booking(
            slot_id=slot_.id,
            client_id=client.id,
            subject_id=subject.id if subject else slot_.subject_id,
            starts_at=slot_.starts_at,
            ends_at=slot_.ends_at,
            status=status,
            source="bot",
        )
        if cancelled_before is not None:
            row.cancelled_at = slot_.starts_at - cancelled_before
        session.add(row)
        session.flush()
        if late is not None:
            session.add(
                BookingEvent(
                    booking_id=row.id,
                    action="cancelled",
                    actor="test",
                    source="bot",
                    details={"late": late, "override": False, "reason": ""},
                )
            )
        return row

    a1 = slot(smirnova, at(1, 10))
    a2 = slot(smirnova, at(1, 11), subject=None)
    slot(smirnova, at(2, 10), minutes=90, subject=None)
    a4 = slot(smirnova, at(8, 10))
    a5 = slot(smirnova, at(9, 10))
    a0 = slot(smirnova, at(31, 23, month=8))
    a6 = slot(smirnova, at(15, 10))
    slot(orlov, at(1, 2))
    b1 = slot(orlov, at(3, 15), capacity=2)
    b2 = slot(orlov, at(3, 16))
    b3 = slot(orlov, at(11, 18))
    slot(orlov, at(12, 9), subject=None)

    hour, half = dt.timedelta(hours=1), dt.timedelta(minutes=30)
    booking(a1, ivanov, "attended")
    booking(a2, petrova, "no_show", subject=physics)
    booking(a4, sidorov, "no_show")
    booking(a5, ivanov, "cancelled", cancelled_before=hour, late=False)
    booking(a5, petrova, "booked")
    booking(a0, ivanov, "attended")
    booking(a6, ivanov, "attended")
    booking(b1, ivanov, "attended")
    booking(b1, sidorov, "attended")
    booking(b2, petrova, "cancelled", cancelled_before=hour, late=True)
    booking(b3, sidorov, "cancelled", cancelled_before=half)
    b3.status = "closed"
    session.commit()
    return Centre(
        teachers={SMIRNOVA: smirnova.id, ORLOV: orlov.id},
        subjects={"Математика": maths.id, "Физика": physics.id},
        clients={IVANOV: ivanov.id, PETROVA: petrova.id, SIDOROV: sidorov.id},
    )
