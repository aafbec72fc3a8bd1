"""The periodic schedule: one tick a minute, registered idempotently.

Why an interval and not a cron string: rq-scheduler reads cron strings in the
server's local time whatever it is told, and cron scheduling has open
duplicate-run reports. An interval has no timezone at all. The tick itself
asks the database what is due in the centre's timezone, so all that matters
here is that it runs about once a minute; the small drift of an interval
(next run = enqueue time + 60 s, checked every scheduler pass) is harmless.
"""

from __future__ import annotations

import logging

from rq.job import Job
from rq_scheduler import Scheduler

from jobs.runtime import QUEUE_NAME
from jobs.tasks import tick
from scheduling.models import utcnow

logger = logging.getLogger(__name__)

TICK_JOB_ID = "slotbook-tick"
TICK_FUNC_NAME = f"{tick.__module__}.{tick.__name__}"
TICK_INTERVAL_S = 60
# A tick takes well under a second; a stuck one is killed long before the
# next few have piled up behind it.
TICK_TIMEOUT_S = 300


def _is_tick(job: Job) -> bool:
    """Our tick, whatever id an earlier version registered it under."""
    if job.id == TICK_JOB_ID:
        return True
    try:
        return job.func_name == TICK_FUNC_NAME
    # A job from another program may not even deserialise; it is not ours.
    except Exception:  # noqa: BLE001
        return False


def register_schedule(scheduler: Scheduler) -> Job:
    """Replace any scheduled tick by one firing now and then every minute."""
    removed = 0
    for job in list(scheduler.get_jobs()):
        if _is_tick(job):
            scheduler.cancel(job)
            removed += 1
    job = scheduler.schedule(
        scheduled_time=utcnow(),
        func=tick,
        interval=TICK_INTERVAL_S,
        repeat=None,
        id=TICK_JOB_ID,
        queue_name=QUEUE_NAME,
        timeout=TICK_TIMEOUT_S,
        description="Slotbook tick: open due polls, queue due reminders",
    )
    logger.info(
        "schedule registered job=%s interval=%ss replaced=%s",
        job.id,
        TICK_INTERVAL_S,
        removed,
    )
    return job
