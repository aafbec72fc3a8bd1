"""Slotbook's Telegram bot (Pyrogram through the kurigram fork) and its simulator.

* `conversation/` — the steps, free of Telegram: `respond(Event) -> Answer`.
* `callbacks` — button data, made and checked in one place.
* `texts`, `formats` — every text in Russian and English; dates and times.
* `render` — outbox rows (kind + payload) as messages in the recipient's language.
* `sender`, `limiter`, `transport` — the outbox loop within Telegram's limits.
* `telegram` — Pyrogram handlers and transport; `app` — the bot process.
* `simulator` — chats in Redis for trying everything without Telegram.
"""
