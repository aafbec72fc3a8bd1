"""Emptying the test database between tests."""

from __future__ import annotations

import time
from collections.abc import Collection

from psycopg.errors import DeadlockDetected, LockNotAvailable
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

ATTEMPTS = 5


def truncate_all(engine: Engine, kept: Collection[str]) -> None:
    """TRUNCATE every table of the public schema except `kept`.

    A process a test killed with SIGKILL can leave its PostgreSQL backend in
    the middle of a statement for a moment; TRUNCATE then deadlocks with it or
    waits. PostgreSQL aborts one side, the backend finishes and goes, and the
    next attempt succeeds.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                tables = conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
                names = [t for t in tables if t not in kept]
                if names:
                    conn.execute(
                        text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
                    )
            return
        except OperationalError as exc:
            retryable = isinstance(exc.orig, DeadlockDetected | LockNotAvailable)
            if not retryable or attempt == ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)
