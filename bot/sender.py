"""The outbox sender: claims due messages, renders them and sends them.

Runs inside the bot process (the only one talking to Telegram) or, without
Telegram credentials, with the simulator's transport. Each step has its own
short transaction: a claim is committed before anything is sent, so a
crashed sender leaves rows in 'sending' that are claimed again later
(`scheduling.outbox.CLAIM_TIMEOUT`). Only the messages in flight when it died
(at most one per chat of the current batch) can go out twice: Telegram
accepted them but `mark_sent` was not committed (docs/jobs.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar

from sqlalchemy.orm import Session

from bot.conversation.model import Reply
from bot.limiter import RateLimiter
from bot.render import Outgoing, Skip, Unrenderable, render
from bot.transport import RetryLater, Transport, Unreachable
from scheduling.broadcasts import BLOCKED_PREFIX
from scheduling.db import session_scope
from scheduling.outbox import claim_due, mark_failed, mark_sent, mark_skipped
from scheduling.recipients import mark_blocked, mark_reachable

logger = logging.getLogger(__name__)

Scope = Callable[[], AbstractContextManager[Session]]

# The outbox row being sent, for a transport that wants its id (the test
# transports use it to count deliveries per row; Telegram cannot).
SENDING: ContextVar[Outgoing | None] = ContextVar("sending", default=None)

# What `_send_one` returns when the recipient blocked the bot or is gone.
BLOCKED = object()
BLOCKED_ERROR = f"{BLOCKED_PREFIX}: the recipient blocked the bot"


def _delivered(session: Session, message: Outgoing, telegram_id: int | None) -> None:
    mark_sent(session, message.id, telegram_id)
    # Whoever had blocked the bot has evidently unblocked it.
    mark_reachable(session, message.chat_id)


class Sender:
    def __init__(
        self,
        transport: Transport,
        scope: Scope = session_scope,
        limiter: RateLimiter | None = None,
        batch_size: int = 50,
        idle_seconds: float = 1.0,
    ) -> None:
        self.transport = transport
        self.scope = scope
        self.limiter = limiter or RateLimiter()
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds

    async def run_once(self) -> int:
        """Send what is due now; return how many rows were claimed."""
        claimed = await asyncio.to_thread(self._claim)
        by_chat: dict[int, list[Outgoing]] = {}
        for message in claimed:
            by_chat.setdefault(message.chat_id, []).append(message)
        # One task per chat: chats proceed in parallel, a chat's messages in order.
        await asyncio.gather(*(self._send_chat(rows) for rows in by_chat.values()))
        return len(claimed)

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        """Send until `stop` is set; sleep a little whenever nothing is due."""
        stop = stop or asyncio.Event()
        logger.info("outbox sender started transport=%s", type(self.transport).__name__)
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the loop
                logger.exception("outbox sender round failed")
                claimed = 0
            if claimed < self.batch_size:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.idle_seconds)
                except TimeoutError:
                    pass
        logger.info("outbox sender stopped")

    def _claim(self) -> list[Outgoing]:
        with self.scope() as session:
            rows = claim_due(session, limit=self.batch_size)
            return [Outgoing(r.id, r.chat_id, r.kind, dict(r.payload)) for r in rows]

    async def _send_chat(self, messages: list[Outgoing]) -> None:
        for index, message in enumerate(messages):
            outcome = await self._send_one(message)
            if isinstance(outcome, dt.timedelta):
                # Telegram asked to slow down: the rest of this chat waits too.
                for later in messages[index + 1 :]:
                    await self._record(later, "deferred after a flood wait", outcome)
                return
            if outcome is BLOCKED:
                # Sending the rest would only be refused again.
                for later in messages[index + 1 :]:
                    await self._record(later, BLOCKED_ERROR, permanent=True)
                return

    async def _send_one(self, message: Outgoing) -> dt.timedelta | object | None:
        """Render and send one message.

        Return a wait if Telegram asked for one, BLOCKED if the recipient
        cannot be reached, else None.
        """
        try:
            reply = await asyncio.to_thread(self._render, message)
        except Skip as reason:
            await asyncio.to_thread(self._in_tx, mark_skipped, message.id, str(reason))
            return None
        except Unrenderable as exc:
            logger.error("outbox unrenderable id=%s kind=%s", message.id, message.kind)
            await self._record(message, str(exc), permanent=True)
            return None
        except Exception as exc:  # noqa: BLE001 - retried with back-off
            logger.exception("outbox render failed id=%s", message.id)
            await self._record(message, f"render: {exc!r}")
            return None

        await self.limiter.acquire(message.chat_id)
        SENDING.set(message)
        try:
            telegram_id = await self.transport.send(message.chat_id, reply)
        except RetryLater as exc:
            wait = dt.timedelta(seconds=max(exc.seconds, 1))
            logger.warning(
                "outbox flood wait id=%s seconds=%s", message.id, exc.seconds
            )
            await self._record(message, str(exc), wait)
            return wait
        except Unreachable as exc:
            logger.warning("outbox recipient unreachable id=%s", message.id)
            await asyncio.to_thread(self._in_tx, mark_blocked, message.chat_id)
            await self._record(message, f"{BLOCKED_ERROR}: {exc}", permanent=True)
            return BLOCKED
        except Exception as exc:  # noqa: BLE001 - retried with back-off
            logger.warning("outbox send failed id=%s error=%r", message.id, exc)
            await self._record(message, f"send: {exc!r}")
            return None
        await asyncio.to_thread(self._in_tx, _delivered, message, telegram_id)
        logger.info(
            "outbox sent id=%s kind=%s chat=%s",
            message.id,
            message.kind,
            message.chat_id,
        )
        return None

    def _render(self, message: Outgoing) -> Reply:
        with self.scope() as session:
            return render(session, message)

    async def _record(
        self,
        message: Outgoing,
        error: str,
        retry_after: dt.timedelta | None = None,
        permanent: bool = False,
    ) -> None:
        def record(session: Session) -> None:
            mark_failed(
                session, message.id, error, retry_after=retry_after, permanent=permanent
            )

        await asyncio.to_thread(self._in_tx, record)

    def _in_tx(self, func: Callable[..., object], *args: object) -> None:
        with self.scope() as session:
            func(session, *args)
