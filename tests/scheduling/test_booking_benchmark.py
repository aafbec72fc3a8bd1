"""benchmarks/booking.py runs and ends with the figures the issue asks for."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_booking_benchmark_books_each_slot_once_and_prints_its_figures():
    figures = run_benchmark("booking", "--processes", "2", "--slots", "40")

    # 40 slots, each wanted by two clients: exactly one booking per slot.
    assert figures["attempts"] == "80"
    assert figures["bookings"] == "40"
    assert figures["baseline_bookings"] == "40"
    assert figures["double_bookings"] == "0"
    assert float(figures["bookings_per_s"]) > 0
    assert float(figures["baseline_per_s"]) > 0
    assert float(figures["ratio"]) > 0
