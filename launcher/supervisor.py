"""Run the local processes as one tree: forward their logs, stop them together.

Each child gets its own process group, so Ctrl-C in the terminal reaches the
supervisor alone and the children are stopped in order (SIGTERM, then SIGKILL
after a grace period) instead of dying in a heap. On Linux a child also gets
SIGTERM if the supervisor itself is killed, so no orphan keeps a port.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ChildSpec:
    """A process to run: a short name for its log prefix and its command line."""

    name: str
    argv: Sequence[str]


class ChildExited(RuntimeError):
    """A child stopped on its own; everything else is being stopped."""

    def __init__(self, name: str, returncode: int) -> None:
        super().__init__(f"{name} exited with code {returncode}")
        self.name = name
        self.returncode = returncode


class Supervisor:
    """Start children, forward their output line by line, stop them all."""

    def __init__(
        self,
        children: Sequence[ChildSpec],
        env: Mapping[str, str],
        out: TextIO | None = None,
        grace_seconds: float = 10.0,
    ) -> None:
        self.specs = list(children)
        self.env = dict(env)
        self.out = out or sys.stdout
        self.grace_seconds = grace_seconds
        self.stop_requested = threading.Event()
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._pumps: list[threading.Thread] = []
        self._write_lock = threading.Lock()
        width = max((len(spec.name) for spec in self.specs), default=0)
        self._prefix = {spec.name: f"{spec.name:<{width}} | " for spec in self.specs}

    @property
    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self._procs.items()}

    def start(self) -> None:
        """Start every child with the shared environment."""
        for spec in self.specs:
            proc = subprocess.Popen(
                list(spec.argv),
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            self._procs[spec.name] = proc
            pump = threading.Thread(
                target=self._forward, args=(spec.name, proc), daemon=True
            )
            pump.start()
            self._pumps.append(pump)
            logger.info("started %s (pid %s)", spec.name, proc.pid)

    def check(self) -> None:
        """Raise ChildExited if any child has stopped."""
        for name, proc in self._procs.items():
            code = proc.poll()
            if code is not None:
                raise ChildExited(name, code)

    def wait(self, poll_seconds: float = 0.2) -> int:
        """Block until a stop is requested (0) or a child exits (non-zero).

        Everything is stopped before this returns.
        """
        try:
            while not self.stop_requested.wait(poll_seconds):
                self.check()
        except ChildExited as exc:
            self.log_line(f"{exc}; stopping everything")
            logger.error("child %s exited with code %s", exc.name, exc.returncode)
            self.stop()
            return exc.returncode if exc.returncode > 0 else 1
        self.stop()
        return 0

    def request_stop(self, *_: object) -> None:
        """Signal-handler friendly: ask `wait` to stop everything."""
        self.stop_requested.set()

    def stop(self) -> None:
        """SIGTERM every running child, SIGKILL what is left after the grace time."""
        running = {n: p for n, p in self._procs.items() if p.poll() is None}
        for name, proc in running.items():
            _signal_group(proc, signal.SIGTERM)
            logger.info("stopping %s (pid %s)", name, proc.pid)
        deadline = time.monotonic() + self.grace_seconds
        for name, proc in running.items():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time; killing it", name)
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        for pump in self._pumps:
            pump.join(timeout=2)

    def log_line(self, text: str) -> None:
        """Write one supervisor line between the children's lines."""
        self.write_block(f"slotbook: {text}")

    def write_block(self, text: str) -> None:
        """Write lines of our own without interleaving a child's line."""
        with self._write_lock:
            self.out.write(text + "\n")
            self.out.flush()

    def _forward(self, name: str, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        prefix = self._prefix[name]
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._write_lock:
                self.out.write(prefix + line + "\n")
                self.out.flush()
        proc.stdout.close()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask the kernel to send SIGTERM
    # when the supervisor dies, even by SIGKILL.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
