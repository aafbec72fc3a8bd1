"""Delivery: the outbox sender's pace against Telegram's 30/s, and reminder queueing.

1. Queues `--messages` broadcast rows (a few chats get several) and sends
   them with the real sender and rate limiter, in real time, through a
   transport that only records when each message left. Reports messages
   per second, its ratio to the 30/s ceiling, and every breach of the two
   limits (more than 30 sends in any second, two sends to one chat less
   than a second apart) the transport saw.
2. Books `--bookings` lessons whose reminders are due and times
   `queue_due_reminders`, then times it again (nothing new: the idempotent
   case every later tick meets).

Prints one JSON line and, last, a line of key=value pairs.

    .venv/bin/python -m benchmarks.delivery [--messages 300] [--bookings 10000]

Uses DATABASE_URL's server (or the embedded one under var/bench), in a
scratch database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

from sqlalchemy import text
from sqlalchemy.orm import Session

from config import ROOT
from launcher.prepare import migrate_database
from launcher.scratchdb import recreate_database

# SLOTBOOK_BENCH_DB names another scratch database (parallel runs, tests).
BENCH_DB = os.environ.get("SLOTBOOK_BENCH_DB", "slotbook_bench_delivery")
CEILING_PER_S = 30
CHAT_INTERVAL_S = 1.0
# Chats that get several messages, so the per-chat limit is exercised too.
BUSY_CHATS, PER_BUSY_CHAT = 5, 3


class TimingTransport:
    """Records the moment each message leaves and counts limit breaches."""

    def __init__(self) -> None:
        self.sent_at: list[float] = []
        self.last_by_chat: dict[int, float] = {}
        self.breaches = 0

    async def send(self, chat_id: int, reply: object) -> int:
        now = time.monotonic()
        last = self.last_by_chat.get(chat_id)
        if last is not None and now - last < CHAT_INTERVAL_S:
            self.breaches += 1
        window = self.sent_at[-CEILING_PER_S:]
        if len(window) == CEILING_PER_S and now - window[0] < 1.0:
            self.breaches += 1
        self.last_by_chat[chat_id] = now
        self.sent_at.append(now)
        return len(self.sent_at)


def _database_url() -> str:
    url = recreate_database(
        os.environ.get("DATABASE_URL"), BENCH_DB, ROOT / "var" / "bench" / "pg"
    )
    os.environ["DATABASE_URL"] = url
    migrate_database()
    return url


def _queue_messages(session: Session, count: int) -> None:
    from scheduling.outbox import queue_message

    busy = BUSY_CHATS * PER_BUSY_CHAT
    for n in range(count):
        chat = 500_000 + (n % BUSY_CHATS if n < busy else n)
        queue_message(
            session,
            key=f"bench:{n}",
            chat_id=chat,
            kind="broadcast",
            payload={"text": f"Сообщение {n}"},
        )


def _send_all(count: int) -> dict[str, float]:
    from bot.sender import Sender
    from scheduling.db import session_scope

    with session_scope() as session:
        _queue_messages(session, count)
    transport = TimingTransport()
    sender = Sender(transport, idle_seconds=0.05)

    async def drain() -> None:
        while len(transport.sent_at) < count:
            if not await sender.run_once():
                await asyncio.sleep(0.05)

    began = time.monotonic()
    asyncio.run(drain())
    elapsed = time.monotonic() - began
    rate = count / elapsed
    return {
        "messages": count,
        "send_seconds": round(elapsed, 2),
        "messages_per_s": round(rate, 2),
        "ceiling_per_s": CEILING_PER_S,
        "ratio": round(rate / CEILING_PER_S, 3),
        "limit_breaches": transport.breaches,
    }


def _arrange_bookings(session: Session, count: int) -> None:
    """`count` one-minute lessons 30-59 minutes ahead, booked three hours ago."""
    teachers = max(1, count // 20)
    step_s = 29 * 60 / count
    params = {"n": count, "t": teachers, "step": step_s}
    session.execute(
        text(
            "INSERT INTO teachers (full_name, telegram_user_id) "
            "SELECT 'Преподаватель ' || g, 900000000 + g "
            "FROM generate_series(0, :t - 1) g"
        ),
        params,
    )
    session.execute(
        text(
            "INSERT INTO clients (full_name, telegram_user_id) "
            "SELECT 'Клиент ' || g, 800000000 + g FROM generate_series(0, :n - 1) g"
        ),
        params,
    )
    # Lesson g belongs to teacher g % t; a teacher's lessons are t steps
    # apart, far more than their minute, so none overlap.
    session.execute(
        text(
            "INSERT INTO slots (teacher_id, starts_at, ends_at) "
            "SELECT t.id, s.at, s.at + interval '1 minute' FROM ("
            "  SELECT g, now() + interval '30 minutes'"
            "         + g * :step * interval '1 second' AS at"
            "  FROM generate_series(0, :n - 1) g) s "
            "JOIN teachers t ON t.telegram_user_id = 900000000 + s.g % :t"
        ),
        params,
    )
    session.execute(
        text(
            "INSERT INTO bookings (slot_id, client_id, starts_at, ends_at, created_at) "
            "SELECT s.id, c.id, s.starts_at, s.ends_at, now() - interval '3 hours' "
            "FROM (SELECT id, starts_at, ends_at,"
            "             row_number() OVER (ORDER BY starts_at) - 1 AS n"
            "      FROM slots) s "
            "JOIN clients c ON c.telegram_user_id = 800000000 + s.n"
        )
    )


def _queue_reminders(count: int) -> dict[str, float]:
    from scheduling.db import session_scope
    from scheduling.reminders import queue_due_reminders

    with session_scope() as session:
        _arrange_bookings(session, count)
    began = time.perf_counter()
    with session_scope() as session:
        queued = queue_due_reminders(session)
    first = time.perf_counter() - began
    began = time.perf_counter()
    with session_scope() as session:
        again = queue_due_reminders(session)
    second = time.perf_counter() - began
    return {
        "bookings": count,
        "reminders_queued": queued,
        "queue_reminders_s": round(first, 3),
        "requeue_new": again,
        "requeue_s": round(second, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--bookings", type=int, default=10_000)
    args = parser.parse_args()
    if args.messages < BUSY_CHATS * PER_BUSY_CHAT or args.bookings < 1:
        parser.error("--messages must be at least 15 and --bookings at least 1")

    _database_url()
    figures = {**_send_all(args.messages), **_queue_reminders(args.bookings)}
    print(json.dumps(figures))
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
