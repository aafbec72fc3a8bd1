"""Callback data of inline buttons: built here, and checked here when pressed.

Data is ``verb:arg:arg``, at most 64 bytes (Telegram's limit). The whole
state of a step travels in its buttons, so the bot keeps no conversation
state and a restart loses nothing. A press is never trusted: `parse` accepts
only known verbs with well-formed arguments, and the steps then check that
the objects exist and belong to the person pressing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from scheduling.ids import MAX_ID
from scheduling.manual_slots import FIRST_YEAR, LAST_YEAR

# verb -> argument kinds. id: a positive integer; any: 0 ("any") or an id;
# day: YYYYMMDD; hour: 0-23; nonce: 6 lowercase letters or digits.
VERBS: dict[str, tuple[str, ...]] = {
    "book": (),  # the subjects
    "bs": ("id",),  # subject -> teachers
    "bt": ("id", "any"),  # subject, teacher -> days
    "bd": ("id", "any", "day"),  # subject, teacher, day -> times
    "bc": ("id", "id", "any"),  # slot, subject, teacher -> confirm screen
    "bo": ("id", "id", "any", "nonce"),  # confirmed: book it
    "my": (),  # my bookings
    "mc": ("id",),  # booking -> ask to cancel
    "mx": ("id",),  # booking -> cancel
    "mm": ("id",),  # booking -> days to move it to
    "md": ("id", "day"),  # booking, day -> times to move it to
    "mt": ("id", "id"),  # booking, slot -> confirm the move
    "mv": ("id", "id"),  # booking, slot -> move it
    "ph": ("id", "hour"),  # poll, hour -> toggle
    "pd": ("id",),  # poll -> done
    "pn": ("id",),  # poll -> not working that day
    "pe": ("id",),  # poll -> change the answer
    "pw": ("id",),  # poll -> tick the hours of a week ago
    "al": (),  # lessons to mark attendance in
    "as": ("id",),  # slot -> its attendance screen
    "ay": ("id",),  # booking -> the client came
    "an": ("id",),  # booking -> the client did not come
    "menu": (),
}

_PATTERNS = {
    "id": re.compile(r"[1-9]\d{0,9}"),
    "any": re.compile(r"0|[1-9]\d{0,9}"),
    "day": re.compile(r"\d{8}"),
    "hour": re.compile(r"\d{1,2}"),
    "nonce": re.compile(r"[a-z0-9]{6}"),
}
_NONCE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_BYTES = 64


class BadCallback(ValueError):
    """Callback data the bot never made (forged, garbled or from an old version)."""


@dataclass(frozen=True)
class Callback:
    verb: str
    args: tuple[int | str | dt.date, ...]


def make(verb: str, *args: int | str | dt.date) -> str:
    """Callback data for a button; refuses what `parse` would refuse."""
    parts = [verb]
    for arg in args:
        parts.append(arg.strftime("%Y%m%d") if isinstance(arg, dt.date) else str(arg))
    data = ":".join(parts)
    parse(data)
    return data


def new_nonce() -> str:
    """A fresh token for a confirm button: a double tap repeats it, a new screen not."""
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(6))


def parse(data: str | bytes | None) -> Callback:
    """The verb and typed arguments of pressed button data.

    :raise BadCallback: anything the bot did not make.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode()
        except UnicodeDecodeError as exc:
            raise BadCallback("not text") from exc
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadCallback("empty or too long")
    verb, *raw = data.split(":")
    kinds = VERBS.get(verb)
    if kinds is None or len(raw) != len(kinds):
        raise BadCallback(f"unknown verb or arity: {verb!r}")
    args = zip(kinds, raw, strict=True)
    return Callback(verb, tuple(_arg(kind, value) for kind, value in args))


def _arg(kind: str, value: str) -> int | str | dt.date:
    if not _PATTERNS[kind].fullmatch(value):
        raise BadCallback(f"malformed {kind}")
    if kind == "nonce":
        return value
    if kind == "day":
        try:
            day = dt.datetime.strptime(value, "%Y%m%d").date()
        except ValueError as exc:
            raise BadCallback("not a date") from exc
        # The years a slot may have; beyond them date arithmetic overflows.
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise BadCallback("a year no slot has")
        return day
    number = int(value)
    if kind == "hour" and number > 23:
        raise BadCallback("not an hour")
    # Ids are integer columns: a larger number is an error in SQL.
    if kind in ("id", "any") and number > MAX_ID:
        raise BadCallback("beyond any id")
    return number
