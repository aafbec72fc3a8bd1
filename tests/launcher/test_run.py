"""The run command: what it prints, and the whole process tree end to end."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from config import ROOT, get_config
from launcher.localenv import LocalSecrets
from launcher.run import banner, public_base_url
from tests.launcher.helpers import free_port


def _config(**values):
    return dataclasses.replace(get_config(), **values)


def _secrets(created=(), stored=()) -> LocalSecrets:
    return LocalSecrets(
        values={"SECRET_KEY": "k" * 48, "ADMIN_PASSWORD": "s3cret-pass"},
        path=Path("/srv/slotbook/var/local.env"),
        created=list(created),
        stored=list(stored),
    )


def test_a_wildcard_bind_is_shown_as_a_loopback_url() -> None:
    assert public_base_url(_config(web_host="0.0.0.0", web_port=9000)) == (
        "http://127.0.0.1:9000"
    )
    assert public_base_url(_config(web_host="127.0.0.1", web_port=8080)) == (
        "http://127.0.0.1:8080"
    )


def test_the_banner_shows_a_generated_password_on_the_first_run_only() -> None:
    config = _config(web_host="127.0.0.1", web_port=8080, admin_username="admin")

    first = banner(config, _secrets(created=["SECRET_KEY", "ADMIN_PASSWORD"]))
    later = banner(config, _secrets(stored=["SECRET_KEY", "ADMIN_PASSWORD"]))

    assert "http://127.0.0.1:8080/" in first
    assert "admin / s3cret-pass" in first
    assert "s3cret-pass" not in later
    assert "/srv/slotbook/var/local.env" in later


def test_the_banner_points_to_the_simulator_only_without_telegram() -> None:
    offline = _config(telegram_api_id=None, web_host="127.0.0.1", web_port=8080)
    online = _config(telegram_api_id=1, telegram_api_hash="h", telegram_bot_token="1:t")

    assert "http://127.0.0.1:8080/simulator/" in banner(offline, _secrets())
    assert "simulator" not in banner(online, _secrets())


def _launcher_env(var_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("ADMIN_PASSWORD", "SECRET_KEY", "SLOTBOOK_TEST_PREPARED"):
        env.pop(name, None)
    env.update(
        SLOTBOOK_VAR_DIR=str(var_dir),
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    return env


def test_a_busy_web_port_is_refused_before_anything_starts(tmp_path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = subprocess.run(
            [sys.executable, "-m", "launcher", "--no-demo"],
            cwd=ROOT,
            env=_launcher_env(tmp_path, port),
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert not (tmp_path / "local.env").exists()


def _processes_with(marker: str) -> list[int]:
    """Pids whose environment holds `marker` (the test's own var dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _read_until(proc: subprocess.Popen[str], pattern: str, seconds: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if re.search(pattern, line):
            return "".join(seen)
    pytest.fail(f"{pattern!r} not printed; output:\n" + "".join(seen[-60:]))


def test_the_run_command_serves_health_and_stops_everything_on_sigterm(
    tmp_path,
) -> None:
    port = free_port()
    var_dir = tmp_path / "var"
    proc = subprocess.Popen(
        [sys.executable, "-m", "launcher", "--no-demo"],
        cwd=ROOT,
        env=_launcher_env(var_dir, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _read_until(proc, r"Остановить / stop", 180)
        # Keep draining, or the children's logs would fill the pipe and block.
        rest: list[str] = []
        drain = threading.Thread(target=lambda: rest.extend(proc.stdout), daemon=True)
        drain.start()
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/health", timeout=5
        ) as response:
            health = json.load(response)
            status = response.status
        children = _processes_with(str(var_dir))
        password = re.search(r"admin login: admin / (\S+)", output).group(1)

        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert status == 200 and health["database"] is True and health["redis"] is True
    assert f"http://127.0.0.1:{port}/simulator/" in output
    assert password in (var_dir / "local.env").read_text()
    assert len(children) >= 5  # the launcher and its four children
    assert code == 0
    assert _processes_with(str(var_dir)) == []
