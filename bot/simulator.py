"""A stand-in for Telegram: chats kept in Redis, driven from Python or the web page.

Acting as a teacher or client uses their ``telegram_user_id`` as the chat id,
so conversation replies and outbox deliveries (through `SimulatorTransport`)
land in the same chat log. A person without a Telegram id cannot be acted as
(they would get no messages in real life either); a "new person" gets a
synthetic id from a reserved range far above real Telegram ids, to try /start
and registration by contact. The log lives in Redis: losing a simulated chat
loses no business data, and every process (web page, bot sender) shares it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from typing import Any

from redis import Redis
from sqlalchemy.orm import Session

from bot.conversation import Answer, Event, Reply, respond
from config import get_config
from scheduling.db import session_scope
from scheduling.people import address_name, find_by_telegram

PREFIX = "slotbook:sim"
# Synthetic chat ids for "new person" start here (real ids are far smaller).
SYNTHETIC_BASE = 10**15
KEEP_MESSAGES = 200

Scope = Callable[[], AbstractContextManager[Session]]


@dataclass
class SimMessage:
    """One message in a simulated chat, from the bot or from the person."""

    id: int
    sender: str  # "bot" or "user"
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    menu: list[list[str]] = field(default_factory=list)
    contact_request: str | None = None
    at: str = ""
    edited: bool = False

    def button_data(self) -> list[str]:
        return [b["data"] for row in self.buttons for b in row]


@dataclass(frozen=True)
class Profile:
    """How the simulated person appears to the bot (their Telegram profile)."""

    first_name: str
    last_name: str | None = None
    language_code: str | None = "ru"


class Simulator:
    def __init__(self, redis: Redis, scope: Scope = session_scope) -> None:
        self.redis = redis
        self.scope = scope

    @classmethod
    def from_config(cls) -> Simulator:
        url = get_config().redis_url
        if not url:
            raise RuntimeError(
                "REDIS_URL is not set; the simulator keeps chats in Redis"
            )
        return cls(Redis.from_url(url))

    # Who is chatting

    def new_person(self, first_name: str, last_name: str | None, language: str) -> int:
        """A fresh synthetic chat for somebody the centre does not know yet."""
        chat_id = SYNTHETIC_BASE + int(self.redis.incr(f"{PREFIX}:next_person"))
        profile = Profile(first_name.strip() or "Гость", last_name, language)
        self.redis.hset(f"{PREFIX}:profiles", str(chat_id), json.dumps(asdict(profile)))
        return chat_id

    def profile(self, chat_id: int) -> Profile:
        """The profile of a synthetic person, or one made from the DB record."""
        stored = self.redis.hget(f"{PREFIX}:profiles", str(chat_id))
        if stored:
            return Profile(**json.loads(stored))
        with self.scope() as session:
            person = find_by_telegram(session, chat_id)
            record = person.teacher or person.client
            if record is None:
                return Profile("Гость")
            # Stored "Фамилия Имя Отчество"; Telegram has first and last names.
            surname, _, given = record.full_name.partition(" ")
            if not given:
                return Profile(surname, None, record.language)
            return Profile(address_name(record.full_name), surname, record.language)

    # What the person does

    def send_text(self, chat_id: int, text: str) -> Answer:
        """The person types `text` (a command, a menu button or anything)."""
        self._append(chat_id, SimMessage(0, "user", text))
        return self._run(chat_id, self._event(chat_id, text=text))

    def share_contact(
        self, chat_id: int, phone: str, contact_user_id: int | None = None
    ) -> Answer:
        """The person shares a contact; their own unless `contact_user_id` says so."""
        self._append(chat_id, SimMessage(0, "user", f"📱 {phone}"))
        owner = chat_id if contact_user_id is None else contact_user_id
        event = self._event(chat_id, contact_phone=phone, contact_user_id=owner)
        return self._run(chat_id, event)

    def press(self, chat_id: int, message_id: int, data: str) -> Answer:
        """The person presses a button with `data` on message `message_id`."""
        event = self._event(chat_id, callback_data=data, message_id=message_id)
        return self._run(chat_id, event, message_id)

    # What the chat shows

    def transcript(self, chat_id: int) -> list[SimMessage]:
        """The chat's messages, oldest first (edits shown in place)."""
        raw = self.redis.hgetall(self._key(chat_id))
        messages = [SimMessage(**json.loads(v)) for v in raw.values()]
        return sorted(messages, key=lambda m: m.id)

    def deliver(self, chat_id: int, reply: Reply, edit_id: int | None = None) -> int:
        """Put a bot reply in the chat: a new message, or an edit of `edit_id`."""
        message = SimMessage(
            id=0,
            sender="bot",
            text=reply.text,
            buttons=[[asdict(b) for b in row] for row in reply.buttons],
            menu=[list(row) for row in reply.menu],
            contact_request=reply.contact_request,
        )
        inline_only = not (reply.menu or reply.contact_request)
        if edit_id is not None and inline_only:
            if self.redis.hexists(self._key(chat_id), str(edit_id)):
                message.id, message.edited = edit_id, True
                message.at = _now()
                self.redis.hset(self._key(chat_id), str(edit_id), _dump(message))
                return edit_id
        return self._append(chat_id, message)

    def clear(self, chat_id: int) -> None:
        self.redis.delete(self._key(chat_id), self._key(chat_id) + ":seq")

    # Internals

    def _event(self, chat_id: int, **fields: Any) -> Event:
        profile = self.profile(chat_id)
        return Event(
            user_id=chat_id,
            first_name=profile.first_name,
            last_name=profile.last_name,
            language_code=profile.language_code,
            **fields,
        )

    def _run(self, chat_id: int, event: Event, edit_id: int | None = None) -> Answer:
        answer = respond(event, self.scope)
        for reply in answer.replies:
            self.deliver(chat_id, reply, edit_id if reply.edit else None)
        return answer

    def _append(self, chat_id: int, message: SimMessage) -> int:
        key = self._key(chat_id)
        message.id = int(self.redis.incr(key + ":seq"))
        message.at = _now()
        self.redis.hset(key, str(message.id), _dump(message))
        if self.redis.hlen(key) > KEEP_MESSAGES:
            ids = sorted(int(i) for i in self.redis.hkeys(key))
            self.redis.hdel(key, *[str(i) for i in ids[:-KEEP_MESSAGES]])
        return message.id

    @staticmethod
    def _key(chat_id: int) -> str:
        return f"{PREFIX}:chat:{chat_id}"


class SimulatorTransport:
    """Delivers outbox messages into the simulated chats."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    async def send(self, chat_id: int, reply: Reply) -> int:
        return await asyncio.to_thread(self.simulator.deliver, chat_id, reply)


def _dump(message: SimMessage) -> str:
    return json.dumps(asdict(message), ensure_ascii=False)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
