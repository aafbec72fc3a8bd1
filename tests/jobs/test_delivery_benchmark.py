"""benchmarks/delivery.py runs and ends with the figures the issue asks for."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_delivery_benchmark_prints_its_figures_on_the_last_line():
    figures = run_benchmark("delivery", "--messages", "20", "--bookings", "200")

    assert figures["messages"] == "20"
    assert figures["limit_breaches"] == "0"
    assert 0 < float(figures["ratio"]) <= 1.0
    assert figures["reminders_queued"] == "200"
    assert figures["requeue_new"] == "0"
