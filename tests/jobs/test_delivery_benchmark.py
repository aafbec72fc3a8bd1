"""benchmarks/delivery.py runs and ends with the figures the issue asks for."""

from __future__ import annotations

import os
import subprocess
import sys

from config import ROOT
from tests.conftest import TEST_DB


def test_delivery_benchmark_prints_its_figures_on_the_last_line():
    env = {**os.environ, "SLOTBOOK_BENCH_DB": f"{TEST_DB}_bench_delivery"}
    # The test database's URL points at the same server the benchmark uses.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.delivery",
            "--messages",
            "20",
            "--bookings",
            "200",
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
    assert figures["messages"] == "20"
    assert figures["limit_breaches"] == "0"
    assert 0 < float(figures["ratio"]) <= 1.0
    assert figures["reminders_queued"] == "200"
    assert figures["requeue_new"] == "0"
