"""Which PostgreSQL and Redis a local run uses: the given ones or embedded ones."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from launcher import embedded

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Servers:
    """The resolved URLs, and which of them this run started itself."""

    database_url: str
    redis_url: str
    embedded_postgres: Path | None = None
    embedded_redis: Path | None = None

    def describe(self) -> str:
        """One line for the console, without passwords."""
        database = "embedded" if self.embedded_postgres else "DATABASE_URL"
        redis = "embedded" if self.embedded_redis else "REDIS_URL"
        return f"PostgreSQL: {database}, Redis: {redis}"


def resolve_servers(
    database_url: str | None,
    redis_url: str | None,
    var_dir: Path,
    start_postgres: Callable[[Path], str] = embedded.start_postgres,
    start_redis: Callable[[Path], str] = embedded.start_redis,
) -> Servers:
    """Use the given URLs; start an embedded server under `var_dir` per missing one."""
    pg_dir = redis_dir = None
    if not database_url:
        pg_dir = var_dir / "pg"
        database_url = start_postgres(pg_dir)
        logger.info("embedded PostgreSQL running in %s", pg_dir)
    if not redis_url:
        redis_dir = var_dir / "redis"
        redis_url = start_redis(redis_dir)
        logger.info("embedded Redis running in %s", redis_dir)
    return Servers(database_url, redis_url, pg_dir, redis_dir)


def stop_embedded(servers: Servers) -> None:
    """Stop the embedded servers this run started (given servers are left alone)."""
    if servers.embedded_redis:
        embedded.stop_redis(servers.embedded_redis)
    if servers.embedded_postgres:
        embedded.stop_postgres(servers.embedded_postgres)
