"""The outbox sender: once per row, paced per chat, and honest about failures."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.conversation.model import Reply
from bot.limiter import RateLimiter
from bot.sender import Sender
from bot.transport import RetryLater, Unreachable
from scheduling.models import (
    OUTBOX_CANCELLED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENT,
    OutboxMessage,
    utcnow,
)
from scheduling.outbox import queue_message


class FakeClock:
    """Time that moves only when somebody sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0)
        await asyncio.sleep(0)


class FakeTransport:
    def __init__(self, clock: FakeClock | None = None, fail: Exception | None = None):
        self.clock = clock
        self.fail = fail
        self.sent: list[tuple[int, str, float | None]] = []

    async def send(self, chat_id: int, reply: Reply) -> int:
        if self.fail is not None:
            raise self.fail
        self.sent.append((chat_id, reply.text, self.clock() if self.clock else None))
        return 5000 + len(self.sent)


def _broadcast(session, key: str, chat_id: int, text: str) -> None:
    queue_message(
        session, key=key, chat_id=chat_id, kind="broadcast", payload={"text": text}
    )


def _status(session) -> dict[str, tuple[str, str | None]]:
    session.expire_all()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return {r.key: (r.status, r.last_error) for r in rows}


def test_due_rows_are_sent_once_and_marked_sent(session):
    _broadcast(session, "a", 11, "Первое")
    _broadcast(session, "b", 12, "Второе")
    queue_message(
        session,
        key="later",
        chat_id=13,
        kind="broadcast",
        payload={"text": "Потом"},
        not_before=utcnow() + dt.timedelta(hours=1),
    )
    session.commit()
    transport = FakeTransport()
    sender = Sender(transport)
    assert asyncio.run(sender.run_once()) == 2
    assert asyncio.run(sender.run_once()) == 0
    assert sorted(t for _, t, _ in transport.sent) == ["Второе", "Первое"]
    status = _status(session)
    assert status["a"][0] == status["b"][0] == OUTBOX_SENT
    assert status["later"][0] == OUTBOX_PENDING
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "a"))
    assert row.telegram_message_id in (5001, 5002)


def test_one_chat_gets_at_most_one_message_a_second(session):
    for n in range(3):
        _broadcast(session, f"anna-{n}", 21, f"Анне {n}")
    _broadcast(session, "boris", 22, "Борису")
    session.commit()
    clock = FakeClock()
    transport = FakeTransport(clock)
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    asyncio.run(Sender(transport, limiter=limiter).run_once())

    to_anna = [at for chat, _, at in transport.sent if chat == 21]
    assert [t for chat, t, _ in transport.sent if chat == 21] == [
        "Анне 0",
        "Анне 1",
        "Анне 2",
    ]
    gaps = [
        later - earlier for earlier, later in zip(to_anna, to_anna[1:], strict=False)
    ]
    assert all(gap >= 1.0 for gap in gaps)
    # Another chat does not wait behind Anna's queue.
    boris_at = next(at for chat, _, at in transport.sent if chat == 22)
    assert boris_at < to_anna[1]


def test_overall_rate_stays_within_thirty_a_second():
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, clock=clock, sleep=clock.sleep)
    starts = []

    async def burst() -> None:
        for chat in range(75):
            await limiter.acquire(chat)
            starts.append(clock())

    asyncio.run(burst())
    for i in range(len(starts) - 30):
        assert starts[i + 30] - starts[i] >= 1.0


def test_flood_wait_postpones_the_row_by_what_telegram_asked(session):
    _broadcast(session, "flood", 31, "Текст")
    session.commit()
    before = utcnow()
    asyncio.run(Sender(FakeTransport(fail=RetryLater(42))).run_once())
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "flood"))
    session.refresh(row)
    assert row.status == OUTBOX_PENDING
    assert row.not_before >= before + dt.timedelta(seconds=42)
    assert row.not_before < before + dt.timedelta(seconds=60)


def test_blocked_recipient_fails_for_good(session):
    _broadcast(session, "blocked", 32, "Текст")
    session.commit()
    asyncio.run(Sender(FakeTransport(fail=Unreachable("USER_IS_BLOCKED"))).run_once())
    status, error = _status(session)["blocked"]
    assert status == OUTBOX_FAILED
    assert "USER_IS_BLOCKED" in error


def test_network_error_is_retried_with_backoff(session):
    _broadcast(session, "flaky", 33, "Текст")
    session.commit()
    asyncio.run(Sender(FakeTransport(fail=ConnectionError("reset"))).run_once())
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "flaky"))
    session.refresh(row)
    assert row.status == OUTBOX_PENDING
    assert row.not_before > utcnow()
    assert row.attempts == 1


def test_reminder_of_a_cancelled_booking_is_skipped_not_sent(session, factory):
    queue_message(
        session,
        key="gone",
        chat_id=34,
        kind="reminder",
        payload={"booking_id": 424242, "minutes_before": 60},
    )
    queue_message(session, key="odd", chat_id=34, kind="fax", payload={})
    session.commit()
    transport = FakeTransport()
    asyncio.run(Sender(transport).run_once())
    assert transport.sent == []
    status = _status(session)
    assert status["gone"][0] == OUTBOX_CANCELLED
    assert status["odd"][0] == OUTBOX_FAILED


@pytest.mark.timeout(30)
def test_run_forever_stops_when_asked(session):
    _broadcast(session, "loop", 35, "Текст")
    session.commit()
    transport = FakeTransport()

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(
            Sender(transport, idle_seconds=0.05).run_forever(stop)
        )
        while not transport.sent:
            await asyncio.sleep(0.02)
        stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert [t for _, t, _ in transport.sent] == ["Текст"]
