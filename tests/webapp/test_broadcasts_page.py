"""The broadcast and delivery-problem pages: who may use them and what they show."""

from __future__ import annotations

import datetime as dt

from rq import Queue, SimpleWorker
from sqlalchemy import func, insert, select, update

from jobs.runtime import QUEUE_NAME
from jobs.tasks import tick
from scheduling.broadcasts import INLINE_FANOUT_LIMIT
from scheduling.models import (
    BROADCAST_NEW,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    Broadcast,
    Client,
    OutboxMessage,
    utcnow,
)
from scheduling.outbox import queue_message
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import page_text


def _form(client, **fields) -> dict[str, str]:
    page = client.get("/broadcasts/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "text": "Завтра занятий нет"}
    data.update(fields)
    return data


def test_coordinator_counts_then_sends_and_follows_delivery(
    coordinator_client, session, factory
):
    factory.client("Иванов Иван")
    factory.client("Петрова Ольга")
    factory.client("Без телеграма", telegram=False)
    factory.teacher("Смирнова Анна")
    session.commit()

    counted = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="count"),
    )
    assert counted.status_code == 200
    assert 'id="recipient-count"' in counted.get_data(as_text=True)
    assert ": 2" in page_text(counted.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(Broadcast)) == 0

    sent = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="send"),
    )
    assert sent.status_code == 302
    broadcast = session.scalars(select(Broadcast)).one()
    assert broadcast.recipients_count == 2
    assert broadcast.created_by == "coordinator"

    page = page_text(
        coordinator_client.get(sent.headers["Location"]).get_data(as_text=True)
    )
    assert "Иванов Иван" in page and "Петрова Ольга" in page
    assert "Без телеграма" not in page
    listing = page_text(coordinator_client.get("/broadcasts/").get_data(as_text=True))
    assert "Завтра занятий нет" in listing


def test_audience_without_its_teacher_is_refused_in_russian(
    coordinator_client, session
):
    response = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="teacher_clients", action="send"),
    )
    assert response.status_code == 422
    assert "Получатели рассылки выбраны неверно" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Broadcast)) == 0


def test_empty_text_is_refused_without_a_broadcast(coordinator_client, session):
    response = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="send", text=""),
    )
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Broadcast)) == 0


def test_teacher_cannot_open_broadcasts(teacher_client):
    response = teacher_client.get("/broadcasts/")
    assert response.status_code in (302, 403)
    assert teacher_client.get("/broadcasts/new").status_code in (302, 403)


def test_unknown_broadcast_is_a_404(coordinator_client):
    assert coordinator_client.get("/broadcasts/999").status_code == 404


def test_admin_sees_undeliverable_messages_and_failed_jobs(
    admin_client, coordinator_client, session, redis_conn
):
    queue_message(session, key="lost", chat_id=42, kind="broadcast")
    session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.key == "lost")
        .values(status=OUTBOX_FAILED, last_error="unreachable: USER_IS_BLOCKED")
    )
    session.commit()
    Queue(QUEUE_NAME, connection=redis_conn).enqueue("math.sqrt", "not a number")
    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)

    page = admin_client.get("/delivery/")

    assert page.status_code == 200
    text = page_text(page.get_data(as_text=True))
    assert "unreachable: USER_IS_BLOCKED" in text
    assert "math.sqrt" in text and "TypeError" in text
    assert coordinator_client.get("/delivery/").status_code in (302, 403)


def test_admin_sends_a_failed_message_again(admin_client, session):
    queue_message(session, key="lost", chat_id=42, kind="broadcast")
    session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.key == "lost")
        .values(status=OUTBOX_FAILED, attempts=8, last_error="send: timeout")
    )
    session.commit()
    row_id = session.scalar(select(OutboxMessage.id))
    page = admin_client.get("/delivery/").get_data(as_text=True)

    without_token = admin_client.post(f"/delivery/retry/{row_id}")
    session.expire_all()
    assert session.get(OutboxMessage, row_id).status == OUTBOX_FAILED
    assert without_token.status_code in (302, 400)

    response = admin_client.post(
        f"/delivery/retry/{row_id}", data={"csrf_token": csrf_token(page)}
    )

    assert response.status_code == 302
    session.expire_all()
    row = session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == (OUTBOX_PENDING, 0)


def test_coordinator_stops_a_broadcast_from_its_page(
    coordinator_client, session, factory
):
    for n in range(3):
        factory.client(f"Клиент {n}")
    session.commit()
    sent = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="send"),
    )
    page = coordinator_client.get(sent.headers["Location"]).get_data(as_text=True)
    broadcast = session.scalars(select(Broadcast)).one()

    response = coordinator_client.post(
        f"/broadcasts/{broadcast.id}/stop", data={"csrf_token": csrf_token(page)}
    )

    assert response.status_code == 302
    statuses = session.scalars(
        select(OutboxMessage.status).where(OutboxMessage.broadcast_id == broadcast.id)
    ).all()
    assert statuses == ["cancelled"] * 3


def _many_clients(session, count: int) -> None:
    session.execute(
        insert(Client),
        [
            {"full_name": f"Клиент {n}", "telegram_user_id": 600_000 + n}
            for n in range(count)
        ],
    )
    session.commit()


def test_a_large_broadcast_is_handed_to_the_worker(
    coordinator_client, session, redis_conn
):
    _many_clients(session, INLINE_FANOUT_LIMIT + 1)

    sent = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="send"),
    )

    assert sent.status_code == 302
    broadcast = session.scalars(select(Broadcast)).one()
    assert broadcast.status == BROADCAST_NEW
    page = page_text(
        coordinator_client.get(sent.headers["Location"]).get_data(as_text=True)
    )
    assert "Список получателей готовится" in page
    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)
    session.refresh(broadcast)
    assert broadcast.recipients_count == INLINE_FANOUT_LIMIT + 1


def test_a_large_broadcast_waits_for_the_tick_when_redis_is_down(
    coordinator_client, session, monkeypatch
):
    import jobs.runtime

    def no_redis(*args, **kwargs):
        raise jobs.runtime.RedisUnavailableError("down")

    monkeypatch.setattr(jobs.runtime, "redis_connection", no_redis)
    _many_clients(session, INLINE_FANOUT_LIMIT + 1)

    sent = coordinator_client.post(
        "/broadcasts/new",
        data=_form(coordinator_client, audience="all_clients", action="send"),
    )

    assert sent.status_code == 302
    broadcast = session.scalars(select(Broadcast)).one()
    assert broadcast.status == BROADCAST_NEW
    session.execute(
        update(Broadcast).values(created_at=utcnow() - dt.timedelta(minutes=2))
    )
    session.commit()
    assert tick()["broadcasts"] == 1
    session.refresh(broadcast)
    assert broadcast.recipients_count == INLINE_FANOUT_LIMIT + 1
