"""`python -m bot`: the Telegram bot, or the simulator's sender without credentials."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.app import run_simulated, run_telegram
from config import ConfigError, get_config

SIMULATOR_NOTICE = (
    "Telegram credentials are not set (TELEGRAM_API_ID, TELEGRAM_API_HASH, "
    "TELEGRAM_BOT_TOKEN): using the simulator at /simulator/ in the web panel. "
    "/ Telegram не настроен: используется симулятор (/simulator/ в веб-панели)."
)

FORCED_NOTICE = (
    "--simulate: messages go to the simulator at /simulator/ in the web panel. "
    "/ Сообщения уходят в симулятор (/simulator/ в веб-панели)."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="deliver messages to the simulator even if Telegram is configured",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Pyrogram's own INFO lines (handler tasks, sessions) drown ours.
    logging.getLogger("pyrogram").setLevel(logging.WARNING)
    try:
        config = get_config()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    simulate = args.simulate or not config.telegram_configured
    if not config.database_url or (simulate and not config.redis_url):
        print(
            "DATABASE_URL (and REDIS_URL for the simulator) must be set; "
            "the run command sets both.",
            file=sys.stderr,
        )
        return 2
    try:
        if simulate:
            print(FORCED_NOTICE if args.simulate else SIMULATOR_NOTICE, flush=True)
            asyncio.run(run_simulated())
        else:
            asyncio.run(run_telegram(config))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
