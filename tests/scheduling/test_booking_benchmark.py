"""benchmarks/booking.py runs and ends with the figures the issue asks for."""

from __future__ import annotations

import os
import subprocess
import sys

from config import ROOT
from tests.conftest import TEST_DB


def test_booking_benchmark_books_each_slot_once_and_prints_its_figures():
    env = {**os.environ, "SLOTBOOK_BENCH_DB": f"{TEST_DB}_bench_booking"}
    # The test database's URL points at the same server the benchmark uses.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.booking",
            "--processes",
            "2",
            "--slots",
            "40",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    figures = dict(pair.split("=", 1) for pair in last.split())
    # 40 slots, each wanted by two clients: exactly one booking per slot.
    assert figures["attempts"] == "80"
    assert figures["bookings"] == "40"
    assert figures["baseline_bookings"] == "40"
    assert figures["double_bookings"] == "0"
    assert float(figures["bookings_per_s"]) > 0
    assert float(figures["baseline_per_s"]) > 0
    assert float(figures["ratio"]) > 0
