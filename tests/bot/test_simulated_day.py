"""One scripted day in the simulator: 3 teachers answer the poll, 10 clients book,
2 cancel and 1 moves; the database ends exactly as the script says."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from sqlalchemy import select

from bot.sender import Sender
from bot.simulator import Simulator, SimulatorTransport
from scheduling.models import Booking, OutboxMessage, Poll, Slot
from scheduling.polls import open_due_polls
from tests.bot.conftest import MOSCOW, local, tomorrow
from tests.bot.test_simulator import _press

# teacher, subject, hours ticked in tomorrow's poll
TEACHERS = [
    ("Анна Смирнова", "Математика", [10, 11, 12]),
    ("Борис Орлов", "Физика", [9, 10, 11, 12, 15]),
    ("Вера Ким", "Английский", [16, 17, 18]),
]
# client, subject, teacher, time booked
BOOKINGS = [
    ("Клиент 01", "Математика", "Анна Смирнова", "10:00"),
    ("Клиент 02", "Математика", "Анна Смирнова", "11:00"),
    ("Клиент 03", "Математика", "Анна Смирнова", "12:00"),
    ("Клиент 04", "Физика", "Борис Орлов", "09:00"),
    ("Клиент 05", "Физика", "Борис Орлов", "10:00"),
    ("Клиент 06", "Физика", "Борис Орлов", "11:00"),
    ("Клиент 07", "Физика", "Борис Орлов", "15:00"),
    ("Клиент 08", "Английский", "Вера Ким", "16:00"),
    ("Клиент 09", "Английский", "Вера Ким", "17:00"),
    ("Клиент 10", "Английский", "Вера Ким", "18:00"),
]
CANCELLING = ("Клиент 02", "Клиент 09")
MOVING = ("Клиент 05", "12:00")


def _first_button(sim: Simulator, chat_id: int) -> None:
    message = sim.transcript(chat_id)[-1]
    sim.press(chat_id, message.id, message.buttons[0][0]["data"])


def _deliver(sim: Simulator) -> None:
    asyncio.run(Sender(SimulatorTransport(sim)).run_once())


def test_a_day_of_polls_bookings_cancellations_and_a_move(redis_conn, session, factory):
    sim = Simulator(redis_conn)
    subjects = {name: factory.subject(name) for _, name, _ in TEACHERS}
    teachers = {
        name: factory.teacher(name, subjects=(subjects[subject],))
        for name, subject, _ in TEACHERS
    }
    clients = {name: factory.client(name) for name, *_ in BOOKINGS}
    session.commit()

    # The evening before: the poll goes out and every teacher answers it.
    today = dt.datetime.now(MOSCOW).date()
    assert len(open_due_polls(session, now=local(today, 18, 5))) == 3
    session.commit()
    _deliver(sim)
    for name, _, hours in TEACHERS:
        chat = teachers[name].telegram_user_id
        assert "в какие часы вы свободны" in sim.transcript(chat)[-1].text
        for hour in hours:
            _press(sim, chat, f"{hour:02d}:00")
        _press(sim, chat, "Готово")

    # Ten clients book through subject -> teacher -> day -> time -> confirm.
    for client, subject, teacher, time in BOOKINGS:
        chat = clients[client].telegram_user_id
        sim.send_text(chat, "Записаться")
        _press(sim, chat, subject)
        _press(sim, chat, teacher)
        _first_button(sim, chat)  # tomorrow, the only day with free time
        _press(sim, chat, time)
        _press(sim, chat, "Подтвердить")
        assert "Вы записаны" in sim.transcript(chat)[-1].text

    # Two cancel from "My bookings"; one moves to another free time.
    for client in CANCELLING:
        chat = clients[client].telegram_user_id
        sim.send_text(chat, "Мои записи")
        _press(sim, chat, "Отменить 1")
        _press(sim, chat, "Да, отменить")
        assert "Запись отменена" in sim.transcript(chat)[-1].text
    mover, new_time = MOVING
    chat = clients[mover].telegram_user_id
    sim.send_text(chat, "/my")
    _press(sim, chat, "Перенести 1")
    _first_button(sim, chat)
    _press(sim, chat, new_time)
    _press(sim, chat, "✅ Перенести")
    assert "Запись перенесена" in sim.transcript(chat)[-1].text
    _deliver(sim)

    session.expire_all()
    day = tomorrow()
    # Polls: answered, with exactly the ticked hours.
    polls = session.scalars(select(Poll).order_by(Poll.teacher_id)).all()
    assert [
        (p.teacher.full_name, p.date, p.status, p.selected_hours) for p in polls
    ] == [(name, day, "answered", hours) for name, _, hours in TEACHERS]
    # Slots: one per ticked hour, booked counts after the cancels and the move.
    slots = session.scalars(select(Slot).order_by(Slot.teacher_id, Slot.starts_at))
    taken = {(t, time) for c, _, t, time in BOOKINGS if c not in CANCELLING}
    taken = taken - {("Борис Орлов", "10:00")} | {("Борис Орлов", new_time)}
    assert [
        (s.teacher.full_name, s.starts_at.astimezone(MOSCOW), s.status, s.booked_count)
        for s in slots
    ] == [
        (name, local(day, h), "open", int((name, f"{h:02d}:00") in taken))
        for name, _, hours in TEACHERS
        for h in hours
    ]
    # Bookings: ten rows, two cancelled, the mover's at the new time.
    rows = session.scalars(select(Booking).order_by(Booking.id)).all()
    expected = []
    for client, subject, teacher, time in BOOKINGS:
        status = "cancelled" if client in CANCELLING else "booked"
        if client == mover:
            time = new_time
        expected.append((client, subject, teacher, time, status, "bot"))
    assert [
        (
            b.client.full_name,
            b.subject.name,
            b.slot.teacher.full_name,
            b.starts_at.astimezone(MOSCOW).strftime("%H:%M"),
            b.status,
            b.source,
        )
        for b in rows
    ] == expected
    # Every change told to the client and the teacher, each message sent once.
    outbox = session.scalars(select(OutboxMessage)).all()
    assert Counter(m.kind for m in outbox) == {
        "poll": 3,
        "booking_created_client": 10,
        "booking_created_teacher": 10,
        "booking_cancelled_client": 2,
        "booking_cancelled_teacher": 2,
        "booking_moved_client": 1,
        "booking_moved_teacher": 1,
    }
    assert {m.status for m in outbox} == {"sent"}
    teacher_chat = sim.transcript(teachers["Борис Орлов"].telegram_user_id)
    assert teacher_chat[-1].text.startswith("🔁 Запись перенесена: Клиент 05, Физика")
