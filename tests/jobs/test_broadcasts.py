"""Broadcasts: audiences, idempotent fan-out, delivery within Telegram's limits."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import func, insert, select, update

from bot.limiter import RateLimiter
from bot.sender import Sender
from jobs.runtime import QUEUE_NAME
from jobs.tasks import fan_out_broadcast, tick
from scheduling.booking import Actor, book
from scheduling.broadcasts import (
    create_broadcast,
    fan_out,
    preview_count,
    progress,
    stop_broadcast,
)
from scheduling.errors import RuleError
from scheduling.models import (
    BROADCAST_NEW,
    BROADCAST_QUEUED,
    OUTBOX_FAILED,
    Broadcast,
    Client,
    OutboxMessage,
    utcnow,
)
from scheduling.outbox import queue_message
from tests.jobs.clock import moscow
from tests.jobs.fake_telegram import FakeClock, LimitedTelegram

SYSTEM = Actor("system", source="test", name="test")


@pytest.fixture
def centre(session, factory):
    """Two teachers, two subjects, clients with and without bookings."""
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    anna = factory.teacher("Анна", subjects=(maths,))
    boris = factory.teacher("Борис", subjects=(physics,))
    factory.teacher("Без телеграма", telegram=False)
    day = (utcnow() + dt.timedelta(days=3)).date()
    people = {
        "maths_anna": factory.client("Клиент 1"),
        "physics_boris": factory.client("Клиент 2"),
        "nothing_booked": factory.client("Клиент 3"),
        "blocked": factory.client("Клиент 4", blocked_at=utcnow()),
        "no_telegram": factory.client("Клиент 5", telegram=False),
    }
    slots = [
        (anna, maths, "maths_anna", 10),
        (boris, physics, "physics_boris", 12),
        (anna, maths, "blocked", 14),
        (anna, maths, "no_telegram", 16),
    ]
    for teacher, subject, who, hour in slots:
        slot = factory.slot(teacher, moscow(day, hour), subject_id=subject.id)
        book(session, slot_id=slot.id, client_id=people[who].id, actor=SYSTEM)
    session.commit()
    return {"maths": maths, "anna": anna, "day": day, **people}


def test_each_audience_counts_only_reachable_people(session, centre):
    day = centre["day"]
    assert preview_count(session, {"kind": "all_clients"}) == 3
    assert preview_count(session, {"kind": "all_teachers"}) == 2
    assert (
        preview_count(
            session, {"kind": "subject_clients", "subject_id": centre["maths"].id}
        )
        == 1
    )
    assert (
        preview_count(
            session, {"kind": "teacher_clients", "teacher_id": centre["anna"].id}
        )
        == 1
    )
    period = {"kind": "period_clients", "date_from": day, "date_to": day}
    assert preview_count(session, period) == 2
    day_before = day - dt.timedelta(days=1)
    period = {"kind": "period_clients", "date_from": day_before, "date_to": day_before}
    assert preview_count(session, period) == 0


def test_cancelled_bookings_do_not_make_a_client_of_the_teacher(session, centre):
    from scheduling.booking import cancel
    from scheduling.models import Booking

    booking_id = session.scalar(
        select(Booking.id).where(Booking.client_id == centre["maths_anna"].id)
    )
    cancel(session, booking_id=booking_id, actor=SYSTEM)
    session.commit()
    spec = {"kind": "teacher_clients", "teacher_id": centre["anna"].id}
    assert preview_count(session, spec) == 0


@pytest.mark.parametrize(
    "audience",
    [
        {"kind": "everyone"},
        {"kind": "subject_clients"},
        {"kind": "teacher_clients", "teacher_id": "abc"},
        {"kind": "period_clients", "date_from": "2026-12-10", "date_to": "2026-12-01"},
        {"kind": "period_clients", "date_from": "2026-01-01", "date_to": "2027-06-01"},
    ],
)
def test_malformed_audience_is_refused_with_a_clear_message(session, audience):
    with pytest.raises(RuleError) as refused:
        create_broadcast(session, text="Привет", audience=audience, created_by="t")
    assert "Получатели рассылки" in refused.value.message("ru")
    assert "recipients" in refused.value.message("en")


@pytest.mark.parametrize("text", ["", "   ", "я" * 4097])
def test_empty_or_too_long_text_is_refused(session, text):
    with pytest.raises(RuleError) as refused:
        create_broadcast(
            session, text=text, audience={"kind": "all_clients"}, created_by="t"
        )
    assert "4096" in refused.value.message("ru")


def test_fan_out_twice_queues_each_recipient_once(session, centre):
    broadcast = create_broadcast(
        session,
        text="Центр закрыт 31 декабря",
        audience={"kind": "all_clients"},
        created_by="admin",
    )
    assert fan_out(session, broadcast.id) == 3
    assert fan_out(session, broadcast.id) == 0
    session.commit()

    keys = session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.broadcast_id == broadcast.id)
    ).all()
    assert sorted(keys) == sorted(
        f"broadcast:{broadcast.id}:{centre[who].telegram_user_id}"
        for who in ("maths_anna", "physics_boris", "nothing_booked")
    )
    session.refresh(broadcast)
    assert broadcast.status == BROADCAST_QUEUED
    assert broadcast.recipients_count == 3


def _clients(session, count: int, first_chat: int = 700_000) -> None:
    session.execute(
        insert(Client),
        [
            {"full_name": f"Клиент {n}", "telegram_user_id": first_chat + n}
            for n in range(count)
        ],
    )
    session.commit()


def _send_all(sender: Sender) -> None:
    async def drain() -> None:
        while await sender.run_once():
            pass

    asyncio.run(drain())


def test_broadcast_to_500_recipients_keeps_telegrams_limits(session):
    _clients(session, 500)
    broadcast = create_broadcast(
        session,
        text="Новое расписание",
        audience={"kind": "all_clients"},
        created_by="admin",
    )
    fan_out(session, broadcast.id)
    session.commit()
    clock = FakeClock()
    telegram = LimitedTelegram(clock)
    limiter = RateLimiter(per_second=30, clock=clock, sleep=clock.sleep)

    _send_all(Sender(telegram, limiter=limiter, batch_size=100))

    assert telegram.breaches == 0
    chats = [chat for chat, _, _ in telegram.delivered]
    assert len(chats) == len(set(chats)) == 500
    # 500 messages at 30 a second take at least 16 (fake) seconds.
    elapsed = telegram.delivered[-1][2] - telegram.delivered[0][2]
    assert elapsed >= 500 / 30 - 1
    done = progress(session, broadcast.id)
    assert (done.total, done.sent, done.waiting, done.failed) == (500, 500, 0, 0)


def test_blocked_recipient_is_marked_not_retried_and_left_out_next_time(session):
    _clients(session, 3)
    blocked_chat = 700_001
    first = create_broadcast(
        session, text="Первая", audience={"kind": "all_clients"}, created_by="admin"
    )
    fan_out(session, first.id)
    session.commit()
    clock = FakeClock()
    telegram = LimitedTelegram(clock, blocked={blocked_chat})
    sender = Sender(telegram, limiter=RateLimiter(clock=clock, sleep=clock.sleep))

    _send_all(sender)
    _send_all(sender)

    assert telegram.attempts[blocked_chat] == 1
    row = session.scalar(
        select(OutboxMessage).where(OutboxMessage.chat_id == blocked_chat)
    )
    assert row.status == OUTBOX_FAILED
    assert row.last_error.startswith("unreachable")
    state = progress(session, first.id)
    assert (state.sent, state.blocked, state.failed, state.waiting) == (2, 1, 0, 0)
    client = session.scalar(
        select(Client).where(Client.telegram_user_id == blocked_chat)
    )
    session.refresh(client)
    assert client.blocked_at is not None

    second = create_broadcast(
        session, text="Вторая", audience={"kind": "all_clients"}, created_by="admin"
    )
    assert fan_out(session, second.id) == 2


def test_a_large_broadcast_is_fanned_out_by_an_rq_job(session, redis_conn):
    _clients(session, 300)
    broadcast = create_broadcast(
        session, text="Всем", audience={"kind": "all_clients"}, created_by="admin"
    )
    session.commit()
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    queue.enqueue(fan_out_broadcast, broadcast.id)
    # A retried job changes nothing.
    queue.enqueue(fan_out_broadcast, broadcast.id)

    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)

    count = session.scalar(
        select(func.count()).where(OutboxMessage.broadcast_id == broadcast.id)
    )
    assert count == 300


def test_tick_fans_out_a_broadcast_whose_job_was_lost(session):
    _clients(session, 2)
    broadcast = create_broadcast(
        session, text="Всем", audience={"kind": "all_clients"}, created_by="admin"
    )
    session.commit()

    tick()
    session.refresh(broadcast)
    assert broadcast.status == BROADCAST_NEW  # its own job still has time

    session.execute(
        update(Broadcast).values(created_at=utcnow() - dt.timedelta(minutes=5))
    )
    session.commit()
    assert tick()["broadcasts"] == 1
    session.refresh(broadcast)
    assert broadcast.status == BROADCAST_QUEUED
    assert broadcast.recipients_count == 2


def test_a_delivered_message_clears_an_earlier_block(session):
    _clients(session, 1)
    chat = 700_000
    session.execute(
        update(Client)
        .where(Client.telegram_user_id == chat)
        .values(blocked_at=utcnow())
    )
    session.commit()
    assert preview_count(session, {"kind": "all_clients"}) == 0
    queue_message(
        session, key="hello", chat_id=chat, kind="broadcast", payload={"text": "Привет"}
    )
    session.commit()
    clock = FakeClock()
    _send_all(
        Sender(
            LimitedTelegram(clock), limiter=RateLimiter(clock=clock, sleep=clock.sleep)
        )
    )

    assert preview_count(session, {"kind": "all_clients"}) == 1


def test_stopped_broadcast_sends_nothing_more(session):
    _clients(session, 3)
    broadcast = create_broadcast(
        session,
        text="Ошибочный текст",
        audience={"kind": "all_clients"},
        created_by="admin",
    )
    fan_out(session, broadcast.id)
    session.commit()

    assert stop_broadcast(session, broadcast.id) == 3
    session.commit()
    clock = FakeClock()
    telegram = LimitedTelegram(clock)
    _send_all(Sender(telegram, limiter=RateLimiter(clock=clock, sleep=clock.sleep)))

    assert telegram.delivered == []
    state = progress(session, broadcast.id)
    assert (state.skipped, state.waiting, state.sent) == (3, 0, 0)


def test_broadcast_stopped_before_its_fan_out_reaches_nobody(session):
    _clients(session, 2)
    broadcast = create_broadcast(
        session,
        text="Ошибочный текст",
        audience={"kind": "all_clients"},
        created_by="admin",
    )
    session.commit()
    stop_broadcast(session, broadcast.id)
    session.execute(
        update(Broadcast).values(created_at=utcnow() - dt.timedelta(minutes=5))
    )
    session.commit()

    assert tick()["broadcasts"] == 0
    assert progress(session, broadcast.id).total == 0
