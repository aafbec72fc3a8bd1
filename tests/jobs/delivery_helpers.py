"""Shared pieces of the delivery tests that run real worker and sender processes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from config import ROOT
from scheduling.models import Booking, Client, Slot, Teacher, utcnow
from tests.jobs.fake_sender import ATTEMPTS_TABLE

# One directory per test run: several runs may share the checkout.
LOG_DIR = ROOT / "test-artifacts" / "processes" / str(os.getpid())
TEACHERS = 50
# Lessons start 30-59 minutes from now, so their 60-minute reminders are
# already due (the sender sends them at once) and none has started before a
# test is over.
FIRST_LESSON = dt.timedelta(minutes=30)
LESSON_SPREAD = dt.timedelta(minutes=29)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def lessons_due_for_reminders(session: Session, count: int) -> list[int]:
    """`count` booked lessons of distinct clients, booked three hours ago."""
    now = utcnow()
    teachers = session.scalars(
        insert(Teacher).returning(Teacher.id, sort_by_parameter_order=True),
        [
            {"full_name": f"Преподаватель {n}", "telegram_user_id": 900_000 + n}
            for n in range(TEACHERS)
        ],
    ).all()
    clients = session.scalars(
        insert(Client).returning(Client.id, sort_by_parameter_order=True),
        [
            {"full_name": f"Клиент {n}", "telegram_user_id": 800_000 + n}
            for n in range(count)
        ],
    ).all()
    # One-minute lessons spread evenly: a teacher's next one is TEACHERS
    # steps later, far more than a minute, so none overlap.
    step = LESSON_SPREAD / count
    starts = [now + FIRST_LESSON + n * step for n in range(count)]
    slots = session.scalars(
        insert(Slot).returning(Slot.id, sort_by_parameter_order=True),
        [
            {
                "teacher_id": teachers[n % TEACHERS],
                "starts_at": starts[n],
                "ends_at": starts[n] + dt.timedelta(minutes=1),
            }
            for n in range(count)
        ],
    ).all()
    bookings = session.scalars(
        insert(Booking).returning(Booking.id, sort_by_parameter_order=True),
        [
            {
                "slot_id": slots[n],
                "client_id": clients[n],
                "starts_at": starts[n],
                "ends_at": starts[n] + dt.timedelta(minutes=1),
                "created_at": now - dt.timedelta(hours=3),
            }
            for n in range(count)
        ],
    ).all()
    session.execute(text(ATTEMPTS_TABLE))
    session.commit()
    return list(bookings)


def attempts(session: Session, kind: str = "reminder") -> tuple[int, int]:
    """(send attempts, distinct outbox rows delivered) of `kind` seen by the fake."""
    session.rollback()
    total, distinct = session.execute(
        text(
            "SELECT count(*), count(DISTINCT a.outbox_id) "
            "FROM fake_telegram_attempts a JOIN outbox o ON o.id = a.outbox_id "
            "WHERE o.kind = :kind"
        ),
        {"kind": kind},
    ).one()
    return total, distinct


class Processes:
    """Starts `python -m <module>` processes in their own process groups."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, module: str, *args: str, **env: str) -> subprocess.Popen:
        """Start the module; its output goes to test-artifacts/processes/."""
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        name = f"{module.rsplit('.', 1)[-1]}-{len(self.started)}.log"
        with open(LOG_DIR / name, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own group, so a kill takes the RQ work-horse child too.
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the process and its children: no clean-up runs."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process)
