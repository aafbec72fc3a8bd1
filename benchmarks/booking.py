"""Booking throughput through scheduling.booking.book on real PostgreSQL.

Creates a scratch database, N teachers with a day of slots each, then books
from several processes at once (every slot wanted by two clients, so half the
attempts are refused by the capacity rule). Prints one JSON line per run and,
last, a line of key=value pairs.

    .venv/bin/python -m benchmarks.booking [--processes 4] [--slots 2000]

Uses DATABASE_URL's server (or the embedded one under var/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from sqlalchemy.orm import Session

from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import recreate_database

BENCH_DB = "slotbook_bench"


def _database_url() -> str:
    """A fresh, migrated benchmark database on DATABASE_URL's server."""
    url = recreate_database(
        os.environ.get("DATABASE_URL"), BENCH_DB, ROOT / "var" / "bench" / "pg"
    )
    os.environ["DATABASE_URL"] = url
    migrate_database()
    return url


def _arrange(url: str, slots: int) -> list[tuple[int, int]]:
    from scheduling.db import make_engine
    from scheduling.models import Client, Slot, Teacher

    engine = make_engine(url)
    start = dt.datetime.combine(
        dt.date.today() + dt.timedelta(days=2), dt.time(0), tzinfo=dt.UTC
    )
    with Session(engine) as session, session.begin():
        teachers = [Teacher(full_name=f"Преподаватель {i}") for i in range(slots // 20)]
        session.add_all(teachers)
        session.flush()
        rows = [
            Slot(
                teacher_id=t.id,
                starts_at=start + dt.timedelta(hours=h),
                ends_at=start + dt.timedelta(hours=h + 1),
            )
            for t in teachers
            for h in range(20)
        ]
        clients = [Client(full_name=f"Клиент {i}") for i in range(2 * len(rows))]
        session.add_all(rows + clients)
        session.flush()
        pairs = [(rows[i % len(rows)].id, c.id) for i, c in enumerate(clients)]
    engine.dispose()
    return pairs


def _book_all(url: str, pairs: list[tuple[int, int]]) -> list[float]:
    from scheduling.booking import Actor, book
    from scheduling.db import make_engine
    from scheduling.errors import SchedulingError

    engine = make_engine(url, pool_size=1)
    latencies = []
    for slot_id, client_id in pairs:
        began = time.perf_counter()
        try:
            with Session(engine) as session, session.begin():
                book(
                    session,
                    slot_id=slot_id,
                    client_id=client_id,
                    actor=Actor("client", client_id, "bench"),
                )
        except SchedulingError:
            pass
        latencies.append(time.perf_counter() - began)
    engine.dispose()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--slots", type=int, default=2000)
    args = parser.parse_args()

    url = _database_url()
    pairs = _arrange(url, args.slots)
    chunks = [pairs[i :: args.processes] for i in range(args.processes)]
    began = time.perf_counter()
    with ProcessPoolExecutor(args.processes, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_book_all, [url] * args.processes, chunks))
    elapsed = time.perf_counter() - began
    latencies = sorted(x for chunk in results for x in chunk)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    figures = {
        "attempts": len(latencies),
        "processes": args.processes,
        "seconds": round(elapsed, 2),
        "attempts_per_s": round(len(latencies) / elapsed),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
    }
    print(json.dumps(figures))
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
