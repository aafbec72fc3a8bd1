"""The tick through real RQ and rq-scheduler, against the test Redis."""

from __future__ import annotations

import datetime as dt

import pytest
from rq import Queue, SimpleWorker
from rq.job import JobStatus
from rq_scheduler import Scheduler
from sqlalchemy import select, update

import jobs.tasks
from jobs.runtime import QUEUE_NAME
from jobs.schedule import TICK_INTERVAL_S, TICK_JOB_ID, register_schedule
from jobs.tasks import tick
from scheduling.booking import Actor, book
from scheduling.models import Booking, OutboxMessage, utcnow

SYSTEM = Actor("system", source="test", name="test")


@pytest.fixture
def queue(redis_conn) -> Queue:
    return Queue(QUEUE_NAME, connection=redis_conn)


@pytest.fixture
def scheduler(redis_conn) -> Scheduler:
    return Scheduler(queue_name=QUEUE_NAME, connection=redis_conn, interval=1)


def run_worker(redis_conn) -> bool:
    """Run every queued job in this process; True if any job ran."""
    worker = SimpleWorker([QUEUE_NAME], connection=redis_conn)
    return worker.work(burst=True)


@pytest.fixture
def lesson_in_70_minutes(session, factory) -> Booking:
    """A booking made two hours ago whose one-hour reminder is due now."""
    teacher = factory.teacher()
    client = factory.client()
    slot = factory.slot(teacher, utcnow() + dt.timedelta(minutes=70))
    booking = book(session, slot_id=slot.id, client_id=client.id, actor=SYSTEM)
    session.execute(
        update(Booking)
        .where(Booking.id == booking.id)
        .values(created_at=utcnow() - dt.timedelta(hours=2))
    )
    session.commit()
    return booking


def reminder_count(session) -> int:
    return len(
        session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.kind == "reminder")
        ).all()
    )


def test_real_worker_executes_an_enqueued_tick(
    redis_conn, queue, session, lesson_in_70_minutes
):
    job = queue.enqueue(tick)

    assert run_worker(redis_conn) is True

    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value()["reminders"] == 1
    assert reminder_count(session) == 1


def test_failing_tick_shows_as_a_failed_job(
    redis_conn, queue, session, lesson_in_70_minutes, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(jobs.tasks, "open_due_polls", explode)
    job = queue.enqueue(tick)

    run_worker(redis_conn)

    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert "TickFailedError" in (job.latest_result().exc_string or "")
    # The reminders part ran all the same.
    assert reminder_count(session) == 1


def test_registering_the_schedule_twice_leaves_one_tick(scheduler):
    # A tick left by an older registration under another id, and a job
    # that is not ours and must survive.
    scheduler.schedule(utcnow(), "jobs.tasks.tick", interval=60, id="old-tick")
    scheduler.schedule(utcnow(), "math.floor", args=(1.5,), interval=60, id="other")

    register_schedule(scheduler)
    register_schedule(scheduler)

    scheduled = list(scheduler.get_jobs())
    assert sorted(job.id for job in scheduled) == sorted([TICK_JOB_ID, "other"])
    ours = next(job for job in scheduled if job.id == TICK_JOB_ID)
    assert ours.func_name == "jobs.tasks.tick"
    assert ours.origin == QUEUE_NAME
    assert ours.meta["interval"] == TICK_INTERVAL_S
    assert "repeat" not in ours.meta


def test_scheduled_tick_is_queued_again_after_it_ran(
    redis_conn, scheduler, queue, session, lesson_in_70_minutes
):
    register_schedule(scheduler)

    scheduler.enqueue_jobs()
    assert queue.job_ids == [TICK_JOB_ID]
    assert run_worker(redis_conn) is True
    # Re-armed for the next minute, not due yet.
    assert TICK_JOB_ID in scheduler
    scheduler.enqueue_jobs()
    assert queue.job_ids == []

    scheduler.change_execution_time(queue.fetch_job(TICK_JOB_ID), utcnow())
    scheduler.enqueue_jobs()
    assert queue.job_ids == [TICK_JOB_ID]
    assert run_worker(redis_conn) is True

    assert queue.fetch_job(TICK_JOB_ID).get_status() == JobStatus.FINISHED
    assert reminder_count(session) == 1
