"""Running a script of benchmarks/ from a test, on the test's server."""

from __future__ import annotations

import os
import subprocess
import sys

from config import ROOT
from tests.conftest import TEST_DB


def run_benchmark(name: str, *args: str) -> dict[str, str]:
    """Run `python -m benchmarks.<name> args`; its last line's key=value pairs.

    The benchmark gets a scratch database of its own on the test database's
    server, so it never touches the tests' tables.
    """
    env = {**os.environ, "SLOTBOOK_BENCH_DB": f"{TEST_DB}_bench_{name}"}
    result = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    return dict(pair.split("=", 1) for pair in last.split())
