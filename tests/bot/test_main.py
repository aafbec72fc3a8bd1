"""`python -m bot` without Telegram credentials: one clear line, then the simulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bot.simulator import Simulator
from config import ROOT
from scheduling.outbox import queue_message


def test_without_credentials_the_bot_delivers_into_the_simulator(redis_conn, session):
    queue_message(
        session, key="hello", chat_id=4242, kind="broadcast", payload={"text": "Привет"}
    )
    session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        sim = Simulator(redis_conn)
        deadline = time.monotonic() + 20
        while not sim.transcript(4242) and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.1)
        assert [m.text for m in sim.transcript(4242)] == ["Привет"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert "Telegram credentials are not set" in lines[0] and "симулятор" in lines[0]
    assert "outbox sent" in err
