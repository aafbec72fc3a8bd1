"""One day of Slotbook end to end, on real PostgreSQL and Redis, no network.

A teacher answers the poll through the bot's real Pyrogram handlers, the
answer becomes slots, two clients registered through the bot race for one
slot, the reminder job (run by a real RQ worker, twice) queues exactly one
reminder, and the booking shows in the admin panel and in the CSV export.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pandas as pd
from rq import Queue, SimpleWorker
from sqlalchemy import select

from jobs.tasks import tick
from scheduling.models import BOOKED, Booking, Client, OutboxMessage, Poll, Slot
from scheduling.settings import update_settings
from tests.bot.harness import TgUser
from tests.webapp.helpers import page_text

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW)


def run_tick_in_worker(redis_conn, now: dt.datetime) -> None:
    """Enqueue the periodic job and let a real RQ worker run it."""
    queue = Queue("slotbook", connection=redis_conn)
    job = queue.enqueue(tick, now)
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    job.refresh()
    assert job.is_finished, job.latest_result()


def register(harness, user: TgUser, phone: str) -> None:
    harness.send_text(user, "/start")
    assert harness.last(user).asks_contact
    harness.share_contact(user, phone)


def walk_to_confirm(harness, user: TgUser, time: str):
    harness.send_text(user, "Записаться")
    harness.press(user, harness.last(user).data_for("Математика"))
    harness.press(user, harness.last(user).data_for("Смирнова"))
    harness.press(user, harness.last(user).buttons[0][1])  # tomorrow
    harness.press(user, harness.last(user).data_for(time))
    return harness.last(user)


def test_poll_to_slots_to_booking_to_reminder_to_panel_and_csv(
    harness, session, factory, redis_conn, admin_client
):
    update_settings(
        session,
        {
            "slot_duration_min": 45,
            "breaks": [["13:00", "14:00"]],
            "reminder_minutes_before": [60],
        },
    )
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна Петровна", subjects=(maths,))
    session.commit()
    today = dt.datetime.now(MOSCOW).date()
    tomorrow = today + dt.timedelta(days=1)

    # The daily poll goes out at 18:00 Moscow time and the teacher answers it.
    run_tick_in_worker(redis_conn, moscow(today, 18, 5))
    assert harness.deliver_outbox() == 1
    teacher_user = TgUser.of(teacher)
    poll = harness.last(teacher_user)
    for hour in ("10:00", "11:00", "12:00", "14:00"):
        harness.press(teacher_user, poll.data_for(hour))
        poll = harness.last(teacher_user)
    harness.press(teacher_user, poll.data_for("Готово"))

    session.expire_all()
    slots = session.scalars(select(Slot).order_by(Slot.starts_at)).all()
    assert [s.starts_at.astimezone(MOSCOW).strftime("%H:%M") for s in slots] == [
        "10:00",
        "10:45",
        "11:30",
        "12:15",
        "14:00",
    ]
    assert {s.ends_at - s.starts_at for s in slots} == {dt.timedelta(minutes=45)}
    assert session.scalar(select(Poll.status)) == "answered"

    # Two new clients register through /start and race for 10:45.
    ivan = TgUser(5550001, "Иван", "Петров")
    olga = TgUser(5550002, "Ольга", "Соколова")
    register(harness, ivan, "+79161234567")
    register(harness, olga, "+79167654321")
    ivan_confirm = walk_to_confirm(harness, ivan, "10:45")
    olga_confirm = walk_to_confirm(harness, olga, "10:45")
    harness.press(ivan, ivan_confirm.data_for("Подтвердить"))
    harness.press(olga, olga_confirm.data_for("Подтвердить"))

    assert "Вы записаны" in harness.last(ivan).text
    assert "Это время уже занято" in harness.last(olga).text
    session.expire_all()
    booking = session.scalars(select(Booking)).one()
    ivan_record = session.scalars(
        select(Client).where(Client.telegram_user_id == ivan.id)
    ).one()
    assert (booking.client_id, booking.status) == (ivan_record.id, BOOKED)
    assert booking.starts_at == moscow(tomorrow, 10, 45)

    # The reminder job, run twice, queues exactly one reminder 60 min before.
    reminder_moment = booking.starts_at - dt.timedelta(minutes=60)
    run_tick_in_worker(redis_conn, reminder_moment - dt.timedelta(minutes=5))
    run_tick_in_worker(redis_conn, reminder_moment)
    session.expire_all()
    reminders = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "reminder")
    ).all()
    assert [(r.chat_id, r.not_before, r.booking_id) for r in reminders] == [
        (ivan.id, reminder_moment, booking.id)
    ]

    # The admin sees the booking in the panel and in the CSV export.
    listing = page_text(admin_client.get("/bookings/list/").get_data(as_text=True))
    assert "Петров Иван" in listing or "Иван Петров" in listing
    assert "10:45" in listing
    response = admin_client.get(
        "/reports/bookings/csv",
        query_string={
            "date_from": today.isoformat(),
            "date_to": tomorrow.isoformat(),
            "sep": ";",
        },
    )
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(response.data), sep=";", encoding="utf-8-sig")
    assert len(table) == 1
    row = " ".join(str(v) for v in table.iloc[0].tolist())
    assert "Смирнова Анна Петровна" in row and "10:45" in row
