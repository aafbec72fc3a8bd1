"""`python -m jobs.worker`: an RQ worker on Slotbook's queue.

SIGTERM or SIGINT stops it after the job in hand (RQ's warm shutdown); a
second signal stops it at once. Each job runs in a forked child and this
parent never touches the database, so no connection is shared across forks.
"""

from __future__ import annotations

import argparse
import logging

from rq import Worker

from jobs.runtime import (
    QUEUE_NAME,
    RedisUnavailableError,
    redis_connection,
    setup_logging,
    wait_for_redis,
)

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Run the worker until it is told to stop; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m jobs.worker")
    parser.add_argument(
        "--burst", action="store_true", help="run the queued jobs, then exit"
    )
    args = parser.parse_args(argv)
    setup_logging()
    try:
        connection = redis_connection()
        wait_for_redis(connection)
    except RedisUnavailableError as exc:
        logger.error("worker cannot start: %s", exc)
        return 2
    worker = Worker([QUEUE_NAME], connection=connection)
    logger.info("worker starting queue=%s burst=%s", QUEUE_NAME, args.burst)
    worker.work(burst=args.burst)
    logger.info("worker stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
