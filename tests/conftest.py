"""Test fixtures: a real PostgreSQL and Redis, migrated once per run.

With DATABASE_URL / REDIS_URL set (CI), a fresh database ``slotbook_test`` is
created on that server and Redis database 9 is used. Without them, embedded
servers are started under ``var/test``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import recreate_database
from tests.cleanup import truncate_all
from tests.factories import Factory

# Separate names let several test runs share one server at the same time.
TEST_DB = os.environ.get("SLOTBOOK_TEST_DB", "slotbook_test")
TEST_REDIS_DB = os.environ.get("SLOTBOOK_TEST_REDIS_DB", "9")


def _prepare_database() -> str:
    """Create an empty test database; return its SQLAlchemy URL."""
    return recreate_database(
        os.environ.get("DATABASE_URL"), TEST_DB, ROOT / "var" / "test" / "pg"
    )


def _prepare_redis() -> str:
    base = os.environ.get("REDIS_URL")
    if base:
        if base.count("/") > 2:
            base = base.rsplit("/", 1)[0]
        return f"{base}/{TEST_REDIS_DB}"
    from launcher.embedded import start_redis

    return start_redis(ROOT / "var" / "test" / "redis") + f"?db={TEST_REDIS_DB}"


def pytest_configure(config: pytest.Config) -> None:
    """Point every process-wide setting at the test servers before imports."""
    if os.environ.get("SLOTBOOK_TEST_PREPARED") == "1":
        return
    os.environ["DATABASE_URL"] = _prepare_database()
    os.environ["REDIS_URL"] = _prepare_redis()
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
    os.environ.setdefault("CENTRE_TIMEZONE", "Europe/Moscow")
    for name in ("TELEGRAM_API_ID", "TELEGRAM_API_HASH", "TELEGRAM_BOT_TOKEN"):
        os.environ.pop(name, None)
    # Subprocesses started by tests inherit the prepared environment.
    os.environ["SLOTBOOK_TEST_PREPARED"] = "1"

    migrate_database()


TABLES_KEPT = {"alembic_version"}


@pytest.fixture(scope="session")
def engine():
    from scheduling.db import get_engine

    return get_engine()


@pytest.fixture(autouse=True)
def _clean_database(engine) -> Iterator[None]:
    """Each test starts from empty tables (migrations stay applied)."""
    yield
    truncate_all(engine, TABLES_KEPT)


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session for arranging and asserting; commit explicitly where needed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def factory(session: Session) -> Factory:
    return Factory(session)


@pytest.fixture
def redis_conn():
    from redis import Redis

    conn = Redis.from_url(os.environ["REDIS_URL"])
    conn.flushdb()
    yield conn
    conn.flushdb()


@pytest.fixture
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
