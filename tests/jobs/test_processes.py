"""`python -m jobs.worker` and `python -m jobs.scheduler` as real processes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from rq import Worker
from rq_scheduler import Scheduler
from sqlalchemy import select, update

from config import ROOT
from jobs.runtime import QUEUE_NAME
from jobs.schedule import TICK_JOB_ID
from scheduling.booking import Actor, book
from scheduling.models import Booking, OutboxMessage, utcnow

STARTUP_TIMEOUT_S = 20


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def start_process() -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `python -m <module>` with the test environment; kill leftovers."""
    started: list[subprocess.Popen] = []

    def start(module: str, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Its own group: the clean-up kill takes an RQ work-horse too.
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def stop(process: subprocess.Popen, signum: int) -> tuple[int, str]:
    process.send_signal(signum)
    output, _ = process.communicate(timeout=15)
    return process.returncode, output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_process_stops_cleanly_on_a_signal(redis_conn, start_process, signum):
    worker = start_process("jobs.worker")
    wait_until(
        lambda: len(Worker.all(connection=redis_conn)) == 1,
        STARTUP_TIMEOUT_S,
        "the worker to register",
    )

    returncode, output = stop(worker, signum)

    assert returncode == 0, output
    assert "worker stopped" in output
    assert "Traceback" not in output
    assert Worker.all(connection=redis_conn) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_scheduler_process_registers_the_tick_and_stops_cleanly(
    redis_conn, start_process, signum
):
    process = start_process("jobs.scheduler", "--interval", "1")
    scheduler = Scheduler(queue_name=QUEUE_NAME, connection=redis_conn)
    wait_until(
        lambda: redis_conn.exists("rq:queue:" + QUEUE_NAME),
        STARTUP_TIMEOUT_S,
        "the first tick on the queue",
    )

    returncode, output = stop(process, signum)

    assert returncode == 0, output
    assert "scheduler stopped" in output
    assert "Traceback" not in output
    assert TICK_JOB_ID in scheduler
    assert not redis_conn.exists(Scheduler.scheduler_lock_key)


def test_scheduler_and_worker_processes_queue_a_due_reminder(
    redis_conn, session, factory, start_process
):
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, utcnow() + dt.timedelta(minutes=70))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=Actor("system"))
    session.execute(
        update(Booking)
        .where(Booking.id == booking.id)
        .values(created_at=utcnow() - dt.timedelta(hours=2))
    )
    session.commit()

    start_process("jobs.scheduler", "--interval", "1")
    worker = start_process("jobs.worker")

    def reminder_queued() -> bool:
        session.rollback()
        return (
            session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.booking_id == booking.id,
                    OutboxMessage.kind == "reminder",
                )
            )
            is not None
        )

    wait_until(reminder_queued, STARTUP_TIMEOUT_S, "the reminder in the outbox")
    returncode, output = stop(worker, signal.SIGTERM)
    assert returncode == 0, output
    assert "tick done" in output
