"""The simulator's Python API: the same conversation, chats kept in Redis."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.sender import Sender
from bot.simulator import SYNTHETIC_BASE, Simulator, SimulatorTransport
from scheduling.models import BOOKED, Booking, Client


def _press(sim: Simulator, chat_id: int, label: str) -> None:
    """Press the button whose label contains `label` on the newest message having it."""
    for message in reversed(sim.transcript(chat_id)):
        for row in message.buttons:
            for button in row:
                if label in button["text"]:
                    sim.press(chat_id, message.id, button["data"])
                    return
    raise AssertionError(f"no button {label!r}")


def test_new_person_registers_and_books_in_the_simulator(redis_conn, centre, session):
    sim = Simulator(redis_conn)
    chat = sim.new_person("Ольга", "Новикова", "ru")
    assert chat > SYNTHETIC_BASE
    sim.send_text(chat, "/start")
    assert sim.transcript(chat)[-1].contact_request == "📱 Поделиться номером"
    sim.share_contact(chat, "+79005554433")
    client = session.scalar(select(Client).where(Client.telegram_user_id == chat))
    assert client.full_name == "Новикова Ольга"  # surname first, as staff type it

    sim.send_text(chat, "Записаться")
    _press(sim, chat, "Математика")
    _press(sim, chat, "Анна Смирнова")
    day_message = sim.transcript(chat)[-1]
    sim.press(chat, day_message.id, day_message.buttons[0][0]["data"])
    _press(sim, chat, "10:00")
    _press(sim, chat, "Подтвердить")

    booking = session.scalar(select(Booking).where(Booking.client_id == client.id))
    assert booking.status == BOOKED and booking.slot_id == centre.slots[0].id
    transcript = sim.transcript(chat)
    assert [m.sender for m in transcript] == [
        "user",
        "bot",
        "user",
        "bot",
        "user",
        "bot",
    ]
    assert "Вы записаны" in transcript[-1].text and transcript[-1].edited


def test_outbox_deliveries_land_in_the_simulated_chats(redis_conn, centre, session):
    sim = Simulator(redis_conn)
    client_chat = centre.client.telegram_user_id
    sim.send_text(client_chat, "/book")
    _press(sim, client_chat, "Математика")
    _press(sim, client_chat, "Борис Орлов")
    day_message = sim.transcript(client_chat)[-1]
    sim.press(client_chat, day_message.id, day_message.buttons[0][0]["data"])
    _press(sim, client_chat, "15:00")
    _press(sim, client_chat, "Подтвердить")

    sent = asyncio.run(Sender(SimulatorTransport(sim)).run_once())
    assert sent == 2
    teacher_chat = sim.transcript(centre.second_teacher.telegram_user_id)
    assert len(teacher_chat) == 1
    assert teacher_chat[0].text.startswith("🆕 Новая запись: Иван Петров, Математика")
    assert sim.transcript(client_chat)[-1].text.startswith("✅ Вы записаны: Математика")


def test_acting_as_a_known_teacher_uses_their_record(redis_conn, session, centre):
    centre.teacher.full_name = "Смирнова Анна Петровна"  # as staff type names
    session.commit()
    sim = Simulator(redis_conn)
    chat = centre.teacher.telegram_user_id
    profile = sim.profile(chat)
    assert (profile.first_name, profile.last_name) == ("Анна Петровна", "Смирнова")
    sim.send_text(chat, "Расписание")
    assert "10:00–11:00 — свободно" in sim.transcript(chat)[-1].text


def test_chat_log_is_capped(redis_conn, monkeypatch):
    import bot.simulator as simulator_module

    monkeypatch.setattr(simulator_module, "KEEP_MESSAGES", 5)
    sim = Simulator(redis_conn)
    chat = sim.new_person("Гость", None, "ru")
    for n in range(4):
        sim.send_text(chat, f"привет {n}")
    transcript = sim.transcript(chat)
    assert len(transcript) == 5
    assert transcript[-1].id == 8
