"""`python -m launcher.demo`: fill an empty database with a believable centre.

Teachers, subjects and clients are plain rows; availability is cut into slots
by the scheduling rules; lessons are booked in `launcher.demo_lessons`.
Deterministic for a seed. Nothing is sent: the outbox rows the bookings
queued are removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from launcher.demo_lessons import Link, add_bookings
from launcher.demo_names import (
    DAY_PATTERNS,
    RELATED_SUBJECTS,
    SUBJECTS,
    WEEK_PATTERNS,
    full_name,
    mobile_phone,
)
from scheduling.availability import set_day_availability
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
    utcnow,
)
from scheduling.settings import CentreSettings, get_settings, update_settings
from scheduling.slicing import local_interval

logger = logging.getLogger(__name__)

TEACHER_COUNT, CLIENT_COUNT = 10, 150
DAYS_BACK, DAYS_AHEAD = 7, 7
# Synthetic Telegram ids, far above today's real ones, so the simulator can
# act as these people and nothing collides with a real account.
TEACHER_TELEGRAM_BASE = 990_000_000_000
CLIENT_TELEGRAM_BASE = 990_000_100_000


DEMO_CONTACT = "+7 495 123-45-67, администратор (пн–сб 9:00–21:00)"


def load_demo(
    session: Session, now: dt.datetime | None = None, seed: int = 42
) -> dict[str, int]:
    """Fill an empty database with a demo centre; return what it created.

    A database that already has teachers or clients is left alone and the
    result is ``{"skipped": 1}``. The caller commits.
    """
    now = now or utcnow()
    if session.scalar(select(exists().where(Teacher.id.is_not(None)))) or (
        session.scalar(select(exists().where(Client.id.is_not(None))))
    ):
        logger.info("demo skipped: the database already has teachers or clients")
        return {"skipped": 1}
    rng = random.Random(seed)
    # What the bot names when a change is too late for a client to make.
    update_settings(session, {"centre_contact": DEMO_CONTACT})
    settings = get_settings(session)
    with _quiet_scheduling_logs():
        subjects = _subjects(session)
        teachers = _teachers(session, rng, subjects)
        links = _clients(session, rng, teachers)
        for teacher_id in teachers:
            _availability(session, rng, teacher_id, settings, now)
        booking_ids = add_bookings(session, rng, links, settings, now)
        # Demo data must not send anything: drop what the bookings queued.
        session.execute(
            delete(OutboxMessage).where(OutboxMessage.booking_id.in_(booking_ids))
        )
    counts = _counts(session)
    logger.info(
        "demo loaded seed=%s teachers=%s clients=%s slots=%s bookings=%s",
        seed,
        counts["teachers"],
        counts["clients"],
        counts["slots"],
        counts["bookings"],
    )
    return counts


@contextmanager
def _quiet_scheduling_logs() -> Iterator[None]:
    """Hundreds of demo bookings are not business events worth a line each."""
    domain = logging.getLogger("scheduling")
    level = domain.level
    domain.setLevel(logging.WARNING)
    try:
        yield
    finally:
        domain.setLevel(level)


def _subjects(session: Session) -> dict[str, int]:
    """The demo subjects by name, reusing any that already exist."""
    existing = dict(session.execute(select(Subject.name, Subject.id)).all())
    for name in SUBJECTS:
        if name not in existing:
            subject = Subject(name=name)
            session.add(subject)
            session.flush()
            existing[name] = subject.id
    return {name: existing[name] for name in SUBJECTS}


def _teachers(
    session: Session, rng: random.Random, subjects: dict[str, int]
) -> dict[int, list[int]]:
    """Teachers with 1-3 subjects each; every subject has a teacher."""
    phones: set[str] = set()
    teachers: dict[int, list[int]] = {}
    # The two subjects most asked for get a second teacher.
    main_subjects = [*SUBJECTS, "Математика", "Английский язык"]
    for index, main in enumerate(main_subjects[:TEACHER_COUNT]):
        related = list(RELATED_SUBJECTS[main])
        extra = rng.sample(related, k=min(len(related), rng.choice((0, 1, 1, 2))))
        teacher = Teacher(
            full_name=full_name(rng),
            phone=mobile_phone(rng, phones),
            telegram_user_id=TEACHER_TELEGRAM_BASE + index + 1,
        )
        session.add(teacher)
        session.flush()
        taught = [subjects[name] for name in (main, *extra)]
        session.add_all(
            TeacherSubject(teacher_id=teacher.id, subject_id=subject_id)
            for subject_id in taught
        )
        teachers[teacher.id] = taught
    session.flush()
    return teachers


def _clients(
    session: Session, rng: random.Random, teachers: dict[int, list[int]]
) -> dict[int, list[Link]]:
    """Clients, most with Telegram; each studies with one or two teachers."""
    phones: set[str] = set()
    links: dict[int, list[Link]] = defaultdict(list)
    teacher_ids = sorted(teachers)
    for index in range(CLIENT_COUNT):
        with_telegram = rng.random() < 0.85
        client = Client(
            full_name=full_name(rng),
            phone=mobile_phone(rng, phones),
            telegram_user_id=CLIENT_TELEGRAM_BASE + index + 1
            if with_telegram
            else None,
            language="en" if rng.random() < 0.05 else "ru",
        )
        session.add(client)
        session.flush()
        how_many = 1 if rng.random() < 0.7 else 2
        for teacher_id in rng.sample(teacher_ids, k=how_many):
            links[teacher_id].append((client.id, rng.choice(teachers[teacher_id])))
    return links


def _availability(
    session: Session,
    rng: random.Random,
    teacher_id: int,
    settings: CentreSettings,
    now: dt.datetime,
) -> None:
    """A working-week pattern over the fortnight around today, sliced by the rules."""
    weekday_hours, saturday_hours = rng.choice(DAY_PATTERNS)
    workdays = rng.choice(WEEK_PATTERNS)
    today = now.astimezone(settings.tz).date()
    for offset in range(-DAYS_BACK, DAYS_AHEAD + 1):
        day = today + dt.timedelta(days=offset)
        hours = saturday_hours if day.weekday() == 5 else weekday_hours
        # Now and then a teacher takes a working day off.
        if day.weekday() not in workdays or hours is None or rng.random() < 0.08:
            continue
        start, end = dt.time(hours[0]), dt.time(hours[1])
        interval = local_interval(day, start, end, settings.tz)
        set_day_availability(session, teacher_id, day, [interval], settings)


def _counts(session: Session) -> dict[str, int]:
    """What the database now holds, by kind and by booking status."""
    counts = {
        "skipped": 0,
        "subjects": session.scalar(select(func.count(Subject.id))) or 0,
        "teachers": session.scalar(select(func.count(Teacher.id))) or 0,
        "clients": session.scalar(select(func.count(Client.id))) or 0,
        "slots": session.scalar(select(func.count(Slot.id))) or 0,
        "bookings": session.scalar(select(func.count(Booking.id))) or 0,
    }
    by_status = dict(
        session.execute(
            select(Booking.status, func.count(Booking.id)).group_by(Booking.status)
        ).all()
    )
    for status in (BOOKED, ATTENDED, NO_SHOW, CANCELLED):
        counts[status] = by_status.get(status, 0)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Load the demo centre into DATABASE_URL and print what was created."""
    parser = argparse.ArgumentParser(prog="python -m launcher.demo")
    parser.add_argument("--seed", type=int, default=42, help="default %(default)s")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from scheduling.db import session_scope

    try:
        with session_scope() as session:
            counts = load_demo(session, seed=args.seed)
    except (RuntimeError, OperationalError) as exc:
        print(f"Демо-данные не загружены / Demo data not loaded: {exc}")
        return 2
    if counts["skipped"]:
        print(
            "В базе уже есть преподаватели или клиенты — демо-данные не загружены.\n"
            "The database already has teachers or clients; demo data not loaded."
        )
        return 0
    print(
        f"Демо-центр загружен: преподавателей {counts['teachers']}, "
        f"клиентов {counts['clients']}, слотов {counts['slots']}, "
        f"записей {counts['bookings']}.\n"
        f"Demo centre loaded: {counts['teachers']} teachers, "
        f"{counts['clients']} clients, {counts['slots']} slots, "
        f"{counts['bookings']} bookings."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
