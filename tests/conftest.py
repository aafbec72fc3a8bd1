"""Test fixtures: a real PostgreSQL and Redis, migrated once per run.

With DATABASE_URL / REDIS_URL set (CI), a fresh database ``slotbook_test`` is
created on that server and Redis database 9 is used. Without them, embedded
servers are started under ``var/test``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from config import ROOT
from tests.factories import Factory

# Separate names let several test runs share one server at the same time.
TEST_DB = os.environ.get("SLOTBOOK_TEST_DB", "slotbook_test")
TEST_REDIS_DB = os.environ.get("SLOTBOOK_TEST_REDIS_DB", "9")


def _prepare_database() -> str:
    """Create an empty, migrated test database; return its SQLAlchemy URL."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        from launcher.embedded import start_postgres

        base = start_postgres(ROOT / "var" / "test" / "pg", database="postgres")
    from config import sqlalchemy_url

    url = make_url(sqlalchemy_url(base))
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (TEST_DB,),
        )
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB}")
        conn.execute(f"CREATE DATABASE {TEST_DB}")
    return url.set(database=TEST_DB).render_as_string(hide_password=False)


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

    from alembic import command
    from alembic.config import Config as AlembicConfig

    alembic_cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    alembic_cfg.attributes["configure_logger"] = False
    command.upgrade(alembic_cfg, "head")


TABLES_KEPT = {"alembic_version"}


@pytest.fixture(scope="session")
def engine():
    from scheduling.db import get_engine

    return get_engine()


@pytest.fixture(autouse=True)
def _clean_database(engine) -> Iterator[None]:
    """Each test starts from empty tables (migrations stay applied)."""
    yield
    with engine.begin() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        names = [t for t in tables if t not in TABLES_KEPT]
        if names:
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


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
