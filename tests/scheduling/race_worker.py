"""Run in separate processes by test_race: book concurrently, report outcomes."""

from __future__ import annotations

import time

from scheduling.booking import Actor, book
from scheduling.db import make_engine
from scheduling.errors import SchedulingError


def attempt_bookings(
    database_url: str, attempts: list[tuple[int, int]], start_at: float
) -> dict[str, int]:
    """Book each (slot, client) pair in its own transaction; count outcomes."""
    from sqlalchemy.orm import Session

    engine = make_engine(database_url, pool_size=2)
    outcomes: dict[str, int] = {}
    time.sleep(max(0.0, start_at - time.time()))
    for slot_id, client_id in attempts:
        try:
            with Session(engine) as session, session.begin():
                book(
                    session,
                    slot_id=slot_id,
                    client_id=client_id,
                    actor=Actor("client", client_id, "bot"),
                )
            key = "booked"
        except SchedulingError as exc:
            key = f"refused:{exc.code}"
        except Exception as exc:  # noqa: BLE001 - the test asserts there are none
            key = f"escaped:{type(exc).__name__}:{exc}"
        outcomes[key] = outcomes.get(key, 0) + 1
    engine.dispose()
    return outcomes
