"""`python -m jobs.worker`: an RQ worker on Slotbook's queue.

SIGTERM or SIGINT stops it after the job in hand (RQ's warm shutdown); a
second signal stops it at once. Each job runs in a forked child and this
parent never touches the database, so no connection is shared across forks.

RQ rides out a Redis outage while it waits for work, but quits if Redis
vanishes while a job runs. This process then waits for Redis and starts a
fresh worker; the job is lost, which is harmless: the next tick redoes
whatever it had not committed.
"""

from __future__ import annotations

import argparse
import logging
import signal

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Worker

from jobs.runtime import (
    QUEUE_NAME,
    REDIS_OUTAGE_LIMIT_S,
    RedisUnavailableError,
    redis_connection,
    setup_logging,
    wait_for_redis,
)

logger = logging.getLogger(__name__)

# RQ backs off up to a minute between reconnection attempts; after a Redis
# outage the queued work should resume sooner than that.
MAX_REDIS_WAIT_S = 5.0


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
    logger.info("worker starting queue=%s burst=%s", QUEUE_NAME, args.burst)
    # RQ registers the worker before it installs its own signal handlers; a
    # signal in between must still stop the worker cleanly.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    while True:
        worker = Worker([QUEUE_NAME], connection=connection)
        worker.max_connection_wait_time = MAX_REDIS_WAIT_S
        try:
            worker.work(burst=args.burst)
            break
        except KeyboardInterrupt:
            worker.register_death()
            break
        except (RedisConnectionError, RedisTimeoutError) as exc:
            logger.warning("worker lost Redis, waiting for it: %s", exc)
            # The dead worker's command listener would retry on its own forever.
            if worker.pubsub_thread is not None:
                worker.pubsub_thread.stop()
            try:
                wait_for_redis(connection, REDIS_OUTAGE_LIMIT_S)
            except RedisUnavailableError as gone:
                logger.error("worker gives up: %s", gone)
                return 3
            logger.info("worker reconnected to Redis")
    logger.info("worker stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
