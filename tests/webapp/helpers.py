"""Small helpers the web tests share."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from scheduling.models import utcnow


def isolated_app_settings(**extra: Any) -> dict[str, Any]:
    """`create_app` overrides for a test app with its own login-attempt counts.

    The counts live in the shared test Redis; a fresh key prefix per app keeps
    one test's logins from using up the next test's allowance.
    """
    return {
        "TESTING": True,
        "RATELIMIT_KEY_PREFIX": f"slotbook-test-{uuid.uuid4().hex}",
        **extra,
    }


TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def page_text(html: str) -> str:
    """The visible words of a page, tags dropped and spaces collapsed."""
    without_scripts = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return SPACE.sub(" ", TAG.sub(" ", without_scripts)).replace("&nbsp;", " ")


def days_ahead_at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A UTC instant `days` from today at hour:minute UTC."""
    day = utcnow().date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def started_booking(session, factory, teacher, client_name: str):
    """A booking made yesterday for a lesson of `teacher` that began an hour ago."""
    from scheduling.booking import Actor, book

    start = utcnow() - dt.timedelta(hours=1)
    slot = factory.slot(teacher, start)
    pupil = factory.client(client_name)
    booking = book(
        session,
        slot_id=slot.id,
        client_id=pupil.id,
        actor=Actor("staff", None, "web", "test"),
        now=start - dt.timedelta(days=1),
    )
    session.commit()
    return booking
