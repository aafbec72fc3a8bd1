"""Slotbook's Telegram bot (Pyrogram through the kurigram fork) and its simulator."""
