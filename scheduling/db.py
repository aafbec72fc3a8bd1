"""Engine and session factory shared by every process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from config import get_config, sqlalchemy_url


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url`, with the psycopg 3 driver and pre-ping."""
    return create_engine(sqlalchemy_url(url), pool_pre_ping=True, **kwargs)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The process-wide engine for DATABASE_URL."""
    url = get_config().database_url
    if not url:
        raise RuntimeError(
            "DATABASE_URL is not set; start Slotbook through the run command, "
            "which provides an embedded PostgreSQL"
        )
    return make_engine(url)


@lru_cache(maxsize=1)
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(get_engine(), expire_on_commit=False)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    session = get_sessionmaker()()
    try:
        with session.begin():
            yield session
    finally:
        session.close()
