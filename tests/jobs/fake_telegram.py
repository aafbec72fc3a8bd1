"""A fake Telegram for delivery tests: keeps Telegram's limits and counts breaches.

Time is a fake clock that moves only when somebody sleeps, so a run of
hundreds of messages at 30 a second takes no real time.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from bot.conversation.model import Reply
from bot.transport import RetryLater, Unreachable

PER_SECOND = 30
CHAT_INTERVAL = 1.0


class FakeClock:
    """Seconds that pass only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class LimitedTelegram:
    """Records every delivery and counts each breach of the two limits.

    `blocked` chats raise Unreachable; `flood_once` chats raise RetryLater
    on their first message.
    """

    def __init__(
        self,
        clock: FakeClock,
        blocked: set[int] | None = None,
        flood_once: dict[int, float] | None = None,
    ) -> None:
        self.clock = clock
        self.blocked = blocked or set()
        self.flood_once = dict(flood_once or {})
        self.delivered: list[tuple[int, str, float]] = []
        self.breaches = 0
        self._last_by_chat: dict[int, float] = {}
        self.attempts: dict[int, int] = defaultdict(int)

    async def send(self, chat_id: int, reply: Reply) -> int:
        now = self.clock()
        self.attempts[chat_id] += 1
        if chat_id in self.blocked:
            raise Unreachable("USER_IS_BLOCKED")
        if chat_id in self.flood_once:
            raise RetryLater(self.flood_once.pop(chat_id))
        last = self._last_by_chat.get(chat_id)
        if last is not None and now - last < CHAT_INTERVAL:
            self.breaches += 1
        recent = [at for _, _, at in self.delivered[-PER_SECOND:] if now - at < 1.0]
        if len(recent) >= PER_SECOND:
            self.breaches += 1
        self._last_by_chat[chat_id] = now
        self.delivered.append((chat_id, reply.text, now))
        return len(self.delivered)
