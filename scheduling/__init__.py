"""Slotbook's shared model package: tables and the domain rules.

Every rule about settings, availability, slots, bookings, polls, reminders and
outgoing messages lives here once; the web panel, the bot and the jobs call
these functions. This package imports no Flask, no Pyrogram and no RQ.
"""
