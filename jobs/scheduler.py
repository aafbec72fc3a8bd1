"""`python -m jobs.scheduler`: register the tick, then run rq-scheduler's loop.

The loop moves due jobs onto the queue every `--interval` seconds. Two
scheduler processes share a Redis lock, and even a doubled tick is harmless
(see jobs.tasks.tick). SIGTERM or SIGINT stops the loop cleanly: rq-scheduler
records its death, releases its lock and exits.

If Redis goes away, rq-scheduler's loop raises; this process waits for Redis
to answer again and registers the tick anew, because a Redis restarted
without persistence has forgotten it (Redis holds no business data).
"""

from __future__ import annotations

import argparse
import logging

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq_scheduler import Scheduler

from jobs.runtime import (
    QUEUE_NAME,
    REDIS_OUTAGE_LIMIT_S,
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
    logger.info("scheduler starting interval=%ss", args.interval)
    while True:
        try:
            _run(connection, args.interval)
        except SystemExit:
            # rq-scheduler's own SIGTERM/SIGINT handler ends the loop this way.
            logger.info("scheduler stopped")
            return 0
        except (RedisConnectionError, RedisTimeoutError) as exc:
            logger.warning("scheduler lost Redis, waiting for it: %s", exc)
            try:
                wait_for_redis(connection, REDIS_OUTAGE_LIMIT_S)
            except RedisUnavailableError as gone:
                logger.error("scheduler gives up: %s", gone)
                return 3
            logger.info("scheduler reconnected to Redis")


def _run(connection: Redis, interval: float) -> None:
    """Register the tick and run rq-scheduler's loop until it stops or raises."""
    # A fresh instance each time: its name (and so its Redis key) is new.
    scheduler = Scheduler(
        queue_name=QUEUE_NAME, connection=connection, interval=interval
    )
    register_schedule(scheduler)
    scheduler.run()


if __name__ == "__main__":
    raise SystemExit(main())
