"""Given server URLs are used as they are; missing ones become embedded servers."""

from __future__ import annotations

import time

import psycopg
from redis import Redis
from redis.exceptions import RedisError

from config import sqlalchemy_url
from launcher.servers import resolve_servers, stop_embedded


class _Starter:
    def __init__(self, url: str) -> None:
        self.url = url
        self.dirs = []

    def __call__(self, data_dir):
        self.dirs.append(data_dir)
        return self.url


def test_given_urls_are_used_and_no_embedded_server_starts(tmp_path) -> None:
    pg, redis = _Starter("unused"), _Starter("unused")

    servers = resolve_servers(
        "postgresql://db.example/slotbook",
        "redis://cache.example:6379/0",
        tmp_path,
        start_postgres=pg,
        start_redis=redis,
    )

    assert servers.database_url == "postgresql://db.example/slotbook"
    assert servers.redis_url == "redis://cache.example:6379/0"
    assert (servers.embedded_postgres, servers.embedded_redis) == (None, None)
    assert pg.dirs == [] and redis.dirs == []
    assert servers.describe() == "PostgreSQL: DATABASE_URL, Redis: REDIS_URL"


def test_missing_urls_start_embedded_servers_under_the_var_dir(tmp_path) -> None:
    pg = _Starter("postgresql+psycopg://postgres@/slotbook?host=/tmp/x")
    redis = _Starter("unix:///tmp/x/redis.sock")

    servers = resolve_servers(None, "", tmp_path, start_postgres=pg, start_redis=redis)

    assert pg.dirs == [tmp_path / "pg"] and redis.dirs == [tmp_path / "redis"]
    assert servers.database_url == pg.url and servers.redis_url == redis.url
    assert servers.embedded_postgres == tmp_path / "pg"
    assert servers.describe() == "PostgreSQL: embedded, Redis: embedded"


def test_only_the_missing_server_is_embedded(tmp_path) -> None:
    pg, redis = _Starter("unused"), _Starter("unix:///tmp/x/redis.sock")

    servers = resolve_servers(
        "postgresql://db.example/slotbook",
        None,
        tmp_path,
        start_postgres=pg,
        start_redis=redis,
    )

    assert pg.dirs == [] and redis.dirs == [tmp_path / "redis"]
    assert servers.embedded_postgres is None
    assert servers.embedded_redis == tmp_path / "redis"


def test_embedded_redis_really_starts_and_stops(tmp_path) -> None:
    servers = resolve_servers(
        "postgresql://given/db", None, tmp_path, start_postgres=_Starter("unused")
    )
    client = Redis.from_url(servers.redis_url, socket_timeout=1)

    assert client.ping() is True
    stop_embedded(servers)
    assert _eventually(lambda: not _answers(client))


def _answers(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except RedisError:
        return False


def _eventually(check, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_embedded_postgres_really_starts_with_btree_gist(tmp_path) -> None:
    servers = resolve_servers(
        None, "redis://given/0", tmp_path, start_redis=_Starter("unused")
    )
    try:
        conninfo = sqlalchemy_url(servers.database_url).replace(
            "postgresql+psycopg://", "postgresql://"
        )
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop_embedded(servers)
