"""The supervisor stops every child together: on a child's death or on request."""

from __future__ import annotations

import io
import os
import sys
import threading
import time

from launcher.supervisor import ChildSpec, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _child(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has exited all the same.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def _wait_in_thread(supervisor: Supervisor) -> dict[str, int]:
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=supervisor.wait()))
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "supervisor did not return"
    return result


def test_a_child_that_exits_makes_the_supervisor_stop_the_rest() -> None:
    out = io.StringIO()
    supervisor = Supervisor(
        [
            ChildSpec("web", SLEEPER),
            ChildSpec(
                "worker", _child("import time, sys; time.sleep(0.5); sys.exit(3)")
            ),
            ChildSpec("bot", SLEEPER),
        ],
        env=os.environ,
        out=out,
    )
    supervisor.start()
    pids = supervisor.pids

    started = time.monotonic()
    code = _wait_in_thread(supervisor)["code"]

    assert code == 3
    assert time.monotonic() - started < 15
    assert not _alive(pids["web"]) and not _alive(pids["bot"])
    assert "worker exited with code 3; stopping everything" in out.getvalue()


def test_a_child_that_exits_cleanly_still_counts_as_a_failure() -> None:
    supervisor = Supervisor(
        [ChildSpec("web", SLEEPER), ChildSpec("bot", _child("pass"))],
        env=os.environ,
        out=io.StringIO(),
    )
    supervisor.start()

    assert _wait_in_thread(supervisor)["code"] == 1


def test_a_stop_request_stops_every_child_and_returns_zero() -> None:
    supervisor = Supervisor(
        [ChildSpec("web", SLEEPER), ChildSpec("worker", SLEEPER)],
        env=os.environ,
        out=io.StringIO(),
    )
    supervisor.start()
    pids = supervisor.pids
    threading.Timer(0.5, supervisor.request_stop).start()

    code = _wait_in_thread(supervisor)["code"]

    assert code == 0
    assert not any(_alive(pid) for pid in pids.values())


def test_a_child_ignoring_sigterm_is_killed_after_the_grace_time() -> None:
    stubborn = _child(
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    out = io.StringIO()
    supervisor = Supervisor(
        [ChildSpec("bot", stubborn)], env=os.environ, out=out, grace_seconds=1
    )
    supervisor.start()
    deadline = time.monotonic() + 10
    while "ready" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)

    started = time.monotonic()
    supervisor.stop()

    assert not _alive(supervisor.pids["bot"])
    assert 0.9 < time.monotonic() - started < 5


def test_child_output_is_forwarded_line_by_line_with_its_name() -> None:
    out = io.StringIO()
    talker = _child(
        "import sys; print('hello from web'); "
        "print('oops', file=sys.stderr); sys.exit(0)"
    )
    supervisor = Supervisor([ChildSpec("web", talker)], env=os.environ, out=out)
    supervisor.start()

    _wait_in_thread(supervisor)

    lines = out.getvalue().splitlines()
    assert "web | hello from web" in lines
    assert "web | oops" in lines
