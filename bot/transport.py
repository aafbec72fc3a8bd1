"""How the sender reaches a chat: Telegram, or the simulator's chat log.

A transport sends one rendered message and returns its message id. It turns
its own failures into the two the sender acts on: `RetryLater` (Telegram
asked us to wait) and `Unreachable` (the person blocked the bot or is gone,
so retrying is pointless). Anything else is retried with back-off.
"""

from __future__ import annotations

from typing import Protocol

from bot.conversation.model import Reply


class RetryLater(Exception):
    """The chat (or the bot) is rate-limited; try again after `seconds`."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds} s")
        self.seconds = seconds


class Unreachable(Exception):
    """The recipient cannot receive messages from the bot (blocked, deleted)."""


class Transport(Protocol):
    async def send(self, chat_id: int, reply: Reply) -> int:
        """Deliver `reply` to `chat_id`; return the new message's id."""
        ...
