"""Pyrogram glue: updates become conversation events, answers become messages.

Handlers are thin: they convert, call `bot.conversation.respond` in a worker
thread (the database calls are blocking) and send what it returns.
"""

from __future__ import annotations

import asyncio
import logging

from pyrogram import Client, errors, filters
from pyrogram.handlers import CallbackQueryHandler, MessageHandler
from pyrogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from bot.conversation import Answer, Event, Reply, respond
from bot.transport import RetryLater, Unreachable

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None

# The recipient blocked the bot, deleted their account or never started it.
UNREACHABLE = (
    errors.UserIsBlocked,
    errors.InputUserDeactivated,
    errors.UserDeactivated,
    errors.UserDeactivatedBan,
    errors.PeerIdInvalid,
    errors.ChatWriteForbidden,
)


def markup(reply: Reply) -> Markup:
    """Pyrogram's keyboard for a reply: inline buttons, the menu, or the contact."""
    if reply.buttons:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
                for row in reply.buttons
            ]
        )
    if reply.contact_request:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(reply.contact_request, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if reply.menu:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(label) for label in row] for row in reply.menu],
            resize_keyboard=True,
            is_persistent=True,
        )
    return None


def event_from_message(message: Message) -> Event:
    user = message.from_user
    contact = message.contact
    return Event(
        user_id=user.id,
        first_name=user.first_name or "",
        last_name=user.last_name,
        language_code=user.language_code,
        text=message.text,
        contact_phone=contact.phone_number if contact else None,
        contact_user_id=contact.user_id if contact else None,
    )


def event_from_callback(query: CallbackQuery) -> Event:
    user = query.from_user
    return Event(
        user_id=user.id,
        first_name=user.first_name or "",
        last_name=user.last_name,
        language_code=user.language_code,
        callback_data=query.data if query.data is not None else b"",
        message_id=query.message.id if query.message else None,
    )


async def deliver(
    client: Client, chat_id: int, answer: Answer, message_id: int | None = None
) -> None:
    """Send the answer's replies; an edit goes to the pressed message."""
    for reply in answer.replies:
        inline_only = not (reply.menu or reply.contact_request)
        if reply.edit and message_id is not None and inline_only:
            try:
                await client.edit_message_text(
                    chat_id, message_id, reply.text, reply_markup=markup(reply)
                )
                continue
            except errors.MessageNotModified:
                # A double tap asks for the screen already shown.
                continue
            except errors.BadRequest as exc:
                # Too old or deleted to edit: say it in a new message instead.
                logger.info("edit failed chat=%s error=%s", chat_id, exc.ID)
        await client.send_message(chat_id, reply.text, reply_markup=markup(reply))


async def on_message(client: Client, message: Message) -> None:
    """A private message: text, a command, a menu button or a shared contact."""
    if message.from_user is None:
        return
    event = event_from_message(message)
    answer = await asyncio.to_thread(respond, event)
    await deliver(client, message.chat.id, answer)


async def on_callback(client: Client, query: CallbackQuery) -> None:
    """An inline button press: always answered, so the button stops spinning."""
    event = event_from_callback(query)
    answer = await asyncio.to_thread(respond, event)
    try:
        await client.answer_callback_query(query.id, text=answer.notice)
    except errors.QueryIdInvalid:
        logger.info("callback answered too late user=%s", event.user_id)
    chat_id = query.message.chat.id if query.message else event.user_id
    await deliver(client, chat_id, answer, event.message_id)


def register_handlers(client: Client) -> None:
    """Route private messages and button presses to the conversation."""
    client.add_handler(MessageHandler(on_message, filters.private & filters.incoming))
    client.add_handler(CallbackQueryHandler(on_callback))


class PyrogramTransport:
    """Sends outbox messages through the running Pyrogram client."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def send(self, chat_id: int, reply: Reply) -> int:
        try:
            sent = await self.client.send_message(
                chat_id, reply.text, reply_markup=markup(reply)
            )
        except errors.FloodWait as exc:
            raise RetryLater(float(exc.value or 1), str(exc)) from exc
        except UNREACHABLE as exc:
            raise Unreachable(exc.ID or type(exc).__name__) from exc
        return sent.id
