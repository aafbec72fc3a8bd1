"""Booking throughput through scheduling.booking.book on real PostgreSQL.

Creates a scratch database, teachers with a day of slots each, then books
from several processes at once, every slot wanted by two clients, so half the
attempts are refused by the capacity rule. The same workload is then run on
fresh slots as bare SQL INSERTs under the same constraints (exclusion,
capacity trigger and CHECK), the floor the domain function is compared with.
Afterwards an independent SQL check looks for double bookings. Prints the
figures as JSON and, last, a line of key=value pairs.

    .venv/bin/python -m benchmarks.booking [--processes 8] [--slots 2000] [--keep]

Uses DATABASE_URL's server (or the embedded one under var/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import psycopg
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import drop_database, recreate_database

# SLOTBOOK_BENCH_DB names another scratch database (parallel runs, tests).
BENCH_DB = os.environ.get("SLOTBOOK_BENCH_DB", "slotbook_bench")

# Written without the constraints' help: any slot over its capacity, any two
# active bookings of one client that overlap, any two open slots of one
# teacher that overlap.
DOUBLE_BOOKINGS_SQL = """
SELECT
  (SELECT count(*) FROM (
     SELECT s.id FROM slots s JOIN bookings b ON b.slot_id = s.id
     WHERE b.status <> 'cancelled'
     GROUP BY s.id, s.capacity HAVING count(*) > s.capacity) AS over_capacity)
+ (SELECT count(*) FROM bookings a JOIN bookings b
     ON a.client_id = b.client_id AND a.id < b.id
    AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
    WHERE a.status <> 'cancelled' AND b.status <> 'cancelled')
+ (SELECT count(*) FROM slots a JOIN slots b
     ON a.teacher_id = b.teacher_id AND a.id < b.id
    AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
    WHERE a.status = 'open' AND b.status = 'open')
"""

# (wall-clock start, wall-clock end, [(seconds, booked) per attempt]) of a process.
Attempts = tuple[float, float, list[tuple[float, bool]]]

BARE_INSERT_SQL = """
INSERT INTO bookings (slot_id, client_id, starts_at, ends_at, status, source)
SELECT id, %s, starts_at, ends_at, 'booked', 'bench' FROM slots WHERE id = %s
"""


def _database_url() -> str:
    """A fresh, migrated benchmark database on DATABASE_URL's server."""
    url = recreate_database(
        os.environ.get("DATABASE_URL"), BENCH_DB, ROOT / "var" / "bench" / "pg"
    )
    os.environ["DATABASE_URL"] = url
    migrate_database()
    return url


def _arrange(url: str, slots: int, round_name: str) -> list[tuple[int, int]]:
    """Teachers with a day of hourly slots, two clients wanting each slot."""
    from scheduling.db import make_engine
    from scheduling.models import Client, Slot, Teacher

    engine = make_engine(url)
    start = dt.datetime.combine(
        dt.date.today() + dt.timedelta(days=2), dt.time(0), tzinfo=dt.UTC
    )
    with Session(engine) as session, session.begin():
        teachers = [
            Teacher(full_name=f"Преподаватель {round_name} {i}")
            for i in range(max(1, slots // 20))
        ]
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
        clients = [
            Client(full_name=f"Клиент {round_name} {i}") for i in range(2 * len(rows))
        ]
        session.add_all(rows + clients)
        session.flush()
        pairs = [(rows[i % len(rows)].id, c.id) for i, c in enumerate(clients)]
    engine.dispose()
    return pairs


def _book_all(url: str, pairs: list[tuple[int, int]], barrier) -> Attempts:
    """Book each (slot, client) through the domain function."""
    from scheduling.booking import Actor, book
    from scheduling.db import make_engine
    from scheduling.errors import SchedulingError

    engine = make_engine(url, pool_size=1)
    engine.connect().close()
    results = []
    barrier.wait()
    started = time.time()
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
            booked = True
        except SchedulingError:
            booked = False
        results.append((time.perf_counter() - began, booked))
    finished = time.time()
    engine.dispose()
    return started, finished, results


def _insert_all(url: str, pairs: list[tuple[int, int]], barrier) -> Attempts:
    """The baseline: one bare INSERT per (slot, client), refused by constraints."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(False)
    results = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        barrier.wait()
        started = time.time()
        for slot_id, client_id in pairs:
            began = time.perf_counter()
            try:
                conn.execute(BARE_INSERT_SQL, (client_id, slot_id))
                booked = True
            except psycopg.errors.IntegrityError:
                booked = False
            results.append((time.perf_counter() - began, booked))
        finished = time.time()
    return started, finished, results


def _run(
    worker: Callable[..., Attempts],
    url: str,
    pairs: list[tuple[int, int]],
    processes: int,
) -> dict[str, float]:
    """Run `worker` over `pairs` split across processes; its rate and latency.

    The processes start, import and connect first, then begin together at a
    barrier, so the clock measures booking, not interpreter start-up.
    """
    chunks = [pairs[i::processes] for i in range(processes)]
    context = get_context("spawn")
    with (
        context.Manager() as manager,
        ProcessPoolExecutor(processes, mp_context=context) as pool,
    ):
        barrier = manager.Barrier(processes)
        runs = list(pool.map(worker, [url] * processes, chunks, [barrier] * processes))
    elapsed = max(end for _, end, _ in runs) - min(start for start, _, _ in runs)
    results = [attempt for *_, attempts in runs for attempt in attempts]
    latencies = sorted(seconds for seconds, _ in results)
    booked = sum(1 for _, ok in results if ok)
    return {
        "attempts": len(results),
        "booked": booked,
        "seconds": elapsed,
        "per_s": booked / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
    }


def _double_bookings(url: str) -> int:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(dsn) as conn:
        return conn.execute(DOUBLE_BOOKINGS_SQL).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--slots", type=int, default=2000)
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database afterwards"
    )
    args = parser.parse_args()
    if args.processes < 1 or args.slots < 20:
        parser.error("--processes must be at least 1 and --slots at least 20")

    url = _database_url()
    domain = _run(_book_all, url, _arrange(url, args.slots, "A"), args.processes)
    bare = _run(_insert_all, url, _arrange(url, args.slots, "B"), args.processes)
    figures = {
        "processes": args.processes,
        "attempts": domain["attempts"],
        "bookings": domain["booked"],
        "seconds": round(domain["seconds"], 2),
        "bookings_per_s": round(domain["per_s"]),
        "p50_ms": round(domain["p50_ms"], 1),
        "p95_ms": round(domain["p95_ms"], 1),
        "double_bookings": _double_bookings(url),
        "baseline_bookings": bare["booked"],
        "baseline_per_s": round(bare["per_s"]),
        "baseline_p95_ms": round(bare["p95_ms"], 1),
        "ratio": round(domain["per_s"] / bare["per_s"], 3),
    }
    if not args.keep:
        drop_database(url)
    print(json.dumps(figures))
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
