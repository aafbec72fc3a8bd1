"""The bot process: one Pyrogram client for updates and the outbox sender.

It is the only process that talks to Telegram. Without credentials it runs
the sender against the simulator's chats instead, so the whole flow can be
tried from the web panel's /simulator/ page.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from pyrogram import Client, idle

from bot.sender import Sender
from bot.simulator import Simulator, SimulatorTransport
from bot.telegram import PyrogramTransport, register_handlers
from config import Config

logger = logging.getLogger(__name__)

SESSION_NAME = "slotbook_bot"


def build_client(config: Config, in_memory: bool = False) -> Client:
    """The Pyrogram client; its session file lives in the var directory.

    A persistent session avoids logging in with the bot token at every start
    (repeated logins draw flood waits).
    """
    config.var_dir.mkdir(parents=True, exist_ok=True)
    return Client(
        SESSION_NAME,
        api_id=config.telegram_api_id,
        api_hash=config.telegram_api_hash,
        bot_token=config.telegram_bot_token,
        workdir=str(config.var_dir),
        in_memory=in_memory,
    )


async def run_telegram(config: Config) -> None:
    """Serve Telegram updates and send the outbox until SIGINT/SIGTERM."""
    client = build_client(config)
    register_handlers(client)
    await client.start()
    me = client.me
    logger.info(
        "bot started id=%s username=%s", me.id if me else None, me and me.username
    )
    stop = asyncio.Event()
    sender = asyncio.create_task(Sender(PyrogramTransport(client)).run_forever(stop))
    try:
        await idle()
    finally:
        stop.set()
        await sender
        await client.stop()


async def run_simulated() -> None:
    """Send the outbox into the simulator's chats until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    transport = SimulatorTransport(Simulator.from_config())
    await Sender(transport).run_forever(stop)
