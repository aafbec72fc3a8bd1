"""Empty, migrated databases for the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path

import psycopg
from sqlalchemy import make_url

from config import sqlalchemy_url


def recreate_database(base_url: str | None, name: str, embedded_dir: Path) -> str:
    """Drop and create database `name`; return its SQLAlchemy URL.

    The server is `base_url`'s, or an embedded one in `embedded_dir` when
    `base_url` is empty. Sessions still connected to the old database are
    ended first, so a crashed earlier run does not block the drop.
    """
    if not base_url:
        from launcher.embedded import start_postgres

        base_url = start_postgres(embedded_dir, database="postgres")
    url = make_url(sqlalchemy_url(base_url))
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(False), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(False)


def drop_database(url: str) -> None:
    """Drop the database of `url`, ending its sessions."""
    target = make_url(sqlalchemy_url(url))
    admin = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
