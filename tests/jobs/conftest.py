"""Fixtures of the job and delivery tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.jobs.delivery_helpers import Processes


@pytest.fixture
def processes() -> Iterator[Processes]:
    """Worker, scheduler and sender processes, all killed at the end."""
    procs = Processes()
    yield procs
    procs.stop_all()
