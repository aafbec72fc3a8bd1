"""`python -m tests.jobs.fake_sender`: the real outbox sender with a fake Telegram.

Used by the crash tests, which kill this process with SIGKILL. Every send
attempt is written, committed, to the table ``fake_telegram_attempts`` with
the outbox row's id, before the sender records it as sent. A crash between
that write and `mark_sent` is the one window in which a message can go out
twice: the row is claimed again after the claim timeout and sent again.
Real Telegram has no idempotency key, so there such a message would really
arrive twice; this fake can tell, because it sees the outbox id, and the
tests count "delivered" as distinct outbox ids and report the repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os

import scheduling.outbox
from bot.conversation.model import Reply
from bot.limiter import RateLimiter
from bot.sender import SENDING, Sender
from scheduling.db import get_engine

ATTEMPTS_TABLE = """
CREATE TABLE IF NOT EXISTS fake_telegram_attempts (
    id bigserial PRIMARY KEY,
    outbox_id bigint NOT NULL,
    chat_id bigint NOT NULL,
    pid integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
)
"""


class RecordingTelegram:
    """Writes each attempt to the attempts table; always succeeds."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.count = 0

    async def send(self, chat_id: int, reply: Reply) -> int:
        message = SENDING.get()
        assert message is not None, "the sender names the row it sends"
        await asyncio.to_thread(self._record, message.id, chat_id)
        self.count += 1
        return message.id

    def _record(self, outbox_id: int, chat_id: int) -> None:
        with get_engine().begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO fake_telegram_attempts (outbox_id, chat_id, pid) "
                "VALUES (%s, %s, %s)",
                (outbox_id, chat_id, self.pid),
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claim-timeout", type=float, default=2.0)
    parser.add_argument("--per-second", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # A crashed sender's claims come back after this, not after minutes.
    scheduling.outbox.CLAIM_TIMEOUT = dt.timedelta(seconds=args.claim_timeout)
    sender = Sender(
        RecordingTelegram(),
        limiter=RateLimiter(per_second=args.per_second, chat_interval=0),
        idle_seconds=0.2,
    )
    print("fake sender ready", flush=True)
    asyncio.run(sender.run_forever())


if __name__ == "__main__":
    main()
