"""`python -m jobs.scheduler`: register the tick, then run rq-scheduler's loop.

The loop moves due jobs onto the queue every `--interval` seconds. Two
scheduler processes share a Redis lock, and even a doubled tick is harmless
(see jobs.tasks.tick). SIGTERM or SIGINT stops the loop cleanly: rq-scheduler
records its death, releases its lock and exits.
"""

from __future__ import annotations

import argparse
import logging

from rq_scheduler import Scheduler

from jobs.runtime import (
    QUEUE_NAME,
    RedisUnavailableError,
    redis_connection,
    setup_logging,
    wait_for_redis,
)
from jobs.schedule import register_schedule

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 10


def main(argv: list[str] | None = None) -> int:
    """Register the schedule and run the scheduler loop; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m jobs.scheduler")
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL_S,
        help="seconds between checks for due jobs (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.interval <= 0:
        parser.error("--interval must be positive")
    setup_logging()
    try:
        connection = redis_connection()
        wait_for_redis(connection)
    except RedisUnavailableError as exc:
        logger.error("scheduler cannot start: %s", exc)
        return 2
    scheduler = Scheduler(
        queue_name=QUEUE_NAME, connection=connection, interval=args.interval
    )
    register_schedule(scheduler)
    logger.info("scheduler starting interval=%ss", args.interval)
    try:
        scheduler.run()
    except SystemExit:
        # rq-scheduler's own SIGTERM/SIGINT handler ends the loop this way.
        logger.info("scheduler stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
