"""Telegram's sending limits: about 30 messages a second overall, 1 per chat.

A small limiter of our own rather than the `limits` package (installed with
Flask-Limiter): that one answers "allowed now?", while the sender needs "how
long to wait", and a limiter with an injectable clock lets tests check the
pacing without sleeping for real.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class RateLimiter:
    """Waits until a message to a chat may start, then books that moment."""

    def __init__(
        self,
        per_second: int = 30,
        chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.chat_interval = chat_interval
        self._clock = clock
        self._sleep = sleep
        self._window: deque[float] = deque()
        self._last_by_chat: dict[int, float] = {}
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: int) -> None:
        """Return when a message to `chat_id` keeps within both limits.

        Callers send to one chat one message at a time (the sender has one
        task per chat), so the chat's last start only moves forward.
        """
        last = self._last_by_chat.get(chat_id)
        if last is not None:
            delay = last + self.chat_interval - self._clock()
            if delay > 0:
                await self._sleep(delay)
        async with self._lock:
            while True:
                now = self._clock()
                while self._window and now - self._window[0] >= 1.0:
                    self._window.popleft()
                if len(self._window) < self.per_second:
                    break
                await self._sleep(self._window[0] + 1.0 - now)
            self._window.append(now)
        self._last_by_chat[chat_id] = now
        if len(self._last_by_chat) > 10_000:
            # Chats idle for longer than the interval no longer constrain anything.
            horizon = now - self.chat_interval
            self._last_by_chat = {
                chat: at for chat, at in self._last_by_chat.items() if at > horizon
            }
