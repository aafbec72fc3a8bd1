"""Report build time and memory on a year of a big centre.

Creates a scratch database with 40 teachers, 8 subjects, 2,400 clients, a
year (2025) of hourly slots, and 200,000 bookings (85 % kept, 15 %
cancelled, half of those with a history entry), written with COPY, not
through the booking rules. Then builds each report as JSON, CSV and PDF,
once timed and once under tracemalloc for its peak Python memory (numpy
and pandas buffers included); the process's peak RSS closes the last line. Prints a
JSON line per report and format and, last, a line of key=value pairs.

    .venv/bin/python -m benchmarks.reports [--bookings 200000] [--keep]

Uses DATABASE_URL's server (or the embedded one under var/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import resource
import time
import tracemalloc
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import drop_database, recreate_database

BENCH_DB = "slotbook_bench_reports"
TZ = ZoneInfo("Europe/Moscow")
YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
TEACHERS, SUBJECTS, CLIENTS_PER_TEACHER = 40, 8, 60
HOURS = range(8, 22)  # 14 one-hour slots a day, local time


def _database_url() -> str:
    url = recreate_database(
        os.environ.get("DATABASE_URL"), BENCH_DB, ROOT / "var" / "bench" / "pg"
    )
    os.environ["DATABASE_URL"] = url
    migrate_database()
    return url


def fill_year(url: str, bookings: int, seed: int = 7) -> dict[str, int]:
    """Write the centre with COPY; return how many rows of each kind."""
    rng = random.Random(seed)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        with cur.copy("COPY subjects (id, name) FROM STDIN") as copy:
            for s in range(1, SUBJECTS + 1):
                copy.write_row((s, f"Предмет {s}"))
        with cur.copy("COPY teachers (id, full_name) FROM STDIN") as copy:
            for t in range(1, TEACHERS + 1):
                copy.write_row((t, f"Преподаватель {t:02d}"))
        with cur.copy(
            "COPY teacher_subjects (teacher_id, subject_id) FROM STDIN"
        ) as copy:
            for t in range(1, TEACHERS + 1):
                for s in {t % SUBJECTS + 1, (t + 3) % SUBJECTS + 1}:
                    copy.write_row((t, s))
        clients = TEACHERS * CLIENTS_PER_TEACHER
        with cur.copy("COPY clients (id, full_name) FROM STDIN") as copy:
            for c in range(1, clients + 1):
                copy.write_row((c, f"Клиент {c}"))
        slots = []
        day = YEAR_START
        while day <= YEAR_END:
            for hour in HOURS:
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)
                for t in range(1, TEACHERS + 1):
                    subject = t % SUBJECTS + 1 if rng.random() < 0.7 else None
                    slots.append((len(slots) + 1, t, subject, start))
            day += dt.timedelta(days=1)
        with cur.copy(
            "COPY slots (id, teacher_id, subject_id, starts_at, ends_at) FROM STDIN"
        ) as copy:
            for sid, t, subject, start in slots:
                copy.write_row((sid, t, subject, start, start + dt.timedelta(hours=1)))
        kept = int(bookings * 0.85)
        # A teacher's own clients never overlap each other: one slot an hour.
        chosen = rng.sample(slots, kept) + rng.sample(slots, bookings - kept)
        events = []
        with cur.copy(
            "COPY bookings (id, slot_id, client_id, subject_id, starts_at, ends_at, "
            "status, source, cancelled_at) FROM STDIN"
        ) as copy:
            for number, (sid, t, subject, start) in enumerate(chosen, start=1):
                client = (t - 1) * CLIENTS_PER_TEACHER + rng.randrange(60) + 1
                lesson_subject = subject or (t + 3) % SUBJECTS + 1
                cancelled_at = None
                if number > kept:
                    status = "cancelled"
                    before = dt.timedelta(minutes=rng.randrange(10, 4320))
                    cancelled_at = start - before
                    if rng.random() < 0.5:
                        late = before < dt.timedelta(minutes=180)
                        events.append((number, json.dumps({"late": late})))
                else:
                    roll = rng.random()
                    status = (
                        "attended"
                        if roll < 0.88
                        else "no_show"
                        if roll < 0.96
                        else "booked"
                    )
                end = start + dt.timedelta(hours=1)
                copy.write_row(
                    (number, sid, client, lesson_subject, start, end)
                    + (status, "bot", cancelled_at)
                )
        with cur.copy(
            "COPY booking_events (booking_id, action, actor, source, details) "
            "FROM STDIN"
        ) as copy:
            for booking_id, details in events:
                copy.write_row((booking_id, "cancelled", "bench", "bot", details))
        cur.execute("ANALYZE")
    return {"slots": len(slots), "bookings": bookings, "events": len(events)}


def _measure(url: str) -> list[dict[str, object]]:
    from reports.background import export
    from reports.base import ReportQuery
    from reports.params import ReportRequest
    from reports.registry import DEFAULT_TABLE, REPORTS
    from scheduling.db import make_engine

    engine = make_engine(url)
    query = ReportQuery(YEAR_START, YEAR_END, TZ)
    results = []
    for name in REPORTS:
        for fmt in ("json", "csv", "pdf"):
            request = ReportRequest(name, query, fmt, table=DEFAULT_TABLE[name])
            with Session(engine) as session:
                began = time.perf_counter()
                size = len(export(session, request).content)
                seconds = time.perf_counter() - began
            with Session(engine) as session:
                tracemalloc.start()
                export(session, request)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            row = {
                "report": name,
                "format": fmt,
                "seconds": round(seconds, 3),
                "peak_mb": round(peak / 2**20, 1),
                "bytes": size,
            }
            print(json.dumps(row), flush=True)
            results.append(row)
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database afterwards"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = _database_url()
    began = time.perf_counter()
    counts = fill_year(url, args.bookings)
    fill_seconds = time.perf_counter() - began
    print(json.dumps({"filled": counts, "seconds": round(fill_seconds, 1)}), flush=True)
    results = _measure(url)
    figures: dict[str, object] = {
        "teachers": TEACHERS,
        "bookings": counts["bookings"],
        "slots": counts["slots"],
        "fill_s": round(fill_seconds, 1),
    }
    for row in results:
        key = f"{row['report']}_{row['format']}"
        figures[f"{key}_s"] = row["seconds"]
        figures[f"{key}_peak_mb"] = row["peak_mb"]
    # Linux reports kilobytes: the whole process, filling included.
    figures["max_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    if not args.keep:
        drop_database(url)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
