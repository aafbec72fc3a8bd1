"""What the worker and the scheduler processes share: Redis, the queue, logging."""

from __future__ import annotations

import logging
import sys
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config import get_config

logger = logging.getLogger(__name__)

# One queue for all of Slotbook's background work.
QUEUE_NAME = "slotbook"
# How long the worker and the scheduler wait for a lost Redis to come back
# before giving up (then the supervisor restarts them).
REDIS_OUTAGE_LIMIT_S = 24 * 3600

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedisUnavailableError(RuntimeError):
    """Redis is not configured or does not answer."""


def setup_logging(level: int = logging.INFO) -> None:
    """Log to stderr; RQ sees the root handler and adds none of its own."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)


def redis_connection(url: str | None = None) -> Redis:
    """A Redis client for `url` or REDIS_URL (redis://, rediss:// or unix://)."""
    url = url or get_config().redis_url
    if not url:
        raise RedisUnavailableError(
            "REDIS_URL is not set; start Slotbook with `python -m launcher`, "
            "which provides an embedded Redis, or set REDIS_URL"
        )
    return Redis.from_url(url)


def wait_for_redis(connection: Redis, timeout: float = 30.0) -> None:
    """Block until Redis answers PING; a process started with it may be early."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.ping()
            return
        except (RedisConnectionError, RedisTimeoutError) as exc:
            if time.monotonic() > deadline:
                raise RedisUnavailableError(
                    f"Redis (REDIS_URL) did not answer within {timeout:.0f} s: {exc}"
                ) from exc
            time.sleep(0.5)
