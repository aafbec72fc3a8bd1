"""How fast the panel's busiest pages answer with 100,000 bookings.

Fills a scratch database with a year of a 40-teacher centre (the reports
benchmark's generator), logs in as admin through Flask's test client and
times each page several times. Prints one JSON line per page and, last, a
line of key=value pairs (median milliseconds per page).

    .venv/bin/python -m benchmarks.panel [--bookings 100000] [--repeat 5]

Uses DATABASE_URL's server (or the embedded one under var/bench).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import time

from benchmarks.reports import fill_year
from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import drop_database, recreate_database

BENCH_DB = "slotbook_bench_panel"
PAGES = {
    "bookings_list": "/bookings/list/",
    "bookings_last_page": "/bookings/list/?page_BookingView=3999",
    "bookings_by_status": "/bookings/list/?_flt_0_status=no_show",
    "slots_list": "/slots/list/",
    "clients_list": "/clients/list/",
    "calendar_week": "/calendar/events?start=2025-06-02&end=2025-06-09",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = recreate_database(
        os.environ.get("DATABASE_URL"), BENCH_DB, ROOT / "var" / "bench" / "pg"
    )
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789")
    migrate_database()
    counts = fill_year(url, args.bookings)

    from webapp import create_app
    from webapp.manage import ensure_admin, init_roles

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    init_roles(app)
    ensure_admin(app, "bench", "bench-password-123", "bench@example.org")
    client = app.test_client()
    login = client.post(
        "/login/", data={"username": "bench", "password": "bench-password-123"}
    )
    assert login.status_code == 302, "benchmark login failed"

    figures: dict[str, object] = {"bookings": counts["bookings"]}
    for name, path in PAGES.items():
        timings = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, f"{path}: {response.status_code}"
        median = round(statistics.median(timings), 1)
        print(
            json.dumps(
                {"page": path, "median_ms": median, "max_ms": round(max(timings), 1)}
            )
        )
        figures[f"{name}_ms"] = median
    drop_database(url)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
