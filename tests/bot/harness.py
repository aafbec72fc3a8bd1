"""Drive the real Pyrogram handlers offline, the way Telegram would.

A real `pyrogram.Client(in_memory=True)` that is never started: its
send/edit/answer methods are replaced by recorders, and raw TL updates
(`UpdateNewMessage`, `UpdateBotCallbackQuery`), written and read back like
the wire does, go through the client's own dispatcher, so Pyrogram's parsing,
filters and routing run for real. Each call returns once the handler is done.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from pyrogram import Client, enums, raw, types
from pyrogram.raw.core import TLObject

from bot.sender import Sender
from bot.telegram import PyrogramTransport, register_handlers

BOT_ID = 777000111
_ids = itertools.count(1)


@dataclass(frozen=True)
class TgUser:
    """A Telegram account talking to the bot."""

    id: int
    first_name: str = "Иван"
    last_name: str | None = "Петров"
    language_code: str | None = "ru"

    @classmethod
    def of(cls, record: Any, language_code: str | None = "ru") -> TgUser:
        """The account of a teacher or client record (by its telegram_user_id)."""
        first, _, last = record.full_name.partition(" ")
        return cls(record.telegram_user_id, first, last or None, language_code)


@dataclass
class Sent:
    """A message the bot sent to a chat, with its latest edit applied."""

    id: int
    chat_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    keyboard: list[str] = field(default_factory=list)
    asks_contact: bool = False
    edits: int = 0

    def data_for(self, label_part: str) -> str:
        """The callback data of the first button whose label contains the text."""
        for label, data in self.buttons:
            if label_part in label:
                return data
        raise AssertionError(f"no button {label_part!r} in {self.buttons}")


def _roundtrip(obj: TLObject) -> TLObject:
    # Serialise and parse back: empty vectors become [] as on the wire.
    return TLObject.read(io.BytesIO(obj.write()))


def _markup(reply_markup: Any) -> tuple[list[tuple[str, str]], list[str], bool]:
    buttons, keyboard, asks_contact = [], [], False
    if isinstance(reply_markup, types.InlineKeyboardMarkup):
        for row in reply_markup.inline_keyboard:
            buttons.extend((b.text, b.callback_data) for b in row)
    elif isinstance(reply_markup, types.ReplyKeyboardMarkup):
        for row in reply_markup.keyboard:
            for b in row:
                keyboard.append(b.text if hasattr(b, "text") else str(b))
                asks_contact = asks_contact or bool(
                    getattr(b, "request_contact", False)
                )
    return buttons, keyboard, asks_contact


class BotHarness:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = Client(
            "harness",
            api_id=1,
            api_hash="0" * 32,
            bot_token="1:test",
            in_memory=True,
            workers=1,
            loop=self.loop,
        )
        self.client.me = types.User(
            id=BOT_ID,
            is_self=True,
            is_bot=True,
            first_name="Slotbook",
            username="slotbook_bot",
        )
        self.messages: dict[int, Sent] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.callback_answers: list[str | None] = []
        self._msg_ids = itertools.count(100)
        self.client.send_message = self._send_message
        self.client.edit_message_text = self._edit_message_text
        self.client.answer_callback_query = self._answer_callback_query
        self.client.get_messages = self._get_messages
        register_handlers(self.client)
        self.loop.run_until_complete(asyncio.sleep(0))

    def close(self) -> None:
        self.client.executor.shutdown(wait=False)
        self.loop.close()

    # What a person does

    def send_text(self, user: TgUser, text: str) -> None:
        entities = []
        if text.startswith("/"):
            command = text.split()[0]
            entities = [
                raw.types.MessageEntityBotCommand(offset=0, length=len(command))
            ]
        self._dispatch_message(user, message=text, entities=entities)

    def share_contact(
        self, user: TgUser, phone: str, owner_id: int | None = None
    ) -> None:
        media = raw.types.MessageMediaContact(
            phone_number=phone,
            first_name=user.first_name,
            last_name=user.last_name or "",
            vcard="",
            user_id=user.id if owner_id is None else owner_id,
        )
        self._dispatch_message(user, message="", media=media)

    def send_media(self, user: TgUser, media: TLObject) -> None:
        """Send something that is not text (a dice, a sticker, a photo)."""
        self._dispatch_message(user, message="", media=media)

    def press(
        self, user: TgUser, data: str | bytes, message_id: int | None = None
    ) -> None:
        """Press a button: on the latest message carrying `data`, unless given."""
        if message_id is None:
            message_id = self._message_with(user, data)
        update = raw.types.UpdateBotCallbackQuery(
            query_id=next(_ids),
            user_id=user.id,
            peer=raw.types.PeerUser(user_id=user.id),
            msg_id=message_id,
            chat_instance=user.id,
            data=data if isinstance(data, bytes) else data.encode(),
        )
        self._dispatch(update, user)

    def deliver_outbox(self) -> int:
        """Let the outbox sender send what is due through this client."""
        sender = Sender(PyrogramTransport(self.client))
        return self.loop.run_until_complete(sender.run_once())

    # What the bot did

    def sent_to(self, user: TgUser) -> list[Sent]:
        """The chat with `user` as it looks now, oldest message first."""
        return [
            m
            for m in sorted(self.messages.values(), key=lambda m: m.id)
            if m.chat_id == user.id
        ]

    def last(self, user: TgUser) -> Sent:
        return self.sent_to(user)[-1]

    # Internals

    def _message_with(self, user: TgUser, data: str | bytes) -> int:
        wanted = data.decode(errors="replace") if isinstance(data, bytes) else data
        for message in reversed(self.sent_to(user)):
            if any(d == wanted for _, d in message.buttons):
                return message.id
        chat = self.sent_to(user)
        return chat[-1].id if chat else 1

    def _dispatch_message(self, user: TgUser, **fields: Any) -> None:
        message = raw.types.Message(
            id=next(_ids),
            peer_id=raw.types.PeerUser(user_id=user.id),
            from_id=raw.types.PeerUser(user_id=user.id),
            date=int(time.time()),
            **fields,
        )
        update = raw.types.UpdateNewMessage(
            message=message, pts=next(_ids), pts_count=1
        )
        self._dispatch(update, user)

    def _dispatch(self, update: TLObject, user: TgUser) -> None:
        raw_user = raw.types.User(
            id=user.id,
            first_name=user.first_name,
            last_name=user.last_name,
            lang_code=user.language_code,
            access_hash=user.id * 7,
        )
        users = {user.id: _roundtrip(raw_user)}
        queue = self.client.dispatcher.updates_queue
        queue.put_nowait((_roundtrip(update), users, {}))
        queue.put_nowait(None)  # makes the worker return after this update
        worker = self.client.dispatcher.handler_worker(asyncio.Lock())
        self.loop.run_until_complete(worker)

    async def _send_message(
        self, chat_id: int, text: str, reply_markup: Any = None, **kw: Any
    ):
        self.calls.append(("send_message", {"chat_id": chat_id, "text": text}))
        buttons, keyboard, asks_contact = _markup(reply_markup)
        message_id = next(self._msg_ids)
        self.messages[message_id] = Sent(
            message_id, chat_id, text, buttons, keyboard, asks_contact
        )
        return types.Message(
            id=message_id, chat=types.Chat(id=chat_id, type=enums.ChatType.PRIVATE)
        )

    async def _edit_message_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        reply_markup: Any = None,
        **kw: Any,
    ):
        self.calls.append(
            ("edit_message_text", {"chat_id": chat_id, "message_id": message_id})
        )
        message = self.messages.get(message_id)
        if message is None or message.chat_id != chat_id:
            from pyrogram.errors import MessageIdInvalid

            raise MessageIdInvalid()
        message.text = text
        message.buttons, _, _ = _markup(reply_markup)
        message.edits += 1
        return types.Message(
            id=message_id, chat=types.Chat(id=chat_id, type=enums.ChatType.PRIVATE)
        )

    async def _answer_callback_query(
        self, callback_query_id: str, text: str | None = None, **kw: Any
    ):
        self.calls.append(("answer_callback_query", {"text": text}))
        self.callback_answers.append(text)
        return True

    async def _get_messages(self, chat_id: int, message_ids: int, **kw: Any):
        return types.Message(
            id=message_ids,
            chat=types.Chat(id=chat_id, type=enums.ChatType.PRIVATE),
            client=self.client,
        )
